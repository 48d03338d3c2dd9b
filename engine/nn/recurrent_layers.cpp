#include "nn/recurrent_layers.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "core/check.h"
#include "core/cold.h"
#include "ops/dropout.h"
#include "ops/gru.h"
#include "ops/lstm.h"
#include "ops/simple_rnn.h"

namespace nnplay {

int recurrent_gates(RecurrentCell cell) {
  switch (cell) {
    case RecurrentCell::kSimpleRnn: return 1;
    case RecurrentCell::kLstm: return 4;
    case RecurrentCell::kGru: return 3;
  }
  return 1;
}

NNPLAY_COLD Shape recurrent_output_shape(const std::vector<Shape>& inputs, const RecurrentConfig& cfg,
                                         const std::string& where, const std::string& input_desc) {
  NNPLAY_CHECK(inputs.size() == 1, where << " takes exactly 1 input, got " << inputs.size());
  const Shape& in = inputs[0];
  NNPLAY_CHECK(in.size() == 2, where << " needs a sequence input [steps, features] per sample (batches [batch, steps, "
                                        "features]), but "
                                     << input_desc << " is " << shape_to_string(in)
                                     << "; give the model an inputShape such as [28, 1] (28 steps of 1 feature)");
  NNPLAY_CHECK(in[0] >= 1, where << ": the sequence has " << in[0] << " steps; a sequence needs at least 1 step");
  NNPLAY_CHECK(in[1] >= 1, where << ": each step has " << in[1] << " features; it needs at least 1");
  for (const auto& [key, rate] : {std::pair<const char*, float>{"dropout", cfg.dropout},
                                  std::pair<const char*, float>{"recurrentDropout", cfg.recurrent_dropout}})
    NNPLAY_CHECK(rate >= 0.0f && rate < 1.0f, where << ": " << key
                                                    << " must be a number in [0, 1) (the fraction of values dropped "
                                                       "in training), got "
                                                    << rate);
  const std::uint64_t width =
      static_cast<std::uint64_t>(recurrent_gates(cfg.cell)) * static_cast<std::uint64_t>(cfg.units);
  NNPLAY_CHECK(width <= static_cast<std::uint64_t>(std::numeric_limits<int>::max() / 2),
               where << ": " << cfg.units << " units are too many");
  if (cfg.return_sequences) return {in[0], cfg.units};
  return {cfg.units};
}

NNPLAY_COLD std::vector<Shape> recurrent_state_shapes(const RecurrentConfig& cfg) {
  if (!cfg.return_state) return {};
  if (cfg.cell == RecurrentCell::kLstm) return {{cfg.units}, {cfg.units}};
  return {{cfg.units}};
}

namespace {
// The per-sample row a returnState layer writes: its output, then each final state.
NNPLAY_COLD Shape packed_output_shape(const Shape& input_shape, const RecurrentConfig& cfg) {
  Shape out = recurrent_output_shape({input_shape}, cfg, recurrent_type_name(cfg.cell), "its input");
  if (!cfg.return_state) return out;
  std::uint64_t size = shape_size64(out);
  for (const Shape& state : recurrent_state_shapes(cfg)) size += shape_size64(state);
  return {static_cast<int>(size)};
}
}  // namespace

NNPLAY_COLD std::vector<VariableSpec> recurrent_variables(const std::vector<Shape>& inputs,
                                                          const RecurrentConfig& cfg) {
  const int features = inputs.at(0).at(1), units = cfg.units, width = recurrent_gates(cfg.cell) * units;
  std::vector<VariableSpec> v;
  VariableSpec kernel{"kernel", {features, width}, true,         cfg.kernel_initializer, features,
                      width,    cfg.kernel_l1,     cfg.kernel_l2};
  VariableSpec recurrent{"recurrent_kernel", {units, width},  true, cfg.recurrent_initializer, units, width,
                         cfg.recurrent_l1,   cfg.recurrent_l2};
  v.push_back(kernel);
  v.push_back(recurrent);
  if (cfg.use_bias) {
    const bool two_rows = cfg.cell == RecurrentCell::kGru && cfg.reset_after;
    VariableSpec bias{
        "bias",     two_rows ? Shape{2, width} : Shape{width}, true, cfg.bias_initializer, width, width, cfg.bias_l1,
        cfg.bias_l2};
    if (cfg.cell == RecurrentCell::kLstm && cfg.unit_forget_bias) {
      bias.ones_begin = static_cast<std::uint64_t>(units);  // the forget gate's slice: f is the second gate
      bias.ones_end = 2 * static_cast<std::uint64_t>(units);
    }
    v.push_back(bias);
  }
  return v;
}

NNPLAY_COLD RecurrentLayer::RecurrentLayer(const Shape& input_shape, const RecurrentConfig& cfg,
                                           std::vector<Variable> variables)
    : Layer({input_shape}, packed_output_shape(input_shape, cfg)), cfg_(cfg) {
  NNPLAY_ASSERT(variables.size() == (cfg.use_bias ? 3u : 2u));
  variables_ = std::move(variables);
}

RecurrentShape RecurrentLayer::shape_for(int n) const {
  RecurrentShape s;
  s.n = n;
  s.steps = steps();
  s.features = features();
  s.units = cfg_.units;
  s.gates = recurrent_gates(cfg_.cell);
  s.return_sequences = cfg_.return_sequences;
  s.go_backwards = cfg_.go_backwards;
  return s;
}

RecurrentWeights RecurrentLayer::weights() const {
  RecurrentWeights w;
  w.kernel = variables_[0].value->data();
  w.recurrent = variables_[1].value->data();
  w.bias = cfg_.use_bias ? variables_[2].value->data() : nullptr;
  w.activation = cfg_.activation;
  w.activation_alpha = cfg_.activation_alpha;
  w.recurrent_activation = cfg_.recurrent_activation;
  w.reset_after = cfg_.reset_after;
  return w;
}

void RecurrentLayer::forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) {
  NNPLAY_ASSERT(inputs.size() == 1 && ctx.n >= 0);
  // The GEMMs take int rows: every step of the batch at once must fit.
  NNPLAY_CHECK(static_cast<std::uint64_t>(ctx.n) * static_cast<std::uint64_t>(steps()) <=
                   static_cast<std::uint64_t>(std::numeric_limits<int>::max()),
               recurrent_type_name(cfg_.cell) << ": a batch of " << ctx.n << " sequences of " << steps()
                                              << " steps is too large; use a smaller batch");
  const RecurrentShape s = shape_for(ctx.n);
  const RecurrentWeights w = weights();
  draw_masks(ctx);
  const std::size_t n = static_cast<std::size_t>(ctx.n), u = static_cast<std::size_t>(cfg_.units);
  const std::size_t own = output_size_of_op(), row = static_cast<std::size_t>(output_size());
  float* op_out = out;
  if (cfg_.return_state) {
    own_out_.resize(n * own);
    op_out = own_out_.data();
  }
  switch (cfg_.cell) {
    case RecurrentCell::kSimpleRnn: simple_rnn_forward(s, w, inputs[0], buffers_, op_out); break;
    case RecurrentCell::kLstm: lstm_forward(s, w, inputs[0], buffers_, op_out); break;
    case RecurrentCell::kGru: gru_forward(s, w, inputs[0], buffers_, op_out); break;
  }
  last_n_ = ctx.n;
  if (!cfg_.return_state) return;
  // Each sample's row: [output | h_T | c_T], the final states from the last slot of h and c.
  const std::size_t last = static_cast<std::size_t>(steps()) * n * u;
  const bool lstm = cfg_.cell == RecurrentCell::kLstm;
  for (std::size_t i = 0; i < n; ++i) {
    float* dst = out + i * row;
    std::copy_n(own_out_.data() + i * own, own, dst);
    std::copy_n(buffers_.h.data() + last + i * u, u, dst + own);
    if (lstm) std::copy_n(buffers_.c.data() + last + i * u, u, dst + own + u);
  }
}

