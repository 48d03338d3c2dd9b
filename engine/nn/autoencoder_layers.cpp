#include "nn/autoencoder_layers.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "core/check.h"
#include "core/cold.h"
#include "kernels/vec.h"
#include "ops/conv2d_transpose.h"
#include "ops/gaussian_sampling.h"
#include "ops/kl_divergence.h"
#include "ops/up_sampling2d.h"

namespace nnplay {

namespace {

NNPLAY_COLD void check_image_input(const char* type, const std::vector<Shape>& inputs) {
  NNPLAY_CHECK(inputs.size() == 1, type << " takes exactly 1 input, got " << inputs.size());
  NNPLAY_CHECK(inputs[0].size() == 3, type << " needs an image input [height, width, channels] (NHWC, rank 4 with "
                                              "the batch), but its input is "
                                           << shape_to_string(inputs[0]) << " (rank " << inputs[0].size() + 1
                                           << " with the batch)");
}

NNPLAY_COLD int checked_length(const char* type, std::int64_t length, const char* axis) {
  NNPLAY_CHECK(length > 0 && length <= (1 << 24),
               type << ": the output " << axis << " would be " << length << "; it must be in [1, 16777216]");
  return static_cast<int>(length);
}

// Two inputs [zMean, zLogVar] of one shape: what both latent layers take.
NNPLAY_COLD void check_mean_and_log_var(const char* type, const std::vector<Shape>& inputs) {
  NNPLAY_CHECK(inputs.size() == 2,
               type << " takes 2 inputs, [zMean, zLogVar] (apply it to a list of two tensors), got " << inputs.size());
  NNPLAY_CHECK(inputs[0] == inputs[1], type << " needs zMean and zLogVar of the same shape, got "
                                            << shape_to_string(inputs[0]) << " and " << shape_to_string(inputs[1])
                                            << " (e.g. two dense layers of the same units)");
}

}  // namespace

// ---- upSampling2d

NNPLAY_COLD Shape up_sampling2d_output_shape(const std::vector<Shape>& inputs, const UpSampling2dConfig& cfg) {
  check_image_input("upSampling2d", inputs);
  NNPLAY_CHECK(
      cfg.interpolation == "nearest" || cfg.interpolation == "bilinear",
      "upSampling2d: interpolation \"" << cfg.interpolation << "\" is not known; allowed: \"nearest\", \"bilinear\"");
  const Shape& in = inputs[0];
  return {checked_length("upSampling2d", std::int64_t{in[0]} * cfg.size_h, "height"),
          checked_length("upSampling2d", std::int64_t{in[1]} * cfg.size_w, "width"), in[2]};
}

NNPLAY_COLD UpSampling2dLayer::UpSampling2dLayer(const Shape& input_shape, const UpSampling2dConfig& cfg)
    : Layer({input_shape}, up_sampling2d_output_shape({input_shape}, cfg)), cfg_(cfg) {}

void UpSampling2dLayer::forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) {
  const Shape& in = input_shape(0);
  if (cfg_.interpolation == "bilinear")
    up_sampling2d_bilinear_forward(out, inputs[0], ctx.n, in[0], in[1], in[2], cfg_.size_h, cfg_.size_w);
  else
    up_sampling2d_forward(out, inputs[0], ctx.n, in[0], in[1], in[2], cfg_.size_h, cfg_.size_w);
}

void UpSampling2dLayer::backward(const PassContext& ctx, const std::vector<const float*>&, const float*,
                                 const float* d_out, const std::vector<float*>& d_inputs) {
  if (!d_inputs[0]) return;
  const Shape& in = input_shape(0);
  if (cfg_.interpolation == "bilinear")
    up_sampling2d_bilinear_backward(d_inputs[0], d_out, ctx.n, in[0], in[1], in[2], cfg_.size_h, cfg_.size_w);
  else
    up_sampling2d_backward(d_inputs[0], d_out, ctx.n, in[0], in[1], in[2], cfg_.size_h, cfg_.size_w);
}

// ---- conv2dTranspose

NNPLAY_COLD int conv2d_transpose_output_length(int in, int kernel, int stride, bool same) {
  const std::int64_t base = std::int64_t{in} * stride;
  return static_cast<int>(
      std::min<std::int64_t>(same ? base : base + std::max(kernel - stride, 0), std::numeric_limits<int>::max()));
}

