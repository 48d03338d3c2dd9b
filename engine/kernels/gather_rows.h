// Copying a mini-batch's rows out of a data set: batch row r = src row idx[r].
//
// Why a kernel and not memcpy: a row of an image data set is a few kilobytes, and the wasm
// build (no bulk-memory) sends every memcpy of 512 bytes or more out to JavaScript's
// copyWithin; two such calls per sample per step cost the VAE's step 2 % (bench/profile.mjs
// --net vae). Vector loads and stores stay in wasm.
#pragma once

#include <cstddef>

namespace nnplay {

// dst [rows, cols] row r = src row idx[r] (src [*, cols]); idx must be valid rows of src.
void gather_rows_ref(float* dst, const float* src, const int* idx, int rows, std::size_t cols);
void gather_rows(float* dst, const float* src, const int* idx, int rows, std::size_t cols);

}  // namespace nnplay
