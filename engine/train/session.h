// TrainingSession: one model, its trainer, and the datasets it trains on, referred to by id.
// This is the one training surface every caller drives (the library's in-process fit(), its
// fit worker and the playground worker all reach it through the bindings' Session class).
//
// Why datasets live here: data crosses into the engine once. A dataset is filled in place,
// sealed (validated once: sample counts, every value finite), and from then on a train or
// evaluate call checks only shapes, which cost nothing. The label range of a sparse loss is a
// property of a dataset *and* a model, so it is checked the first time the pair meets and the
// answer is cached on the dataset.
//
// Why divergence is handled here: the loss turning NaN is a property of training, not of the
// caller, so every path must end the same way. Each train call snapshots the weights first
// (one copy of the parameters, small beside the steps it trains); when the trainer reports
// divergence the snapshot is written back and TrainingDiverged is rethrown, so no NaN weight
// ever survives a train call.
//
// What it is not: a model. The model is a Graph (nn/graph.h); "node" below means one of the
// graph's layers in spec order (the v1 "layer i"), read after its activation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/check.h"
#include "data/dataset.h"
#include "data/idx.h"
#include "nn/graph.h"
#include "nn/registry.h"
#include "train/trainer.h"

namespace nnplay {

using SessionModel = Graph;

// Bad data named precisely, so a caller can word it in its own terms: `field` is "x", "y" or
// "weights"; `tensor` which x (model input) or y (model output) tensor, 0 for weights; `index`
// the flat index of the first bad value in it.
class NonFiniteData : public Error {
 public:
  NonFiniteData(const std::string& message, std::string field, std::uint64_t index, int tensor = 0)
      : Error(message), field_(std::move(field)), index_(index), tensor_(tensor) {}
  const std::string& field() const { return field_; }
  std::uint64_t index() const { return index_; }
  int tensor() const { return tensor_; }

 private:
  std::string field_;
  std::uint64_t index_;
  int tensor_;
};

// What predict() reads: a node's output (state -1) or state k of the node's layer
// (Layer::states(), e.g. an LSTM's c per step).
struct PayloadRef {
  int node = 0;
  int state = -1;
};

// One output of predict(): a node's values (or one of its layer's states) over the dataset's samples.
struct NodeValues {
  int node = 0;      // layer index in the model
  int state = -1;    // -1: the node's output; k: its layer's state k
  std::string name;  // e.g. "dense_2", "lstm_1:c"
  std::string type;  // e.g. "dense", "conv2d"
  Shape shape;       // [n, ...per-sample shape]
  Tensor values;     // owned by the session until the next predict()
};

// One entry of the weights table, in Keras order; values at [offset, offset + size) of the
// flat weights buffer.
struct WeightEntry {
  std::string name;
  Shape shape;
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
};

class TrainingSession {
 public:
  explicit TrainingSession(const GraphSpec& spec);  // builds and initialises; throws Error
  // As above, but the layers `share_from`'s model also has (by name) use its Variables: a
  // sub-model (an encoder cut out of an autoencoder) trains and reads the same weights.
  TrainingSession(const GraphSpec& spec, const TrainingSession& share_from);
  ~TrainingSession();
  TrainingSession(const TrainingSession&) = delete;
  TrainingSession& operator=(const TrainingSession&) = delete;

  // New optimizer and loss; resets optimizer state and the epoch count. Throws Error.
  void compile(const CompileSpec& spec);
  bool compiled() const { return trainer_ != nullptr; }
  const SessionModel& model() const { return *model_; }
  SessionModel& model() { return *model_; }

  // ---- datasets
  // Reserves one x [n, x_sizes[i]] per model input and one y [n, y_sizes[o]] per model output
  // (y_sizes empty: inputs only, for predict), in the graph's input / output order. Contents are
  // zero until filled through dataset_x/dataset_y, then seal() validates them. Returns an id
  // (> 0, never reused). The counts are the model's; each row width is checked against the model
  // when the data is used (it depends on the loss). Throws Error for a count or size out of
  // range, std::bad_alloc when memory is short.
  int reserve_dataset(int n, const std::vector<int>& x_sizes, const std::vector<int>& y_sizes);
  // One input and one output (y_size 0: inputs only).
  int reserve_dataset(int n, int x_size, int y_size);
  float* dataset_x(int id, int input = 0);
  float* dataset_y(int id, int output = 0);
  // Per-sample loss weights [n] of output `output` (TF.js's classWeight, as weights per
  // sample), for training only: evaluate and metrics ignore them. The first call before
  // seal_dataset gives the dataset one weight tensor per output, all 1, to fill in place.
  float* dataset_sample_weights(int id, int output = 0);
  // Validates once (every value finite); throws NonFiniteData and frees the dataset on failure.
  void seal_dataset(int id);
  // An image set (data/idx.h) straight into a sealed dataset: x [n, pixels] = pixel / 255,
  // y [n, 1] = the class. Only the uint8 bytes cross into wasm; the floats are made here.
  // The model must have one input and one output. Returns the id.
  int load_image_set(const IdxImageSet& set);
  // The id is gone at once; its buffers are kept for the next reserve_dataset that fits in them.
  void free_dataset(int id);
  int dataset_size(int id) const;
  int num_datasets() const { return static_cast<int>(datasets_.size()); }
  // Full content scans done so far (seals and label-range checks): tests use it to prove that
  // training calls do not re-scan.
  std::uint64_t content_scans() const { return content_scans_; }

