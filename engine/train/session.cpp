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
// input_buffer() keeps up to this many floats (4 MB) between predict calls.
constexpr std::size_t kKeepInputFloats = std::size_t{1} << 20;

const char* non_finite_word(float v) { return std::isnan(v) ? "NaN" : "Infinity"; }

// Throws NonFiniteData for the first NaN/±Infinity of values [n, cols], naming sample and column.
void require_finite(const float* values, std::size_t count, std::size_t cols, const char* field) {
  const std::size_t i = vec_find_non_finite(values, count);
  if (i == count) return;
  Message m;
  m << "dataset " << field << " holds " << non_finite_word(values[i]) << " at sample " << (i / cols) << ", column "
    << (i % cols) << "; every value must be a finite number";
  throw NonFiniteData(m.str(), field, i);
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
  for (auto& entry : datasets_) entry.second->labels_checked_for_classes = -1;
}

// ---------------------------------------------------------------- datasets

int TrainingSession::reserve_dataset(int n, int x_size, int y_size) {
  NNPLAY_CHECK(n >= 0, "dataset size must be >= 0, got " << n);
  NNPLAY_CHECK(x_size > 0, "dataset xSize must be > 0, got " << x_size);
  NNPLAY_CHECK(y_size >= 0, "dataset ySize must be >= 0 (0: inputs only), got " << y_size);
  NNPLAY_CHECK(static_cast<double>(n) * x_size <= kMaxFloatsPerTensor &&
                   static_cast<double>(n) * y_size <= kMaxFloatsPerTensor,
               "dataset of " << n << " x [" << x_size << "] / y [" << y_size
                             << "] is too large: at most 2^28 floats per tensor");
  std::unique_ptr<StoredDataset> stored = reuse_storage(static_cast<std::uint64_t>(n) * static_cast<std::uint64_t>(x_size),
                                                        static_cast<std::uint64_t>(n) * static_cast<std::uint64_t>(y_size));
  stored->data.x.resize({n, x_size});  // within the reused capacity: no allocation
  if (y_size > 0)
    stored->data.y.resize({n, y_size});
  else
    stored->data.y = Tensor();
  stored->x_size = x_size;
  stored->y_size = y_size;
  stored->sealed = false;
  stored->labels_checked_for_classes = -1;
  const int id = next_dataset_id_++;
  datasets_.emplace_back(id, std::move(stored));
  return id;
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

float* TrainingSession::dataset_x(int id) { return find(id, "dataset_x").data.x.data(); }
float* TrainingSession::dataset_y(int id) { return find(id, "dataset_y").data.y.data(); }
int TrainingSession::dataset_size(int id) const { return find(id, "dataset_size").data.size(); }

void TrainingSession::seal_dataset(int id) {
  StoredDataset& d = find(id, "seal");
  ++content_scans_;
  try {
    require_finite(d.data.x.data(), d.data.x.size(), static_cast<std::size_t>(d.x_size), "x");
    if (d.y_size > 0) require_finite(d.data.y.data(), d.data.y.size(), static_cast<std::size_t>(d.y_size), "y");
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

// The smallest spare whose buffers hold x_floats and y_floats; when none does, the spares are
// released first (so the allocator can join them into room for this one) and a new one is made.
// So the spares never hold more than the datasets that were once live together.
std::unique_ptr<TrainingSession::StoredDataset> TrainingSession::reuse_storage(std::uint64_t x_floats,
                                                                               std::uint64_t y_floats) {
  std::size_t best = spare_storage_.size();
  for (std::size_t i = 0; i < spare_storage_.size(); ++i) {
    const Dataset& d = spare_storage_[i]->data;
    if (d.x.capacity() < x_floats || d.y.capacity() < y_floats) continue;
    if (best == spare_storage_.size() || d.x.capacity() < spare_storage_[best]->data.x.capacity()) best = i;
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
// every call, cheaply): sealed, with targets, and (once per dataset and loss) labels in range.
TrainingSession::StoredDataset& TrainingSession::training_data(int id, const char* where) {
  NNPLAY_CHECK(trainer_, where << ": the model is not compiled: call compile(config) first");
  StoredDataset& d = find(id, where);
  NNPLAY_CHECK(d.sealed, where << ": dataset " << id << " was not sealed (validated) after it was filled");
  NNPLAY_CHECK(d.y_size > 0, where << ": dataset " << id << " holds inputs only; training and evaluation need targets y");
  NNPLAY_CHECK(d.data.size() > 0, where << ": dataset " << id << " is empty: at least one sample is needed");
  const int k = model_->output_size();
  if (find_loss(compile_spec_.loss).kind == LossKind::kSparseCategoricalCrossentropy && d.y_size == 1 && d.labels_checked_for_classes != k) {
    ++content_scans_;
    const int n = d.data.size();
    for (int i = 0; i < n; ++i) {
      const float v = d.data.y[static_cast<std::size_t>(i)];
      NNPLAY_CHECK(v >= 0.0f && v < static_cast<float>(k) && std::floor(v) == v,
                   where << ": sparseCategoricalCrossentropy labels must be class indices 0.." << (k - 1)
                         << " (one per output unit); sample " << i << " has label " << v);
    }
    d.labels_checked_for_classes = k;
  }
  return d;
}

// ---------------------------------------------------------------- training

void TrainingSession::snapshot_weights() {
  last_good_.resize(weights_buffer_.size());
  std::size_t at = 0;
  for (const Variable& v : model_->variables()) {
    std::memcpy(last_good_.data() + at, v.value->data(), sizeof(float) * v.value->size());
    at += v.value->size();
  }
}

void TrainingSession::restore_weights() {
  std::size_t at = 0;
  for (Variable& v : model_->variables()) {
    std::memcpy(v.value->data(), last_good_.data() + at, sizeof(float) * v.value->size());
    at += v.value->size();
  }
}

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
  return guarded_train([&] { return trainer_->train_steps(d.data, steps, batch_size, shuffle); });
}

Logs TrainingSession::train_epoch(int id, int batch_size, bool shuffle) {
  StoredDataset& d = training_data(id, "fit");
  return guarded_train([&] { return trainer_->train_epoch(d.data, batch_size, shuffle); });
}

Logs TrainingSession::evaluate(int id, int batch_size) {
  StoredDataset& d = training_data(id, "evaluate");
  return trainer_->evaluate(d.data, batch_size);
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

const std::vector<NodeValues>& TrainingSession::predict(int id, const std::vector<int>& nodes) {
  const StoredDataset& d = find(id, "predict");
  NNPLAY_CHECK(d.sealed, "predict: dataset " << id << " was not sealed (validated) after it was filled");
  NNPLAY_CHECK(d.x_size == model_->input_size(), "predict: the data has " << d.x_size
                                                     << " input columns but the model expects " << model_->input_size());
  return predict_rows(d.data.x.data(), d.data.size(), nodes);
}

float* TrainingSession::input_buffer(int n) {
  NNPLAY_CHECK(n >= 0 && static_cast<double>(n) * model_->input_size() <= kMaxFloatsPerTensor,
               "predict: " << n << " rows of " << model_->input_size() << " inputs are too many: at most 2^28 floats");
  input_.resize({n, model_->input_size()});
  return input_.data();
}

const std::vector<NodeValues>& TrainingSession::predict_input(int n) {
  NNPLAY_CHECK(input_.rank() == 2 && n == input_.dim(0), "predict: " << n << " rows asked, "
                                                                   << (input_.rank() ? input_.dim(0) : 0)
                                                                   << " written by input_buffer()");
  ++content_scans_;
  require_finite(input_.data(), input_.size(), static_cast<std::size_t>(model_->input_size()), "x");
  const std::vector<NodeValues>& out = predict_rows(input_.data(), n, std::vector<int>{output_node()});
  // Kept for the next small call; a big batch's rows are not held on to.
  if (input_.size() > kKeepInputFloats) input_ = Tensor();
  return out;
}

const std::vector<NodeValues>& TrainingSession::predict_rows(const float* x, int n, const std::vector<int>& nodes) {
  const int layers = num_nodes();
  for (int node : nodes)
    NNPLAY_CHECK(node >= 0 && node < layers,
                 "predict: no node " << node << " in this model; nodes are 0.." << (layers - 1));
  predictions_.resize(nodes.size());
  for (std::size_t j = 0; j < nodes.size(); ++j) {
    const LayerInfo& layer = model_->layer_info(nodes[j]);
    NodeValues& p = predictions_[j];
    p.node = nodes[j];
    p.name = layer.name;
    p.type = layer.type;
    p.shape = Shape{n};
    for (int dim : layer.output_shape) p.shape.push_back(dim);
    p.values.resize(p.shape);
  }
  if (n == 0 || nodes.empty()) return predictions_;
  // Chunks keep every layer's forward buffers under the model's budget (thousands of images
  // through a conv layer would otherwise hold hundreds of MB at once); each sample's outputs
  // depend on that sample only, so the numbers equal one big forward.
  const int chunk = model_->predict_chunk_size();
  const std::size_t in = static_cast<std::size_t>(model_->input_size());
  for (int start = 0; start < n; start += chunk) {
    const int b = std::min(chunk, n - start);
    model_->forward(x + static_cast<std::size_t>(start) * in, b);
    for (NodeValues& p : predictions_) {
      const Tensor& out = model_->layer_output(p.node);
      const std::size_t row = out.size() / static_cast<std::size_t>(b);
      std::memcpy(p.values.data() + static_cast<std::size_t>(start) * row, out.data(), sizeof(float) * out.size());
    }
  }
  return predictions_;
}

// ---------------------------------------------------------------- weights

float* TrainingSession::read_weights() {
  std::size_t at = 0;
  for (const Variable& v : model_->variables()) {
    std::memcpy(weights_buffer_.data() + at, v.value->data(), sizeof(float) * v.value->size());
    at += v.value->size();
  }
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
  std::size_t at = 0;
  for (Variable& v : model_->variables()) {
    std::memcpy(v.value->data(), weights_buffer_.data() + at, sizeof(float) * v.value->size());
    at += v.value->size();
  }
}

}  // namespace nnplay
