// Training speed of the neural estimators (single-threaded): steps per second of the whole
// training loop (batch draw + forward + backward + Adam) for bmi's concat critic [16, 8] at
// batch 256 (all 65 536 pairs) and Poole's separable critic 256-256-32 at batch 128, on the
// 5 + 5-dim Gaussian with MI 2 nats. Evaluation is kept negligible (one evaluation on a 5%
// test part at the end). Side by side with PyTorch: bench/compare_neural.sh.
//
// The test evaluation of the all-pairs bounds (eval_bench): one evaluation of bmi's concat
// critic on n_test × n_test pairs (n_test = 5 000: configs/full.json's largest n, halved) — the
// scores alone, then with each bound's value — against the FMA peak of the instruction set the
// pair kernel runs on, measured in the same run by fma_peak (independent chains of vector
// fused multiply-adds). fma_per_s counts the critic's multiply-adds per pair: h₁h₂ + h₂ = 136
// for [16, 8] (the first layer is two per-row products and one add per pair, not counted).
// Run: build/release/bench/mib_bench_neural

#include <benchmark/benchmark.h>

#include <boost/random/normal_distribution.hpp>
#include <limits>
#include <string>
#include <vector>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

#include "core/log_sum_exp.hpp"
#include "core/rng.hpp"
#include "distributions/catalog.hpp"
#include "estimators/builtin.hpp"
#include "estimators/neural/bounds.hpp"
#include "estimators/neural/critic.hpp"
#include "estimators/neural/pairs.hpp"
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

constexpr double kFmaPerPair = 16 * 8 + 8;  // bmi's [16, 8]: layers 2 and 3

// bound < 0: the scores alone (each row visited, nothing computed from it).
void eval_bench(benchmark::State& state, int bound) {
  const int n = static_cast<int>(state.range(0)), d = 5;
  mib::Rng rng(1);
  boost::random::normal_distribution<float> normal;
  std::vector<float> x(static_cast<std::size_t>(n) * d), y(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = normal(rng), y[i] = 0.5f * x[i] + normal(rng);
  const auto critic = mib::neural::make_critic<float>({}, d, d, rng, "bench");
  for (auto _ : state) {
    if (bound < 0) {
      float last = 0;
      critic->score_rows(x.data(), y.data(), n, [&](int, const float* row) { last = row[0]; });
      benchmark::DoNotOptimize(last);
    } else {
      mib::neural::BoundValue value(static_cast<mib::neural::Bound>(bound), n);
      critic->score_rows(x.data(), y.data(), n,
                         [&](int i, const float* row) { value.add_row(i, row); });
      benchmark::DoNotOptimize(value.value());
    }
  }
  const double pairs = static_cast<double>(n) * n;
  state.counters["pairs_per_s"] =
      benchmark::Counter(pairs, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["fma_per_s"] =
      benchmark::Counter(pairs * kFmaPerPair, benchmark::Counter::kIsIterationInvariantRate);
}

// One row's log-sum-exp (the bounds' share of an evaluation), alone.
void row_lse_bench(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  mib::Rng rng(2);
  boost::random::normal_distribution<float> normal;
  std::vector<float> row(static_cast<std::size_t>(n));
  for (float& v : row) v = 3 * normal(rng);
  const double inf = std::numeric_limits<double>::infinity();
  for (auto _ : state) benchmark::DoNotOptimize(mib::log_sum_exp(row.data(), n, 7, -inf, inf).sum);
  state.counters["values_per_s"] =
      benchmark::Counter(n, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(row_lse_bench)->Arg(5000);

// The single-precision FMA peak of one core on the pair kernel's instruction set: 16
// independent chains of vector FMAs (latency 4, two issued per cycle at most on current x86).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
// The loop body once per instruction set (a pragma region, so the intrinsics inline).
#define MIB_FMA_CHAINS(V, FMA, SPLAT, STORE, LANES)                                  \
  V acc[16];                                                                         \
  for (int c = 0; c < 16; ++c) acc[c] = SPLAT(1.0f + 1e-3f * static_cast<float>(c)); \
  const V a = SPLAT(0.9999f), b = SPLAT(1e-4f);                                      \
  for (long i = 0; i < iterations; ++i)                                              \
    for (auto& c : acc) c = FMA(c, a, b);                                            \
  float out[LANES];                                                                  \
  double total = 0;                                                                  \
  for (auto& c : acc) {                                                              \
    STORE(out, c);                                                                   \
    for (float v : out) total += v;                                                  \
  }                                                                                  \
  return total;
#pragma GCC push_options
#pragma GCC target("avx512f")
double chains512(long iterations) {
  MIB_FMA_CHAINS(__m512, _mm512_fmadd_ps, _mm512_set1_ps, _mm512_storeu_ps, 16)
}
#pragma GCC pop_options
#pragma GCC push_options
#pragma GCC target("avx2,fma")
double chains256(long iterations) {
  MIB_FMA_CHAINS(__m256, _mm256_fmadd_ps, _mm256_set1_ps, _mm256_storeu_ps, 8)
}
#pragma GCC pop_options
#undef MIB_FMA_CHAINS

void fma_peak(benchmark::State& state) {
  const int isa = mib::neural::best_pair_isa();
  if (isa < 3) {
    state.SkipWithError("the pair kernel runs without vector FMAs here");
    return;
  }
  for (auto _ : state) {
    long iterations = 1 << 22;
    benchmark::DoNotOptimize(iterations);  // a pure call: without this it runs once, hoisted
    benchmark::DoNotOptimize(isa == 4 ? chains512(iterations) : chains256(iterations));
  }
  const long iterations = 1 << 22;
  const double lanes = isa == 4 ? 16 : 8;
  state.counters["fma_per_s"] =
      benchmark::Counter(16.0 * lanes * iterations, benchmark::Counter::kIsIterationInvariantRate);
  state.SetLabel(isa == 4 ? "AVX-512" : "AVX2");
}
BENCHMARK(fma_peak)->Unit(benchmark::kMillisecond)->Iterations(5);
#endif

}  // namespace

BENCHMARK_CAPTURE(eval_bench, scores_only, -1)->Arg(5000)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(eval_bench, infonce, static_cast<int>(mib::neural::Bound::kInfoNce))
    ->Arg(5000)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(eval_bench, nwj, static_cast<int>(mib::neural::Bound::kNwj))
    ->Arg(5000)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(eval_bench, smile, static_cast<int>(mib::neural::Bound::kSmile))
    ->Arg(5000)
    ->Unit(benchmark::kMillisecond);
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