std::size_t RecurrentLayer::output_size_of_op() const {
  return static_cast<std::size_t>(cfg_.units) * (cfg_.return_sequences ? static_cast<std::size_t>(steps()) : 1);
}

void RecurrentLayer::draw_masks(const PassContext& ctx) {
  const std::uint64_t n = static_cast<std::uint64_t>(ctx.n);
  // Input mask first, then the recurrent one, as TF.js draws them.
  auto draw = [&](std::vector<float>& mask, float rate, int width) {
    if (!ctx.training || rate <= 0.0f) {
      mask.clear();
      return;
    }
    NNPLAY_ASSERT(ctx.rng != nullptr);
    mask.resize(n * static_cast<std::uint64_t>(width));
    dropout_draw_mask(mask.data(), mask.size(), rate, *ctx.rng);
  };
  draw(buffers_.input_mask, cfg_.dropout, features());
  draw(buffers_.recurrent_mask, cfg_.recurrent_dropout, cfg_.units);
}

void RecurrentLayer::backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float*,
                              const float* d_out, const std::vector<float*>& d_inputs) {
  (void)inputs;
  NNPLAY_ASSERT(inputs.size() == 1 && d_inputs.size() == 1 && ctx.n == last_n_);
  const RecurrentShape s = shape_for(ctx.n);
  const RecurrentWeights w = weights();
  RecurrentGrads g;
  g.kernel = variables_[0].grad ? variables_[0].grad->data() : nullptr;
  g.recurrent = variables_[1].grad ? variables_[1].grad->data() : nullptr;
  g.bias = cfg_.use_bias && variables_[2].grad ? variables_[2].grad->data() : nullptr;
  const float* d_op_out = d_out;
  RecurrentStateGrads d_final;
  if (cfg_.return_state) {
    // Unpack [d output | d h_T | d c_T] per sample into the op's layouts.
    const std::size_t n = static_cast<std::size_t>(ctx.n), u = static_cast<std::size_t>(cfg_.units);
    const std::size_t own = output_size_of_op(), row = static_cast<std::size_t>(output_size());
    const bool lstm = cfg_.cell == RecurrentCell::kLstm;
    d_own_out_.resize(n * own);
    d_h_final_.resize(n * u);
    d_c_final_.resize(lstm ? n * u : 0);
    for (std::size_t i = 0; i < n; ++i) {
      const float* src = d_out + i * row;
      std::copy_n(src, own, d_own_out_.data() + i * own);
      std::copy_n(src + own, u, d_h_final_.data() + i * u);
      if (lstm) std::copy_n(src + own + u, u, d_c_final_.data() + i * u);
    }
    d_op_out = d_own_out_.data();
    d_final.h = d_h_final_.data();
    d_final.c = lstm ? d_c_final_.data() : nullptr;
  }
  switch (cfg_.cell) {
    case RecurrentCell::kSimpleRnn: simple_rnn_backward(s, w, g, buffers_, d_op_out, d_inputs[0], d_final); break;
    case RecurrentCell::kLstm: lstm_backward(s, w, g, buffers_, d_op_out, d_inputs[0], d_final); break;
    case RecurrentCell::kGru: gru_backward(s, w, g, buffers_, d_op_out, d_inputs[0], d_final); break;
  }
}

