// The fit loop. Figures follow TF.js: the training loss of a batch is measured before that
// batch's update and includes the kernel regularization penalty; evaluate() reports the data
// loss alone (as TF.js's evaluate and val_loss do). Means are weighted by batch size, so they
// are exact means over samples.
#include "train/trainer.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/rng.h"
#include "kernels/vec.h"
#include "ops/regularization.h"
#include "optim/optimizer.h"
#include "train/loss.h"

namespace nnplay {

double Logs::get(const std::string& name) const {
  for (const auto& kv : values)
    if (kv.first == name) return kv.second;
  std::string have;
  for (const auto& kv : values) have += (have.empty() ? "" : ", ") + kv.first;
  throw Error("no figure named \"" + name + "\" in these logs; available: " + have);
}

namespace {

bool is_kernel(const Variable& p) {
  const std::string suffix = "/kernel";
  return p.name.size() >= suffix.size() && p.name.compare(p.name.size() - suffix.size(), suffix.size(), suffix) == 0;
}

int argmax(const float* v, int k) {
  int best = 0;
  for (int c = 1; c < k; ++c)
    if (v[c] > v[best]) best = c;
  return best;
}

}  // namespace

void validate_loss_for_graph(const Graph& model, const CompileSpec& compile) {
  NNPLAY_CHECK(model.num_inputs() == 1 && model.num_outputs() == 1,
               "this trainer trains models with one input and one output; the model has " << model.num_inputs()
                   << " inputs and " << model.num_outputs() << " outputs");
  const Shape& out = model.output_shape(0);
  const int units = model.output_size(0);
  const LossInfo& loss = find_loss(compile.loss);
  const LayerInfo& last = model.layer_info(model.num_layers() - 1);
  if (loss.kind == LossKind::kCategoricalCrossentropy || loss.kind == LossKind::kSparseCategoricalCrossentropy) {
    // TF.js would take classes along the last axis of an image output; this engine's losses
    // see one flat row per sample, so ask for the usual flatten + dense head instead.
    NNPLAY_CHECK(out.size() == 1, loss.name << " needs a flat model output (one value per class), but the last layer ("
                                            << last.type << ") outputs " << shape_to_string(out)
                                            << " per sample; end the model with flatten and a dense layer");
    NNPLAY_CHECK(units > 1, loss.name << " needs an output layer with one unit per class (at least 2), but the "
                                         "last layer has "
                                      << units
                                      << " unit; for two classes with one output unit use binaryCrossentropy "
                                         "with a sigmoid activation");
  }
  if (loss.kind == LossKind::kBinaryCrossentropy) {
    // Probabilities are needed; an unbounded output is clipped to [1e-7, 1 - 1e-7] and learns nothing
    // outside that range.
    const ActivationKind act = model.output_activation(0);
    NNPLAY_CHECK(act == ActivationKind::kSigmoid || act == ActivationKind::kSoftmax,
                 "binaryCrossentropy needs probabilities from the last layer: use activation sigmoid (or "
                 "softmax), not "
                     << activation_name(act));
  }
}

Trainer::Trainer(Graph& model, const CompileSpec& spec) : model_(model), spec_(spec) {
  validate_compile_spec(spec_);
  validate_loss_for_graph(model_, spec_);
  // The fused gradient is decided from the built graph: is output 0 a sigmoid/softmax node?
  loss_ = std::make_unique<Loss>(spec_.loss, model_.fusable_output_activation(0));
  optimizer_ = make_optimizer(spec_.optimizer);
  for (const Variable& v : model_.variables())
    if (v.trainable) trainable_.push_back(v);
  for (const std::string& m : spec_.metrics) metrics_.push_back(&find_metric(m));
}

Trainer::~Trainer() = default;

void Trainer::set_learning_rate(float learning_rate) {
  optimizer_->set_learning_rate(learning_rate);
  spec_.optimizer.learning_rate = learning_rate;
}

void Trainer::set_regularization(float l1, float l2) {
  NNPLAY_CHECK(std::isfinite(l1) && l1 >= 0.0f, "regularization l1 must be a finite number >= 0, got " << l1);
  NNPLAY_CHECK(std::isfinite(l2) && l2 >= 0.0f, "regularization l2 must be a finite number >= 0, got " << l2);
  // The graph's list (what inspect and saving see) and the trainer's copy of its trainable part.
  for (std::vector<Variable>* list : {&model_.variables(), &trainable_})
    for (Variable& p : *list) {
      if (!p.trainable || !is_kernel(p)) continue;
      p.l1 = l1;
      p.l2 = l2;
    }
}

void Trainer::check_data(const Dataset& data, const char* what, bool contents) const {
  const int n = data.size();
  NNPLAY_CHECK(n > 0, what << " is empty: at least one sample is needed");
  NNPLAY_CHECK(data.y.rank() >= 1 && data.y.dim(0) == n,
               what << ": x has " << n << " samples but y has " << (data.y.rank() ? data.y.dim(0) : 0)
                    << "; they must match");
  NNPLAY_CHECK(data.input_size() == model_.input_size(),
               what << ": x has " << data.input_size() << " features per sample but the model's inputShape is ["
                    << model_.input_size() << "]");
  const int k = model_.output_size();
  const int t = loss_->target_size(k);
  if (loss_->sparse()) {
    NNPLAY_CHECK(data.target_size() == 1, what << ": sparseCategoricalCrossentropy needs y [n, 1] holding class "
                                                  "indices, but y has "
                                               << data.target_size() << " columns per sample");
  } else {
    NNPLAY_CHECK(data.target_size() == t, what << ": y has " << data.target_size()
                                               << " columns per sample but the model outputs " << k
                                               << (k > 1 && loss_->kind() == LossKind::kCategoricalCrossentropy
                                                       ? " (one-hot labels; for class indices use "
                                                         "sparseCategoricalCrossentropy)"
                                                       : ""));
  }
  if (!contents || contents_prevalidated_) return;
  validate_dataset(data);
  if (loss_->sparse()) {
    for (int i = 0; i < n; ++i) {
      float v = data.y[static_cast<std::size_t>(i)];
      NNPLAY_CHECK(v >= 0.0f && v < static_cast<float>(k) && std::floor(v) == v,
                   what << ": sparseCategoricalCrossentropy labels must be class indices 0.." << (k - 1)
                        << " (one per output unit); sample " << i << " has label " << v);
    }
  }
}

void Trainer::begin_epoch(int n, bool shuffle) {
  order_.resize(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) order_[static_cast<std::size_t>(i)] = i;
  if (shuffle) {
    // A fresh stream per epoch, from the model seed: the same seed shuffles the same way, and
    // the order does not depend on how the epoch was split into train_steps calls.
    Rng rng(model_.seed(), 0x6a09e667f3bcc909ULL + static_cast<std::uint64_t>(epochs_done_));
    for (int i = n - 1; i > 0; --i) {
      int j = static_cast<int>(rng.below(static_cast<std::uint32_t>(i + 1)));
      std::swap(order_[static_cast<std::size_t>(i)], order_[static_cast<std::size_t>(j)]);
    }
  }
  cursor_ = 0;
}

void Trainer::gather(const Dataset& data, const int* idx, int b) {
  const int in = data.input_size();
  const int t = data.target_size();
  batch_x_.resize({b, in});
  batch_y_.resize({b, t});
  for (int r = 0; r < b; ++r) {
    const std::size_t src = static_cast<std::size_t>(idx[r]);
    std::memcpy(batch_x_.data() + static_cast<std::size_t>(r) * in, data.x.data() + src * in, sizeof(float) * in);
    std::memcpy(batch_y_.data() + static_cast<std::size_t>(r) * t, data.y.data() + src * t, sizeof(float) * t);
  }
}

void Trainer::add_metrics(const float* pred, const float* y, int b, std::vector<double>& sums) const {
  const int k = model_.output_size();
  const bool sparse = loss_->sparse();
  for (std::size_t m = 0; m < metrics_.size(); ++m) {
    MetricKind kind = metrics_[m]->kind;
    if (kind == MetricKind::kAccuracy) {
      // TF.js's 'accuracy': binary (threshold 0.5, per element) for one output unit or binary
      // cross-entropy; categorical (argmax, against class indices for the sparse loss) otherwise.
      kind = k == 1 || loss_->kind() == LossKind::kBinaryCrossentropy ? MetricKind::kBinaryAccuracy
                                                                       : MetricKind::kCategoricalAccuracy;
    }
    double sum = 0.0;
    for (int r = 0; r < b; ++r) {
      const float* p = pred + static_cast<std::size_t>(r) * k;
      const float* t = y + static_cast<std::size_t>(r) * (sparse ? 1 : k);
      auto target = [&](int c) { return sparse ? (c == static_cast<int>(t[0]) ? 1.0 : 0.0) : static_cast<double>(t[c]); };
      switch (kind) {
        case MetricKind::kBinaryAccuracy: {
          int hits = 0;
          for (int c = 0; c < k; ++c) hits += ((p[c] > 0.5f ? 1.0 : 0.0) == target(c)) ? 1 : 0;
          sum += static_cast<double>(hits) / k;
          break;
        }
        case MetricKind::kCategoricalAccuracy:
          sum += argmax(p, k) == (sparse ? static_cast<int>(t[0]) : argmax(t, k)) ? 1.0 : 0.0;
          break;
        case MetricKind::kMeanSquaredError:
        case MetricKind::kMeanAbsoluteError: {
          double e_sum = 0.0;
          for (int c = 0; c < k; ++c) {
            const double e = static_cast<double>(p[c]) - target(c);
            e_sum += kind == MetricKind::kMeanSquaredError ? e * e : std::fabs(e);
          }
          sum += e_sum / k;
          break;
        }
        case MetricKind::kAccuracy: break;
      }
    }
    sums[1 + m] += sum;
  }
}

void Trainer::check_batch(const int* idx, int b) const {
  const int k = model_.output_size();
  const bool x_ok = vec_all_finite(batch_x_.data(), batch_x_.size());
  const bool y_ok = vec_all_finite(batch_y_.data(), batch_y_.size());
  const int in = batch_x_.dim(1), t = batch_y_.dim(1);
  for (int r = 0; r < b; ++r) {
    const float* x = batch_x_.data() + static_cast<std::size_t>(r) * in;
    const float* y = batch_y_.data() + static_cast<std::size_t>(r) * t;
    for (int c = 0; !x_ok && c < in; ++c)
      NNPLAY_CHECK(std::isfinite(x[c]), "training data x holds " << (std::isnan(x[c]) ? "NaN" : "Infinity")
                                                                 << " at sample " << idx[r] << ", column " << c
                                                                 << "; every value must be a finite number");
    for (int c = 0; !y_ok && c < t; ++c)
      NNPLAY_CHECK(std::isfinite(y[c]), "training data y holds " << (std::isnan(y[c]) ? "NaN" : "Infinity")
                                                                 << " at sample " << idx[r] << ", column " << c
                                                                 << "; every value must be a finite number");
    if (loss_->sparse())
      NNPLAY_CHECK(y[0] >= 0.0f && y[0] < static_cast<float>(k) && std::floor(y[0]) == y[0],
                   "training data: sparseCategoricalCrossentropy labels must be class indices 0.."
                       << (k - 1) << " (one per output unit); sample " << idx[r] << " has label " << y[0]);
  }
}

Logs Trainer::make_logs(const std::vector<double>& sums, long long samples) const {
  Logs logs;
  const double n = samples > 0 ? static_cast<double>(samples) : 1.0;
  logs.values.emplace_back("loss", sums[0] / n);
  for (std::size_t m = 0; m < metrics_.size(); ++m) logs.values.emplace_back(metrics_[m]->log_name, sums[1 + m] / n);
  return logs;
}

void Trainer::train_batch(const Dataset& data, const int* idx, int b, int step_in_epoch, std::vector<double>& sums) {
  gather(data, idx, b);
  if (!contents_prevalidated_) check_batch(idx, b);
  const int k = model_.output_size();
  // A stream per step, from the model seed and the step number: a dropout mask depends on
  // neither the platform nor how the steps were split into calls.
  Rng step_rng(model_.seed(), 0xbb67ae8584caa73bULL + steps_done_);
  const PassContext ctx{true, &step_rng, b};
  model_.forward(ctx, {batch_x_.data()});
  const Tensor& out = model_.output(0);
  double loss = loss_->forward(out.data(), batch_y_.data(), b, k);
  for (const Variable& p : trainable_)
    if (p.l1 > 0.0f || p.l2 > 0.0f) loss += regularization_forward(p.value->data(), p.value->size(), p.l1, p.l2);
  loss += model_.added_loss();

  auto diverged = [&]() {
    Message os;
    os << "training diverged: the loss became NaN/Infinity at epoch " << (epochs_done_ + 1) << ", step "
       << step_in_epoch << "; try a smaller learning rate (now " << optimizer_->learning_rate() << ")";
    return TrainingDiverged(os.str());
  };
  if (!std::isfinite(loss)) throw diverged();

  add_metrics(out.data(), batch_y_.data(), b, sums);
  sums[0] += loss * b;

  d_output_.resize({b, k});
  loss_->backward(d_output_.data(), out.data(), batch_y_.data(), b, k);
  // Fused: d_output_ is the gradient w.r.t. the output activation's input; seed it there.
  const int seed_node = loss_->fused() ? model_.pre_activation_node(0) : model_.output_node(0);
  model_.backward(ctx, {GradientSeed{seed_node, d_output_.data()}});
  for (Variable& p : trainable_) {
    if (p.l1 > 0.0f || p.l2 > 0.0f)
      regularization_backward(p.grad->data(), p.value->data(), p.value->size(), p.l1, p.l2);
    // An overflowing gradient would turn the weights into NaN: stop before the update.
    if (!vec_all_finite(p.grad->data(), p.grad->size())) throw diverged();
  }
  optimizer_->apply(trainable_);
  ++steps_done_;
  // A finite gradient times a large learning rate can still overflow a weight. Report it at
  // this step rather than as a NaN loss one step later. (The weights are not rolled back:
  // that would cost a copy of every parameter per step; the caller resets or rebuilds.)
  for (const Variable& p : trainable_)
    if (!vec_all_finite(p.value->data(), p.value->size())) throw diverged();
}

Logs Trainer::train_epoch(const Dataset& data, int batch_size, bool shuffle) {
  NNPLAY_CHECK(batch_size > 0, "batchSize must be an integer > 0, got " << batch_size);
  check_data(data, "training data", true);
  const int n = data.size();
  begin_epoch(n, shuffle);
  std::vector<double> sums(1 + metrics_.size(), 0.0);
  int step = 0;
  while (cursor_ < order_.size()) {
    int b = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(batch_size), order_.size() - cursor_));
    train_batch(data, order_.data() + cursor_, b, ++step, sums);
    cursor_ += static_cast<std::size_t>(b);
  }
  ++epochs_done_;
  return make_logs(sums, n);
}

