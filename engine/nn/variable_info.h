// What a layer type declares about its weights before any tensor exists: the Keras short name
// ("gamma", "moving_mean"), the shape and whether optimizers train it. The tables (nn/registry.h)
// list these for inspect(spec); a layer's constructor builds its Variables from the same list,
// so the names and order a user sees in summary() and getWeights() are said once.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "nn/layer.h"

namespace nnplay {

struct VariableInfo {
  std::string name;  // short Keras name; the Variable is called "<layer name>/<name>"
  Shape shape;
  bool trainable = true;
};

// A Variable named "<layer_name>/<info.name>", its value filled with `fill`, and a zero grad
// when trainable (none otherwise: optimizers skip it).
inline Variable make_variable(const std::string& layer_name, const VariableInfo& info, float fill) {
  Variable v;
  v.name = layer_name + "/" + info.name;
  v.value = std::make_shared<Tensor>(info.shape);
  for (std::size_t i = 0; i < v.value->size(); ++i) (*v.value)[i] = fill;
  v.trainable = info.trainable;
  if (info.trainable) v.grad = std::make_shared<Tensor>(info.shape);
  return v;
}

}  // namespace nnplay
