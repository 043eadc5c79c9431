#include "core/cell_result.hpp"

#include <cmath>

#include "core/error.hpp"

namespace mib {
namespace {

constexpr const char* kStatusNames[] = {"ok", "error", "nonfinite", "timeout", "crash", "memory"};

nlohmann::json number_or_null(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json();
}

const nlohmann::json& member(const nlohmann::json& j, const char* key, const std::string& where) {
  auto it = j.find(key);
  if (it == j.end()) fail<DataError>(where, std::string("field ") + key, "present", "missing");
  return *it;
}

template <class T>
T field(const nlohmann::json& j, const char* key, const std::string& where) {
  const nlohmann::json& v = member(j, key, where);
  // nlohmann converts between number kinds silently (-1 -> 2^64 - 1, 2.5 -> 2): refuse that.
  bool right = true;
  if constexpr (std::is_same_v<T, std::string>) {
    right = v.is_string();
  } else if constexpr (std::is_same_v<T, bool>) {
    right = v.is_boolean();
  } else if constexpr (std::is_integral_v<T>) {
    right = v.is_number_unsigned() ||
            (v.is_number_integer() && (std::is_signed_v<T> || v.get<std::int64_t>() >= 0));
  } else {
    right = v.is_number();
  }
  if (!right) fail<DataError>(where, std::string("field ") + key, "of the right type", v.dump());
  return v.get<T>();
}

// NaN for null: a failed estimate, or a non-finite value (JSON has no NaN).
double number(const nlohmann::json& j, const char* key, const std::string& where) {
  const nlohmann::json& v = member(j, key, where);
  if (v.is_null()) return std::numeric_limits<double>::quiet_NaN();
  if (!v.is_number())
    fail<DataError>(where, std::string("field ") + key, "a number or null", v.dump());
  return v.get<double>();
}

}  // namespace

const char* status_name(CellStatus status) { return kStatusNames[static_cast<int>(status)]; }

CellStatus parse_status(const std::string& name, const std::string& where) {
  for (int i = 0; i < static_cast<int>(std::size(kStatusNames)); ++i) {
    if (name == kStatusNames[i]) return static_cast<CellStatus>(i);
  }
  fail<DataError>(where, "field status", "one of ok, error, nonfinite, timeout, crash, memory",
                  quoted(name));
}

nlohmann::json info_json(const nlohmann::json& info, const Diagnostics& d) {
  nlohmann::json out = info.is_object() ? info : nlohmann::json::object();
  if (d.ceiling) {
    out["ceiling"] = d.ceiling->value;
    out["saturated"] = d.ceiling->saturated;
  }
  if (!d.test_curve.empty()) {
    nlohmann::json curve = nlohmann::json::array();
    for (const CurvePoint& p : d.test_curve) curve.push_back({p.step, p.value});
    out["test_curve"] = std::move(curve);
  }
  return out;
}

Diagnostics take_diagnostics(nlohmann::json& info, const std::string& where) {
  Diagnostics d;
  if (!info.is_object()) return d;
  if (info.contains("ceiling") || info.contains("saturated")) {
    d.ceiling = Ceiling{number(info, "ceiling", where), field<bool>(info, "saturated", where)};
    info.erase("ceiling");
    info.erase("saturated");
  }
  if (info.contains("test_curve")) {
    const nlohmann::json& curve = info["test_curve"];
    if (!curve.is_array() || curve.empty())
      fail<DataError>(where, "test_curve", "a non-empty list of [step, value]", curve.dump());
    for (const auto& point : curve) {
      if (!point.is_array() || point.size() != 2 || !point[0].is_number_integer() ||
          !(point[1].is_number() || point[1].is_null()))
        fail<DataError>(where, "each test_curve point", "[step, value]", point.dump());
      d.test_curve.push_back({point[0].get<int>(), point[1].is_null()
                                                       ? std::numeric_limits<double>::quiet_NaN()
                                                       : point[1].get<double>()});
    }
    info.erase("test_curve");
  }
  return d;
}

namespace {

CallOutcome outcome_from(const nlohmann::json& j, const char* estimate_key,
                         const std::string& where) {
  if (!j.is_object()) fail<DataError>(where, "the row", "a JSON object", j.dump().substr(0, 80));
  CallOutcome out;
  out.status = parse_status(field<std::string>(j, "status", where), where);
  out.message = field<std::string>(j, "message", where);
  out.mi = number(j, estimate_key, where);
  require<DataError>(out.ok() == std::isfinite(out.mi), where, std::string("field ") + estimate_key,
                     out.ok() ? "a number when the status is ok" : "null when the cell failed",
                     j.at(estimate_key).dump());
  out.seconds = field<double>(j, "seconds", where);
  out.cpu_seconds = field<double>(j, "cpu_seconds", where);
  out.info = member(j, "info", where);
  if (!out.info.is_object()) fail<DataError>(where, "field info", "an object", out.info.dump());
  out.diagnostics = take_diagnostics(out.info, where + ": info");
  return out;
}

}  // namespace

nlohmann::json to_json(const CallOutcome& o) {
  return {{"status", status_name(o.status)},
          {"message", o.message},
          {"mi", number_or_null(o.mi)},
          {"info", info_json(o.info, o.diagnostics)},
          {"seconds", o.seconds},
          {"cpu_seconds", o.cpu_seconds}};
}

CallOutcome call_outcome_from_json(const nlohmann::json& j, const std::string& where) {
  return outcome_from(j, "mi", where);
}

nlohmann::json to_json(const CellResult& c) {
  const CallOutcome& o = c.outcome;
  nlohmann::json row = {{"key", c.key},
                        {"task", c.task},
                        {"n", c.n},
                        {"replicate", c.replicate},
                        {"seed", c.seed},
                        {"estimator", c.estimator},
                        {"spec", c.spec},
                        {"dim_x", c.dim_x},
                        {"dim_y", c.dim_y},
                        {"params", c.params},
                        {"mi_true", c.mi_true},
                        {"mi_true_se", c.mi_true_se},
                        {"estimate", number_or_null(o.mi)},
                        {"status", status_name(o.status)},
                        {"message", o.message},
                        {"seconds", o.seconds},
                        {"cpu_seconds", o.cpu_seconds},
                        {"info", info_json(o.info, o.diagnostics)}};
  if (c.dim_z > 0) row["dim_z"] = c.dim_z;
  return row;
}

CellResult cell_from_json(const nlohmann::json& row, const std::string& where) {
  CellResult c;
  c.outcome = outcome_from(row, "estimate", where);
  c.key = field<std::string>(row, "key", where);
  c.task = field<std::string>(row, "task", where);
  c.n = field<std::size_t>(row, "n", where);
  c.replicate = field<std::size_t>(row, "replicate", where);
  c.seed = field<std::uint64_t>(row, "seed", where);
  c.estimator = field<std::string>(row, "estimator", where);
  c.spec = field<std::string>(row, "spec", where);
  c.params = member(row, "params", where);
  if (!c.params.is_object()) fail<DataError>(where, "field params", "an object", c.params.dump());
  c.dim_x = field<std::size_t>(row, "dim_x", where);
  c.dim_y = field<std::size_t>(row, "dim_y", where);
  if (row.contains("dim_z")) c.dim_z = field<std::size_t>(row, "dim_z", where);
  c.mi_true = field<double>(row, "mi_true", where);
  c.mi_true_se = field<double>(row, "mi_true_se", where);
  return c;
}

}  // namespace mib
