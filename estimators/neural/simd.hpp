#pragma once
// The neural kernels' vector helpers: core/simd.hpp's fixed-width vectors and exps.

#include "core/simd.hpp"

namespace mib::neural {

using simd::broadcast;
using simd::ElementOf;
using simd::exp_fixed;
using simd::exp_fixed_float;
using simd::kLanes;
using simd::lane_sum;
using simd::load;
using simd::store;
using simd::Vec;
using simd::VecBuffer;

}  // namespace mib::neural