  // ---- training (all need compile(); the dataset must be sealed and have targets)
  // `steps` mini-batches continuing where the last call stopped (see Trainer::train_steps).
  Logs train_steps(int id, int steps, int batch_size, bool shuffle);
  // One full epoch, starting a fresh shuffle (fit()).
  Logs train_epoch(int id, int batch_size, bool shuffle);
  Logs evaluate(int id, int batch_size);
  void set_learning_rate(float learning_rate);
  // The rate the next step uses (a schedule's, or the constant one); 0 before compile.
  float learning_rate() const { return trainer_ ? trainer_->learning_rate() : 0.0f; }
  void set_regularization(float l1, float l2);
  // A layer's live config key (klDivergence's "beta"), effective from the next step; no
  // rebuild, no recompile (Graph::set_layer_number). Throws Error.
  void set_layer_number(const std::string& layer, const std::string& key, double value) {
    model_->set_layer_number(layer, key, value);
  }
  int epochs_done() const { return trainer_ ? trainer_->epochs_done() : 0; }
  std::uint64_t steps_done() const { return trainer_ ? trainer_->steps_done() : 0; }

  // ---- inference
  // The outputs of `nodes` (layer indices, any order, repeats allowed) over the dataset's xs,
  // computed in chunks so no layer's buffers exceed the model's predict budget. Results stay
  // valid until the next predict(). Compile is not needed.
  const std::vector<NodeValues>& predict(int id, const std::vector<int>& nodes);
  // The same for outputs and layer states (a recurrent layer's h, c and gates per step).
  const std::vector<NodeValues>& predict_payloads(int id, const std::vector<PayloadRef>& refs);
  const std::vector<NodeValues>& predictions() const { return predictions_; }
  // The small-batch path (a library predict() call): rows are written into one reused input
  // buffer instead of a dataset, then predict_input(n) checks them (finite, NonFiniteData with
  // field "x") and predicts the output node. No allocation once the buffer is big enough.
  float* input_buffer(int n);
  const std::vector<NodeValues>& predict_input(int n);
  int num_nodes() const;
  // The node (layer index) of model output o: what predict() reads for it.
  int output_node(int output = 0) const;

  // ---- input gradients: how much each input value moves one output
  // d(unit `unit` of output `output`, flat in its per-sample shape) / d(every model input), for
  // the dataset's samples `samples` (row indices, any order, repeats allowed): one tensor per model
  // input, [samples.size(), ...input_shape(i)], valid until the next call. Each sample's gradient
  // is its own (samples do not mix in inference). Runs forward + backward in inference mode
  // (training false: no dropout, batch-norm moving statistics), in predict-sized chunks. Changes
  // nothing the next training step reads: no weight, optimizer slot, epoch position or step
  // count moves, and the weight gradients the layers accumulate on the way are zeroed after (a
  // training step zeroes them itself too). Compile is not needed. Throws Error for a bad id,
  // sample, output or unit, or an input that feeds an embedding (ids have no gradient).
  const std::vector<Tensor>& input_gradients(int id, const std::vector<int>& samples, int output, int unit);
  const std::vector<Tensor>& last_input_gradients() const { return input_gradients_; }

  // ---- gradients through the model (model.apply() on the library's gradient tape)
  // The forward of rows given directly (xs[i]: [n, input_size(i)] per model input, n >= 1) in
  // training mode (dropout drops, batch statistics; batch-norm moving statistics move, as in a
  // TF.js apply with training true) or inference mode. `pass` numbers the call's randomness: its
  // stream is seeded from the model seed and `pass`, so vector_jacobian_product() with the same
  // pass retraces the same dropout masks. One tensor per model output, [n, ...output_shape(o)],
  // valid until the next call. The rows are one batch (not chunked); no compile needed.
  const std::vector<Tensor>& apply(const std::vector<const float*>& xs, int n, bool training, std::uint64_t pass);
  // The vector-Jacobian product of that forward: given d_outputs[o] ([n, output_size(o)]; null:
  // no gradient at that output), the gradients w.r.t. every model input
  // (vjp_input_gradients()[i], [n, ...input_shape(i)]; empty for an input read as ids) and every
  // weight (vjp_weight_gradients(): flat in weights_table() order, zero for non-trainable ones).
  // Runs the forward again with the same pass, so the layers' caches are this batch's whatever
  // ran since (unless the last forward of the model was this apply() of the same rows, same
  // buffers, mode and pass: its caches are then used as they are), then the backward of the outputs alone: losses that
  // layers add (klDivergence) are left out, as a TF.js apply's gradient leaves them out. Changes nothing the next step
  // reads: no weight, moving statistic, optimizer slot or step count moves; the weight gradients are zeroed after.
  // Throws Error for an inference pass of a model that draws random numbers at inference (gaussianSampling with
  // sampleAtInference: the retraced forward would differ).
  void vector_jacobian_product(const std::vector<const float*>& xs, int n, bool training, std::uint64_t pass,
                               const std::vector<const float*>& d_outputs);
  const std::vector<Tensor>& vjp_input_gradients() const { return vjp_inputs_; }
  const std::vector<float>& vjp_weight_gradients() const { return vjp_weights_; }
  const std::vector<Tensor>& apply_outputs() const { return apply_outputs_; }

