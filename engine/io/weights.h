// Weights file: every variable of a Graph (trainable or not, Keras order), with a versioned header, so a trained
// model can be saved and restored (the spec travels separately as its JSON).
//
// Layout (little-endian, as on x86 and WebAssembly):
//   "NNPW" | u32 version (1) | u32 tensor count |
//   per tensor: u32 name length | name bytes | u32 rank | i32 dims[rank] | f32 values[size]
// What it is not: a checkpoint. Optimizer state and the epoch position are not saved.
#pragma once

#include <string>

#include "nn/graph.h"

namespace nnplay {

constexpr unsigned kWeightsFormatVersion = 1;

// The model's weights in the layout above.
std::string save_weights(Graph& model);
// Restores weights saved from a model with the same architecture. Checks everything before
// writing anything: on Error (bad magic, unsupported version, truncated data, names or shapes
// that differ, NaN/Infinity) the model is unchanged.
void load_weights(Graph& model, const std::string& bytes);

}  // namespace nnplay
