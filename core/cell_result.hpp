#pragma once
// The typed contract between the layers: what one estimator call gives (CallOutcome, with the
// diagnostics other layers read as typed fields) and one finished cell of a sweep (CellResult,
// one line of results.jsonl). The JSON spelling of every field lives in cell_result.cpp only:
// the runner, the isolated child, merge, check, baseline, report and the user-data commands
// all go through to_json / the parsers below.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace mib {

/// How an estimator call ended.
enum class CellStatus {
  kOk,         ///< the estimate is finite
  kError,      ///< the estimator (or a shared precondition) threw; message says what
  kNonfinite,  ///< the estimator returned NaN or ±inf
  kTimeout,    ///< the call overran its time limit
  kCrash,      ///< (process isolation) a signal or an abnormal exit of the child
  kMemory,     ///< (process isolation) the call hit its memory limit
};

/// "ok", "error", "nonfinite", "timeout", "crash", "memory": the names in results.jsonl.
const char* status_name(CellStatus status);
/// The inverse of status_name; DataError naming `where` for any other text.
CellStatus parse_status(const std::string& name, const std::string& where);

/// A ceiling the estimator cannot pass whatever the true MI (KSG's ψ(N) − ψ(k), InfoNCE's
/// ln K, the histogram's ln N), in nats, and whether this estimate is near it.
struct Ceiling {
  double value = 0;
  bool saturated = false;
};

/// One test evaluation of a neural estimator: training step and test value (nats).
struct CurvePoint {
  int step = 0;
  double value = 0;
};

/// The diagnostics that other layers read (the reports' ‡ mark, the consistency table, the
/// training-curve figure). Written into the row's "info" object as "ceiling", "saturated" and
/// "test_curve"; absent fields are not written.
struct Diagnostics {
  std::optional<Ceiling> ceiling;
  std::vector<CurvePoint> test_curve;  ///< empty: none
  bool saturated() const { return ceiling && ceiling->saturated; }
};

/// Outcome of one estimator call (the harness's answer).
struct CallOutcome {
  CellStatus status = CellStatus::kOk;
  std::string message;                                   ///< why the call failed (empty when ok)
  double mi = std::numeric_limits<double>::quiet_NaN();  ///< nats; NaN unless ok
  nlohmann::json info = nlohmann::json::object();        ///< the estimator's other diagnostics
  Diagnostics diagnostics;
  double seconds = 0;      ///< wall-clock seconds (steady clock)
  double cpu_seconds = 0;  ///< CPU seconds of the calling thread
  bool ok() const { return status == CellStatus::kOk; }
};

/// `info` with the typed diagnostics written into it: the "info" object of a row.
nlohmann::json info_json(const nlohmann::json& info, const Diagnostics& d);
/// The inverse: moves "ceiling"/"saturated" and "test_curve" out of `info` into typed fields
/// (an external estimator's output goes through it too). DataError naming `where` when they
/// are malformed (a ceiling without "saturated", a curve point that is not [step, value]).
Diagnostics take_diagnostics(nlohmann::json& info, const std::string& where);

/// {"status", "message", "mi", "info", "seconds", "cpu_seconds"}: the isolated child's answer
/// and the base of a row. Reading it back splits "info" into info and typed diagnostics.
nlohmann::json to_json(const CallOutcome& outcome);
CallOutcome call_outcome_from_json(const nlohmann::json& j, const std::string& where);

/// One finished cell of a sweep: one line of results.jsonl.
struct CellResult {
  std::string key;  ///< canonical "task|n|replicate|estimator-label"
  std::string task;
  std::size_t n = 0;
  std::size_t replicate = 0;
  std::uint64_t seed = 0;                            ///< engine seed of the group's sample
  std::string estimator;                             ///< label
  std::string spec;                                  ///< canonical spec string
  nlohmann::json params = nlohmann::json::object();  ///< every parameter, defaults filled in
  std::size_t dim_x = 0, dim_y = 0;
  std::size_t dim_z = 0;               ///< 0: an I(X; Y) task (the row has no "dim_z" field)
  double mi_true = 0, mi_true_se = 0;  ///< nats
  CallOutcome outcome;                 ///< outcome.mi is written as "estimate"
};

/// The row as written to results.jsonl (`estimate` null when the cell failed; "dim_z" only
/// for a task with a conditioning variable, whose mi_true is I(X; Y | Z)).
nlohmann::json to_json(const CellResult& cell);
/// Parses a row; DataError naming `where` for a missing field or a field of the wrong type.
CellResult cell_from_json(const nlohmann::json& row, const std::string& where);

}  // namespace mib
