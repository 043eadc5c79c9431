#include "reports/aggregate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <tuple>

#include "core/stats.hpp"

namespace mib {
namespace {}  // namespace

std::vector<Aggregate> aggregate(const std::vector<CellResult>& rows) {
  std::map<std::string, std::size_t> estimator_rank, task_rank;
  for (const auto& r : rows) {
    estimator_rank.emplace(r.estimator, estimator_rank.size());
    task_rank.emplace(r.task, task_rank.size());
  }
  using Key = std::tuple<std::size_t, std::size_t, std::size_t>;
  std::map<Key, std::vector<const CellResult*>> groups;
  for (const auto& r : rows) {
    groups[{estimator_rank.at(r.estimator), task_rank.at(r.task), r.n}].push_back(&r);
  }
  std::vector<Aggregate> out;
  for (const auto& [key, members] : groups) {
    Aggregate a;
    a.estimator = members[0]->estimator;
    a.task = members[0]->task;
    a.n = members[0]->n;
    a.mi_true = members[0]->mi_true;
    a.mi_true_se = members[0]->mi_true_se;
    std::vector<double> ok, seconds;
    a.dims = static_cast<int>(members[0]->dim_x + members[0]->dim_y);
    a.dim_z = members[0]->dim_z;
    for (const CellResult* r : members) {
      const CallOutcome& o = r->outcome;
      seconds.push_back(o.seconds);
      if (o.ok()) {
        ok.push_back(o.mi);
        if (o.diagnostics.saturated()) ++a.saturated;
        if (a.curve.empty()) a.curve = o.diagnostics.test_curve;
      } else {
        ++a.failures;
        a.failure_messages.push_back(std::string(status_name(o.status)) + ": " + o.message);
      }
    }
    a.replicates = ok.size();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    a.mean = a.bias = a.std = a.rmse = nan;
    if (!ok.empty()) {
      double squared_error = 0;
      for (double v : ok) squared_error += (v - a.mi_true) * (v - a.mi_true);
      a.mean = stats::mean(ok);
      a.bias = a.mean - a.mi_true;
      a.rmse = std::sqrt(squared_error / static_cast<double>(ok.size()));
      a.std = stats::sample_sd(ok);
    }
    a.median_seconds = stats::median(seconds);
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace mib