  // ---- weights as one view
  const std::vector<WeightEntry>& weights_table() const { return weights_table_; }
  std::uint64_t weights_count() const { return weights_buffer_.size(); }
  // Packs the current weights into the flat buffer (Keras order) and returns it.
  float* read_weights();
  // The flat buffer itself, for a caller that fills it before write_weights().
  float* weights_buffer() { return weights_buffer_.data(); }
  // Writes the flat buffer into the model. Checks every value first (NonFiniteData), so a bad
  // buffer changes nothing. Keeps the optimizer state.
  void write_weights();
  // One entry alone (a model weight read or assigned as a variable): the values of entry i as
  // the model holds them now, and a write of entry i from its slice of the flat buffer (checked
  // first as write_weights() checks; the other entries are not read). Throw Error for a bad i.
  const float* weight_values(int i) const;
  void write_weight(int i);

 private:
  struct StoredDataset {
    MultiDataset data;
    TrainingData view;  // points into data
    std::vector<int> x_sizes, y_sizes;
    bool sealed = false;
    bool labels_checked = false;  // sparse label ranges verified for the current compile
    int size() const { return view.size(); }
  };

  void make_weights_table();

  std::unique_ptr<SessionModel> model_;
  std::unique_ptr<Trainer> trainer_;  // refers to *model_: declared after it, destroyed first
  CompileSpec compile_spec_;
  std::vector<std::pair<int, std::unique_ptr<StoredDataset>>> datasets_;
  int next_dataset_id_ = 1;
  std::uint64_t content_scans_ = 0;
  std::vector<NodeValues> predictions_;
  Tensor input_;  // input_buffer()'s rows
  // input_gradients()'s results per model input, and its scratch: a chunk's gathered rows per
  // input, the one-hot seed and the chunk's gradients.
  std::vector<Tensor> input_gradients_, gradient_rows_, gradient_chunk_;
  Tensor gradient_seed_;
  // apply()'s outputs; vector_jacobian_product()'s results and the non-trainable values it keeps.
  std::vector<Tensor> apply_outputs_, vjp_inputs_;
  std::vector<float> vjp_weights_, vjp_frozen_;
  // The last apply(): its rows, mode and pass, and the model's forward count right after it.
  struct AppliedForward {
    std::vector<const float*> xs;
    int n = 0;
    bool training = false;
    std::uint64_t pass = 0, forward = 0;
  } applied_;
  std::vector<WeightEntry> weights_table_;
  std::vector<float> weights_buffer_;
  std::vector<float> last_good_;  // weights at the start of the running train call
  // Storage of freed datasets, reused by the next reserve_dataset that fits. fit() loads its data,
  // trains and frees it, and the next fit() loads the same sizes again: reusing the buffers keeps
  // the heap flat. (Freeing them would not: the allocator serves small requests made in between
  // from the freed block, the next dataset no longer fits in what is left, and the wasm heap,
  // which never shrinks, grows by another copy of the data.)
  std::vector<std::unique_ptr<StoredDataset>> spare_storage_;

  StoredDataset& find(int id, const char* where);
  const StoredDataset& find(int id, const char* where) const;
  StoredDataset& training_data(int id, const char* where);
  // The smallest spare whose buffers hold these floats per tensor (one entry per x and per y);
  // when none does, every spare is released first, so the spares never hold more than the
  // datasets that were once live together.
  std::unique_ptr<StoredDataset> reuse_storage(const std::vector<std::uint64_t>& x_floats,
                                               const std::vector<std::uint64_t>& y_floats);
  const std::vector<NodeValues>& predict_rows(const std::vector<const float*>& xs, int n,
                                              const std::vector<PayloadRef>& refs);
  // Every variable, in weights_table_ order, to / from a flat buffer of weights_count() floats.
  void pack_weights(float* flat) const;
  void unpack_weights(const float* flat);
  // The checks apply() and vector_jacobian_product() share: input count and rows within budget.
  void check_apply_rows(const char* where, const std::vector<const float*>& xs, int n) const;
  void snapshot_weights();
  void restore_weights();
  template <typename Fn>
  Logs guarded_train(Fn&& fn);
};

}  // namespace nnplay
