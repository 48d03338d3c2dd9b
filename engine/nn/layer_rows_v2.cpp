// Table rows of the layers of issue 6 §2. Each layer keeps its typed config and pure shape /
// variable functions in its own file (nn/<layer>.h); a row here only translates a Config into
// that struct, so the rules are said once: the shape rule calls the layer's shape function, the
// variable rule its variables function (adding the initializers), the factory its constructor
// with the Variables the graph made.
#include <cmath>
#include <limits>

#include "core/check.h"
#include "nn/average_pooling2d_layer.h"
#include "nn/batch_normalization_layer.h"
#include "nn/dropout_layer.h"
#include "nn/elementwise_merge_layers.h"
#include "nn/gaussian_noise_layers.h"
#include "nn/global_max_pooling_layers.h"
#include "nn/image_margin_layers.h"
#include "nn/layer_normalization_layer.h"
#include "nn/merge_layers.h"
#include "nn/permute_layer.h"
#include "nn/registry.h"
#include "nn/registry_json.h"
#include "nn/reshape_layer.h"

namespace nnplay {

namespace {

// A layer file's Errors start with its type ("dropout: rate must ..."); in a model they start
// with where the layer is ("layer 1 (dropout): rate must ...").
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

std::vector<VariableSpec> to_specs(const std::vector<VariableInfo>& infos, const Config* initializers = nullptr) {
  std::vector<VariableSpec> specs;
  for (const VariableInfo& info : infos) {
    VariableSpec s;
    s.suffix = info.name;
    s.shape = info.shape;
    s.trainable = info.trainable;
    s.initializer = "zeros";
    if (initializers) {
      // Keras's key per batchNormalization weight: gamma -> gammaInitializer, moving_mean -> movingMeanInitializer.
      std::string key;
      bool upper = false;
      for (char c : info.name) {
        if (c == '_') {
          upper = true;
          continue;
        }
        key += upper ? static_cast<char>(c - 'a' + 'A') : c;
        upper = false;
      }
      s.initializer = initializers->string(key + "Initializer");
    }
    specs.push_back(s);
  }
  return specs;
}

constexpr ConfigKey initializer_key(std::string_view name, std::string_view def) {
  return string_key(name, def, &kInitializerChoices);
}

// ---- dropout

DropoutConfig dropout_config(const Config& c) {
  DropoutConfig cfg;
  cfg.rate = c.number("rate");
  if (!c.is_null("noiseShape")) cfg.noise_shape = c.at("noiseShape").ints;
  if (!c.is_null("seed")) cfg.seed = static_cast<std::uint64_t>(c.integer("seed"));
  return cfg;
}
Shape dropout_shape(const std::vector<Shape>& in, const Config& c, const std::string& where,
                    const std::vector<std::string>&) {
  return at_layer(where, "dropout", [&] { return dropout_output_shape(in, dropout_config(c)); });
}
std::unique_ptr<Layer> make_dropout(const LayerArgs& a) {
  return std::make_unique<DropoutLayer>(a.input_shapes.at(0), dropout_config(*a.config), a.name);
}

// ---- batchNormalization

BatchNormalizationConfig batch_normalization_config(const Config& c) {
  BatchNormalizationConfig cfg;
  cfg.axis = c.integer("axis");
  cfg.momentum = c.number("momentum");
  cfg.epsilon = c.number("epsilon");
  cfg.center = c.boolean("center");
  cfg.scale = c.boolean("scale");
  return cfg;
}
Shape batch_normalization_shape(const std::vector<Shape>& in, const Config& c, const std::string& where,
                                const std::vector<std::string>&) {
  return at_layer(where, "batchNormalization",
                  [&] { return batch_normalization_output_shape(in, batch_normalization_config(c)); });
}
std::vector<VariableSpec> batch_normalization_specs(const std::vector<Shape>& in, const Config& c) {
  return to_specs(batch_normalization_variables(in, batch_normalization_config(c)), &c);
}
std::unique_ptr<Layer> make_batch_normalization(const LayerArgs& a) {
  return std::make_unique<BatchNormalizationLayer>(a.input_shapes.at(0), batch_normalization_config(*a.config),
                                                   a.variables);
}

// ---- reshape

ReshapeConfig reshape_config(const Config& c) { return ReshapeConfig{c.at("targetShape").ints}; }
Shape reshape_shape(const std::vector<Shape>& in, const Config& c, const std::string& where,
                    const std::vector<std::string>&) {
  return at_layer(where, "reshape", [&] { return reshape_output_shape(in, reshape_config(c)); });
}
std::unique_ptr<Layer> make_reshape(const LayerArgs& a) {
  return std::make_unique<ReshapeLayer>(a.input_shapes.at(0), reshape_config(*a.config), a.name);
}

// ---- concatenate, add

Shape concatenate_shape(const std::vector<Shape>& in, const Config& c, const std::string& where,
                        const std::vector<std::string>&) {
  return at_layer(where, "concatenate",
                  [&] { return concatenate_output_shape(in, ConcatenateConfig{c.integer("axis")}); });
}
std::unique_ptr<Layer> make_concatenate(const LayerArgs& a) {
  return std::make_unique<ConcatenateLayer>(a.input_shapes, ConcatenateConfig{a.config->integer("axis")}, a.name);
}
Shape add_shape(const std::vector<Shape>& in, const Config&, const std::string& where,
                const std::vector<std::string>&) {
  return at_layer(where, "add", [&] { return add_output_shape(in, AddConfig{}); });
}
std::unique_ptr<Layer> make_add(const LayerArgs& a) {
  return std::make_unique<AddLayer>(a.input_shapes, AddConfig{}, a.name);
}

// ---- multiply, average, maximum, minimum: one layer class, the op is the row's

template <ElementwiseMerge kOp>
Shape elementwise_merge_shape(const std::vector<Shape>& in, const Config&, const std::string& where,
                              const std::vector<std::string>&) {
  return at_layer(where, elementwise_merge_name(kOp), [&] { return elementwise_merge_output_shape(in, kOp); });
}
template <ElementwiseMerge kOp>
std::unique_ptr<Layer> make_elementwise_merge(const LayerArgs& a) {
  return std::make_unique<ElementwiseMergeLayer>(a.input_shapes, kOp, a.name);
}

// ---- averagePooling2d, globalAveragePooling2d

AveragePooling2dConfig average_pooling2d_config(const Config& c) {
  AveragePooling2dConfig cfg;
  const std::array<int, 2> pool = c.pair("poolSize");
  cfg.pool_h = pool[0];
  cfg.pool_w = pool[1];
  if (!c.is_null("strides")) {
    const std::array<int, 2> s = c.pair("strides");
    cfg.stride_h = s[0];
    cfg.stride_w = s[1];
  }
  cfg.same_padding = c.string("padding") == "same";
  return cfg;
}
Shape average_pooling2d_shape(const std::vector<Shape>& in, const Config& c, const std::string& where,
                              const std::vector<std::string>&) {
  return at_layer(where, "averagePooling2d",
                  [&] { return average_pooling2d_output_shape(in, average_pooling2d_config(c)); });
}
std::unique_ptr<Layer> make_average_pooling2d(const LayerArgs& a) {
  return std::make_unique<AveragePooling2dLayer>(a.input_shapes.at(0), average_pooling2d_config(*a.config), a.name);
}
Shape global_average_pooling2d_shape(const std::vector<Shape>& in, const Config&, const std::string& where,
                                     const std::vector<std::string>&) {
  return at_layer(where, "globalAveragePooling2d",
                  [&] { return global_average_pooling2d_output_shape(in, GlobalAveragePooling2dConfig{}); });
}
std::unique_ptr<Layer> make_global_average_pooling2d(const LayerArgs& a) {
  return std::make_unique<GlobalAveragePooling2dLayer>(a.input_shapes.at(0), GlobalAveragePooling2dConfig{}, a.name);
}
Shape global_max_pooling2d_shape(const std::vector<Shape>& in, const Config&, const std::string& where,
                                 const std::vector<std::string>& desc) {
  return global_max_pooling_output_shape(in, 3, where, desc.empty() ? "its input" : desc[0]);
}
std::unique_ptr<Layer> make_global_max_pooling(const LayerArgs& a) {
  return std::make_unique<GlobalMaxPoolingLayer>(a.input_shapes.at(0), a.name);
}

// ---- gaussianNoise, gaussianDropout: one layer class, the kind is the row's

template <GaussianNoiseKind kKind>
float noise_amount(const Config& c) {
  return c.number(kKind == GaussianNoiseKind::kAdditive ? "stddev" : "rate");
}
template <GaussianNoiseKind kKind>
Shape gaussian_noise_shape(const std::vector<Shape>& in, const Config& c, const std::string& where,
                           const std::vector<std::string>&) {
  return gaussian_noise_output_shape(in, kKind, noise_amount<kKind>(c), where);
}
template <GaussianNoiseKind kKind>
std::unique_ptr<Layer> make_gaussian_noise(const LayerArgs& a) {
  return std::make_unique<GaussianNoiseLayer>(a.input_shapes.at(0), kKind, noise_amount<kKind>(*a.config));
}

// ---- zeroPadding2d, cropping2D: one layer class, the direction is the row's

template <ImageMarginKind kKind>
ImageMargins image_margins(const Config& c, const std::string& where) {
  const char* key = kKind == ImageMarginKind::kZeroPadding ? "padding" : "cropping";
  if (kKind == ImageMarginKind::kZeroPadding && c.is_null(key)) return ImageMargins{1, 1, 1, 1};  // TF.js's default
  const std::vector<int>& v = c.at(key).ints;
  NNPLAY_CHECK(v.size() == 4,
               where << ": " << key << " must list 4 integers [top, bottom, left, right], got " << v.size());
  for (int x : v) NNPLAY_CHECK(x >= 0 && x <= 4096, where << ": " << key << " entries must be in [0, 4096], got " << x);
  return ImageMargins{v[0], v[1], v[2], v[3]};
}
template <ImageMarginKind kKind>
Shape image_margin_shape(const std::vector<Shape>& in, const Config& c, const std::string& where,
                         const std::vector<std::string>& desc) {
  return image_margin_output_shape(in, kKind, image_margins<kKind>(c, where), where,
                                   desc.empty() ? "its input" : desc[0]);
}
template <ImageMarginKind kKind>
std::unique_ptr<Layer> make_image_margin(const LayerArgs& a) {
  return std::make_unique<ImageMarginLayer>(a.input_shapes.at(0), kKind, image_margins<kKind>(*a.config, a.name));
}

// ---- layerNormalization

LayerNormalizationConfig layer_normalization_config(const Config& c) {
  LayerNormalizationConfig cfg;
  cfg.axis = c.integer("axis");
  cfg.epsilon = c.number("epsilon");
  cfg.center = c.boolean("center");
  cfg.scale = c.boolean("scale");
  return cfg;
}
Shape layer_normalization_shape(const std::vector<Shape>& in, const Config& c, const std::string& where,
                                const std::vector<std::string>&) {
  return layer_normalization_output_shape(in, layer_normalization_config(c), where);
}
std::vector<VariableSpec> layer_normalization_specs(const std::vector<Shape>& in, const Config& c) {
  return to_specs(layer_normalization_variables(in, layer_normalization_config(c)), &c);
}
std::unique_ptr<Layer> make_layer_normalization(const LayerArgs& a) {
  return std::make_unique<LayerNormalizationLayer>(a.input_shapes.at(0), layer_normalization_config(*a.config),
                                                   a.variables);
}

// ---- permute

Shape permute_shape(const std::vector<Shape>& in, const Config& c, const std::string& where,
                    const std::vector<std::string>& desc) {
  return permute_output_shape(in, c.at("dims").ints, where, desc.empty() ? "its input" : desc[0]);
}
std::unique_ptr<Layer> make_permute(const LayerArgs& a) {
  return std::make_unique<PermuteLayer>(a.input_shapes.at(0), a.config->at("dims").ints);
}

constexpr int kMaxMergeInputs = 1 << 16;

constexpr auto kDropoutKeys = layer_keys(keys(
    null_number_key("rate", true, 0, 1, "the fraction of values dropped, in [0, 1)"),
    list_key("noiseShape", ConfigType::kIntList, false), optional_int_key("seed", 0, std::numeric_limits<int>::max())));
constexpr auto kBatchNormalizationKeys = layer_keys(
    keys(int_key("axis", false, -1, -9, 9), number_key("momentum", 0.99, 0, 1),
         number_key("epsilon", 1e-3, 0, 1e300, "> 0"), bool_key("center", true), bool_key("scale", true),
         initializer_key("betaInitializer", "zeros"), initializer_key("gammaInitializer", "ones"),
         initializer_key("movingMeanInitializer", "zeros"), initializer_key("movingVarianceInitializer", "ones")));
constexpr auto kReshapeKeys = layer_keys(keys(list_key("targetShape", ConfigType::kIntList, true,
                                                       "the per-sample shape, e.g. [28, 28, 1]; one entry may be -1")));
constexpr auto kConcatenateKeys = layer_keys(keys(int_key("axis", false, -1, -9, 9)));
constexpr auto kNoKeys = layer_keys();
constexpr auto kLayerNormalizationKeys = layer_keys(keys(
    int_key("axis", false, -1, -9, 9), number_key("epsilon", 1e-3, 0, 1e300, "> 0"), bool_key("center", true),
    bool_key("scale", true), initializer_key("betaInitializer", "zeros"), initializer_key("gammaInitializer", "ones")));
constexpr auto kPermuteKeys = layer_keys(keys(list_key(
    "dims", ConfigType::kIntList, true, "the new order of the per-sample axes, numbered from 1, e.g. [2, 1]")));
constexpr auto kZeroPadding2dKeys = layer_keys(keys(list_key(
    "padding", ConfigType::kIntList, false, "rows and columns of zeros [top, bottom, left, right] (default 1 each)")));
constexpr auto kCropping2dKeys = layer_keys(
    keys(list_key("cropping", ConfigType::kIntList, true, "rows and columns to cut [top, bottom, left, right]")));
constexpr auto kGaussianNoiseKeys =
    layer_keys(keys(null_number_key("stddev", true, 0, 1e300, "the noise's standard deviation, a number >= 0")));
constexpr auto kGaussianDropoutKeys = layer_keys(
    keys(null_number_key("rate", true, 0, 1, "the dropout rate the multiplicative noise matches, in [0, 1)")));
constexpr auto kAveragePooling2dKeys =
    layer_keys(keys(pair_key("poolSize", false, default_pair(2, 2)), pair_key("strides", false, kNullDefault),
                    string_key("padding", "valid", &kPaddingChoices)));

}  // namespace

constexpr LayerType kLayerRowsV2[kLayerRowsV2Count] = {
    {"dropout", {"Dropout"}, kDropoutKeys, 1, 1, dropout_shape, nullptr, make_dropout, ""},
    {"batchNormalization",
     {"BatchNormalization", "batch_normalization"},
     kBatchNormalizationKeys,
     1,
     1,
     batch_normalization_shape,
     batch_normalization_specs,
     make_batch_normalization,
     "",
     nullptr,
     EnginePart::kExtra},
    {"reshape", {"Reshape"}, kReshapeKeys, 1, 1, reshape_shape, nullptr, make_reshape, ""},
    {"concatenate",
     {"Concatenate"},
     kConcatenateKeys,
     2,
     kMaxMergeInputs,
     concatenate_shape,
     nullptr,
     make_concatenate,
     ""},
    {"add", {"Add"}, kNoKeys, 2, kMaxMergeInputs, add_shape, nullptr, make_add, ""},
    {"multiply",
     {"Multiply"},
     kNoKeys,
     2,
     kMaxMergeInputs,
     elementwise_merge_shape<ElementwiseMerge::kMultiply>,
     nullptr,
     make_elementwise_merge<ElementwiseMerge::kMultiply>,
     "",
     nullptr,
     EnginePart::kExtra},
    {"average",
     {"Average"},
     kNoKeys,
     2,
     kMaxMergeInputs,
     elementwise_merge_shape<ElementwiseMerge::kAverage>,
     nullptr,
     make_elementwise_merge<ElementwiseMerge::kAverage>,
     "",
     nullptr,
     EnginePart::kExtra},
    {"maximum",
     {"Maximum"},
     kNoKeys,
     2,
     kMaxMergeInputs,
     elementwise_merge_shape<ElementwiseMerge::kMaximum>,
     nullptr,
     make_elementwise_merge<ElementwiseMerge::kMaximum>,
     "",
     nullptr,
     EnginePart::kExtra},
    {"minimum",
     {"Minimum"},
     kNoKeys,
     2,
     kMaxMergeInputs,
     elementwise_merge_shape<ElementwiseMerge::kMinimum>,
     nullptr,
     make_elementwise_merge<ElementwiseMerge::kMinimum>,
     "",
     nullptr,
     EnginePart::kExtra},
    {"averagePooling2d",
     {"AveragePooling2D", "avgPool2d", "average_pooling2d"},
     kAveragePooling2dKeys,
     1,
     1,
     average_pooling2d_shape,
     nullptr,
     make_average_pooling2d,
     "",
     nullptr,
     EnginePart::kExtra},
    {"globalAveragePooling2d",
     {"GlobalAveragePooling2D", "global_average_pooling2d"},
     kNoKeys,
     1,
     1,
     global_average_pooling2d_shape,
     nullptr,
     make_global_average_pooling2d,
     "",
     nullptr,
     EnginePart::kExtra},
    {"globalMaxPooling2d",
     {"GlobalMaxPooling2D", "GlobalMaxPool2D", "globalMaxPool2d", "global_max_pooling2d"},
     kNoKeys,
     1,
     1,
     global_max_pooling2d_shape,
     nullptr,
     make_global_max_pooling,
     "",
     nullptr,
     EnginePart::kExtra},
    {"gaussianNoise",
     {"GaussianNoise", "gaussian_noise"},
     kGaussianNoiseKeys,
     1,
     1,
     gaussian_noise_shape<GaussianNoiseKind::kAdditive>,
     nullptr,
     make_gaussian_noise<GaussianNoiseKind::kAdditive>,
     "",
     nullptr,
     EnginePart::kExtra},
    {"gaussianDropout",
     {"GaussianDropout", "gaussian_dropout"},
     kGaussianDropoutKeys,
     1,
     1,
     gaussian_noise_shape<GaussianNoiseKind::kMultiplicative>,
     nullptr,
     make_gaussian_noise<GaussianNoiseKind::kMultiplicative>,
     "",
     nullptr,
     EnginePart::kExtra},
    {"zeroPadding2d",
     {"ZeroPadding2D", "zero_padding2d"},
     kZeroPadding2dKeys,
     1,
     1,
     image_margin_shape<ImageMarginKind::kZeroPadding>,
     nullptr,
     make_image_margin<ImageMarginKind::kZeroPadding>,
     "",
     nullptr,
     EnginePart::kExtra},
    {"cropping2D",
     {"Cropping2D", "cropping2d", "cropping_2d"},
     kCropping2dKeys,
     1,
     1,
     image_margin_shape<ImageMarginKind::kCropping>,
     nullptr,
     make_image_margin<ImageMarginKind::kCropping>,
     "",
     nullptr,
     EnginePart::kExtra},
    {"permute", {"Permute"}, kPermuteKeys, 1, 1, permute_shape, nullptr, make_permute, "", nullptr, EnginePart::kExtra},
    {"layerNormalization",
     {"LayerNormalization", "layer_normalization"},
     kLayerNormalizationKeys,
     1,
     1,
     layer_normalization_shape,
     layer_normalization_specs,
     make_layer_normalization,
     "",
     nullptr,
     EnginePart::kExtra},
};
static_assert(!kLayerRowsV2[kLayerRowsV2Count - 1].name.empty(), "kLayerRowsV2Count counts rows that are not there");

}  // namespace nnplay
