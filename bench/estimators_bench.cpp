// Estimator scaling over n and dimension (single-threaded), with Google Benchmark's
// complexity fit. Samples: the paired Gaussian of ../shared/peers/gauss_data.py's kind
// (X_i, Y_i correlated 0.6, else independent), drawn from the catalogue's sparse family.
// Run: build/release/bench/mib_bench_estimators [--benchmark_filter=ksg/]
// The grid skips points whose exhaustive search would take hours (n = 10⁶ above 2 + 2 dims,
// n = 10⁵ above 10 + 10); bench/README.md has the measured table.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <map>

#include "core/simd.hpp"
#include "distributions/catalog.hpp"
#include "estimators/builtin.hpp"
#include "estimators/knn/kernels.hpp"
#include "estimators/knn/neighbors.hpp"
#include "estimators/knn/sorted.hpp"
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

// Issue 19's bounds, measured beside the estimators (bench/README.md: "How far from the bound").
// bound_screen_peak: the float32 max-norm screen's arithmetic peak on this machine, in
// pair-coordinates per second — the block kernel's step acc = max(acc, |q − p|)
// (knn/kernels.cpp) on 4 queries × 4 vectors of 16 lanes, the points reloaded from L1 at each
// step as the kernel loads a panel's coordinate, and nothing else. bound_screen_block: the block
// kernel itself (block_distances, float32, max-norm) on 64 queries × 4 096 rows × 25 columns held
// in cache. bound_sort_column: one column's radix sort (the sorted paths' N lg N step) at n rows.
using VF = mib::simd::Vec<float>;
typedef std::int32_t VI32 __attribute__((vector_size(sizeof(VF))));
MIB_CLONES float screen_peak(long steps) {
  constexpr int kQueries = 4, kVecs = 4;
  constexpr int kLanes = mib::simd::kLanes<float>;
  VF acc[kQueries][kVecs] = {}, q[kQueries];
  float points[kVecs * kLanes];
  for (int l = 0; l < kVecs * kLanes; ++l) points[l] = 0.01f * static_cast<float>(l);
  for (int a = 0; a < kQueries; ++a) q[a] = mib::simd::broadcast(0.1f * static_cast<float>(a));
  const VI32 magnitude = VI32{} + 0x7fffffff;
  for (long s = 0; s < steps; ++s) {
    asm volatile("" ::: "memory");  // a new coordinate: the points are loaded again (from L1)
    VF p[kVecs];
    for (int v = 0; v < kVecs; ++v) p[v] = mib::simd::load(points + v * kLanes);
    for (int a = 0; a < kQueries; ++a) {
      for (int v = 0; v < kVecs; ++v) {
        const VF gap = reinterpret_cast<VF>(reinterpret_cast<VI32>(q[a] - p[v]) & magnitude);
        acc[a][v] = acc[a][v] < gap ? gap : acc[a][v];
      }
    }
  }
  float sum = 0;
  for (int a = 0; a < kQueries; ++a) {
    for (int v = 0; v < kVecs; ++v) sum += acc[a][v][0];
  }
  return sum;
}

void bound_screen_peak(benchmark::State& state) {
  constexpr long kSteps = 1 << 16;
  for (auto _ : state) benchmark::DoNotOptimize(screen_peak(kSteps));
  const double per_step = 4.0 * 4 * mib::simd::kLanes<float>;  // pair-coordinates
  state.counters["pair_coords_per_s"] = benchmark::Counter(
      per_step * kSteps * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void bound_screen_block(benchmark::State& state) {
  constexpr Eigen::Index kRows = 4096, kDims = 25;
  constexpr int kQueries = 64;
  const mib::knn::detail::Panels32 points(sample(kRows, kDims).x);
  std::vector<float> out(static_cast<std::size_t>(kQueries * kRows));
  for (auto _ : state) {
    mib::knn::detail::block_distances(points, 0, kQueries, mib::knn::Metric::kMax, out.data(),
                                      kRows);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["pair_coords_per_s"] = benchmark::Counter(
      static_cast<double>(kQueries * kRows * kDims) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}

void bound_sort_column(benchmark::State& state) {
  const mib::Sample& s = sample(static_cast<std::size_t>(state.range(0)), 1);
  for (auto _ : state) benchmark::DoNotOptimize(mib::knn::detail::sort_rows(s.x, 0).data());
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

BENCHMARK(bound_screen_peak);
BENCHMARK(bound_screen_block);
BENCHMARK(bound_sort_column)->Arg(1000000)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
