// The fit loop. Figures follow TF.js: the training loss of a batch is measured before that
// batch's update and includes the kernel regularization penalty; evaluate() reports the data
// loss alone (as TF.js's evaluate and val_loss do). Means are weighted by batch size, so they
// are exact means over samples.
#include "train/trainer.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/rng.h"
#include "kernels/gather_rows.h"
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

// TF.js's precision / recall of one batch: true positives are elements with y == 1 and pred == 1
// exactly (TF.js compares, it does not threshold), false positives y == 0 and pred == 1, false
// negatives y == 1 and pred == 0; tp / (tp + fp) or tp / (tp + fn), 0 when that is 0 / 0. Like
// every figure, the epoch's value is the mean over batches weighted by their size, as TF.js logs it.
double precision_or_recall(MetricKind kind, const float* pred, const float* y, int b, int k, bool sparse) {
  double tp = 0, other = 0;
  for (int r = 0; r < b; ++r)
    for (int c = 0; c < k; ++c) {
      const float p = pred[static_cast<std::size_t>(r) * k + c];
      const float t = sparse ? (c == static_cast<int>(y[r]) ? 1.0f : 0.0f) : y[static_cast<std::size_t>(r) * k + c];
      if (t == 1.0f && p == 1.0f) ++tp;
      if (kind == MetricKind::kPrecision ? (t == 0.0f && p == 1.0f) : (t == 1.0f && p == 0.0f)) ++other;
    }
  return tp + other > 0 ? tp / (tp + other) : 0.0;
}

}  // namespace

std::vector<std::string> output_names(const Graph& model) {
  std::vector<std::string> names;
  for (const NodeRef& r : model.spec().outputs) names.push_back(r.layer);
  return names;
}

std::vector<OutputCompile> validate_loss_for_graph(const Graph& model, const CompileSpec& compile) {
  std::vector<OutputCompile> outputs = resolve_compile_spec(compile, output_names(model));
  const bool single = model.num_outputs() == 1;
  for (int o = 0; o < model.num_outputs(); ++o) {
    const Shape& out = model.output_shape(o);
    const LossInfo& loss = find_loss(outputs[static_cast<std::size_t>(o)].loss);
    const LayerInfo& last = model.layer_info(single ? model.num_layers() - 1
                                                    : model.find_layer(outputs[static_cast<std::size_t>(o)].output));
    const std::string layer_desc = single ? "the last layer" : "output \"" + last.name + "\"";
    if (loss.kind == LossKind::kCategoricalCrossentropy || loss.kind == LossKind::kSparseCategoricalCrossentropy) {
      // Classes along the last axis, as TF.js: [classes] per sample, or [steps, classes] (a
      // returnSequences model predicting per step), the loss the mean over samples and steps.
      NNPLAY_CHECK(out.size() <= 2,
                   loss.name << " needs a flat model output ([classes] per sample) or [steps, classes] (classes "
                                "per step, along the last axis), but "
                             << (single ? "the last layer (" + last.type + ")" : layer_desc + " (" + last.type + ")")
                             << " outputs " << shape_to_string(out)
                             << " per sample; end the model with flatten and a dense layer");
      NNPLAY_CHECK(out.back() > 1, loss.name << " needs an output layer with one unit per class (at least 2), but "
                                             << layer_desc << " has " << out.back()
                                             << " unit; for two classes with one output unit use binaryCrossentropy "
                                                "with a sigmoid activation");
    }
    if (loss.sums_over_outputs) {
      // TF.js sums these along the last axis; this engine's losses see one flat row per sample.
      NNPLAY_CHECK(out.size() == 1, loss.name << " sums over the last axis and needs a flat model output, but "
                                              << layer_desc << " (" << last.type << ") outputs " << shape_to_string(out)
                                              << " per sample; end the model with flatten and a dense layer");
    }
    if (loss.kind == LossKind::kBinaryCrossentropy) {
      // Probabilities are needed; an unbounded output is clipped to [1e-7, 1 - 1e-7] and learns
      // nothing outside that range.
      const ActivationKind act = model.output_activation(o);
      NNPLAY_CHECK(act == ActivationKind::kSigmoid || act == ActivationKind::kSoftmax,
                   "binaryCrossentropy needs probabilities from " << layer_desc
                                                                  << ": use activation sigmoid (or "
                                                                     "softmax), not "
                                                                  << activation_name(act));
    }
  }
  return outputs;
}

