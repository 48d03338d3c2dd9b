// Trainer: the fit loop over a Graph (nn/graph.h) with any number of inputs and outputs.
// Mini-batches, per-epoch shuffling (seeded), a loss (with a weight) and metrics per output on
// train and validation data, a learning-rate schedule, and a divergence guard. One Trainer per
// compiled model.
//
// The steps of one batch (train_batch): gather every x and y -> forward (training, a per-step
// Rng) -> Σ weight·loss over the outputs + regularization + the layers' added losses -> seed
// the backward at every output (at the output activation's input when that output's loss fuses
// with it; scaled by the loss weight) -> regularization gradients -> the schedule's learning
// rate for this step -> optimizer on the trainable variables.
//
// Data comes as a TrainingData (data/dataset.h): xs in the graph's input order, ys in its
// output order. A Dataset converts to one, so single-input, single-output callers pass it as is.
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
// With several outputs, Keras's names: "loss" (the weighted total), "<output>_loss" per output,
// then "<output>_<metric>" per output and metric. A layer that reports a figure (klDivergence:
// its KL before β) adds it under the layer's name, last; with one output the output's own loss
// is then logged too, as "<output>_loss" (loss = Σ output losses + regularization + Σ β·KL).
struct Logs {
  std::vector<std::pair<std::string, double>> values;
  double get(const std::string& name) const;  // throws Error for an unknown name
};

// Thrown when the loss becomes NaN or ±Infinity; the message suggests a smaller learning rate.
class TrainingDiverged : public Error {
 public:
  using Error::Error;
};

// Whether each output's loss fits it (categorical losses need a flat output of >= 2 units,
// binaryCrossentropy needs sigmoid/softmax probabilities), and the compile spec's lists and maps
// fit the outputs. Returns the per-output part. Throws Error.
std::vector<OutputCompile> validate_loss_for_graph(const Graph& model, const CompileSpec& compile);
// The model's output names, in output order (what compile maps and log names use).
std::vector<std::string> output_names(const Graph& model);

class Trainer {
 public:
  // Validates that each loss fits its output (e.g. sparse CE needs > 1 output unit and an
  // integer label column). Throws Error.
  Trainer(Graph& model, const CompileSpec& spec);
  ~Trainer();

  // Live changes (playground sliders): keep the optimizer state and the epoch position.
  // set_learning_rate replaces a schedule with this constant rate.
  void set_learning_rate(float learning_rate);  // throws Error unless finite and > 0
  void set_regularization(float l1, float l2);  // on every trainable kernel; both >= 0
  // The rate the next step will use (the schedule's at steps_done(), or the constant one).
  float learning_rate() const { return learning_rate_at(spec_.optimizer, steps_done_); }

  // One pass over data in mini-batches of batch_size (the last may be smaller).
  // Shuffles first when shuffle is true (seeded from the model seed and the epoch number).
  Logs train_epoch(const TrainingData& data, int batch_size, bool shuffle);
  // `steps` mini-batches continuing where the last call stopped; starting a new epoch (and a
  // new shuffle) whenever the data is exhausted. Returns the mean figures over those steps.
  Logs train_steps(const TrainingData& data, int steps, int batch_size, bool shuffle);
  // Loss and metrics over data, no parameter change.
  Logs evaluate(const TrainingData& data, int batch_size);

  // The caller (TrainingSession) validated every value and label once, when the data was
  // loaded: train and evaluate then check shapes only, never contents, per call or per batch.
  void set_contents_prevalidated(bool prevalidated) { contents_prevalidated_ = prevalidated; }

  int epochs_done() const { return epochs_done_; }
  std::uint64_t steps_done() const { return steps_done_; }
  // The per-output part of the compile spec (output names, losses, weights, metrics).
  const std::vector<OutputCompile>& outputs() const { return outputs_; }
  // The names Logs will carry, in order.
  const std::vector<std::string>& log_names() const { return log_names_; }

 private:
  // One output's loss, metrics and batch buffers.
  struct Head {
    std::unique_ptr<Loss> loss;
    double weight = 1.0;
    std::vector<const MetricInfo*> metrics;
    int loss_log = 0;              // index into sums / log_names_ of its loss (0 for one output)
    std::vector<int> metric_logs;  // of each metric
    // Resolved once at compile, so a step looks nothing up.
    int output = 0;       // the graph output it scores
    int output_size = 0;  // its values per sample
    // The rows the loss and metrics see per sample: 1 row of output_size values, or for a
    // categorical loss on a [steps, classes] output one row of `classes` per step.
    int rows_per_sample = 1, classes = 0;
    int seed_node = 0;                  // where its gradient enters backward (see Loss::fused)
    Tensor batch_y, d_output;           // gathered targets; loss gradient [batch, output_size]
    Tensor batch_weight;                // gathered sample weights [batch, 1] (when the data has them)
    std::vector<float> row_weights;     // them per loss row, when a sample has several rows
    const float* weight_ptr = nullptr;  // the loss rows' weights this step, or nullptr
    double batch_loss = 0.0;            // this step's loss, before the weight
  };

  Graph& model_;
  CompileSpec spec_;
  std::vector<OutputCompile> outputs_;
  std::vector<Head> heads_;
  std::vector<std::string> log_names_;
  std::vector<Variable> trainable_;  // what the optimizer updates (shares the graph's tensors)
  std::unique_ptr<Optimizer> optimizer_;
  int epochs_done_ = 0;
  bool contents_prevalidated_ = false;
  std::uint64_t steps_done_ = 0;
  std::vector<int> order_;                  // current epoch's sample order
  std::size_t cursor_ = 0;                  // position in order_ for train_steps
  std::vector<Tensor> batch_xs_;            // the gathered mini-batch, per input
  std::vector<const float*> batch_x_ptrs_;  // their data, as forward takes them
  std::vector<GradientSeed> seeds_;         // one per head, refilled each step
  int figure_log_ = 0;                      // log index of the first layer figure (Graph::log_figure_names)
  std::vector<double> figure_values_;       // their values in one pass

  // Shapes vs the model (always); contents (NaN/Inf, sparse label range) when `contents`.
  void check_data(const TrainingData& data, const char* what, bool contents) const;
  // The same content checks on the gathered batch; idx names the samples in messages.
  void check_batch(const int* idx, int b) const;
  void begin_epoch(int n, bool shuffle);
  void gather(const TrainingData& data, const int* idx, int b);
  // sums is indexed like log_names_; each a sum over samples.
  void train_batch(const TrainingData& data, const int* idx, int b, int step_in_epoch, std::vector<double>& sums);
  void add_metrics(const Head& head, const float* pred, const float* y, int b, std::vector<double>& sums) const;
  Logs make_logs(const std::vector<double>& sums, long long samples) const;
};

}  // namespace nnplay
