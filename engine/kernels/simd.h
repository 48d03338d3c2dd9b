// What every xsimd kernel file shares: the batch type for the target's default vector width
// and the split of a length into a vector part and a scalar tail.
//
// The convention all kernels follow: the SIMD version runs whole batches up to vector_end(n)
// and hands the last n % W elements to the scalar reference, so a tail is computed by exactly
// the code that specifies it. Include only when NNPLAY_NO_SIMD is not defined.
#pragma once

#ifdef NNPLAY_NO_SIMD
#error "kernels/simd.h is for the xsimd build only"
#endif

#include <cstddef>
#include <xsimd/xsimd.hpp>

namespace nnplay {
namespace simd {

using Batch = xsimd::batch<float>;
constexpr std::size_t kW = Batch::size;

// Largest multiple of W not above n: where the vector loop stops and the scalar tail starts.
inline std::size_t vector_end(std::size_t n) { return n - n % kW; }
inline Batch load(const float* p) { return Batch::load_unaligned(p); }

}  // namespace simd
}  // namespace nnplay
