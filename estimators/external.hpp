#pragma once
// Estimators in any language — the process protocol. The harness writes the two samples as
// .npy files (float64, n × dx and n × dy, rows are samples) to a private temporary folder and
// runs `command` without a shell, every "{x}" and "{y}" in its arguments replaced by the
// files' paths. The program prints one JSON object with a number "mi" (nats) on stdout; its
// other keys become the cell's info. A non-zero exit, a run over timeout_s, or output that is
// not such an object is an error (a failed cell) whose message holds the tail of stderr.
//
//   {"name": "external", "params": {"command": ["python3", "my_est.py", "{x}", "{y}"],
//                                   "timeout_s": 600}}

#include <string>
#include <vector>

#include "estimators/estimator.hpp"

namespace mib {

struct ExternalParams {
  std::vector<std::string> command;
  double timeout_s = 600;
  template <class V>
  void visit(V& v) {
    v("command", command, "a non-empty list of strings (program first)",
      [](const std::vector<std::string>& c) { return !c.empty() && !c[0].empty(); });
    v("timeout_s", timeout_s, "a number in (0, 2592000] (seconds)",
      [](double t) { return t > 0 && t <= 2592000; });
  }
};

class ExternalEstimator final : public Estimator {
 public:
  using Params = ExternalParams;
  /// Throws ConfigError when no command is given.
  explicit ExternalEstimator(Params params);
  Estimate estimate(MatrixRef x, MatrixRef y, Rng& rng) const override;

 private:
  Params params_;
};

}  // namespace mib
