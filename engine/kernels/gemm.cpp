// GEMM: gemm_ref (the specification) and gemm (xsimd, blocked and packed), side by side.
//
// gemm follows the GotoBLAS/BLIS shape, kept as small as it can be:
//   for each column block of C (NC wide)
//     for each depth block (KC deep): pack op(B)[KC, NC] into NR-wide panels
//       for each row block (MC tall): pack op(A)[MC, KC] into MR-tall panels
//         for each NR panel, for each MR panel: microkernel -> MR x NR tile of C
// Packing is where trans_a / trans_b are resolved: the microkernel only ever sees two
// contiguous panels, so one kernel serves all four transpose combinations, and every tail
// (m % MR, n % NR) is a zero-padded panel plus a masked copy-out.
//
// Why this shape: the microkernel keeps an MR x NR tile of C in registers for the whole
// depth loop, so each step loads NR/W vectors of B and MR scalars of A and does MR*NR/W
// multiply-adds; the packed B panel (KC*NR floats) stays in L1 while A panels stream
// from L2. What it is not: multithreaded, or tuned per CPU beyond the vector width.
// For a narrow C (n <= 32 columns, the conv layers' products) A is not packed but read in
// place: see gemm_narrow.
//
// Why B is packed even when A has only a few rows (one predict batch of 32, where each
// packed panel serves just m/MR tiles): a variant reading B in place, row by row with stride
// ldb, was measured (wasm SIMD, Chromium 156) at 37 GFLOP/s against 41 packed for
// 32x784·784x128 and 37.5 against 42 for 64 rows, even with shorter depth blocks (kc 32 or
// 64: 34), though it ran 5-10% faster in Node 20. The contiguous, L1-resident panel wins
// where the library runs.
#include "kernels/gemm.h"

#include <algorithm>
#include <vector>

#include "core/check.h"

#ifndef NNPLAY_NO_SIMD
#include <xsimd/xsimd.hpp>
#endif

