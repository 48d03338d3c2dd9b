// Table rows of the autoencoder layers of issue 9: upSampling2d, conv2dTranspose,
// gaussianSampling, klDivergence. Each row only translates a Config into the layer's typed
// config (nn/autoencoder_layers.h) and calls its shape and variable functions, as the rows of
// nn/layer_rows_v2.cpp do.
#include <limits>

#include "nn/autoencoder_layers.h"
#include "nn/registry.h"
#include "nn/registry_json.h"

namespace nnplay {

namespace {

template <class Fn>
auto at_layer(const std::string& where, const char* type, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const Error& e) {
    std::string message = e.what();
    const std::string prefix = std::string(type) + ": ";
    if (message.compare(0, prefix.size(), prefix) == 0) message = message.substr(prefix.size());
    throw Error(where + ": " + message);
  }
}

// ---- upSampling2d

constexpr std::string_view kInterpolationNames[] = {"nearest", "bilinear"};
constexpr ChoiceList kInterpolations = kInterpolationNames;

UpSampling2dConfig up_sampling2d_config(const Config& c) {
  UpSampling2dConfig cfg;
  const std::array<int, 2> size = c.pair("size");
  cfg.size_h = size[0];
  cfg.size_w = size[1];
  cfg.interpolation = c.string("interpolation");
  return cfg;
}
Shape up_sampling2d_shape(const std::vector<Shape>& in, const Config& c, const std::string& where,
                          const std::vector<std::string>&) {
  return at_layer(where, "upSampling2d", [&] { return up_sampling2d_output_shape(in, up_sampling2d_config(c)); });
}
std::unique_ptr<Layer> make_up_sampling2d(const LayerArgs& a) {
  return std::make_unique<UpSampling2dLayer>(a.input_shapes.at(0), up_sampling2d_config(*a.config));
}

// ---- conv2dTranspose

Conv2dTransposeConfig conv2d_transpose_config(const Config& c) {
  Conv2dTransposeConfig cfg;
  cfg.filters = c.integer("filters");
  const std::array<int, 2> k = c.pair("kernelSize");
  cfg.kernel_h = k[0];
  cfg.kernel_w = k[1];
  if (!c.is_null("strides")) {
    const std::array<int, 2> s = c.pair("strides");
    cfg.stride_h = s[0];
    cfg.stride_w = s[1];
  }
  cfg.same_padding = c.string("padding") == "same";
  return cfg;
}
Shape conv2d_transpose_shape(const std::vector<Shape>& in, const Config& c, const std::string& where,
                             const std::vector<std::string>&) {
  return at_layer(where, "conv2dTranspose",
                  [&] { return conv2d_transpose_output_shape(in, conv2d_transpose_config(c)); });
}
std::vector<VariableSpec> conv2d_transpose_specs(const std::vector<Shape>& in, const Config& c) {
  const Conv2dTransposeConfig cfg = conv2d_transpose_config(c);
  const std::vector<VariableInfo> infos = conv2d_transpose_variables(in, cfg, c.boolean("useBias"));
  const ConfigValue& reg = c.at("kernelRegularizer");
  // TF.js fans of a conv kernel [kh, kw, a, b]: field·a in, field·b out; here a = filters.
  const int field = cfg.kernel_h * cfg.kernel_w, in_channels = in.at(0).at(2);
  std::vector<VariableSpec> specs = {VariableSpec{"kernel", infos[0].shape, true, c.string("kernelInitializer"),
                                                  field * cfg.filters, field * in_channels, reg.is_null ? 0.0f : reg.l1,
                                                  reg.is_null ? 0.0f : reg.l2}};
  if (infos.size() > 1)
    specs.push_back(VariableSpec{"bias", infos[1].shape, true, c.string("biasInitializer"), cfg.filters, cfg.filters});
  return specs;
}
std::unique_ptr<Layer> make_conv2d_transpose(const LayerArgs& a) {
  return std::make_unique<Conv2dTransposeLayer>(a.input_shapes.at(0), a.output_shape,
                                                conv2d_transpose_config(*a.config), a.variables);
}

// ---- gaussianSampling, klDivergence

GaussianSamplingConfig gaussian_sampling_config(const Config& c) {
  GaussianSamplingConfig cfg;
  cfg.sample_at_inference = c.boolean("sampleAtInference");
  if (!c.is_null("seed")) cfg.seed = static_cast<std::uint64_t>(c.integer("seed"));
  return cfg;
}
Shape gaussian_sampling_shape(const std::vector<Shape>& in, const Config& c, const std::string& where,
                              const std::vector<std::string>&) {
  return at_layer(where, "gaussianSampling",
                  [&] { return gaussian_sampling_output_shape(in, gaussian_sampling_config(c)); });
}
std::unique_ptr<Layer> make_gaussian_sampling(const LayerArgs& a) {
  return std::make_unique<GaussianSamplingLayer>(a.input_shapes, gaussian_sampling_config(*a.config));
}

KlDivergenceConfig kl_divergence_config(const Config& c) { return KlDivergenceConfig{c.at("beta").number}; }
Shape kl_divergence_shape(const std::vector<Shape>& in, const Config& c, const std::string& where,
                          const std::vector<std::string>&) {
  return at_layer(where, "klDivergence", [&] { return kl_divergence_output_shape(in, kl_divergence_config(c)); });
}
std::unique_ptr<Layer> make_kl_divergence(const LayerArgs& a) {
  return std::make_unique<KlDivergenceLayer>(a.input_shapes, kl_divergence_config(*a.config));
}

constexpr auto kUpSampling2dKeys = layer_keys(
    keys(pair_key("size", false, default_pair(2, 2)), string_key("interpolation", "nearest", &kInterpolations)));
constexpr auto kConv2dTransposeKeys =
    layer_keys(keys(int_key("filters", true, 0, 1, 65536, "the number of output channels, an integer > 0"),
                    pair_key("kernelSize", true, kNullDefault, "an integer such as 3, or [height, width]"),
                    pair_key("strides", false, kNullDefault), string_key("padding", "valid", &kPaddingChoices),
                    string_key("activation", "linear", &kActivationChoices), null_number_key("alpha", false, 0, 1e300),
                    string_key("kernelInitializer", "glorotUniform", &kInitializerChoices),
                    string_key("biasInitializer", "zeros", &kInitializerChoices), bool_key("useBias", true),
                    regularizer_key("kernelRegularizer")));
constexpr auto kGaussianSamplingKeys = layer_keys(
    keys(bool_key("sampleAtInference", false), optional_int_key("seed", 0, std::numeric_limits<int>::max())));
constexpr auto kKlDivergenceKeys =
    layer_keys(keys(number_key("beta", 1.0, 0, 1e300, "the weight of the KL term, a number >= 0")));

}  // namespace

