#include "core/log_sum_exp.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>
#include <utility>

#include "core/simd.hpp"

namespace mib {

using simd::broadcast;
using simd::exp_fixed;
using simd::exp_fixed_float;
using simd::kLanes;
using simd::load;
using simd::Vec;

// Eight floats: half of a Vec<float> (at namespace scope: GCC drops the vector attribute of a
// typedef inside a template).
typedef float HalfFloats __attribute__((vector_size(sizeof(float) * simd::kLanes<double>)));

template <class T>
MIB_CLONES LogSumExp log_sum_exp(const T* s, int n, int skip, double lo, double hi) {
  // The j left after the skip, as two ranges [0, skip) and (skip, n).
  const std::pair<int, int> ranges[2] = {{0, skip < 0 ? n : skip}, {skip < 0 ? n : skip + 1, n}};
  constexpr int L = kLanes<T>;
  T top = -std::numeric_limits<T>::infinity();  // max is exact in any order; NaN is skipped
  for (const auto& [a, b] : ranges) {
    Vec<T> lanes = broadcast(top);
    int j = a;
    for (; j + L <= b; j += L) {
      const Vec<T> v = load(s + j);
      lanes = v > lanes ? v : lanes;
    }
    for (int l = 0; l < L; ++l) top = std::max(top, lanes[l]);
    for (; j < b; ++j) top = std::max(top, s[j]);
  }
  const double m = std::clamp(static_cast<double>(top), lo, hi);  // = the max of the clamped v
  constexpr int kD = kLanes<double>;
  static_assert(kD == 8, "eight running sums, one per lane");
  Vec<double> part{};
  double tail = 0;
  // The blocks of both ranges; clip is std::true_type when [lo, hi] clamps anything.
  const auto sum = [&](auto clip) {
    for (const auto& [a, b] : ranges) {
      int j = a;
      if constexpr (std::is_same_v<T, float>) {
        // Float values: e^{v − m} in float (exp_fixed_float), the values' own precision, 16 at
        // a time; each half of the 16 added to part in double, lanes 0 … 7 first.
        const float f_lo = static_cast<float>(lo), f_hi = static_cast<float>(hi),
                    f_m = static_cast<float>(m);
        for (; j + L <= b; j += L) {
          Vec<float> v = load(s + j);
          if constexpr (decltype(clip)::value) {
            v = v < f_lo ? broadcast(f_lo) : v;
            v = v > f_hi ? broadcast(f_hi) : v;
          }
          const Vec<float> e = exp_fixed_float(v - f_m);
          HalfFloats half[2];
          std::memcpy(half, &e, sizeof half);
          part = part + __builtin_convertvector(half[0], Vec<double>);
          part = part + __builtin_convertvector(half[1], Vec<double>);
        }
        for (; j < b; ++j) {
          Vec<float> v{};
          v[0] = std::clamp(s[j], f_lo, f_hi) - f_m;
          tail += static_cast<double>(exp_fixed_float(v)[0]);
        }
      } else {
        for (; j + kD <= b; j += kD) {
          Vec<double> v = load(s + j);
          if constexpr (decltype(clip)::value) {
            v = v < lo ? broadcast(lo) : v;
            v = v > hi ? broadcast(hi) : v;
          }
          part = part + exp_fixed(v - m);
        }
        for (; j < b; ++j) tail += exp_fixed(std::clamp(s[j], lo, hi) - m);
      }
    }
  };
  if (std::isinf(lo) && std::isinf(hi))
    sum(std::false_type{});
  else
    sum(std::true_type{});
  double z = 0;
  for (int l = 0; l < kD; ++l) z += part[l];
  return {m, z + tail};
}

template LogSumExp log_sum_exp<float>(const float*, int, int, double, double);
template LogSumExp log_sum_exp<double>(const double*, int, int, double, double);

}  // namespace mib
