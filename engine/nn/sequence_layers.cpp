#include "nn/sequence_layers.h"

#include <cmath>
#include <limits>

#include "core/check.h"
#include "core/cold.h"
#include "nn/conv2d_layer.h"
#include "ops/avg_pool2d.h"
#include "ops/embedding.h"

namespace nnplay {

// ---------------------------------------------------------------- embedding

NNPLAY_COLD EmbeddingConfig embedding_config_from(const Config& c) {
  EmbeddingConfig cfg;
  cfg.input_dim = c.integer("inputDim");
  cfg.output_dim = c.integer("outputDim");
  cfg.input_length = c.is_null("inputLength") ? -1 : c.integer("inputLength");
  cfg.initializer = c.string("embeddingsInitializer");
  const ConfigValue& r = c.at("embeddingsRegularizer");
  cfg.l1 = r.is_null ? 0.0f : r.l1;
  cfg.l2 = r.is_null ? 0.0f : r.l2;
  return cfg;
}

NNPLAY_COLD Shape embedding_output_shape(const std::vector<Shape>& inputs, const EmbeddingConfig& cfg,
                                         const std::string& where, const std::string& input_desc) {
  NNPLAY_CHECK(inputs.size() == 1, where << " takes exactly 1 input, got " << inputs.size());
  const Shape& in = inputs[0];
  NNPLAY_CHECK(!in.empty() && in.size() <= 5, where << " needs ids [steps] per sample (batches [batch, steps]), but "
                                                    << input_desc << " is " << shape_to_string(in));
  if (cfg.input_length >= 0)
    NNPLAY_CHECK(in.back() == cfg.input_length, where << ": inputLength is " << cfg.input_length << " but "
                                                      << input_desc << " is " << shape_to_string(in)
                                                      << "; they must agree (or leave inputLength out)");
  NNPLAY_CHECK(static_cast<std::uint64_t>(cfg.input_dim) * static_cast<std::uint64_t>(cfg.output_dim) <=
                   (std::uint64_t{1} << 26),
               where << ": the table of " << cfg.input_dim << " × " << cfg.output_dim
                     << " embeddings is too large (at most 2^26 values)");
  Shape out = in;
  out.push_back(cfg.output_dim);
  return out;
}

NNPLAY_COLD std::vector<VariableSpec> embedding_variables(const EmbeddingConfig& cfg) {
  return {VariableSpec{"embeddings",
                       {cfg.input_dim, cfg.output_dim},
                       true,
                       cfg.initializer,
                       cfg.input_dim,
                       cfg.output_dim,
                       cfg.l1,
                       cfg.l2}};
}

NNPLAY_COLD EmbeddingLayer::EmbeddingLayer(const Shape& input_shape, const EmbeddingConfig& cfg,
                                           std::vector<Variable> variables, std::string where)
    : Layer({input_shape}, embedding_output_shape({input_shape}, cfg, where, "its input")),
      cfg_(cfg),
      where_(std::move(where)) {
  NNPLAY_ASSERT(variables.size() == 1);
  variables_ = std::move(variables);
}

void EmbeddingLayer::check_input_values(int input, const float* x, int n) const {
  (void)input;  // one input
  NNPLAY_ASSERT(input == 0 && n >= 0);
  const std::size_t per_sample = static_cast<std::size_t>(input_size(0));
  const std::size_t rows = static_cast<std::size_t>(n) * per_sample;
  const std::size_t bad = embedding_find_bad_id(x, rows, cfg_.input_dim);
  if (bad == rows) return;
  const float id = x[bad];
  Message m;
  m << where_ << ": sample " << bad / per_sample << " has id ";
  if (std::isnan(id))
    m << "NaN";
  else
    m << id;
  m << " at position " << bad % per_sample << "; ids must be integers in [0, " << cfg_.input_dim << ") (inputDim "
    << cfg_.input_dim << ")";
  throw Error(m.str());
}

void EmbeddingLayer::forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) {
  NNPLAY_ASSERT(inputs.size() == 1 && ctx.n >= 0);
  check_input_values(0, inputs[0], ctx.n);
  embedding_forward(out, inputs[0], variables_[0].value->data(),
                    static_cast<std::size_t>(ctx.n) * static_cast<std::size_t>(input_size(0)), cfg_.output_dim);
}

