// Dataset: inputs x [n, input_size] and targets y [n, target_size], both owned float32.
// For sparseCategoricalCrossentropy, y is [n, 1] holding class indices as floats.
// The engine trains from data that lives in wasm memory: data crosses the boundary once.
//
// TrainingData is what the trainer reads: one x tensor per model input and one y tensor per
// model output (in the graph's input / output order), all with the same sample count. It only
// points at tensors someone else owns (a Dataset, a MultiDataset, a session's stored data), so
// a batch source costs nothing to build; a Dataset converts to one implicitly (one input, one
// output: today's use stays `trainer.train_epoch(dataset, ...)`).
//
// sample_weights (optional, training only): one [n, 1] tensor per output, or none. Each weighs
// its sample's loss (TF.js's classWeight, turned into per-sample weights by the caller): the
// batch loss is (1/b)·Σ w_i·loss_i, not normalised by Σ w, as TF.js computes it.
#pragma once

#include <vector>

#include "core/tensor.h"

namespace nnplay {

struct Dataset {
  Tensor x;
  Tensor y;
  int size() const { return x.rank() ? x.dim(0) : 0; }
  int input_size() const { return x.rank() ? static_cast<int>(x.size() / x.dim(0)) : 0; }
  int target_size() const { return y.rank() ? static_cast<int>(y.size() / y.dim(0)) : 0; }
};

struct TrainingData {
  std::vector<const Tensor*> xs, ys;          // ys may be empty for inference-only data
  std::vector<const Tensor*> sample_weights;  // empty, or one [n, 1] per output

  TrainingData() = default;
  TrainingData(const Dataset& d) : xs{&d.x}, ys{&d.y} {}  // NOLINT: implicit on purpose (see above)
  TrainingData(std::vector<const Tensor*> x, std::vector<const Tensor*> y) : xs(std::move(x)), ys(std::move(y)) {}

  int size() const { return xs.empty() || !xs[0]->rank() ? 0 : xs[0]->dim(0); }
  // Values per sample of x i / y i (0 for an empty tensor).
  static int row_size(const Tensor& t) { return t.rank() && t.dim(0) ? static_cast<int>(t.size() / t.dim(0)) : 0; }
  int input_size(int i) const { return row_size(*xs.at(static_cast<std::size_t>(i))); }
  int target_size(int i) const { return row_size(*ys.at(static_cast<std::size_t>(i))); }
};

// Owned tensors for several inputs and outputs; view() is what the trainer takes.
struct MultiDataset {
  std::vector<Tensor> xs, ys;
  std::vector<Tensor> sample_weights;  // empty, or one [n, 1] per y
  TrainingData view() const {
    TrainingData d;
    for (const Tensor& t : xs) d.xs.push_back(&t);
    for (const Tensor& t : ys) d.ys.push_back(&t);
    for (const Tensor& t : sample_weights) d.sample_weights.push_back(&t);
    return d;
  }
};

// Throws Error when x or y holds NaN or ±Infinity (naming which, and the first bad index),
// or when their sample counts differ.
void validate_dataset(const Dataset& data);
// The same for every tensor of data: "x"/"y" when there is one of each, else "x[i]"/"y[i]".
void validate_training_data(const TrainingData& data);

}  // namespace nnplay
