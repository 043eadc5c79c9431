#pragma once
// Fixed-width vectors (GCC/Clang vector extensions) for the hot kernels of the neural
// estimators and the neighbour searches, and exps with the same bits on every machine. A Vec<T> is
// always 64 bytes — 16 floats or 8 doubles — whatever the instruction set the compiler picks for it
// (one AVX-512 register, two AVX2 or four SSE registers). Kernels keep one output element per lane
// and sum in a fixed order, so results are the same bits on every x86-64 machine and for every
// clone of a `MIB_CLONES` function: no reduction order depends on the ISA.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

namespace mib::simd {

template <class T>
struct VecOf {
  typedef T type __attribute__((vector_size(64)));
};
template <class T>
using Vec = typename VecOf<T>::type;
template <class T>
inline constexpr int kLanes = static_cast<int>(64 / sizeof(T));

template <class T>
__attribute__((always_inline)) inline Vec<T> load(const T* p) {
  Vec<T> v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
template <class T>
__attribute__((always_inline)) inline void store(T* p, Vec<T> v) {
  std::memcpy(p, &v, sizeof v);
}
template <class T>
__attribute__((always_inline)) inline Vec<T> broadcast(T a) {
  return Vec<T>{} + a;
}
/// A zero-initialised array of Vec<T>, 64-byte aligned (std::vector<Vec<T>> is not: GCC drops
/// the vector type's alignment from template arguments).
template <class T>
class VecBuffer {
 public:
  VecBuffer() = default;
  explicit VecBuffer(std::size_t n) { assign_zero(n); }
  VecBuffer(const VecBuffer& other) {  // an empty buffer (no allocation) copies as empty
    if (other.data_) {
      assign_zero(other.size_);
      std::memcpy(data_.get(), other.data_.get(), size_ * sizeof(Vec<T>));
    }
  }
  VecBuffer& operator=(const VecBuffer&) = delete;
  void assign_zero(std::size_t n) {
    size_ = n;
    data_.reset(
        static_cast<Vec<T>*>(std::aligned_alloc(64, std::max<std::size_t>(n, 1) * sizeof(Vec<T>))));
    if (!data_) throw std::bad_alloc();
    std::memset(static_cast<void*>(data_.get()), 0, n * sizeof(Vec<T>));
  }
  void fill_zero() {
    if (data_) std::memset(static_cast<void*>(data_.get()), 0, size_ * sizeof(Vec<T>));
  }
  std::size_t size() const { return size_; }
  Vec<T>* data() { return data_.get(); }
  const Vec<T>* data() const { return data_.get(); }
  Vec<T>& operator[](std::size_t i) { return data_.get()[i]; }
  const Vec<T>& operator[](std::size_t i) const { return data_.get()[i]; }

 private:
  struct Free {
    void operator()(Vec<T>* p) const { std::free(p); }
  };
  std::unique_ptr<Vec<T>, Free> data_;
  std::size_t size_ = 0;
};

/// The element type of a vector type V.
template <class V>
using ElementOf = std::remove_cv_t<std::remove_reference_t<decltype(std::declval<V>()[0])>>;

/// Σ of the lanes, in lane order.
template <class V>
__attribute__((always_inline)) inline ElementOf<V> lane_sum(V v) {
  ElementOf<V> s = 0;
  for (int l = 0; l < kLanes<ElementOf<V>>; ++l) s += v[l];
  return s;
}

/// e^x in double precision from IEEE additions and multiplications only, so every lane, clone
/// and machine gives the same bits (libm's exp picks FMA code paths at run time). Cody–Waite
/// reduction x = n ln 2 + r, |r| <= ln 2 / 2, then Taylor to r¹³ (truncation < 2e-16
/// relative; measured within 1 ulp of std::exp over [−720, 720]); x is clamped to [−700, 700], so
/// the result is 0-free and finite: e^{−700} ≈ 1e-304 stands in for anything smaller. V is double
/// or Vec<double>.
template <class V>
__attribute__((always_inline)) inline V exp_fixed(V x) {
  constexpr double kLog2e = 1.4426950408889634, kLn2Hi = 0.6931471803691238,
                   kLn2Lo = 1.9082149292705877e-10, kRound = 6755399441055744.0;  // 1.5 · 2⁵²
  x = x < -700.0 ? V{} - 700.0 : x;
  x = x > 700.0 ? V{} + 700.0 : x;
  const V n = (x * kLog2e + kRound) - kRound;  // round to nearest
  const V r = (x - n * kLn2Hi) - n * kLn2Lo;
  V p = V{} + 1.0 / 6227020800.0;  // 1/13!
  constexpr double kInverseFactorials[] = {1.0 / 479001600.0,
                                           1.0 / 39916800.0,
                                           1.0 / 3628800.0,
                                           1.0 / 362880.0,
                                           1.0 / 40320.0,
                                           1.0 / 5040.0,
                                           1.0 / 720.0,
                                           1.0 / 120.0,
                                           1.0 / 24.0,
                                           1.0 / 6.0,
                                           0.5,
                                           1.0,
                                           1.0};
  for (double c : kInverseFactorials) p = p * r + c;
  // 2ⁿ from its bits: (n + 1023) in the exponent field.
  if constexpr (std::is_same_v<V, double>) {
    const auto bits = static_cast<std::uint64_t>(static_cast<std::int64_t>(n) + 1023) << 52;
    double scale;
    std::memcpy(&scale, &bits, sizeof scale);
    return p * scale;
  } else {
    typedef std::int64_t I __attribute__((vector_size(sizeof(V))));
    const I bits = (__builtin_convertvector(n, I) + 1023) << 52;
    V scale;
    std::memcpy(&scale, &bits, sizeof scale);
    return p * scale;
  }
}

/// e^x in single precision, the same way: reduction x = n ln 2 + r with a two-part float ln 2,
/// then Taylor to r⁷ (truncation below 6e-9 relative at |r| <= ln 2 / 2, under float's 6e-8);
/// x is clamped to [−87, 80], so the result is a normal, finite float. For float training,
/// where the double version cost 11 % of a concat-critic step.
/// (A template so that merely including this header compiles no function returning a 64-byte
/// vector: GCC warns about that ABI outside AVX-512 code.)
template <class V>
__attribute__((always_inline)) inline V exp_fixed_float(V x) {
  static_assert(std::is_same_v<V, Vec<float>>, "float vectors only");
  constexpr float kLog2e = 1.44269504f, kLn2Hi = 0.693359375f, kLn2Lo = -2.12194440e-4f,
                  kRound = 12582912.0f;  // 1.5 · 2²³
  x = x < -87.0f ? V{} - 87.0f : x;
  x = x > 80.0f ? V{} + 80.0f : x;
  const V n = (x * kLog2e + kRound) - kRound;  // round to nearest
  const V r = (x - n * kLn2Hi) - n * kLn2Lo;
  V p = V{} + 1.0f / 5040.0f;  // 1/7!
  constexpr float kInverseFactorials[] = {1.0f / 720.0f, 1.0f / 120.0f, 1.0f / 24.0f, 1.0f / 6.0f,
                                          0.5f,          1.0f,          1.0f};
  for (float c : kInverseFactorials) p = p * r + c;
  typedef std::int32_t I __attribute__((vector_size(sizeof(V))));
  const I bits = (__builtin_convertvector(n, I) + 127) << 23;  // 2ⁿ
  V scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return p * scale;
}

}  // namespace mib::simd

// Hot kernels are compiled for x86-64-v4 (AVX-512), x86-64-v3 (AVX2) and baseline x86-64 and
// picked at run time. The arithmetic is the same in each (the build has -ffp-contract=off, so no
// clone fuses a multiply-add), hence the same bits. Not under ASan or TSan: the clones' ifunc
// resolvers, instrumented, would run before the sanitizer's runtime has started.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && \
    !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#define MIB_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define MIB_CLONES
#endif