NNPLAY_COLD std::uint64_t RecurrentLayer::workspace_floats_per_sample() const {
  return recurrent_forward_floats_per_sample(shape_for(1), cfg_.cell == RecurrentCell::kLstm,
                                             cfg_.cell == RecurrentCell::kGru, cfg_.dropout > 0,
                                             cfg_.recurrent_dropout > 0) +
         (cfg_.return_state ? output_size_of_op() : 0);
}

NNPLAY_COLD std::vector<StateInfo> RecurrentLayer::states() const {
  std::vector<StateInfo> s = {{"h", {steps(), cfg_.units}}};
  if (cfg_.cell == RecurrentCell::kLstm) s.push_back({"c", {steps(), cfg_.units}});
  if (cfg_.cell != RecurrentCell::kSimpleRnn)
    s.push_back({"gates", {steps(), recurrent_gates(cfg_.cell) * cfg_.units}});
  return s;
}

void RecurrentLayer::read_state(int k, float* out) const {
  const std::vector<StateInfo> all = states();
  NNPLAY_ASSERT(k >= 0 && static_cast<std::size_t>(k) < all.size() && last_n_ >= 0);
  const std::string& name = all[static_cast<std::size_t>(k)].name;
  // h and c hold the zero initial state in slot 0; the gates start at step 0.
  const std::vector<float>& src = name == "h" ? buffers_.h : name == "c" ? buffers_.c : buffers_.gates;
  const std::size_t width = static_cast<std::size_t>(all[static_cast<std::size_t>(k)].shape[1]);
  const std::size_t first = name == "gates" ? 0 : 1, n = static_cast<std::size_t>(last_n_);
  const std::size_t steps_n = static_cast<std::size_t>(steps());
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t s = 0; s < steps_n; ++s)
      std::copy_n(src.data() + ((s + first) * n + i) * width, width, out + (i * steps_n + s) * width);
}

NNPLAY_COLD RecurrentConfig recurrent_config_from(const Config& c, RecurrentCell cell) {
  RecurrentConfig cfg;
  cfg.cell = cell;
  cfg.units = c.integer("units");
  const ActivationInfo& act = find_activation(c.string("activation"));
  cfg.activation = act.kind;
  cfg.activation_alpha = act.default_alpha;
  if (c.has("recurrentActivation")) cfg.recurrent_activation = find_activation(c.string("recurrentActivation")).kind;
  cfg.use_bias = c.boolean("useBias");
  cfg.return_sequences = c.boolean("returnSequences");
  if (c.has("returnState")) cfg.return_state = c.boolean("returnState");
  cfg.go_backwards = c.boolean("goBackwards");
  if (c.has("unitForgetBias")) cfg.unit_forget_bias = c.boolean("unitForgetBias");
  if (c.has("resetAfter")) cfg.reset_after = c.boolean("resetAfter");
  if (c.has("dropout")) cfg.dropout = c.number("dropout");
  if (c.has("recurrentDropout")) cfg.recurrent_dropout = c.number("recurrentDropout");
  cfg.kernel_initializer = c.string("kernelInitializer");
  cfg.recurrent_initializer = c.string("recurrentInitializer");
  cfg.bias_initializer = c.string("biasInitializer");
  auto reg = [&](const char* key, float& l1, float& l2) {
    const ConfigValue& r = c.at(key);
    l1 = r.is_null ? 0.0f : r.l1;
    l2 = r.is_null ? 0.0f : r.l2;
  };
  reg("kernelRegularizer", cfg.kernel_l1, cfg.kernel_l2);
  reg("recurrentRegularizer", cfg.recurrent_l1, cfg.recurrent_l2);
  reg("biasRegularizer", cfg.bias_l1, cfg.bias_l2);
  return cfg;
}

NNPLAY_COLD std::unique_ptr<Layer> make_recurrent_layer(const LayerArgs& args, RecurrentCell cell) {
  return std::make_unique<RecurrentLayer>(args.input_shapes.at(0), recurrent_config_from(*args.config, cell),
                                          args.variables);
}

}  // namespace nnplay
