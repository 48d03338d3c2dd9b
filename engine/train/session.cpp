#include "train/session.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "kernels/vec.h"
#include "nn/layer.h"

namespace nnplay {
namespace {

// 2^28 floats = 1 GiB per tensor: the most a 2 GiB wasm heap can plausibly hold.
constexpr double kMaxFloatsPerTensor = 268435456.0;

const char* non_finite_word(float v) { return std::isnan(v) ? "NaN" : "Infinity"; }

// "x" with one tensor of that kind, else "x[i]": the trainer's names for the same tensors.
std::string tensor_name(const char* field, int i, std::size_t count) {
  return count == 1 ? std::string(field) : std::string(field) + "[" + std::to_string(i) + "]";
}

// Throws NonFiniteData for the first NaN/±Infinity of values [n, cols], naming sample and column.
void require_finite(const float* values, std::size_t count, std::size_t cols, const char* field, int tensor,
                    std::size_t tensors) {
  const std::size_t i = vec_find_non_finite(values, count);
  if (i == count) return;
  Message m;
  m << "dataset " << tensor_name(field, tensor, tensors) << " holds " << non_finite_word(values[i]) << " at sample "
    << (i / cols) << ", column " << (i % cols) << "; every value must be a finite number";
  throw NonFiniteData(m.str(), field, i, tensor);
}

}  // namespace

TrainingSession::TrainingSession(const GraphSpec& spec) : model_(std::make_unique<SessionModel>(spec)) {
  make_weights_table();
}

TrainingSession::TrainingSession(const GraphSpec& spec, const TrainingSession& share_from)
    : model_(std::make_unique<SessionModel>(spec, *share_from.model_)) {
  make_weights_table();
}

void TrainingSession::make_weights_table() {
  // Every variable, trainable or not (moving statistics are saved too), in Keras order.
  std::uint64_t offset = 0;
  for (const Variable& v : model_->variables()) {
    WeightEntry e;
    e.name = v.name;
    e.shape = v.value->shape();
    e.offset = offset;
    e.size = v.value->size();
    offset += e.size;
    weights_table_.push_back(e);
  }
  weights_buffer_.resize(static_cast<std::size_t>(offset));
}

TrainingSession::~TrainingSession() = default;

void TrainingSession::compile(const CompileSpec& spec) {
  auto fresh = std::make_unique<Trainer>(*model_, spec);
  fresh->set_contents_prevalidated(true);
  trainer_ = std::move(fresh);
  compile_spec_ = spec;
  // The label range depends on the loss: a new compile checks it again on first use.
  for (auto& entry : datasets_) entry.second->labels_checked = false;
}

// ---------------------------------------------------------------- datasets

int TrainingSession::reserve_dataset(int n, const std::vector<int>& x_sizes, const std::vector<int>& y_sizes) {
  const int inputs = model_->num_inputs(), outputs = model_->num_outputs();
  NNPLAY_CHECK(n >= 0, "dataset size must be >= 0, got " << n);
  NNPLAY_CHECK(static_cast<int>(x_sizes.size()) == inputs,
               "dataset: the model has " << inputs << " input" << (inputs == 1 ? "" : "s") << " but " << x_sizes.size()
                                         << " x tensor" << (x_sizes.size() == 1 ? " was" : "s were")
                                         << " given; give one per input, in the model's input order");
  NNPLAY_CHECK(
      y_sizes.empty() || static_cast<int>(y_sizes.size()) == outputs,
      "dataset: the model has " << outputs << " output" << (outputs == 1 ? "" : "s") << " but " << y_sizes.size()
                                << " y tensor" << (y_sizes.size() == 1 ? " was" : "s were")
                                << " given; give one per output, in the model's output order (or none: inputs only)");
  for (std::size_t i = 0; i < x_sizes.size(); ++i)
    NNPLAY_CHECK(x_sizes[i] > 0, "dataset " << tensor_name("x", static_cast<int>(i), x_sizes.size())
                                            << " size must be > 0, got " << x_sizes[i]);
  for (std::size_t o = 0; o < y_sizes.size(); ++o)
    NNPLAY_CHECK(y_sizes[o] > 0, "dataset " << tensor_name("y", static_cast<int>(o), y_sizes.size())
                                            << " size must be > 0, got " << y_sizes[o]);
  auto too_large = [&](int size) { return static_cast<double>(n) * size > kMaxFloatsPerTensor; };
  for (int size : x_sizes)
    NNPLAY_CHECK(!too_large(size),
                 "dataset of " << n << " x [" << size << "] is too large: at most 2^28 floats per tensor");
  for (int size : y_sizes)
    NNPLAY_CHECK(!too_large(size),
                 "dataset of " << n << " y [" << size << "] is too large: at most 2^28 floats per tensor");
  std::vector<std::uint64_t> x_floats, y_floats;
  for (int size : x_sizes) x_floats.push_back(static_cast<std::uint64_t>(n) * static_cast<std::uint64_t>(size));
  for (int size : y_sizes) y_floats.push_back(static_cast<std::uint64_t>(n) * static_cast<std::uint64_t>(size));
  std::unique_ptr<StoredDataset> stored = reuse_storage(x_floats, y_floats);
  stored->data.xs.resize(x_sizes.size());
  stored->data.ys.resize(y_sizes.size());
  // Within a reused buffer's capacity: no allocation, contents zeroed.
  for (std::size_t i = 0; i < x_sizes.size(); ++i) stored->data.xs[i].resize({n, x_sizes[i]});
  for (std::size_t o = 0; o < y_sizes.size(); ++o) stored->data.ys[o].resize({n, y_sizes[o]});
  stored->data.sample_weights.clear();
  stored->sealed = false;
  stored->labels_checked = false;
  stored->view = stored->data.view();
  stored->x_sizes = x_sizes;
  stored->y_sizes = y_sizes;
  const int id = next_dataset_id_++;
  datasets_.emplace_back(id, std::move(stored));
  return id;
}

int TrainingSession::reserve_dataset(int n, int x_size, int y_size) {
  NNPLAY_CHECK(y_size >= 0, "dataset ySize must be >= 0 (0: inputs only), got " << y_size);
  return reserve_dataset(n, std::vector<int>{x_size}, y_size > 0 ? std::vector<int>{y_size} : std::vector<int>{});
}

TrainingSession::StoredDataset& TrainingSession::find(int id, const char* where) {
  for (auto& entry : datasets_)
    if (entry.first == id) return *entry.second;
  throw Error(std::string(where) + ": no dataset with id " + std::to_string(id) +
              " in this session (was it freed, or loaded into another session?)");
}

const TrainingSession::StoredDataset& TrainingSession::find(int id, const char* where) const {
  return const_cast<TrainingSession*>(this)->find(id, where);
}

float* TrainingSession::dataset_x(int id, int input) {
  StoredDataset& d = find(id, "dataset_x");
  NNPLAY_CHECK(input >= 0 && static_cast<std::size_t>(input) < d.data.xs.size(),
               "dataset_x: dataset " << id << " has " << d.data.xs.size() << " x tensors, no x[" << input << "]");
  return d.data.xs[static_cast<std::size_t>(input)].data();
}

float* TrainingSession::dataset_y(int id, int output) {
  StoredDataset& d = find(id, "dataset_y");
  NNPLAY_CHECK(output >= 0 && static_cast<std::size_t>(output) < d.data.ys.size(),
               "dataset_y: dataset " << id << " has " << d.data.ys.size() << " y tensors, no y[" << output << "]");
  return d.data.ys[static_cast<std::size_t>(output)].data();
}

float* TrainingSession::dataset_sample_weights(int id, int output) {
  StoredDataset& d = find(id, "dataset_sample_weights");
  NNPLAY_CHECK(!d.sealed, "dataset_sample_weights: dataset " << id << " is sealed; set sample weights before sealing");
  NNPLAY_CHECK(
      output >= 0 && static_cast<std::size_t>(output) < d.data.ys.size(),
      "dataset_sample_weights: dataset " << id << " has " << d.data.ys.size() << " y tensors, no y[" << output << "]");
  if (d.data.sample_weights.empty()) {
    d.data.sample_weights.resize(d.data.ys.size());
    for (Tensor& w : d.data.sample_weights) {
      w.resize({d.size(), 1});
      std::fill(w.data(), w.data() + w.size(), 1.0f);
    }
    d.view = d.data.view();
  }
  return d.data.sample_weights[static_cast<std::size_t>(output)].data();
}

int TrainingSession::dataset_size(int id) const { return find(id, "dataset_size").size(); }

int TrainingSession::load_image_set(const IdxImageSet& set) {
  NNPLAY_CHECK(set.pixels_per_image() <= 0x7FFFFFFFu,
               "images of " << set.pixels_per_image() << " pixels are too large");
  const int id = reserve_dataset(static_cast<int>(set.n), static_cast<int>(set.pixels_per_image()), 1);
  idx_image_rows(dataset_x(id), dataset_y(id), set, 0, set.n);
  seal_dataset(id);
  return id;
}

void TrainingSession::seal_dataset(int id) {
  StoredDataset& d = find(id, "seal");
  ++content_scans_;
  try {
    const std::vector<Tensor>& xs = d.data.xs;
    const std::vector<Tensor>& ys = d.data.ys;
    for (std::size_t i = 0; i < xs.size(); ++i)
      require_finite(xs[i].data(), xs[i].size(), static_cast<std::size_t>(d.x_sizes[i]), "x", static_cast<int>(i),
                     xs.size());
    for (std::size_t o = 0; o < ys.size(); ++o)
      require_finite(ys[o].data(), ys[o].size(), static_cast<std::size_t>(d.y_sizes[o]), "y", static_cast<int>(o),
                     ys.size());
    for (std::size_t o = 0; o < d.data.sample_weights.size(); ++o) {
      const Tensor& w = d.data.sample_weights[o];
      const std::size_t i = vec_find_non_finite(w.data(), w.size());
      NNPLAY_CHECK(i == w.size(), "dataset " << tensor_name("sample weights", static_cast<int>(o), ys.size())
                                             << " hold " << non_finite_word(w[i]) << " at sample " << i
                                             << "; every weight must be a finite number");
    }
    // Ids (embeddings) are checked now, with the data, not at the first step that meets them.
    for (std::size_t i = 0; i < xs.size() && i < static_cast<std::size_t>(model_->num_inputs()); ++i)
      if (d.x_sizes[i] == model_->input_size(static_cast<int>(i)))
        model_->check_input_values(static_cast<int>(i), xs[i].data(), d.size());
  } catch (...) {
    free_dataset(id);
    throw;
  }
  d.sealed = true;
}

void TrainingSession::free_dataset(int id) {
  for (auto it = datasets_.begin(); it != datasets_.end(); ++it) {
    if (it->first != id) continue;
    spare_storage_.push_back(std::move(it->second));
    datasets_.erase(it);
    return;
  }
}

// Why spares: a freed dataset's big buffers would otherwise be split by small allocations, so the
// next load of the same size grows the heap by a second copy. When no spare fits, all are
// released first (so the allocator can join them into room for this one).
std::unique_ptr<TrainingSession::StoredDataset> TrainingSession::reuse_storage(
    const std::vector<std::uint64_t>& x_floats, const std::vector<std::uint64_t>& y_floats) {
  // A spare fits when it has as many tensors and each holds the new one's floats; among those,
  // the one with the least total capacity.
  auto capacity = [](const StoredDataset& d) {
    std::uint64_t total = 0;
    for (const Tensor& t : d.data.xs) total += t.capacity();
    for (const Tensor& t : d.data.ys) total += t.capacity();
    return total;
  };
  auto fits = [&](const StoredDataset& d) {
    if (d.data.xs.size() != x_floats.size() || d.data.ys.size() != y_floats.size()) return false;
    for (std::size_t i = 0; i < x_floats.size(); ++i)
      if (d.data.xs[i].capacity() < x_floats[i]) return false;
    for (std::size_t o = 0; o < y_floats.size(); ++o)
      if (d.data.ys[o].capacity() < y_floats[o]) return false;
    return true;
  };
  std::size_t best = spare_storage_.size();
  for (std::size_t i = 0; i < spare_storage_.size(); ++i) {
    if (!fits(*spare_storage_[i])) continue;
    if (best == spare_storage_.size() || capacity(*spare_storage_[i]) < capacity(*spare_storage_[best])) best = i;
  }
  if (best == spare_storage_.size()) {
    spare_storage_.clear();
    return std::make_unique<StoredDataset>();
  }
  std::unique_ptr<StoredDataset> stored = std::move(spare_storage_[best]);
  spare_storage_.erase(spare_storage_.begin() + static_cast<std::ptrdiff_t>(best));
  return stored;
}

// The dataset, checked for what training needs beyond its shapes (the Trainer checks those on
// every call, cheaply): sealed, with targets, and (once per dataset and compile) the labels of
// every sparse loss in range.
TrainingSession::StoredDataset& TrainingSession::training_data(int id, const char* where) {
  NNPLAY_CHECK(trainer_, where << ": the model is not compiled: call compile(config) first");
  StoredDataset& d = find(id, where);
  NNPLAY_CHECK(d.sealed, where << ": dataset " << id << " was not sealed (validated) after it was filled");
  NNPLAY_CHECK(!d.data.ys.empty(),
               where << ": dataset " << id << " holds inputs only; training and evaluation need targets y");
  NNPLAY_CHECK(d.size() > 0, where << ": dataset " << id << " is empty: at least one sample is needed");
  if (d.labels_checked) return d;
  const std::vector<OutputCompile>& outputs = trainer_->outputs();
  const std::size_t count = d.data.ys.size();
  for (std::size_t o = 0; o < outputs.size() && o < count; ++o) {
    // A y of the wrong width is the trainer's shape message, on the call itself.
    // One label per sample, or per step of a [steps, classes] output.
    const Shape& out = model_->output_shape(static_cast<int>(o));
    const int rows = out.size() == 2 ? out[0] : 1;
    if (find_loss(outputs[o].loss).kind != LossKind::kSparseCategoricalCrossentropy || d.y_sizes[o] != rows) continue;
    ++content_scans_;
    const int k = out.back();
    const Tensor& y = d.data.ys[o];
    const int n = d.size();
    const std::string of = count == 1 ? std::string() : " of output \"" + outputs[o].output + "\"";
    for (int i = 0; i < n; ++i)
      for (int r = 0; r < rows; ++r) {
        const float v = y[static_cast<std::size_t>(i) * static_cast<std::size_t>(rows) + static_cast<std::size_t>(r)];
        NNPLAY_CHECK(v >= 0.0f && v < static_cast<float>(k) && std::floor(v) == v,
                     where << ": sparseCategoricalCrossentropy labels" << of << " must be class indices 0.." << (k - 1)
                           << " (one per output unit); sample " << i
                           << (rows > 1 ? ", step " + std::to_string(r) : std::string()) << " has label " << v);
      }
  }
  d.labels_checked = true;
  return d;
}

// ---------------------------------------------------------------- training

void TrainingSession::pack_weights(float* flat) const {
  std::size_t at = 0;
  for (const Variable& v : model_->variables()) {
    std::memcpy(flat + at, v.value->data(), sizeof(float) * v.value->size());
    at += v.value->size();
  }
}

void TrainingSession::unpack_weights(const float* flat) {
  std::size_t at = 0;
  for (Variable& v : model_->variables()) {
    std::memcpy(v.value->data(), flat + at, sizeof(float) * v.value->size());
    at += v.value->size();
  }
}

void TrainingSession::snapshot_weights() {
  last_good_.resize(weights_buffer_.size());
  pack_weights(last_good_.data());
}

void TrainingSession::restore_weights() { unpack_weights(last_good_.data()); }

template <typename Fn>
Logs TrainingSession::guarded_train(Fn&& fn) {
  snapshot_weights();
  try {
    return fn();
  } catch (const TrainingDiverged&) {
    // The steps before the bad one may have moved the weights towards the blow-up; the state
    // at the start of this call is the last one known to be good.
    restore_weights();
    throw;
  }
}

Logs TrainingSession::train_steps(int id, int steps, int batch_size, bool shuffle) {
  NNPLAY_CHECK(steps > 0, "trainSteps: steps must be an integer > 0, got " << steps);
  StoredDataset& d = training_data(id, "trainSteps");
  return guarded_train([&] { return trainer_->train_steps(d.view, steps, batch_size, shuffle); });
}

Logs TrainingSession::train_epoch(int id, int batch_size, bool shuffle) {
  StoredDataset& d = training_data(id, "fit");
  return guarded_train([&] { return trainer_->train_epoch(d.view, batch_size, shuffle); });
}

Logs TrainingSession::evaluate(int id, int batch_size) {
  StoredDataset& d = training_data(id, "evaluate");
  return trainer_->evaluate(d.view, batch_size);
}

void TrainingSession::set_learning_rate(float learning_rate) {
  NNPLAY_CHECK(trainer_, "setLearningRate: the model is not compiled: call compile(config) first");
  trainer_->set_learning_rate(learning_rate);
}

void TrainingSession::set_regularization(float l1, float l2) {
  NNPLAY_CHECK(trainer_, "setRegularization: the model is not compiled: call compile(config) first");
  trainer_->set_regularization(l1, l2);
}

// ---------------------------------------------------------------- inference

int TrainingSession::num_nodes() const { return model_->num_layers(); }

int TrainingSession::output_node(int output) const {
  NNPLAY_CHECK(output >= 0 && output < model_->num_outputs(),
               "predict: no output " << output << "; the model has " << model_->num_outputs());
  return model_->find_layer(model_->spec().outputs[static_cast<std::size_t>(output)].layer);
}

namespace {
std::vector<PayloadRef> output_refs(const std::vector<int>& nodes) {
  std::vector<PayloadRef> refs;
  refs.reserve(nodes.size());
  for (int node : nodes) refs.push_back(PayloadRef{node, -1});
  return refs;
}
}  // namespace

const std::vector<NodeValues>& TrainingSession::predict(int id, const std::vector<int>& nodes) {
  return predict_payloads(id, output_refs(nodes));
}

const std::vector<NodeValues>& TrainingSession::predict_payloads(int id, const std::vector<PayloadRef>& nodes) {
  const StoredDataset& d = find(id, "predict");
  NNPLAY_CHECK(d.sealed, "predict: dataset " << id << " was not sealed (validated) after it was filled");
  std::vector<const float*> xs;
  const std::size_t count = d.data.xs.size();
  for (std::size_t i = 0; i < count; ++i) {
    const int expected = model_->input_size(static_cast<int>(i));
    NNPLAY_CHECK(d.x_sizes[i] == expected,
                 "predict: the data's " << tensor_name("x", static_cast<int>(i), count) << " has " << d.x_sizes[i]
                                        << " columns but the model's input expects " << expected);
    xs.push_back(d.data.xs[i].data());
  }
  return predict_rows(xs, d.size(), nodes);
}

float* TrainingSession::input_buffer(int n) {
  NNPLAY_CHECK(model_->num_inputs() == 1, "predict: the model has "
                                              << model_->num_inputs()
                                              << " inputs; the row buffer serves one-input models only");
  NNPLAY_CHECK(n >= 0 && static_cast<double>(n) * model_->input_size() <= kMaxFloatsPerTensor,
               "predict: " << n << " rows of " << model_->input_size() << " inputs are too many: at most 2^28 floats");
  // The caller writes every row next, so no zeroing; the capacity stays between calls, so a
  // repeated predict() of the same size allocates nothing (the wasm heap never shrinks anyway).
  input_.resize_for_overwrite({n, model_->input_size()});
  return input_.data();
}

const std::vector<NodeValues>& TrainingSession::predict_input(int n) {
  NNPLAY_CHECK(input_.rank() == 2 && n == input_.dim(0), "predict: " << n << " rows asked, "
                                                                     << (input_.rank() ? input_.dim(0) : 0)
                                                                     << " written by input_buffer()");
  ++content_scans_;
  require_finite(input_.data(), input_.size(), static_cast<std::size_t>(model_->input_size()), "x", 0, 1);
  // The buffer is kept, whatever its size: wasm memory never shrinks, so freeing it would only
  // let small allocations split its room, and the next big load would grow the heap again.
  return predict_rows({input_.data()}, n, std::vector<PayloadRef>{PayloadRef{output_node(), -1}});
}

const std::vector<NodeValues>& TrainingSession::predict_rows(const std::vector<const float*>& xs, int n,
                                                             const std::vector<PayloadRef>& nodes) {
  const int layers = num_nodes();
  for (const PayloadRef& ref : nodes) {
    NNPLAY_CHECK(ref.node >= 0 && ref.node < layers,
                 "predict: no node " << ref.node << " in this model; nodes are 0.." << (layers - 1));
    const int count = static_cast<int>(model_->layer_states(ref.node).size());
    NNPLAY_CHECK(ref.state >= -1 && ref.state < count, "predict: layer " << model_->layer_info(ref.node).name
                                                                         << " has no state " << ref.state << "; it has "
                                                                         << count << " states");
  }
  predictions_.resize(nodes.size());
  for (std::size_t j = 0; j < nodes.size(); ++j) {
    const LayerInfo& layer = model_->layer_info(nodes[j].node);
    NodeValues& p = predictions_[j];
    p.node = nodes[j].node;
    p.state = nodes[j].state;
    p.name = layer.name;
    p.type = layer.type;
    p.shape = Shape{n};
    Shape per_sample = layer.output_shape;
    if (p.state >= 0) {
      const StateInfo info = model_->layer_states(p.node)[static_cast<std::size_t>(p.state)];
      p.name += ":" + info.name;
      per_sample = info.shape;
    }
    for (int dim : per_sample) p.shape.push_back(dim);
    p.values.resize_for_overwrite(p.shape);  // every row is copied in below
  }
  if (n == 0 || nodes.empty()) return predictions_;
  // Chunks keep every layer's forward buffers under the model's budget (thousands of images
  // through a conv layer would otherwise hold hundreds of MB at once); each sample's outputs
  // depend on that sample only, so the numbers equal one big forward.
  const int chunk = model_->predict_chunk_size();
  std::vector<const float*> chunk_xs(xs.size());
  for (int start = 0; start < n; start += chunk) {
    const int b = std::min(chunk, n - start);
    for (std::size_t i = 0; i < xs.size(); ++i)
      chunk_xs[i] =
          xs[i] + static_cast<std::size_t>(start) * static_cast<std::size_t>(model_->input_size(static_cast<int>(i)));
    model_->forward(PassContext{false, nullptr, b}, chunk_xs);
    for (NodeValues& p : predictions_) {
      if (p.state >= 0) {  // the layer keeps it in its own order; it writes b samples in sample order
        const std::size_t row = p.values.size() / static_cast<std::size_t>(n);
        model_->read_layer_state(p.node, p.state, p.values.data() + static_cast<std::size_t>(start) * row);
        continue;
      }
      const Tensor& out = model_->layer_output(p.node);
      const std::size_t row = out.size() / static_cast<std::size_t>(b);
      std::memcpy(p.values.data() + static_cast<std::size_t>(start) * row, out.data(), sizeof(float) * out.size());
    }
  }
  return predictions_;
}

// ---------------------------------------------------------------- input gradients

const std::vector<Tensor>& TrainingSession::input_gradients(int id, const std::vector<int>& samples, int output,
                                                            int unit) {
  const StoredDataset& d = find(id, "inputGradients");
  NNPLAY_CHECK(d.sealed, "inputGradients: dataset " << id << " was not sealed (validated) after it was filled");
  Graph& g = *model_;
  NNPLAY_CHECK(output >= 0 && output < g.num_outputs(), "inputGradients: no output " << output << "; the model has "
                                                                                     << g.num_outputs() << " (0.."
                                                                                     << (g.num_outputs() - 1) << ")");
  const int out_size = g.output_size(output);
  NNPLAY_CHECK(unit >= 0 && unit < out_size, "inputGradients: no unit "
                                                 << unit << " in output " << output << " of shape "
                                                 << shape_to_string(g.output_shape(output)) << "; units are 0.."
                                                 << (out_size - 1) << " (flat index in one sample's output)");
  const int rows = d.size();
  for (int s : samples)
    NNPLAY_CHECK(s >= 0 && s < rows, "inputGradients: no sample " << s << " in dataset " << id << " of " << rows
                                                                  << " samples (0.." << (rows - 1) << ")");
  const std::size_t inputs = static_cast<std::size_t>(g.num_inputs());
  for (std::size_t i = 0; i < inputs; ++i)
    NNPLAY_CHECK(d.x_sizes[i] == g.input_size(static_cast<int>(i)),
                 "inputGradients: the data's " << tensor_name("x", static_cast<int>(i), inputs) << " has "
                                               << d.x_sizes[i] << " columns but the model's input expects "
                                               << g.input_size(static_cast<int>(i)));
  const int n = static_cast<int>(samples.size());
  input_gradients_.resize(inputs);
  gradient_rows_.resize(inputs);
  gradient_chunk_.resize(inputs);
  for (std::size_t i = 0; i < inputs; ++i) {
    Shape shape{n};
    for (int dim : g.input_shape(static_cast<int>(i))) shape.push_back(dim);
    input_gradients_[i].resize_for_overwrite(shape);  // every row is copied in below
  }
  if (n == 0) return input_gradients_;
  const int chunk = g.predict_chunk_size();
  std::vector<const float*> xs(inputs);
  std::vector<float*> d_xs(inputs);
  for (int start = 0; start < n; start += chunk) {
    const int b = std::min(chunk, n - start);
    for (std::size_t i = 0; i < inputs; ++i) {
      const std::size_t width = static_cast<std::size_t>(d.x_sizes[i]);
      gradient_rows_[i].resize_for_overwrite({b, d.x_sizes[i]});
      for (int r = 0; r < b; ++r)
        std::memcpy(
            gradient_rows_[i].data() + static_cast<std::size_t>(r) * width,
            d.data.xs[i].data() + static_cast<std::size_t>(samples[static_cast<std::size_t>(start + r)]) * width,
            sizeof(float) * width);
      gradient_chunk_[i].resize({b, d.x_sizes[i]});  // zeroed: backward accumulates
      xs[i] = gradient_rows_[i].data();
      d_xs[i] = gradient_chunk_[i].data();
    }
    gradient_seed_.resize({b, out_size});
    for (int r = 0; r < b; ++r)
      gradient_seed_[static_cast<std::size_t>(r) * static_cast<std::size_t>(out_size) +
                     static_cast<std::size_t>(unit)] = 1.0f;
    const PassContext ctx{false, nullptr, b};
    g.forward(ctx, xs);
    g.backward_to_inputs(ctx, {GradientSeed{g.output_node(output), gradient_seed_.data()}}, d_xs);
    for (std::size_t i = 0; i < inputs; ++i)
      std::memcpy(input_gradients_[i].data() + static_cast<std::size_t>(start) * static_cast<std::size_t>(d.x_sizes[i]),
                  gradient_chunk_[i].data(), sizeof(float) * gradient_chunk_[i].size());
  }
  // Weight gradients are the trainer's: none of this pass's is left for anyone to read.
  for (Variable& v : g.variables())
    if (v.grad) v.grad->zero();
  return input_gradients_;
}

// ---------------------------------------------------------------- gradients through the model

namespace {
// The stream of apply pass `pass` (distinct from the trainer's step streams).
constexpr std::uint64_t kApplyStream = 0x510e527fade682d1ULL;
}  // namespace

void TrainingSession::check_apply_rows(const char* where, const std::vector<const float*>& xs, int n) const {
  const Graph& g = *model_;
  NNPLAY_CHECK(static_cast<int>(xs.size()) == g.num_inputs(),
               where << ": the model has " << g.num_inputs() << " inputs, got " << xs.size());
  NNPLAY_CHECK(n >= 1, where << ": needs at least one row, got " << n);
  // One batch through every layer at once: each layer's buffer must stay within what one
  // training step may hold (16 predict chunks).
  const std::uint64_t most = static_cast<std::uint64_t>(g.predict_chunk_size()) * 16u;
  NNPLAY_CHECK(static_cast<std::uint64_t>(n) <= most,
               where << ": " << n << " rows are more than one pass of this model holds (at most " << most
                     << "); apply smaller batches");
}

const std::vector<Tensor>& TrainingSession::apply(const std::vector<const float*>& xs, int n, bool training,
                                                  std::uint64_t pass) {
  check_apply_rows("apply", xs, n);
  Graph& g = *model_;
  Rng rng(g.seed(), kApplyStream + pass);
  g.forward(PassContext{training, &rng, n}, xs);
  applied_ = AppliedForward{xs, n, training, pass, g.forward_count()};
  apply_outputs_.resize(static_cast<std::size_t>(g.num_outputs()));
  for (int o = 0; o < g.num_outputs(); ++o) {
    Shape shape{n};
    for (int dim : g.output_shape(o)) shape.push_back(dim);
    Tensor& out = apply_outputs_[static_cast<std::size_t>(o)];
    out.resize_for_overwrite(shape);
    std::memcpy(out.data(), g.output(o).data(), sizeof(float) * out.size());
  }
  return apply_outputs_;
}

void TrainingSession::vector_jacobian_product(const std::vector<const float*>& xs, int n, bool training,
                                              std::uint64_t pass, const std::vector<const float*>& d_outputs) {
  check_apply_rows("vectorJacobian", xs, n);
  Graph& g = *model_;
  NNPLAY_CHECK(static_cast<int>(d_outputs.size()) == g.num_outputs(), "vectorJacobian: the model has "
                                                                          << g.num_outputs() << " outputs, got "
                                                                          << d_outputs.size() << " output gradients");
  NNPLAY_CHECK(training || !g.draws_at_inference(),
               "vectorJacobian: a layer of this model draws new random numbers in every inference pass "
               "(gaussianSampling with sampleAtInference), so the gradient of one inference call cannot be "
               "retraced; apply the model with {training: true} or set sampleAtInference to false");
  Rng rng(g.seed(), kApplyStream + pass);
  PassContext ctx{training, &rng, n};
  ctx.added_losses = false;
  // The model's last forward was this apply() (a model applied once per step): its caches are
  // this call's. Otherwise retrace it.
  const bool still_applied = g.forward_count() == applied_.forward && applied_.xs == xs && applied_.n == n &&
                             applied_.training == training && applied_.pass == pass;
  std::size_t at = 0;
  if (!still_applied) {
    // The retraced forward must not move the moving statistics a second time.
    vjp_frozen_.clear();
    for (const Variable& v : g.variables())
      if (!v.trainable) vjp_frozen_.insert(vjp_frozen_.end(), v.value->data(), v.value->data() + v.value->size());
    g.forward(ctx, xs);
    for (Variable& v : g.variables()) {
      if (v.trainable) continue;
      std::memcpy(v.value->data(), vjp_frozen_.data() + at, sizeof(float) * v.value->size());
      at += v.value->size();
    }
  }
  std::vector<GradientSeed> seeds;
  for (int o = 0; o < g.num_outputs(); ++o)
    if (d_outputs[static_cast<std::size_t>(o)])
      seeds.push_back(GradientSeed{g.output_node(o), d_outputs[static_cast<std::size_t>(o)]});
  const std::size_t inputs = static_cast<std::size_t>(g.num_inputs());
  vjp_inputs_.resize(inputs);
  std::vector<float*> d_xs(inputs, nullptr);
  for (std::size_t i = 0; i < inputs; ++i) {
    if (!g.input_has_gradient(static_cast<int>(i))) {
      vjp_inputs_[i] = Tensor();
      continue;
    }
    Shape shape{n};
    for (int dim : g.input_shape(static_cast<int>(i))) shape.push_back(dim);
    vjp_inputs_[i].resize(shape);  // zeroed: backward accumulates
    d_xs[i] = vjp_inputs_[i].data();
  }
  g.backward_to_inputs(ctx, seeds, d_xs);
  vjp_weights_.assign(weights_buffer_.size(), 0.0f);
  at = 0;
  for (Variable& v : g.variables()) {
    if (v.trainable && v.grad) {
      std::memcpy(vjp_weights_.data() + at, v.grad->data(), sizeof(float) * v.grad->size());
      v.grad->zero();  // weight gradients are the trainer's: none of this pass's is left behind
    }
    at += v.value->size();
  }
}

// ---------------------------------------------------------------- weights

float* TrainingSession::read_weights() {
  pack_weights(weights_buffer_.data());
  return weights_buffer_.data();
}

void TrainingSession::write_weights() {
  const std::size_t i = vec_find_non_finite(weights_buffer_.data(), weights_buffer_.size());
  if (i != weights_buffer_.size()) {
    std::size_t w = 0;
    while (w + 1 < weights_table_.size() && weights_table_[w + 1].offset <= i) ++w;
    Message m;
    m << "weights: " << weights_table_[w].name << " holds " << non_finite_word(weights_buffer_[i]) << " at index "
      << (i - weights_table_[w].offset) << "; weights must be finite numbers";
    throw NonFiniteData(m.str(), "weights", i);
  }
  unpack_weights(weights_buffer_.data());
}

const float* TrainingSession::weight_values(int i) const {
  NNPLAY_CHECK(i >= 0 && static_cast<std::size_t>(i) < weights_table_.size(),
               "weights: no entry " << i << "; the model has " << weights_table_.size());
  return model_->variables()[static_cast<std::size_t>(i)].value->data();
}

void TrainingSession::write_weight(int i) {
  weight_values(i);  // checks i
  const WeightEntry& e = weights_table_[static_cast<std::size_t>(i)];
  const float* from = weights_buffer_.data() + e.offset;
  const std::size_t bad = vec_find_non_finite(from, static_cast<std::size_t>(e.size));
  if (bad != e.size) {
    Message m;
    m << "weights: " << e.name << " holds " << non_finite_word(from[bad]) << " at index " << bad
      << "; weights must be finite numbers";
    throw NonFiniteData(m.str(), "weights", e.offset + bad);
  }
  Tensor& value = *model_->variables()[static_cast<std::size_t>(i)].value;
  std::memcpy(value.data(), from, sizeof(float) * value.size());
}

}  // namespace nnplay