constexpr LayerType kLayerRowsAe[kLayerRowsAeCount] = {
    {"upSampling2d",
     {"UpSampling2D", "upSampling2D", "up_sampling2d"},
     kUpSampling2dKeys,
     1,
     1,
     up_sampling2d_shape,
     nullptr,
     make_up_sampling2d,
     "",
     nullptr,
     EnginePart::kExtra},
    {"conv2dTranspose",
     {"Conv2DTranspose", "conv2DTranspose", "conv2d_transpose"},
     kConv2dTransposeKeys,
     1,
     1,
     conv2d_transpose_shape,
     conv2d_transpose_specs,
     make_conv2d_transpose,
     "activation",
     nullptr,
     EnginePart::kExtra},
    {"gaussianSampling",
     {"sampling", "Sampling", "GaussianSampling", "gaussian_sampling"},
     kGaussianSamplingKeys,
     2,
     2,
     gaussian_sampling_shape,
     nullptr,
     make_gaussian_sampling,
     "",
     nullptr,
     EnginePart::kExtra},
    {"klDivergence",
     {"KLDivergenceLayer", "kl_divergence"},
     kKlDivergenceKeys,
     2,
     2,
     kl_divergence_shape,
     nullptr,
     make_kl_divergence,
     "",
     nullptr,
     EnginePart::kExtra},
};
static_assert(!kLayerRowsAe[kLayerRowsAeCount - 1].name.empty(), "kLayerRowsAeCount counts rows that are not there");

}  // namespace nnplay
