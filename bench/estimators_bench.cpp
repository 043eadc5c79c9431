// Estimator scaling over n and dimension (single-threaded), with Google Benchmark's
// complexity fit. Samples: the paired Gaussian of ../shared/peers/gauss_data.py's kind
// (X_i, Y_i correlated 0.6, else independent), drawn from the catalogue's sparse family.
// Run: build/release/bench/mib_bench_estimators [--benchmark_filter=ksg/]
// The grid skips points whose exhaustive search would take hours (n = 10⁶ above 2 + 2 dims,
// n = 10⁵ above 10 + 10); bench/README.md has the measured table.

#include <benchmark/benchmark.h>

#include <map>

#include "distributions/catalog.hpp"
#include "estimators/builtin.hpp"
#include "estimators/knn/neighbors.hpp"
#include "estimators/spec.hpp"

namespace {

const mib::Sample& sample(std::size_t n, int dim) {
  static std::map<std::pair<std::size_t, int>, mib::Sample> cache;
  auto key = std::make_pair(n, dim);
  auto it = cache.find(key);
  if (it == cache.end()) {
    const mib::Task task = mib::builtin_catalog().make(
        "multinormal-sparse", {{"dim", dim}, {"pairs", dim}, {"strength", 1.224744871391589}},
        "bench");
    mib::Rng rng(1);  // strength sqrt(1.5): corr = 1.5 / 2.5 = 0.6 on every pair
    it = cache.emplace(key, task.distribution->sample(n, rng)).first;
  }
  return it->second;
}

void estimator_bench(benchmark::State& state, const char* spec) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const mib::Sample& s = sample(n, static_cast<int>(state.range(1)));
  const auto e =
      mib::resolve(mib::parse_spec(std::string(spec), "bench"), mib::builtin_estimators(), "bench");
  mib::Rng rng(0);
  for (auto _ : state) benchmark::DoNotOptimize(e.estimator->estimate(s.x, s.y, rng).mi);
  state.SetComplexityN(state.range(0));
}

void ksg_grid(benchmark::internal::Benchmark* b) {
  for (int d : {1, 2, 5, 10, 25, 50}) {
    for (long n : {1000L, 10000L, 100000L, 1000000L}) {
      if ((n >= 1000000 && d > 2) || (n >= 100000 && d > 10)) continue;
      b->Args({n, d});
    }
  }
}

// Counts in two columns under the max-norm (KSG's 2 + 2 marginals, KSG-CMI's (X, Z)), the
// offline sweep beside the k-d tree, at 1 and 2 threads (args: n, back-end 0 sweep / 1 tree,
// threads). The radii are each row's 3rd-neighbour distance in the 4-D joint space.
void count_bench(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const mib::Sample& s = sample(n, 2);
  const Eigen::VectorXd radius =
      mib::knn::nearest(mib::hstack(s.x, s.y), 3, mib::knn::Metric::kMax).distance.col(2);
  const auto backend = state.range(1) == 0 ? mib::knn::Backend::kSweep : mib::knn::Backend::kKdTree;
  for (auto _ : state) {
    benchmark::DoNotOptimize(mib::knn::count_within(s.x, radius, mib::knn::Metric::kMax, true,
                                                    backend, static_cast<int>(state.range(2))));
  }
}

// ksg-cmi (Frenzel & Pompe, k = 3, standardize=false) on bench/compare_ksg_cmi.sh's samples:
// cmi-common-{dim}-0.8-0.5, X, Y and Z of dim columns each (args: n, dim, threads).
void ksg_cmi_bench(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto dim = state.range(1);
  const mib::Task task =
      mib::builtin_catalog().find("cmi-common-" + std::to_string(dim) + "-0.8-0.5", "bench");
  mib::Rng rng(1);
  const mib::Sample s = task.distribution->sample(n, rng);
  const auto e = mib::resolve(
      mib::parse_spec("ksg-cmi:standardize=false,threads=" + std::to_string(state.range(2)),
                      "bench"),
      mib::builtin_estimators(), "bench");
  for (auto _ : state)
    benchmark::DoNotOptimize(e.estimator->estimate_conditional(s.x, s.y, s.z, rng).mi);
}

}  // namespace

BENCHMARK(ksg_cmi_bench)
    ->ArgsProduct({{10000, 100000}, {1, 3}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(count_bench)
    ->ArgsProduct({{10000, 100000, 1000000}, {0, 1}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(estimator_bench, ksg, "ksg")
    ->Apply(ksg_grid)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);
BENCHMARK_CAPTURE(estimator_bench, ksg_d1, "ksg")
    ->Args({1000, 1})
    ->Args({10000, 1})
    ->Args({100000, 1})
    ->Args({1000000, 1})
    ->Complexity(benchmark::oNLogN)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);
BENCHMARK_CAPTURE(estimator_bench, ksg_d5, "ksg")
    ->Args({1000, 5})
    ->Args({3000, 5})
    ->Args({10000, 5})
    ->Args({30000, 5})
    ->Complexity()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);
BENCHMARK_CAPTURE(estimator_bench, ksg_d25, "ksg")
    ->Args({1000, 25})
    ->Args({2000, 25})
    ->Args({4000, 25})
    ->Args({8000, 25})
    ->Complexity(benchmark::oNSquared)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

BENCHMARK_MAIN();
