// The trainer's setup, run once per compile and per fit/evaluate call, never per step: the
// Trainer's constructor (heads, log names, optimizer), validate_loss_for_graph, the live setters,
// and the data checks with their messages. A file of its own so CMakeLists.txt can build it for
// size (NNPLAY_COLD_REGEX) while trainer.cpp, the step, stays -O3.
#include <algorithm>
#include <cmath>

#include "kernels/vec.h"
#include "optim/optimizer.h"
#include "train/loss.h"
#include "train/trainer.h"

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

}  // namespace nnplay
