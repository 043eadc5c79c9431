// Training speed of the neural estimators (single-threaded): steps per second of the whole
// training loop (batch draw + forward + backward + Adam) for bmi's concat critic [16, 8] at
// batch 256 (all 65 536 pairs) and Poole's separable critic 256-256-32 at batch 128, on the
// 5 + 5-dim Gaussian with MI 2 nats. Evaluation is kept negligible (one evaluation on a 5%
// test part at the end). Side by side with PyTorch: bench/compare_neural.sh.
// Run: build/release/bench/mib_bench_neural

#include <benchmark/benchmark.h>

#include <string>

#include "distributions/catalog.hpp"
#include "estimators/builtin.hpp"
#include "estimators/spec.hpp"

namespace {

void train_bench(benchmark::State& state, const std::string& spec) {
  const int steps = static_cast<int>(state.range(0));
  const mib::Task task =
      mib::builtin_catalog().make("staircase", {{"dim", 5}, {"mi", 2.0}}, "bench");
  mib::Rng data_rng(1);
  const mib::Sample s = task.distribution->sample(20000, data_rng);
  const std::string full = spec + ",steps=" + std::to_string(steps) +
                           ",eval_every=" + std::to_string(steps) + ",patience=0,split=0.95";
  const auto e = mib::resolve(mib::parse_spec(full, "bench"), mib::builtin_estimators(), "bench");
  mib::Rng rng(0);
  for (auto _ : state) benchmark::DoNotOptimize(e.estimator->estimate(s.x, s.y, rng).mi);
  state.counters["steps_per_s"] =
      benchmark::Counter(static_cast<double>(steps), benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace

BENCHMARK_CAPTURE(train_bench, infonce_concat_16_8_b256, std::string("infonce:batch=256"))
    ->Arg(500)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);
BENCHMARK_CAPTURE(train_bench, nwj_concat_16_8_b256, std::string("nwj:batch=256"))
    ->Arg(500)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);
BENCHMARK_CAPTURE(train_bench, mine_concat_16_8_b256, std::string("mine:batch=256"))
    ->Arg(500)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);
BENCHMARK_CAPTURE(train_bench, infonce_separable_256_256_32_b128,
                  std::string("infonce:critic=separable,batch=128,lr=0.0005"))
    ->Arg(500)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);
BENCHMARK_CAPTURE(train_bench, infonce_separable_b128_float64,
                  std::string("infonce:critic=separable,batch=128,lr=0.0005,precision=float64"))
    ->Arg(200)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);
BENCHMARK_CAPTURE(train_bench, doe_64_64_b256, std::string("doe:batch=256"))
    ->Arg(2000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

BENCHMARK_MAIN();
