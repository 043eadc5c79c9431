#include "reports/aggregate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <tuple>

#include "core/error.hpp"

namespace mib {
namespace {

template <class T>
T field(const nlohmann::json& row, const char* key, const std::string& where) {
  auto it = row.find(key);
  if (it == row.end()) fail<DataError>(where, std::string("field ") + key, "present", "missing");
  try {
    return it->get<T>();
  } catch (const nlohmann::json::exception&) {
    fail<DataError>(where, std::string("field ") + key, "of the right type", it->dump());
  }
}

double median(std::vector<double> v) {
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

}  // namespace

ResultRow parse_row(const nlohmann::json& row, const std::string& where) {
  ResultRow r;
  r.estimator = field<std::string>(row, "estimator", where);
  r.task = field<std::string>(row, "task", where);
  r.n = field<std::size_t>(row, "n", where);
  r.mi_true = field<double>(row, "mi_true", where);
  r.mi_true_se = field<double>(row, "mi_true_se", where);
  r.status = field<std::string>(row, "status", where);
  const auto& est = row.contains("estimate") ? row.at("estimate") : nlohmann::json();
  r.estimate = est.is_number() ? est.get<double>() : std::numeric_limits<double>::quiet_NaN();
  r.seconds = field<double>(row, "seconds", where);
  if (auto m = row.find("message"); m != row.end() && m->is_string()) r.message = *m;
  const auto dx = row.find("dim_x"), dy = row.find("dim_y");
  if (dx != row.end() && dy != row.end() && dx->is_number_integer() && dy->is_number_integer())
    r.dims = dx->get<int>() + dy->get<int>();
  if (auto info = row.find("info"); info != row.end() && info->is_object()) {
    if (auto sat = info->find("saturated"); sat != info->end() && sat->is_boolean())
      r.saturated = sat->get<bool>();
    if (auto curve = info->find("test_curve"); curve != info->end() && curve->is_array()) {
      for (const auto& point : *curve)
        if (point.is_array() && point.size() == 2 && point[0].is_number() && point[1].is_number())
          r.curve.emplace_back(point[0].get<double>(), point[1].get<double>());
    }
  }
  return r;
}

std::vector<Aggregate> aggregate(const std::vector<ResultRow>& rows) {
  std::map<std::string, std::size_t> estimator_rank, task_rank;
  for (const auto& r : rows) {
    estimator_rank.emplace(r.estimator, estimator_rank.size());
    task_rank.emplace(r.task, task_rank.size());
  }
  using Key = std::tuple<std::size_t, std::size_t, std::size_t>;
  std::map<Key, std::vector<const ResultRow*>> groups;
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
    a.dims = members[0]->dims;
    for (const ResultRow* r : members) {
      seconds.push_back(r->seconds);
      if (r->status == "ok" && std::isfinite(r->estimate)) {
        ok.push_back(r->estimate);
        if (r->saturated) ++a.saturated;
        if (a.curve.empty()) a.curve = r->curve;
      } else {
        ++a.failures;
        a.failure_messages.push_back(r->status + ": " + r->message);
      }
    }
    a.replicates = ok.size();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    a.mean = a.bias = a.std = a.rmse = nan;
    if (!ok.empty()) {
      double sum = 0, squared_error = 0;
      for (double v : ok) {
        sum += v;
        squared_error += (v - a.mi_true) * (v - a.mi_true);
      }
      const double k = static_cast<double>(ok.size());
      a.mean = sum / k;
      a.bias = a.mean - a.mi_true;
      a.rmse = std::sqrt(squared_error / k);
      if (ok.size() > 1) {
        double ss = 0;
        for (double v : ok) ss += (v - a.mean) * (v - a.mean);
        a.std = std::sqrt(ss / (k - 1));
      }
    }
    a.median_seconds = median(seconds);
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace mib
