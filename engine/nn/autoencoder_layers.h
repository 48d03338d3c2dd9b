// The layers autoencoders and variational autoencoders need (issue 9):
//  - upSampling2d: nearest-neighbour upsampling of NHWC images (Keras UpSampling2D).
//  - conv2dTranspose: the transposed convolution (Keras Conv2DTranspose): kernel
//    [kh, kw, filters, inChannels], output length in·stride + max(kernel − stride, 0) for
//    "valid" and in·stride for "same" (Keras deconv_output_length without outputPadding).
//  - gaussianSampling: inputs [zMean, zLogVar] -> z = zMean + exp(0.5·zLogVar)·ε, ε ~ N(0, 1)
//    drawn from the pass's Rng in training; at inference z = zMean unless sampleAtInference.
//    Keras has no built-in layer for this: its VAE example writes a custom Sampling layer.
//  - klDivergence: inputs [zMean, zLogVar] -> zMean unchanged, adding the loss
//    β · batch mean of −0.5·Σ(1 + logVar − mean² − exp(logVar)) (the Keras VAE example's kl_loss;
//    the pass-through form is the KLDivergenceLayer of the Keras-blog VAE). β can change live
//    (set_live_number("beta")); the KL before β is the layer's log figure.
// Shapes are per sample; each *_output_shape throws Error starting with the type name.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/rng.h"
#include "kernels/im2col.h"
#include "nn/layer.h"
#include "nn/variable_info.h"

namespace nnplay {

// ---- upSampling2d

struct UpSampling2dConfig {
  int size_h = 2, size_w = 2;
  std::string interpolation = "nearest";  // or "bilinear" (ops/up_sampling2d.h)
};
Shape up_sampling2d_output_shape(const std::vector<Shape>& inputs, const UpSampling2dConfig& cfg);

class UpSampling2dLayer : public Layer {
 public:
  UpSampling2dLayer(const Shape& input_shape, const UpSampling2dConfig& cfg);
  void forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) override;
  void backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float* out, const float* d_out,
                const std::vector<float*>& d_inputs) override;

 private:
  UpSampling2dConfig cfg_;
};

// ---- conv2dTranspose

struct Conv2dTransposeConfig {
  int filters = 1;
  int kernel_h = 1, kernel_w = 1;
  int stride_h = 1, stride_w = 1;
  bool same_padding = false;
};
// Keras's deconv_output_length (dilation 1, no outputPadding).
int conv2d_transpose_output_length(int in, int kernel, int stride, bool same);
Shape conv2d_transpose_output_shape(const std::vector<Shape>& inputs, const Conv2dTransposeConfig& cfg);
// The convolution this layer transposes: its input is the layer's output, its output the layer's input.
ConvGeometry conv2d_transpose_geometry(const Shape& input, const Conv2dTransposeConfig& cfg);
// kernel [kh, kw, filters, inChannels], bias [filters] when use_bias.
std::vector<VariableInfo> conv2d_transpose_variables(const std::vector<Shape>& inputs, const Conv2dTransposeConfig& cfg,
                                                     bool use_bias);

class Conv2dTransposeLayer : public Layer {
 public:
  static constexpr std::size_t kColBudget = std::size_t{1} << 22;  // floats of im2col scratch, as conv2d

  Conv2dTransposeLayer(const Shape& input_shape, const Shape& output_shape, const Conv2dTransposeConfig& cfg,
                       std::vector<Variable> variables);
  void forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) override;
  void backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float* out, const float* d_out,
                const std::vector<float*>& d_inputs) override;
  std::uint64_t workspace_floats_per_sample() const override;

  const ConvGeometry& geometry() const { return g_; }

 private:
  int chunk_samples() const;

  ConvGeometry g_;
  int in_channels_;
  bool use_bias_;
  Tensor col_;  // [chunk · in pixels, kh·kw·filters]
};

// ---- gaussianSampling

struct GaussianSamplingConfig {
  bool sample_at_inference = false;   // inference returns zMean unless this is set
  std::optional<std::uint64_t> seed;  // mixes into the training draws; seeds the inference stream
};
// Both inputs of the same shape; the output has it too.
Shape gaussian_sampling_output_shape(const std::vector<Shape>& inputs, const GaussianSamplingConfig& cfg);

class GaussianSamplingLayer : public Layer {
 public:
  GaussianSamplingLayer(const std::vector<Shape>& input_shapes, const GaussianSamplingConfig& cfg);
  void forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) override;
  void backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float* out, const float* d_out,
                const std::vector<float*>& d_inputs) override;
  std::uint64_t workspace_floats_per_sample() const override { return output_size(); }  // ε
  bool draws_at_inference() const override { return cfg_.sample_at_inference; }

  // The ε of the last forward that sampled, [n, shape].
  const std::vector<float>& noise() const { return eps_; }

 private:
  GaussianSamplingConfig cfg_;
  Rng inference_rng_;  // one stream over every inference call: chunked predicts draw what one would
  std::vector<float> eps_;
  bool sampled_ = false;  // the last forward drew ε (training, or sampleAtInference)
};

// ---- klDivergence

struct KlDivergenceConfig {
  double beta = 1.0;  // finite, >= 0
};
Shape kl_divergence_output_shape(const std::vector<Shape>& inputs, const KlDivergenceConfig& cfg);
void check_kl_beta(double beta);  // throws Error "klDivergence: beta must be ..."

class KlDivergenceLayer : public Layer {
 public:
  KlDivergenceLayer(const std::vector<Shape>& input_shapes, const KlDivergenceConfig& cfg);
  void forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) override;
  void backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float* out, const float* d_out,
                const std::vector<float*>& d_inputs) override;
  double added_loss() const override { return cfg_.beta * kl_; }
  bool has_log_figure() const override { return true; }
  double log_figure() const override { return kl_; }
  bool set_live_number(const std::string& key, double value) override;

  double beta() const { return cfg_.beta; }

 private:
  KlDivergenceConfig cfg_;
  double kl_ = 0.0;  // batch mean of the last forward
};

}  // namespace nnplay
