// Trainer: the fit loop over a Graph (nn/graph.h) with one input and one output. Mini-batches,
// per-epoch shuffling (seeded), loss + metrics on train and validation data, and a divergence
// guard. One Trainer per compiled model.
//
// The steps of one batch (train_batch): gather -> forward (training, a per-step Rng) -> loss +
// regularization + added losses -> seed the backward (at the output, or at the output
// activation's input when the loss fuses with it) -> regularization gradients -> optimizer on
// the trainable variables.
//
// This header is the engine's public training surface (bindings/ and tests/ use it).
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "data/dataset.h"
#include "nn/graph.h"
#include "nn/registry.h"

namespace nnplay {

class Optimizer;
class Loss;

// Named figures in a fixed order: "loss" first, then each metric as compiled, by its log name
// ("acc", "mse"; nn/registry.h's metric table). Values are means over the samples seen.
struct Logs {
  std::vector<std::pair<std::string, double>> values;
  double get(const std::string& name) const;  // throws Error for an unknown name
};

// Thrown when the loss becomes NaN or ±Infinity; the message suggests a smaller learning rate.
class TrainingDiverged : public Error {
 public:
  using Error::Error;
};

// Whether the loss fits the graph's output (categorical losses need a flat output of >= 2
// units, binaryCrossentropy needs sigmoid/softmax probabilities). Throws Error.
void validate_loss_for_graph(const Graph& model, const CompileSpec& compile);

class Trainer {
 public:
  // Validates that the loss fits the model's output (e.g. sparse CE needs > 1 output unit
  // and an integer label column). Throws Error.
  Trainer(Graph& model, const CompileSpec& spec);
  ~Trainer();

  // Live changes (playground sliders): keep the optimizer state and the epoch position.
  void set_learning_rate(float learning_rate);       // throws Error unless finite and > 0
  void set_regularization(float l1, float l2);        // on every trainable kernel; both >= 0

  // One pass over data in mini-batches of batch_size (the last may be smaller).
  // Shuffles first when shuffle is true (seeded from the model seed and the epoch number).
  Logs train_epoch(const Dataset& data, int batch_size, bool shuffle);
  // `steps` mini-batches continuing where the last call stopped; starting a new epoch (and a
  // new shuffle) whenever the data is exhausted. Returns the mean figures over those steps.
  Logs train_steps(const Dataset& data, int steps, int batch_size, bool shuffle);
  // Loss and metrics over data, no parameter change.
  Logs evaluate(const Dataset& data, int batch_size);

  // The caller (TrainingSession) validated every value and label once, when the data was
  // loaded: train and evaluate then check shapes only, never contents, per call or per batch.
  void set_contents_prevalidated(bool prevalidated) { contents_prevalidated_ = prevalidated; }

  int epochs_done() const { return epochs_done_; }
  std::uint64_t steps_done() const { return steps_done_; }

 private:
  Graph& model_;
  CompileSpec spec_;
  std::vector<Variable> trainable_;  // what the optimizer updates (shares the graph's tensors)
  std::unique_ptr<Optimizer> optimizer_;
  std::unique_ptr<Loss> loss_;
  int epochs_done_ = 0;
  bool contents_prevalidated_ = false;
  std::uint64_t steps_done_ = 0;
  std::vector<int> order_;   // current epoch's sample order
  std::size_t cursor_ = 0;   // position in order_ for train_steps
  std::vector<const MetricInfo*> metrics_;  // in compiled order
  Tensor batch_x_, batch_y_;  // the gathered mini-batch
  Tensor d_output_;           // loss gradient [batch, output_size]

  // Shapes vs the model (always); contents (NaN/Inf, sparse label range) when `contents`.
  void check_data(const Dataset& data, const char* what, bool contents) const;
  // The same content checks on the gathered batch; idx names the samples in messages.
  void check_batch(const int* idx, int b) const;
  void begin_epoch(int n, bool shuffle);
  void gather(const Dataset& data, const int* idx, int b);
  // sums[0] is the loss, sums[1 + m] metric m; each a sum over samples.
  void train_batch(const Dataset& data, const int* idx, int b, int step_in_epoch, std::vector<double>& sums);
  void add_metrics(const float* pred, const float* y, int b, std::vector<double>& sums) const;
  Logs make_logs(const std::vector<double>& sums, long long samples) const;
};

}  // namespace nnplay
