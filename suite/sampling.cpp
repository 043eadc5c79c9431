#include "suite/sampling.hpp"

#include "core/memory.hpp"
#include "core/rng.hpp"
#include "core/standardize.hpp"

namespace mib {

nlohmann::json task_summary(const Task& task) {
  const Dims d = task.distribution->dims();
  const GroundTruth g = task.distribution->mutual_information();
  nlohmann::json row = {
      {"id", task.id}, {"family", task.family}, {"dim_x", d.x},       {"dim_y", d.y},
      {"mi", g.mi},    {"mi_se", g.std_error},  {"method", g.method}, {"source", task.source}};
  if (d.z > 0) row["dim_z"] = d.z;
  return row;
}

void require_sample_fits(const Task& task, std::size_t n, const std::string& where) {
  const Dims dims = task.distribution->dims();
  // The sample and its copy (a file image, or an array handed on) side by side.
  require_fits_in_memory(
      2 * 8.0 * static_cast<double>(n) * static_cast<double>(dims.x + dims.y + dims.z), where,
      "the sample (" + std::to_string(n) + " rows × " + std::to_string(dims.x + dims.y + dims.z) +
          " columns, twice)");
}

Sample draw_sample(const Task& task, std::size_t n, std::uint64_t seed, bool standardize) {
  Rng rng(seed);
  Sample s = task.distribution->sample(n, rng);
  if (standardize) {
    standardize_columns(s.x);
    standardize_columns(s.y);
    standardize_columns(s.z);
  }
  return s;
}

}  // namespace mib