Trainer::Trainer(Graph& model, const CompileSpec& spec) : model_(model), spec_(spec) {
  validate_compile_spec(spec_);
  outputs_ = validate_loss_for_graph(model_, spec_);
  const bool single = outputs_.size() == 1;
  log_names_ = {"loss"};
  heads_.resize(outputs_.size());
  for (std::size_t o = 0; o < outputs_.size(); ++o) {
    Head& h = heads_[o];
    // The fused gradient is decided from the built graph: is output o a sigmoid/softmax node?
    h.loss = std::make_unique<Loss>(outputs_[o].loss, model_.fusable_output_activation(static_cast<int>(o)),
                                    outputs_[o].loss_config);
    h.weight = outputs_[o].weight;
    h.output = static_cast<int>(o);
    h.output_size = model_.output_size(h.output);
    const Shape& out_shape = model_.output_shape(h.output);
    const LossKind kind = h.loss->kind();
    if ((kind == LossKind::kCategoricalCrossentropy || kind == LossKind::kSparseCategoricalCrossentropy) &&
        out_shape.size() == 2) {
      h.rows_per_sample = out_shape[0];
      h.classes = out_shape[1];
    } else {
      h.classes = h.output_size;
    }
    // Fused: the loss gradient is w.r.t. the output activation's input; it is seeded there.
    h.seed_node = h.loss->fused() ? model_.pre_activation_node(h.output) : model_.output_node(h.output);
    for (const std::string& m : outputs_[o].metrics) h.metrics.push_back(&find_metric(m));
    if (!single) {
      h.loss_log = static_cast<int>(log_names_.size());
      log_names_.push_back(outputs_[o].output + "_loss");
    }
  }
  for (std::size_t o = 0; o < outputs_.size(); ++o)
    for (const MetricInfo* m : heads_[o].metrics) {
      heads_[o].metric_logs.push_back(static_cast<int>(log_names_.size()));
      const std::string log_name(m->log_name);
      log_names_.push_back(single ? log_name : outputs_[o].output + "_" + log_name);
    }
  // Layers that report a figure (klDivergence's KL): with one output, its loss gets a log of its
  // own too ("<output>_loss", the reconstruction), so loss = that + Σ β·figure can be drawn apart.
  const std::vector<std::string>& figures = model_.log_figure_names();
  if (!figures.empty() && single) {
    heads_[0].loss_log = static_cast<int>(log_names_.size());
    log_names_.push_back(outputs_[0].output + "_loss");
  }
  figure_log_ = static_cast<int>(log_names_.size());
  for (const std::string& f : figures) {
    NNPLAY_CHECK(std::find(log_names_.begin(), log_names_.end(), f) == log_names_.end(),
                 "layer \"" << f
                            << "\" reports a figure in the training logs under its name, which is already the log \""
                            << f << "\"; give the layer another name");
    log_names_.push_back(f);
  }
  optimizer_ = make_optimizer(spec_.optimizer);
  for (const Variable& v : model_.variables())
    if (v.trainable) trainable_.push_back(v);
  batch_xs_.resize(static_cast<std::size_t>(model_.num_inputs()));
  batch_x_ptrs_.resize(batch_xs_.size());
  seeds_.resize(heads_.size());
}

Trainer::~Trainer() = default;

