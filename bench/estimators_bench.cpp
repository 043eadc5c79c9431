// Estimator scaling. Run: build/release/bench/mib_bench_estimators
// Samples come from the catalogue's Gaussian families with a fixed seed.

#include <benchmark/benchmark.h>

#include "distributions/catalog.hpp"
#include "estimators/builtin.hpp"
#include "estimators/spec.hpp"

namespace {

mib::Sample dense_sample(std::size_t n, int dim) {
  const mib::Task task = mib::builtin_catalog().make("multinormal-dense", {{"dim", dim}}, "bench");
  mib::Rng rng(1);
  return task.distribution->sample(n, rng);
}

void estimator_bench(benchmark::State& state, const char* spec) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const mib::Sample s = dense_sample(n, static_cast<int>(state.range(1)));
  const auto e =
      mib::resolve(mib::parse_spec(std::string(spec), "bench"), mib::builtin_estimators(), "bench");
  mib::Rng rng(0);
  for (auto _ : state) benchmark::DoNotOptimize(e.estimator->estimate(s.x, s.y, rng).mi);
  state.SetComplexityN(state.range(0));
}

}  // namespace

BENCHMARK_CAPTURE(estimator_bench, ksg, "ksg")
    ->ArgsProduct({{500, 1000, 2000, 4000}, {1, 5}})
    ->Complexity()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(estimator_bench, ksg2, "ksg2")
    ->ArgsProduct({{1000, 4000}, {1, 5}})
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(estimator_bench, gaussian, "gaussian")
    ->ArgsProduct({{1000, 10000}, {5, 25}})
    ->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