NNPLAY_COLD Shape conv2d_transpose_output_shape(const std::vector<Shape>& inputs, const Conv2dTransposeConfig& cfg) {
  check_image_input("conv2dTranspose", inputs);
  const Shape& in = inputs[0];
  return {checked_length("conv2dTranspose",
                         conv2d_transpose_output_length(in[0], cfg.kernel_h, cfg.stride_h, cfg.same_padding), "height"),
          checked_length("conv2dTranspose",
                         conv2d_transpose_output_length(in[1], cfg.kernel_w, cfg.stride_w, cfg.same_padding), "width"),
          cfg.filters};
}

NNPLAY_COLD ConvGeometry conv2d_transpose_geometry(const Shape& input, const Conv2dTransposeConfig& cfg) {
  const Shape out = conv2d_transpose_output_shape({input}, cfg);
  ConvGeometry g = make_conv_geometry(out[0], out[1], cfg.filters, cfg.kernel_h, cfg.kernel_w, cfg.stride_h,
                                      cfg.stride_w, cfg.same_padding);
  // The output length rule is the inverse of the convolution's: it maps back onto the input.
  NNPLAY_ASSERT(g.oh == input[0] && g.ow == input[1]);
  return g;
}

NNPLAY_COLD std::vector<VariableInfo> conv2d_transpose_variables(const std::vector<Shape>& inputs,
                                                                 const Conv2dTransposeConfig& cfg, bool use_bias) {
  const int in_channels = inputs.at(0).at(2);
  std::vector<VariableInfo> v = {{"kernel", {cfg.kernel_h, cfg.kernel_w, cfg.filters, in_channels}, true}};
  if (use_bias) v.push_back({"bias", {cfg.filters}, true});
  return v;
}

NNPLAY_COLD Conv2dTransposeLayer::Conv2dTransposeLayer(const Shape& input_shape, const Shape& output_shape,
                                                       const Conv2dTransposeConfig& cfg,
                                                       std::vector<Variable> variables)
    : Layer({input_shape}, output_shape),
      g_(conv2d_transpose_geometry(input_shape, cfg)),
      in_channels_(input_shape.at(2)),
      use_bias_(variables.size() > 1) {
  variables_ = std::move(variables);
}

int Conv2dTransposeLayer::chunk_samples() const {
  const std::size_t per_sample = static_cast<std::size_t>(g_.out_pixels()) * static_cast<std::size_t>(g_.patch());
  return static_cast<int>(std::max<std::size_t>(1, kColBudget / per_sample));
}

NNPLAY_COLD std::uint64_t Conv2dTransposeLayer::workspace_floats_per_sample() const {
  return static_cast<std::uint64_t>(g_.out_pixels()) * static_cast<std::uint64_t>(g_.patch());
}

void Conv2dTransposeLayer::forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) {
  const int n = ctx.n, chunk = chunk_samples();
  col_.resize_for_overwrite({std::min(n, chunk) * g_.out_pixels(), g_.patch()});
  const std::ptrdiff_t in_size = static_cast<std::ptrdiff_t>(input_size(0));
  const std::ptrdiff_t out_size = static_cast<std::ptrdiff_t>(output_size());
  const float* bias = use_bias_ ? variables_[1].value->data() : nullptr;
  for (int b0 = 0; b0 < n; b0 += chunk) {
    const int nb = std::min(chunk, n - b0);
    conv2d_transpose_forward(out + b0 * out_size, col_.data(), inputs[0] + b0 * in_size, variables_[0].value->data(),
                             bias, g_, in_channels_, nb);
  }
}

void Conv2dTransposeLayer::backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float*,
                                    const float* d_out, const std::vector<float*>& d_inputs) {
  const int n = ctx.n, chunk = chunk_samples();
  col_.resize_for_overwrite({std::min(n, chunk) * g_.out_pixels(), g_.patch()});
  const std::ptrdiff_t in_size = static_cast<std::ptrdiff_t>(input_size(0));
  const std::ptrdiff_t out_size = static_cast<std::ptrdiff_t>(output_size());
  float* d_in = d_inputs[0];
  float* d_bias = use_bias_ ? variables_[1].grad->data() : nullptr;
  for (int b0 = 0; b0 < n; b0 += chunk) {
    const int nb = std::min(chunk, n - b0);
    conv2d_transpose_backward(d_in ? d_in + b0 * in_size : nullptr, variables_[0].grad->data(), d_bias, col_.data(),
                              d_out + b0 * out_size, inputs[0] + b0 * in_size, variables_[0].value->data(), g_,
                              in_channels_, nb);
  }
}

