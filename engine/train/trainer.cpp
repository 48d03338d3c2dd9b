// The fit loop. Figures follow TF.js: the training loss of a batch is measured before that
// batch's update and includes the kernel regularization penalty; evaluate() reports the data
// loss alone (as TF.js's evaluate and val_loss do). Means are weighted by batch size, so they
// are exact means over samples.
//
// This file is the per-step part (train_batch and what it calls, the epoch loops, evaluate),
// built -O3; the setup that runs once per compile or per call (the constructor, the data
// checks) is trainer_setup.cpp, built for size (CMakeLists.txt, NNPLAY_COLD_REGEX).
#include "train/trainer.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/cold.h"
#include "core/rng.h"
#include "kernels/gather_rows.h"
#include "kernels/vec.h"
#include "ops/regularization.h"
#include "optim/optimizer.h"
#include "train/loss.h"

namespace nnplay {

namespace {

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

// The step's three divergence checks share this one copy of the message and the throw, out of
// line and built for size: it runs at most once per model.
[[noreturn]] NNPLAY_COLD void throw_diverged(int epoch, int step_in_epoch, float learning_rate) {
  Message os;
  os << "training diverged: the loss became NaN/Infinity at epoch " << epoch << ", step " << step_in_epoch
     << "; try a smaller learning rate (now " << learning_rate << ")";
  throw TrainingDiverged(os.str());
}

}  // namespace

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
        case MetricKind::kCosineProximity: {
          // −Σ ŷ·p̂ with x̂ = x / sqrt(max(Σx², ε)), as TF.js's l2Normalize (ε = 1e-7).
          double yy = 0.0, pp = 0.0, yp = 0.0;
          for (int c = 0; c < k; ++c) {
            yy += target(c) * target(c);
            pp += static_cast<double>(p[c]) * p[c];
            yp += target(c) * p[c];
          }
          const double eps = 1e-7f;
          sum -= yp / (std::sqrt(yy < eps ? eps : yy) * std::sqrt(pp < eps ? eps : pp));
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

  auto diverged = [&]() { throw_diverged(epochs_done_ + 1, step_in_epoch, optimizer_->learning_rate()); };
  if (!std::isfinite(loss)) diverged();

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
    if (!vec_all_finite(p.grad->data(), p.grad->size())) diverged();
  }
  if (!spec_.optimizer.schedule.empty())
    optimizer_->set_scheduled_learning_rate(learning_rate_at(spec_.optimizer, steps_done_));
  optimizer_->apply(trainable_);
  ++steps_done_;
  // A finite gradient times a large learning rate can still overflow a weight. Report it at
  // this step rather than as a NaN loss one step later. (The weights are not rolled back:
  // that would cost a copy of every parameter per step; the caller resets or rebuilds.)
  for (const Variable& p : trainable_)
    if (!vec_all_finite(p.value->data(), p.value->size())) diverged();
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