namespace nnplay {

void gemm_ref(bool trans_a, bool trans_b, int m, int n, int k, float alpha, const float* a, int lda, const float* b,
              int ldb, float beta, float* c, int ldc) {
  NNPLAY_ASSERT(m >= 0 && n >= 0 && k >= 0);
  NNPLAY_ASSERT(ldc >= n);
  NNPLAY_ASSERT(lda >= (trans_a ? m : k) && ldb >= (trans_b ? k : n));
  // An empty C needs no product: without this, n == 0 would still walk (and read) A for
  // every i and p, past the end of an A that the caller sized for no columns at all.
  if (m == 0 || n == 0) return;
  // row[j] = sum_p op(A)[i, p] * op(B)[p, j], accumulated in i-p-j order: the inner loop runs
  // along a row of B (contiguous when not transposed), which keeps this reference usable as
  // the scalar baseline too, without being anything but plain loops.
  std::vector<float> row(static_cast<std::size_t>(n));
  for (int i = 0; i < m; ++i) {
    std::fill(row.begin(), row.end(), 0.0f);
    for (int p = 0; p < k; ++p) {
      const float aip = trans_a ? a[p * lda + i] : a[i * lda + p];
      for (int j = 0; j < n; ++j) {
        const float bpj = trans_b ? b[j * ldb + p] : b[p * ldb + j];
        row[static_cast<std::size_t>(j)] += aip * bpj;
      }
    }
    float* ci = c + static_cast<std::ptrdiff_t>(i) * ldc;
    for (int j = 0; j < n; ++j) {
      // beta == 0 must not read C: 0 * NaN would be NaN.
      ci[j] = beta == 0.0f ? alpha * row[static_cast<std::size_t>(j)]
                           : alpha * row[static_cast<std::size_t>(j)] + beta * ci[j];
    }
  }
}

void gemm_bias_ref(bool trans_a, bool trans_b, int m, int n, int k, float alpha, const float* a, int lda,
                   const float* b, int ldb, float beta, float* c, int ldc, const float* bias) {
  gemm_ref(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  NNPLAY_ASSERT(bias != nullptr);
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) c[static_cast<std::ptrdiff_t>(i) * ldc + j] += bias[j];
}

#ifdef NNPLAY_NO_SIMD

void gemm(bool trans_a, bool trans_b, int m, int n, int k, float alpha, const float* a, int lda, const float* b,
          int ldb, float beta, float* c, int ldc) {
  gemm_ref(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void gemm_bias(bool trans_a, bool trans_b, int m, int n, int k, float alpha, const float* a, int lda, const float* b,
               int ldb, float beta, float* c, int ldc, const float* bias) {
  gemm_bias_ref(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, bias);
}

#else

namespace {

using Batch = xsimd::batch<float>;
constexpr int kW = static_cast<int>(Batch::size);
// 4 rows x 2 vectors: 8 accumulators + 2 B vectors + a broadcast of A + a temporary.
// Measured (-O3, this machine): under V8 wasm SIMD, 4x2 ran ~2x faster than 4x3, 6x2 or 8x2,
// whose 12+ accumulators exceed what V8 keeps in x64's 16 vector registers and spill in
// the inner loop. Natively (SSE4.2) 4x3 was only ~8% ahead, so one shape serves all.
constexpr int kMR = 4;
constexpr int kNV = 2;
constexpr int kNR = kNV * kW;
// KC*NR*4 bytes of packed B (8 KB at W=4) stay in L1; MC*KC*4 bytes of packed A (96 KB)
// in L2. NC bounds the packed B block (KC*NC*4 bytes).
constexpr int kKC = 256;
constexpr int kMC = 96;
constexpr int kNC = kNR * 64;
// At most this many columns of C: A is read in place, not packed (see gemm_narrow).
constexpr int kNarrowN = 32;

using AlignedFloats = std::vector<float, xsimd::aligned_allocator<float> >;

// Packs op(B)[p0 .. p0+kc, j0 .. j0+nc] as ceil(nc/NR) panels, each [kc][NR] row-major, the
// columns past nc zero-filled so the microkernel never needs a column mask.
void pack_b(bool trans_b, const float* b, int ldb, int p0, int kc, int j0, int nc, float* dst) {
  for (int jp = 0; jp < nc; jp += kNR) {
    const int nr = std::min(kNR, nc - jp);
    float* panel = dst + static_cast<std::ptrdiff_t>(jp) * kc;
    if (!trans_b) {
      for (int p = 0; p < kc; ++p) {
        const float* src = b + static_cast<std::ptrdiff_t>(p0 + p) * ldb + j0 + jp;
        float* out = panel + p * kNR;
        if (nr == kNR) {
          for (int v = 0; v < kNV; ++v) Batch::load_unaligned(src + v * kW).store_aligned(out + v * kW);
        } else {
          for (int j = 0; j < nr; ++j) out[j] = src[j];
          for (int j = nr; j < kNR; ++j) out[j] = 0.0f;
        }
      }
    } else {
      // B stored [n, k]: column j of op(B) is a contiguous row of B.
      for (int j = 0; j < nr; ++j) {
        const float* src = b + static_cast<std::ptrdiff_t>(j0 + jp + j) * ldb + p0;
        for (int p = 0; p < kc; ++p) panel[p * kNR + j] = src[p];
      }
      for (int p = 0; p < kc; ++p)
        for (int j = nr; j < kNR; ++j) panel[p * kNR + j] = 0.0f;
    }
  }
}

// Packs op(A)[i0 .. i0+mc, p0 .. p0+kc] as ceil(mc/MR) panels, each [kc][MR], rows past mc
// zero-filled.
void pack_a(bool trans_a, const float* a, int lda, int i0, int mc, int p0, int kc, float* dst) {
  for (int ip = 0; ip < mc; ip += kMR) {
    const int mr = std::min(kMR, mc - ip);
    float* panel = dst + static_cast<std::ptrdiff_t>(ip) * kc;
    if (!trans_a) {
      for (int r = 0; r < mr; ++r) {
        const float* src = a + static_cast<std::ptrdiff_t>(i0 + ip + r) * lda + p0;
        for (int p = 0; p < kc; ++p) panel[p * kMR + r] = src[p];
      }
    } else {
      // A stored [k, m]: MR consecutive rows of op(A) are contiguous in each row of A.
      for (int p = 0; p < kc; ++p) {
        const float* src = a + static_cast<std::ptrdiff_t>(p0 + p) * lda + i0 + ip;
        for (int r = 0; r < mr; ++r) panel[p * kMR + r] = src[r];
      }
    }
    for (int p = 0; p < kc; ++p)
      for (int r = mr; r < kMR; ++r) panel[p * kMR + r] = 0.0f;
  }
}

// Where the microkernel reads op(A)'s MR values at each depth step p: element r is
// a[p·step + off[r]]. A packed panel is step MR, off {0, 1, .., MR-1}; A read in place is
// step 1, off[r] = r·lda (rows of A) or step lda, off[r] = r (A transposed). Rows past the
// edge of an in-place tile repeat its last row (their results are never stored), so the
// kernel never reads outside A.
struct ASource {
  const float* a;
  std::ptrdiff_t step;
  std::ptrdiff_t off[kMR];
};

// C[0..mr, 0..nr] = alpha * op(A)·Bp + beta * C over kc depth steps, Bp a [kc][NR] packed
// panel and op(A) read through src (kPacked: off is {0, 1, .., MR-1}, whose constant offsets
// fold into the loads: a packed panel, step MR, or a whole tile of a transposed A read in
// place, step lda). The accumulator array has constant bounds everywhere, so both compilers
// fully unroll the r/v loops and keep it in registers.
//
// Why noinline: V8 unrolls a wasm loop up to 5x when its size is under 50·(nesting depth+1)
// graph nodes. Inlined five loops deep in gemm(), the depth loop below qualifies, and the
// unrolled copies spill the accumulators: measured ~24 GFLOP/s, against ~40 without the
// inlining (native SSE4.2 twin: ~35). As its own function the loop is at depth 0, too big
// to unroll, and one call per MR x NR tile over kc steps costs nothing measurable.
// bias (null: none) holds this tile's NR columns of a row bias, added after alpha and beta (the
// order of gemm followed by add_row_bias); callers pass it on the last depth block only.
template <bool kPacked>
[[gnu::noinline]] void microkernel(int kc, ASource src, const float* bp, float alpha, float beta, float* c, int ldc,
                                   int mr, int nr, const float* bias) {
  Batch acc[kMR][kNV];
  for (int r = 0; r < kMR; ++r)
    for (int v = 0; v < kNV; ++v) acc[r][v] = Batch(0.0f);
  const float* ap = src.a;
  for (int p = 0; p < kc; ++p) {
    Batch bv[kNV];
    for (int v = 0; v < kNV; ++v) bv[v] = Batch::load_aligned(bp + v * kW);
    for (int r = 0; r < kMR; ++r) {
      const Batch a(kPacked ? ap[r] : ap[src.off[r]]);
      for (int v = 0; v < kNV; ++v) acc[r][v] = xsimd::fma(a, bv[v], acc[r][v]);
    }
    ap += src.step;
    bp += kNR;
  }
  const Batch va(alpha);
  if (mr == kMR && nr == kNR) {
    Batch bias_v[kNV];
    for (int v = 0; v < kNV; ++v) bias_v[v] = bias ? Batch::load_unaligned(bias + v * kW) : Batch(0.0f);
    for (int r = 0; r < kMR; ++r) {
      float* cr = c + static_cast<std::ptrdiff_t>(r) * ldc;
      for (int v = 0; v < kNV; ++v) {
        Batch out = va * acc[r][v];
        if (beta != 0.0f) out = out + Batch(beta) * Batch::load_unaligned(cr + v * kW);
        if (bias) out = out + bias_v[v];
        out.store_unaligned(cr + v * kW);
      }
    }
    return;
  }
  // Edge tile: spill to a scratch tile, copy the valid part.
  alignas(64) float tile[kMR * kNR];
  for (int r = 0; r < kMR; ++r)
    for (int v = 0; v < kNV; ++v) acc[r][v].store_aligned(tile + r * kNR + v * kW);
  for (int r = 0; r < mr; ++r) {
    float* cr = c + static_cast<std::ptrdiff_t>(r) * ldc;
    for (int j = 0; j < nr; ++j) {
      const float t = alpha * tile[r * kNR + j];
      const float out = beta == 0.0f ? t : t + beta * cr[j];
      cr[j] = bias ? out + bias[j] : out;
    }
  }
}

// C = beta * C, for k == 0 (the product is empty). beta == 0 writes zeros without reading.
void scale_c(int m, int n, float beta, float* c, int ldc) {
  for (int i = 0; i < m; ++i) {
    float* ci = c + static_cast<std::ptrdiff_t>(i) * ldc;
    for (int j = 0; j < n; ++j) ci[j] = beta == 0.0f ? 0.0f : beta * ci[j];
  }
}

// The narrow-C path (n <= kNarrowN): conv layers' products have 8-32 output columns
// (filters) or a depth of 9-25 (kernel taps), and there the packing of A, which pays off by
// serving ceil(n/NR) panels, is a full copy of A (the im2col matrix) for one or two panels.
// So A is read in place: each MR-row tile of C runs over its NR panels straight from A's
// rows (or columns, transposed), which stay in L1 between panels. B is still packed (it is
// the small operand here: the kernel, or one depth block of d_out). Same depth blocks, same
// accumulation order as the packed path, so the same bits.
void gemm_narrow(bool trans_a, bool trans_b, int m, int n, int k, float alpha, const float* a, int lda, const float* b,
                 int ldb, float beta, float* c, int ldc, const float* bias, float* packed_b) {
  const std::ptrdiff_t row_stride = trans_a ? 1 : lda, depth_stride = trans_a ? lda : 1;
  for (int pc = 0; pc < k; pc += kKC) {
    const int kc = std::min(kKC, k - pc);
    const float beta_block = pc == 0 ? beta : 1.0f;
    const bool last_block = pc + kc >= k;
    pack_b(trans_b, b, ldb, pc, kc, 0, n, packed_b);
    for (int ir = 0; ir < m; ir += kMR) {
      const int mr = std::min(kMR, m - ir);
      ASource src{a + ir * row_stride + pc * depth_stride, depth_stride, {}};
      for (int r = 0; r < kMR; ++r) src.off[r] = std::min(r, mr - 1) * row_stride;
      float* ct = c + static_cast<std::ptrdiff_t>(ir) * ldc;
      // A whole tile of a transposed A has offsets {0, 1, .., MR-1} (row_stride 1): the constant
      // offset kernel: measured 15-25 % faster on the ConvNetJS net's second d_W product
      // (200x3920 · 3920x16, wasm in Node 20), whose loads each add a runtime offset otherwise.
      // Same arithmetic, same bits.
      const bool constant_offsets = trans_a && mr == kMR;
      for (int jr = 0; jr < n; jr += kNR) {
        const float* bp = packed_b + static_cast<std::ptrdiff_t>(jr) * kc;
        const float* bias_j = bias && last_block ? bias + jr : nullptr;
        if (constant_offsets)
          microkernel<true>(kc, src, bp, alpha, beta_block, ct + jr, ldc, mr, std::min(kNR, n - jr), bias_j);
        else
          microkernel<false>(kc, src, bp, alpha, beta_block, ct + jr, ldc, mr, std::min(kNR, n - jr), bias_j);
      }
    }
  }
}

// gemm and gemm_bias (bias null: none).
void gemm_impl(bool trans_a, bool trans_b, int m, int n, int k, float alpha, const float* a, int lda, const float* b,
               int ldb, float beta, float* c, int ldc, const float* bias) {
  NNPLAY_ASSERT(m >= 0 && n >= 0 && k >= 0);
  NNPLAY_ASSERT(ldc >= n);
  NNPLAY_ASSERT(lda >= (trans_a ? m : k) && ldb >= (trans_b ? k : n));
  if (m == 0 || n == 0) return;
  if (k == 0) {
    scale_c(m, n, beta, c, ldc);
    if (bias)
      for (int i = 0; i < m; ++i)
        for (int j = 0; j < n; ++j) c[static_cast<std::ptrdiff_t>(i) * ldc + j] += bias[j];
    return;
  }
  // One workspace per thread, grown on demand: training calls gemm thousands of times on
  // the same shapes, so after the first step this never allocates.
  thread_local AlignedFloats packed_a, packed_b;
  const int kc_max = std::min(k, kKC);
  const int nc_max = (std::min(n, kNC) + kNR - 1) / kNR * kNR;
  const int mc_max = (std::min(m, kMC) + kMR - 1) / kMR * kMR;
  const std::size_t need_b = static_cast<std::size_t>(kc_max) * static_cast<std::size_t>(nc_max);
  const std::size_t need_a = static_cast<std::size_t>(kc_max) * static_cast<std::size_t>(mc_max);
  if (packed_b.size() < need_b) packed_b.resize(need_b);
  if (n <= kNarrowN) {
    gemm_narrow(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, bias, packed_b.data());
    return;
  }
  if (packed_a.size() < need_a) packed_a.resize(need_a);

  for (int jc = 0; jc < n; jc += kNC) {
    const int nc = std::min(kNC, n - jc);
    for (int pc = 0; pc < k; pc += kKC) {
      const int kc = std::min(kKC, k - pc);
      // Later depth blocks add onto what the first one wrote.
      const float beta_block = pc == 0 ? beta : 1.0f;
      const bool last_block = pc + kc >= k;
      pack_b(trans_b, b, ldb, pc, kc, jc, nc, packed_b.data());
      for (int ic = 0; ic < m; ic += kMC) {
        const int mc = std::min(kMC, m - ic);
        pack_a(trans_a, a, lda, ic, mc, pc, kc, packed_a.data());
        for (int jr = 0; jr < nc; jr += kNR) {
          const float* bp = packed_b.data() + static_cast<std::ptrdiff_t>(jr) * kc;
          for (int ir = 0; ir < mc; ir += kMR) {
            const float* ap = packed_a.data() + static_cast<std::ptrdiff_t>(ir) * kc;
            float* ct = c + static_cast<std::ptrdiff_t>(ic + ir) * ldc + jc + jr;
            const ASource src{ap, kMR, {0, 1, 2, 3}};
            const float* bias_j = bias && last_block ? bias + jc + jr : nullptr;
            microkernel<true>(kc, src, bp, alpha, beta_block, ct, ldc, std::min(kMR, mc - ir), std::min(kNR, nc - jr),
                              bias_j);
          }
        }
      }
    }
  }
}

}  // namespace

void gemm(bool trans_a, bool trans_b, int m, int n, int k, float alpha, const float* a, int lda, const float* b,
          int ldb, float beta, float* c, int ldc) {
  gemm_impl(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, nullptr);
}

void gemm_bias(bool trans_a, bool trans_b, int m, int n, int k, float alpha, const float* a, int lda, const float* b,
               int ldb, float beta, float* c, int ldc, const float* bias) {
  NNPLAY_ASSERT(bias != nullptr);
  gemm_impl(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, bias);
}

#endif  // NNPLAY_NO_SIMD

}  // namespace nnplay