void Trainer::set_learning_rate(float learning_rate) {
  optimizer_->set_learning_rate(learning_rate);
  spec_.optimizer.learning_rate = learning_rate;
  spec_.optimizer.schedule.clear();
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

void Trainer::check_data(const TrainingData& data, const char* what, bool contents) const {
  const bool single_in = model_.num_inputs() == 1, single_out = model_.num_outputs() == 1;
  NNPLAY_CHECK(static_cast<int>(data.xs.size()) == model_.num_inputs(),
               what << ": the model has " << model_.num_inputs() << " input" << (single_in ? "" : "s") << " but "
                    << data.xs.size() << " x tensor" << (data.xs.size() == 1 ? " was" : "s were")
                    << " given; give one per input, in the model's input order");
  NNPLAY_CHECK(static_cast<int>(data.ys.size()) == model_.num_outputs(),
               what << ": the model has " << model_.num_outputs() << " output" << (single_out ? "" : "s") << " but "
                    << data.ys.size() << " y tensor" << (data.ys.size() == 1 ? " was" : "s were")
                    << " given; give one per output, in the model's output order");
  const int n = data.size();
  NNPLAY_CHECK(n > 0, what << " is empty: at least one sample is needed");
  const std::vector<std::string> outs = output_names(model_);
  for (int i = 0; i < model_.num_inputs(); ++i) {
    const Tensor& x = *data.xs[static_cast<std::size_t>(i)];
    const std::string xname = single_in ? "x" : "x[" + std::to_string(i) + "]";
    NNPLAY_CHECK(x.rank() >= 1 && x.dim(0) == n, what << ": " << xname << " has " << (x.rank() ? x.dim(0) : 0)
                                                      << " samples but x[0] has " << n << "; they must match");
    NNPLAY_CHECK(data.input_size(i) == model_.input_size(i),
                 what << ": " << xname << " has " << data.input_size(i) << " features per sample but the model's "
                      << (single_in ? std::string("inputShape")
                                    : "input \"" + model_.spec().inputs[static_cast<std::size_t>(i)].layer + "\"")
                      << " is [" << model_.input_size(i) << "]");
  }
  for (int o = 0; o < model_.num_outputs(); ++o) {
    const Tensor& y = *data.ys[static_cast<std::size_t>(o)];
    const Loss& loss = *heads_[static_cast<std::size_t>(o)].loss;
    const std::string yname =
        single_out ? "y" : "y[" + std::to_string(o) + "] (output \"" + outs[static_cast<std::size_t>(o)] + "\")";
    NNPLAY_CHECK(y.rank() >= 1 && y.dim(0) == n, what << ": x has " << n << " samples but " << yname << " has "
                                                      << (y.rank() ? y.dim(0) : 0) << "; they must match");
    const Head& head = heads_[static_cast<std::size_t>(o)];
    const int k = model_.output_size(o);
    const int t = loss.target_size(k);
    if (loss.sparse()) {
      const int rows = head.rows_per_sample;
      NNPLAY_CHECK(data.target_size(o) == rows,
                   what << ": sparseCategoricalCrossentropy needs " << yname
                        << (rows == 1 ? std::string(" [n, 1] holding class indices")
                                      : " [n, " + std::to_string(rows) + "] holding one class index per step")
                        << ", but " << yname << " has " << data.target_size(o) << " columns per sample");
    } else {
      NNPLAY_CHECK(data.target_size(o) == t, what << ": " << yname << " has " << data.target_size(o)
                                                  << " columns per sample but the model outputs " << k
                                                  << (k > 1 && loss.kind() == LossKind::kCategoricalCrossentropy
                                                          ? " (one-hot labels; for class indices use "
                                                            "sparseCategoricalCrossentropy)"
                                                          : ""));
    }
  }
  if (!data.sample_weights.empty()) {
    NNPLAY_CHECK(static_cast<int>(data.sample_weights.size()) == model_.num_outputs(),
                 what << ": " << data.sample_weights.size() << " sample-weight tensors for " << model_.num_outputs()
                      << " outputs; give one per output");
    for (const Tensor* w : data.sample_weights)
      NNPLAY_CHECK(w->rank() >= 1 && w->dim(0) == n && TrainingData::row_size(*w) == 1,
                   what << ": sample weights must be [" << n << ", 1] (one per sample)");
  }
  if (!contents || contents_prevalidated_) return;
  validate_training_data(data);
  for (const Tensor* w : data.sample_weights)
    NNPLAY_CHECK(vec_all_finite(w->data(), w->size()), what << ": sample weights must be finite numbers");
  for (int o = 0; o < model_.num_outputs(); ++o) {
    const Head& head = heads_[static_cast<std::size_t>(o)];
    if (!head.loss->sparse()) continue;
    const Tensor& y = *data.ys[static_cast<std::size_t>(o)];
    const int k = head.classes, rows = head.rows_per_sample;
    for (int i = 0; i < n; ++i)
      for (int r = 0; r < rows; ++r) {
        const float v = y[static_cast<std::size_t>(i) * static_cast<std::size_t>(rows) + static_cast<std::size_t>(r)];
        NNPLAY_CHECK(v >= 0.0f && v < static_cast<float>(k) && std::floor(v) == v,
                     what << ": sparseCategoricalCrossentropy labels must be class indices 0.." << (k - 1)
                          << " (one per output unit); sample " << i
                          << (rows > 1 ? ", step " + std::to_string(r) : std::string()) << " has label " << v);
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

namespace {

// Shapes t [rows, cols]; allocates only when the shape changes (the last batch of an epoch),
// not on every step. Contents are left as they are: callers overwrite them.
void shape_rows(Tensor& t, int rows, int cols) {
  if (t.rank() != 2 || t.dim(0) != rows || t.dim(1) != cols) t.resize({rows, cols});
}

void gather_batch_rows(Tensor& batch, const Tensor& src, const int* idx, int b) {
  const int cols = TrainingData::row_size(src);
  shape_rows(batch, b, cols);
  gather_rows(batch.data(), src.data(), idx, b, static_cast<std::size_t>(cols));
}

}  // namespace

void Trainer::gather(const TrainingData& data, const int* idx, int b) {
  for (std::size_t i = 0; i < batch_xs_.size(); ++i) gather_batch_rows(batch_xs_[i], *data.xs[i], idx, b);
  for (std::size_t o = 0; o < heads_.size(); ++o) {
    Head& h = heads_[o];
    gather_batch_rows(h.batch_y, *data.ys[o], idx, b);
    h.weight_ptr = nullptr;
    if (data.sample_weights.empty()) continue;
    gather_batch_rows(h.batch_weight, *data.sample_weights[o], idx, b);
    h.weight_ptr = h.batch_weight.data();
    if (h.rows_per_sample == 1) continue;
    // A sample's weight weighs every row (step) of its loss.
    const std::size_t rows = static_cast<std::size_t>(h.rows_per_sample);
    h.row_weights.resize(static_cast<std::size_t>(b) * rows);
    for (std::size_t r = 0; r < h.row_weights.size(); ++r) h.row_weights[r] = h.batch_weight[r / rows];
    h.weight_ptr = h.row_weights.data();
  }
}

void Trainer::add_metrics(const Head& head, const float* pred, const float* y, int samples,
                          std::vector<double>& sums) const {
  // Per row of classes: a sample, or each step of one (a [steps, classes] output); the sums stay
  // per sample (a sample's figure is the mean over its steps).
  const int k = head.classes, rows = head.rows_per_sample;
  const int b = samples * rows;
  const bool sparse = head.loss->sparse();
  for (std::size_t m = 0; m < head.metrics.size(); ++m) {
    MetricKind kind = head.metrics[m]->kind;
    if (kind == MetricKind::kAccuracy) {
      // TF.js's 'accuracy': binary (threshold 0.5, per element) for one output unit or binary
      // cross-entropy; categorical (argmax, against class indices for the sparse loss) otherwise.
      kind = k == 1 || head.loss->kind() == LossKind::kBinaryCrossentropy ? MetricKind::kBinaryAccuracy
                                                                          : MetricKind::kCategoricalAccuracy;
    }
    double sum = 0.0;
    for (int r = 0; r < b; ++r) {
      const float* p = pred + static_cast<std::size_t>(r) * k;
      const float* t = y + static_cast<std::size_t>(r) * (sparse ? 1 : k);
      auto target = [&](int c) {
        return sparse ? (c == static_cast<int>(t[0]) ? 1.0 : 0.0) : static_cast<double>(t[c]);
      };
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
        case MetricKind::kMeanAbsolutePercentageError: {
          double e_sum = 0.0;
          for (int c = 0; c < k; ++c) {
            const double eps = 1e-7f, a = std::fabs(target(c));  // TF.js clips |y| to ε (float32)
            e_sum += std::fabs((target(c) - p[c]) / (a < eps ? eps : a));
          }
          sum += 100.0 * e_sum / k;
          break;
        }
        case MetricKind::kPrecision:
        case MetricKind::kRecall: break;  // per batch, below
        case MetricKind::kAccuracy: break;
      }
    }
    if (kind == MetricKind::kPrecision || kind == MetricKind::kRecall)
      sum = b * precision_or_recall(kind, pred, y, b, k, sparse);
    sums[static_cast<std::size_t>(head.metric_logs[m])] += sum / rows;
  }
}

void Trainer::check_batch(const int* idx, int b) const {
  const bool single_in = batch_xs_.size() == 1, single_out = heads_.size() == 1;
  for (std::size_t i = 0; i < batch_xs_.size(); ++i) {
    const Tensor& bx = batch_xs_[i];
    if (vec_all_finite(bx.data(), bx.size())) continue;
    const int in = bx.dim(1);
    const std::string xname = single_in ? "x" : "x[" + std::to_string(i) + "]";
    for (int r = 0; r < b; ++r)
      for (int c = 0; c < in; ++c) {
        const float v = bx[static_cast<std::size_t>(r) * in + c];
        NNPLAY_CHECK(std::isfinite(v), "training data " << xname << " holds " << (std::isnan(v) ? "NaN" : "Infinity")
                                                        << " at sample " << idx[r] << ", column " << c
                                                        << "; every value must be a finite number");
      }
  }
  for (std::size_t o = 0; o < heads_.size(); ++o) {
    const Tensor& by = heads_[o].batch_y;
    const int t = by.dim(1);
    const std::string yname = single_out ? "y" : "y[" + std::to_string(o) + "]";
    const bool y_ok = vec_all_finite(by.data(), by.size());
    const int k = heads_[o].classes;
    for (int r = 0; r < b; ++r) {
      const float* y = by.data() + static_cast<std::size_t>(r) * t;
      for (int c = 0; !y_ok && c < t; ++c)
        NNPLAY_CHECK(std::isfinite(y[c]),
                     "training data " << yname << " holds " << (std::isnan(y[c]) ? "NaN" : "Infinity") << " at sample "
                                      << idx[r] << ", column " << c << "; every value must be a finite number");
      if (heads_[o].loss->sparse())
        for (int c = 0; c < t; ++c)  // t: one label per step
          NNPLAY_CHECK(y[c] >= 0.0f && y[c] < static_cast<float>(k) && std::floor(y[c]) == y[c],
                       "training data: sparseCategoricalCrossentropy labels must be class indices 0.."
                           << (k - 1) << " (one per output unit); sample " << idx[r]
                           << (t > 1 ? ", step " + std::to_string(c) : std::string()) << " has label " << y[c]);
    }
  }
}

Logs Trainer::make_logs(const std::vector<double>& sums, long long samples) const {
  Logs logs;
  const double n = samples > 0 ? static_cast<double>(samples) : 1.0;
  for (std::size_t i = 0; i < log_names_.size(); ++i) logs.values.emplace_back(log_names_[i], sums[i] / n);
  return logs;
}

void Trainer::train_batch(const TrainingData& data, const int* idx, int b, int step_in_epoch,
                          std::vector<double>& sums) {
  gather(data, idx, b);
  if (!contents_prevalidated_) check_batch(idx, b);
  // A stream per step, from the model seed and the step number: a dropout mask depends on
  // neither the platform nor how the steps were split into calls.
  Rng step_rng(model_.seed(), 0xbb67ae8584caa73bULL + steps_done_);
  const PassContext ctx{true, &step_rng, b};
  for (std::size_t i = 0; i < batch_xs_.size(); ++i) batch_x_ptrs_[i] = batch_xs_[i].data();
  model_.forward(ctx, batch_x_ptrs_);
  double loss = 0.0;
  for (Head& h : heads_) {
    h.batch_loss = h.loss->forward(model_.output(h.output).data(), h.batch_y.data(), b * h.rows_per_sample, h.classes,
                                   h.weight_ptr);
    loss += h.weight * h.batch_loss;
  }
  for (const Variable& p : trainable_)
    if (p.l1 > 0.0f || p.l2 > 0.0f) loss += regularization_forward(p.value->data(), p.value->size(), p.l1, p.l2);
  loss += model_.added_loss();
  model_.log_figures(figure_values_);
  for (std::size_t f = 0; f < figure_values_.size(); ++f)
    sums[static_cast<std::size_t>(figure_log_) + f] += figure_values_[f] * b;

  auto diverged = [&]() {
    Message os;
    os << "training diverged: the loss became NaN/Infinity at epoch " << (epochs_done_ + 1) << ", step "
       << step_in_epoch << "; try a smaller learning rate (now " << optimizer_->learning_rate() << ")";
    return TrainingDiverged(os.str());
  };
  if (!std::isfinite(loss)) throw diverged();

  sums[0] += loss * b;
  for (std::size_t o = 0; o < heads_.size(); ++o) {
    Head& h = heads_[o];
    const int k = h.output_size;
    const Tensor& pred = model_.output(h.output);
    add_metrics(h, pred.data(), h.batch_y.data(), b, sums);
    if (h.loss_log > 0) sums[static_cast<std::size_t>(h.loss_log)] += h.batch_loss * b;
    shape_rows(h.d_output, b, k);
    h.loss->backward(h.d_output.data(), pred.data(), h.batch_y.data(), b * h.rows_per_sample, h.classes, h.weight_ptr);
    if (h.weight != 1.0) {
      const float w = static_cast<float>(h.weight);
      for (std::size_t i = 0; i < h.d_output.size(); ++i) h.d_output[i] *= w;
    }
    seeds_[o] = GradientSeed{h.seed_node, h.d_output.data()};
  }
  model_.backward(ctx, seeds_);
  for (Variable& p : trainable_) {
    if (p.l1 > 0.0f || p.l2 > 0.0f)
      regularization_backward(p.grad->data(), p.value->data(), p.value->size(), p.l1, p.l2);
    // An overflowing gradient would turn the weights into NaN: stop before the update.
    if (!vec_all_finite(p.grad->data(), p.grad->size())) throw diverged();
  }
  if (!spec_.optimizer.schedule.empty())
    optimizer_->set_scheduled_learning_rate(learning_rate_at(spec_.optimizer, steps_done_));
  optimizer_->apply(trainable_);
  ++steps_done_;
  // A finite gradient times a large learning rate can still overflow a weight. Report it at
  // this step rather than as a NaN loss one step later. (The weights are not rolled back:
  // that would cost a copy of every parameter per step; the caller resets or rebuilds.)
  for (const Variable& p : trainable_)
    if (!vec_all_finite(p.value->data(), p.value->size())) throw diverged();
}

Logs Trainer::train_epoch(const TrainingData& data, int batch_size, bool shuffle) {
  NNPLAY_CHECK(batch_size > 0, "batchSize must be an integer > 0, got " << batch_size);
  check_data(data, "training data", true);
  const int n = data.size();
  begin_epoch(n, shuffle);
  std::vector<double> sums(log_names_.size(), 0.0);
  int step = 0;
  while (cursor_ < order_.size()) {
    int b = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(batch_size), order_.size() - cursor_));
    train_batch(data, order_.data() + cursor_, b, ++step, sums);
    cursor_ += static_cast<std::size_t>(b);
  }
  ++epochs_done_;
  return make_logs(sums, n);
}

Logs Trainer::train_steps(const TrainingData& data, int steps, int batch_size, bool shuffle) {
  NNPLAY_CHECK(batch_size > 0, "batchSize must be an integer > 0, got " << batch_size);
  NNPLAY_CHECK(steps >= 0, "steps must be an integer >= 0, got " << steps);
  // The playground calls this many times a second: the shapes are checked here, the contents
  // batch by batch (train_batch), so the cost stays proportional to the steps taken.
  check_data(data, "training data", false);
  const int n = data.size();
  std::vector<double> sums(log_names_.size(), 0.0);
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

Logs Trainer::evaluate(const TrainingData& data, int batch_size) {
  NNPLAY_CHECK(batch_size > 0, "batchSize must be an integer > 0, got " << batch_size);
  check_data(data, "evaluation data", true);
  const int n = data.size();
  std::vector<double> sums(log_names_.size(), 0.0);
  std::vector<const float*> xs(data.xs.size());
  for (int start = 0; start < n; start += batch_size) {
    int b = std::min(batch_size, n - start);
    // Contiguous rows: no gather needed.
    for (std::size_t i = 0; i < xs.size(); ++i)
      xs[i] = data.xs[i]->data() +
              static_cast<std::size_t>(start) * static_cast<std::size_t>(data.input_size(static_cast<int>(i)));
    model_.forward(PassContext{false, nullptr, b}, xs);
    for (std::size_t o = 0; o < heads_.size(); ++o) {
      const int out = static_cast<int>(o);
      const Tensor& pred = model_.output(out);
      const float* y =
          data.ys[o]->data() + static_cast<std::size_t>(start) * static_cast<std::size_t>(data.target_size(out));
      const double l = heads_[o].loss->forward(pred.data(), y, b * heads_[o].rows_per_sample, heads_[o].classes);
      sums[0] += heads_[o].weight * l * b;
      if (heads_[o].loss_log > 0) sums[static_cast<std::size_t>(heads_[o].loss_log)] += l * b;
      add_metrics(heads_[o], pred.data(), y, b, sums);
    }
    // As Keras's evaluate: the layers' added losses (β·KL) count in the loss here too.
    sums[0] += model_.added_loss() * b;
    model_.log_figures(figure_values_);
    for (std::size_t f = 0; f < figure_values_.size(); ++f)
      sums[static_cast<std::size_t>(figure_log_) + f] += figure_values_[f] * b;
  }
  return make_logs(sums, n);
}

}  // namespace nnplay
