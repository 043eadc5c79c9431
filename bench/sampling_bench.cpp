// Sampling throughput of catalogue tasks, single-threaded (bytes = n × (dx + dy) × 8).
// Side by side with NumPy: ../shared/peers/sample_numpy.py draws the same 10⁶ × (25 + 25)
// dense Gaussian through a Cholesky factor; bench/README.md has the measured ratio.
// Run: build/release/bench/mib_bench_sampling

#include <benchmark/benchmark.h>

#include "distributions/catalog.hpp"

namespace {

void sample_bench(benchmark::State& state, const char* id) {
  const mib::Task task = mib::builtin_catalog().find(id, "bench");
  const auto n = static_cast<std::size_t>(state.range(0));
  const mib::Dims d = task.distribution->dims();
  mib::Rng rng(1);
  for (auto _ : state) {
    const mib::Sample s = task.distribution->sample(n, rng);
    benchmark::DoNotOptimize(s.x.data());
    benchmark::DoNotOptimize(s.y.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * n * (d.x + d.y) * 8));
}

}  // namespace

BENCHMARK_CAPTURE(sample_bench, dense_25, "multinormal-dense-25-25-0.5")
    ->Arg(1000000)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2);
BENCHMARK_CAPTURE(sample_bench, spiral_sparse_25,
                  "spiral-normal_cdf-multinormal-sparse-25-25-2-2.0")
    ->Arg(1000000)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2);
BENCHMARK_CAPTURE(sample_bench, inliers_25, "mult-sparse-w-inliers-25-25-2-2.0-0.2")
    ->Arg(1000000)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2);
BENCHMARK_CAPTURE(sample_bench, concentric_25, "25v1-concentric_gaussians-5")
    ->Arg(1000000)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2);
// Issue 17's goal: 10⁵ pairs of 32 × 32 images (1.6 GB of doubles) in seconds.
BENCHMARK_CAPTURE(sample_bench, image_blobs_32, "image-blobs-32-4-4.0")
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2);
BENCHMARK_CAPTURE(sample_bench, image_rectangles_32, "image-rectangles-32-4-4.0")
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2);

BENCHMARK_MAIN();
