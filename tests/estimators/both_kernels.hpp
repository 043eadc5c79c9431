#pragma once
// Runs a check with each set of the knn module's kernels.

#include "estimators/knn/kernels.hpp"

namespace mib::test {

/// Runs check() with the portable kernels and, where the CPU has them, the AVX-512 ones.
template <class Check>
void both_kernels(const Check& check) {
  knn::detail::force_portable_kernels(true);
  check();
  knn::detail::force_portable_kernels(false);
  if (knn::detail::avx512_kernels()) check();
}

}  // namespace mib::test
