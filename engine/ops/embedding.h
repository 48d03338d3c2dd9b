// Embedding op (Keras / TF.js Embedding): a row lookup. Each id selects one row of the table.
//
// Shapes: ids [rows] as floats holding integers in [0, input_dim) (the layer checks them with
// embedding_find_bad_id before the lookup, so the kernels only assert); table [input_dim, dim];
// out / d_out [rows, dim]. The ids get no gradient (they are indices, piecewise constant).
#pragma once

#include <cstddef>

namespace nnplay {

// out[r, :] = table[ids[r], :]. out is overwritten.
void embedding_forward(float* out, const float* ids, const float* table, std::size_t rows, int dim);

// d_table[ids[r], :] += d_out[r, :] (a repeated id accumulates every one of its rows).
void embedding_backward(float* d_table, const float* d_out, const float* ids, std::size_t rows, int dim);

// The first r whose id is not an integer in [0, input_dim) (NaN included), or rows when all are.
std::size_t embedding_find_bad_id(const float* ids, std::size_t rows, int input_dim);

}  // namespace nnplay