Logs Trainer::train_steps(const Dataset& data, int steps, int batch_size, bool shuffle) {
  NNPLAY_CHECK(batch_size > 0, "batchSize must be an integer > 0, got " << batch_size);
  NNPLAY_CHECK(steps >= 0, "steps must be an integer >= 0, got " << steps);
  // The playground calls this many times a second: the shapes are checked here, the contents
  // batch by batch (train_batch), so the cost stays proportional to the steps taken.
  check_data(data, "training data", false);
  const int n = data.size();
  std::vector<double> sums(1 + metrics_.size(), 0.0);
  long long samples = 0;
  for (int s = 0; s < steps; ++s) {
    if (order_.size() != static_cast<std::size_t>(n) || cursor_ >= order_.size()) begin_epoch(n, shuffle);
    int b = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(batch_size), order_.size() - cursor_));
    int step_in_epoch = static_cast<int>(cursor_ / static_cast<std::size_t>(batch_size)) + 1;
    train_batch(data, order_.data() + cursor_, b, step_in_epoch, sums);
    cursor_ += static_cast<std::size_t>(b);
    samples += b;
    if (cursor_ >= order_.size()) ++epochs_done_;
  }
  return make_logs(sums, samples);
}

Logs Trainer::evaluate(const Dataset& data, int batch_size) {
  NNPLAY_CHECK(batch_size > 0, "batchSize must be an integer > 0, got " << batch_size);
  check_data(data, "evaluation data", true);
  const int n = data.size();
  const int k = model_.output_size();
  const int t = data.target_size();
  const int in = data.input_size();
  std::vector<double> sums(1 + metrics_.size(), 0.0);
  for (int start = 0; start < n; start += batch_size) {
    int b = std::min(batch_size, n - start);
    // Contiguous rows: no gather needed.
    const float* x = data.x.data() + static_cast<std::size_t>(start) * in;
    const float* y = data.y.data() + static_cast<std::size_t>(start) * t;
    const Tensor& out = model_.forward(x, b);
    sums[0] += loss_->forward(out.data(), y, b, k) * b;
    add_metrics(out.data(), y, b, sums);
  }
  return make_logs(sums, n);
}

}  // namespace nnplay