// ---- gaussianSampling

NNPLAY_COLD Shape gaussian_sampling_output_shape(const std::vector<Shape>& inputs, const GaussianSamplingConfig&) {
  check_mean_and_log_var("gaussianSampling", inputs);
  return inputs[0];
}

NNPLAY_COLD GaussianSamplingLayer::GaussianSamplingLayer(const std::vector<Shape>& input_shapes,
                                                         const GaussianSamplingConfig& cfg)
    : Layer(input_shapes, gaussian_sampling_output_shape(input_shapes, cfg)),
      cfg_(cfg),
      inference_rng_(cfg.seed.value_or(0), 0x3c6ef372fe94f82bULL) {}

void GaussianSamplingLayer::forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) {
  const std::uint64_t count = static_cast<std::uint64_t>(ctx.n) * output_size();
  sampled_ = ctx.training || cfg_.sample_at_inference;
  if (!sampled_) {
    if (count) std::memmove(out, inputs[0], count * sizeof(float));
    return;
  }
  eps_.resize(static_cast<std::size_t>(count));
  if (ctx.training) {
    NNPLAY_ASSERT(ctx.rng != nullptr);
    if (cfg_.seed) {  // as dropout: a generator keyed by the step's stream and the seed
      const std::uint64_t hi = ctx.rng->next_u32(), lo = ctx.rng->next_u32();
      Rng seeded((hi << 32) | lo, *cfg_.seed);
      gaussian_noise(eps_.data(), count, seeded);
    } else {
      gaussian_noise(eps_.data(), count, *ctx.rng);
    }
  } else {
    gaussian_noise(eps_.data(), count, inference_rng_);
  }
  gaussian_sampling_forward(out, inputs[0], inputs[1], eps_.data(), count);
}

void GaussianSamplingLayer::backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float*,
                                     const float* d_out, const std::vector<float*>& d_inputs) {
  const std::uint64_t count = static_cast<std::uint64_t>(ctx.n) * output_size();
  if (!sampled_) {  // z = zMean
    if (d_inputs[0]) vec_add(d_inputs[0], d_inputs[0], d_out, static_cast<std::size_t>(count));
    return;
  }
  NNPLAY_ASSERT(eps_.size() == count);
  gaussian_sampling_backward(d_inputs[0], d_inputs[1], d_out, inputs[1], eps_.data(), count);
}

// ---- klDivergence

NNPLAY_COLD void check_kl_beta(double beta) {
  NNPLAY_CHECK(std::isfinite(beta) && beta >= 0.0,
               "klDivergence: beta must be a finite number >= 0 (the weight of the KL term), got " << beta);
}

NNPLAY_COLD Shape kl_divergence_output_shape(const std::vector<Shape>& inputs, const KlDivergenceConfig& cfg) {
  check_mean_and_log_var("klDivergence", inputs);
  check_kl_beta(cfg.beta);
  return inputs[0];
}

NNPLAY_COLD KlDivergenceLayer::KlDivergenceLayer(const std::vector<Shape>& input_shapes, const KlDivergenceConfig& cfg)
    : Layer(input_shapes, kl_divergence_output_shape(input_shapes, cfg)), cfg_(cfg) {}

void KlDivergenceLayer::forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) {
  const int d = static_cast<int>(output_size());
  const std::uint64_t count = static_cast<std::uint64_t>(ctx.n) * output_size();
  if (count) std::memmove(out, inputs[0], count * sizeof(float));
  kl_ = kl_divergence_forward(inputs[0], inputs[1], ctx.n, d);
}

void KlDivergenceLayer::backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float*,
                                 const float* d_out, const std::vector<float*>& d_inputs) {
  const std::uint64_t count = static_cast<std::uint64_t>(ctx.n) * output_size();
  if (d_inputs[0]) vec_add(d_inputs[0], d_inputs[0], d_out, static_cast<std::size_t>(count));
  if (ctx.added_losses && cfg_.beta != 0.0)
    kl_divergence_backward(d_inputs[0], d_inputs[1], inputs[0], inputs[1], ctx.n, static_cast<int>(output_size()),
                           static_cast<float>(cfg_.beta));
}

NNPLAY_COLD bool KlDivergenceLayer::set_live_number(const std::string& key, double value) {
  if (key != "beta") return false;
  check_kl_beta(value);
  cfg_.beta = value;
  return true;
}

}  // namespace nnplay