void EmbeddingLayer::backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float*,
                              const float* d_out, const std::vector<float*>&) {
  NNPLAY_ASSERT(inputs.size() == 1);
  if (!variables_[0].grad) return;
  embedding_backward(variables_[0].grad->data(), d_out, inputs[0],
                     static_cast<std::size_t>(ctx.n) * static_cast<std::size_t>(input_size(0)), cfg_.output_dim);
}

// ---------------------------------------------------------------- conv1d

NNPLAY_COLD Conv1dConfig conv1d_config_from(const Config& c) {
  Conv1dConfig cfg;
  cfg.filters = c.integer("filters");
  cfg.kernel_size = c.integer("kernelSize");
  cfg.stride = c.integer("strides");
  cfg.same = c.string("padding") == "same";
  return cfg;
}

namespace {
NNPLAY_COLD ConvGeometry conv1d_geometry(const Shape& in, const Conv1dConfig& cfg) {
  return make_conv_geometry(1, in.at(0), in.at(1), 1, cfg.kernel_size, 1, cfg.stride, cfg.same);
}
}  // namespace

NNPLAY_COLD Shape conv1d_output_shape(const std::vector<Shape>& inputs, const Conv1dConfig& cfg,
                                      const std::string& where, const std::string& input_desc) {
  NNPLAY_CHECK(inputs.size() == 1, where << " takes exactly 1 input, got " << inputs.size());
  const Shape& in = inputs[0];
  NNPLAY_CHECK(in.size() == 2, where << " needs a sequence input [steps, channels] per sample (batches [batch, steps, "
                                        "channels]), but "
                                     << input_desc << " is " << shape_to_string(in)
                                     << "; give the model an inputShape such as [100, 1]");
  const ConvGeometry g = conv1d_geometry(in, cfg);
  NNPLAY_CHECK(g.ow > 0, where << ": kernelSize " << cfg.kernel_size << " is longer than its input's " << in[0]
                               << " steps with padding \"valid\" (the output would be empty); use a smaller "
                                  "kernelSize or padding \"same\"");
  return {g.ow, cfg.filters};
}

NNPLAY_COLD std::unique_ptr<Layer> make_conv1d_layer(const LayerArgs& args) {
  const Conv1dConfig cfg = conv1d_config_from(*args.config);
  return std::make_unique<Conv2dLayer>(args, conv1d_geometry(args.input_shapes.at(0), cfg));
}

// ---------------------------------------------------------------- globalAveragePooling1d

NNPLAY_COLD Shape global_average_pooling1d_output_shape(const std::vector<Shape>& inputs, const std::string& where,
                                                        const std::string& input_desc) {
  NNPLAY_CHECK(inputs.size() == 1, where << " takes exactly 1 input, got " << inputs.size());
  const Shape& in = inputs[0];
  NNPLAY_CHECK(in.size() == 2, where << " needs a sequence input [steps, features] per sample (batches [batch, steps, "
                                        "features]), but "
                                     << input_desc << " is " << shape_to_string(in));
  return {in[1]};
}

NNPLAY_COLD GlobalAveragePooling1dLayer::GlobalAveragePooling1dLayer(const Shape& input_shape)
    : Layer({input_shape}, {input_shape.at(1)}) {}

void GlobalAveragePooling1dLayer::forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) {
  NNPLAY_ASSERT(inputs.size() == 1 && ctx.n >= 0);
  global_avg_pool2d_forward(out, inputs[0], ctx.n, input_shapes_[0][0], input_shapes_[0][1]);
}

void GlobalAveragePooling1dLayer::backward(const PassContext& ctx, const std::vector<const float*>&, const float*,
                                           const float* d_out, const std::vector<float*>& d_inputs) {
  NNPLAY_ASSERT(d_inputs.size() == 1);
  if (d_inputs[0]) global_avg_pool2d_backward(d_inputs[0], d_out, ctx.n, input_shapes_[0][0], input_shapes_[0][1]);
}

}  // namespace nnplay
