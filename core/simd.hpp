#pragma once
// Fixed-width vectors (GCC/Clang vector extensions) for the hot kernels of the neural
// estimators and the neighbour searches. A Vec<T> is always 64 bytes — 16 floats or 8 doubles —
// whatever the instruction set the compiler picks for it (one AVX-512 register, two AVX2 or four
// SSE registers). Kernels keep one output element per lane and sum in a fixed order, so results
// are the same bits on every x86-64 machine and for every clone of a `MIB_CLONES` function: no
// reduction order depends on the ISA.

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
