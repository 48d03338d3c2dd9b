// Spec parsing and validation: the one place where user-written model and compile settings are
// checked. Messages name the field, the bad value and what is allowed, because they surface
// verbatim as JS Errors in the library and on the page.
#include "nn/spec.h"

#include <cmath>
#include <limits>
#include <set>

#include <nlohmann/json.hpp>

#include "core/check.h"
#include "core/json_depth.h"
#include "core/strings.h"
#include "kernels/im2col.h"

namespace nnplay {
namespace {

using json = nlohmann::json;

const std::vector<std::string>& activation_names() {
  static const std::vector<std::string> names = {"linear", "relu", "leakyRelu", "elu",
                                                 "sigmoid", "tanh", "softmax"};
  return names;
}
const std::vector<std::string>& initializer_names() {
  static const std::vector<std::string> names = {"glorotUniform", "heNormal", "zeros"};
  return names;
}
const std::vector<std::string>& layer_type_names() {
  static const std::vector<std::string> names = {"dense", "conv2d", "maxPooling2d", "flatten"};
  return names;
}
const std::vector<std::string>& padding_names() {
  static const std::vector<std::string> names = {"valid", "same"};
  return names;
}
const std::vector<std::string>& optimizer_names() {
  static const std::vector<std::string> names = {"sgd", "momentum", "adam", "rmsprop", "adagrad"};
  return names;
}
const std::vector<std::string>& loss_names() {
  static const std::vector<std::string> names = {"meanSquaredError", "binaryCrossentropy",
                                                 "categoricalCrossentropy",
                                                 "sparseCategoricalCrossentropy"};
  return names;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
  for (const auto& n : names)
    if (n == name) return true;
  return false;
}

// A typo in a key ("activaton") would otherwise silently fall back to a default.
void check_keys(const json& obj, const std::vector<std::string>& allowed, const std::string& where) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    NNPLAY_CHECK(contains(allowed, it.key()),
                 where << ": unknown field \"" << it.key() << "\"; allowed fields: " << join_names(allowed));
  }
}

std::string get_string(const json& obj, const char* key, const std::string& where) {
  const json& v = obj.at(key);
  NNPLAY_CHECK(v.is_string(), where << "." << key << " must be a string, got " << v.dump());
  return v.get<std::string>();
}

// JSON has no NaN/Infinity: JS's JSON.stringify turns them into null, so null here usually
// means the caller passed NaN. The message says "a finite number" for that reason.
float get_number(const json& obj, const char* key, const std::string& where) {
  const json& v = obj.at(key);
  NNPLAY_CHECK(v.is_number(), where << "." << key << " must be a finite number, got " << v.dump());
  return v.get<float>();
}

int get_int(const json& obj, const char* key, const std::string& where) {
  const json& v = obj.at(key);
  bool integral = v.is_number_integer() ||
                  (v.is_number_float() && std::floor(v.get<double>()) == v.get<double>());
  NNPLAY_CHECK(v.is_number() && integral, where << "." << key << " must be an integer, got " << v.dump());
  double d = v.get<double>();
  NNPLAY_CHECK(d >= std::numeric_limits<int>::min() && d <= std::numeric_limits<int>::max(),
               where << "." << key << " is out of range: " << v.dump());
  return static_cast<int>(d);
}

bool get_bool(const json& obj, const char* key, const std::string& where) {
  const json& v = obj.at(key);
  NNPLAY_CHECK(v.is_boolean(), where << "." << key << " must be true or false, got " << v.dump());
  return v.get<bool>();
}

Shape get_shape(const json& v, const std::string& where) {
  NNPLAY_CHECK(v.is_array() && !v.empty(),
               where << " must be a non-empty array of positive integers, e.g. [2]; got " << v.dump());
  Shape shape;
  for (const json& d : v) {
    NNPLAY_CHECK(d.is_number_integer() && d.get<long long>() > 0 && d.get<long long>() <= (1 << 24),
                 where << " must hold positive integers, e.g. [2]; got " << v.dump());
    shape.push_back(d.get<int>());
  }
  return shape;
}

json parse_object(const std::string& text, const std::string& what) {
  check_json_depth(text, kMaxJsonDepth, what);
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    throw Error(what + " is not valid JSON: " + e.what());
  }
  NNPLAY_CHECK(j.is_object(), what << " must be a JSON object, got " << j.dump());
  return j;
}

// An integer or an array of two integers (TF.js accepts both for kernelSize, strides, poolSize).
void get_pair(const json& obj, const char* key, const std::string& where, int* a, int* b) {
  const json& v = obj.at(key);
  if (v.is_array()) {
    NNPLAY_CHECK(v.size() == 2, where << "." << key << " must be an integer or an array of two integers, got "
                                      << v.dump());
    json pair = {{"0", v[0]}, {"1", v[1]}};
    *a = get_int(pair, "0", where + "." + key);
    *b = get_int(pair, "1", where + "." + key);
  } else {
    NNPLAY_CHECK(v.is_number(), where << "." << key << " must be an integer or an array of two integers, got "
                                      << v.dump());
    *a = *b = get_int(obj, key, where);
  }
}

// Stride 0 stands for "the default" in LayerSpec, so a 0 written in JSON is rejected here.
void get_strides(const json& j, const std::string& where, LayerSpec& layer) {
  get_pair(j, "strides", where, &layer.stride_h, &layer.stride_w);
  NNPLAY_CHECK(layer.stride_h > 0 && layer.stride_w > 0,
               where << ": strides must hold integers from 1 to 4096, got " << j.at("strides").dump());
}

void parse_activation_fields(const json& j, const std::string& where, LayerSpec& layer) {
  if (j.contains("activation") && !j.at("activation").is_null())
    layer.activation = get_string(j, "activation", where);
  if (j.contains("alpha")) {
    layer.activation_alpha = get_number(j, "alpha", where);
    NNPLAY_CHECK(layer.activation_alpha >= 0.0f,
                 where << ".alpha (leakyRelu slope / elu scale) must be a number >= 0, got " << layer.activation_alpha);
  }
}

void parse_weight_fields(const json& j, const std::string& where, LayerSpec& layer) {
  if (j.contains("kernelInitializer")) layer.kernel_initializer = get_string(j, "kernelInitializer", where);
  if (j.contains("biasInitializer")) layer.bias_initializer = get_string(j, "biasInitializer", where);
  if (j.contains("useBias")) layer.use_bias = get_bool(j, "useBias", where);
  if (j.contains("kernelRegularizer") && !j.at("kernelRegularizer").is_null()) {
    const json& r = j.at("kernelRegularizer");
    std::string rwhere = where + ".kernelRegularizer";
    NNPLAY_CHECK(r.is_object(), rwhere << " must be an object like {\"l1\":0.001} or {\"l2\":0.001}, got "
                                       << r.dump());
    check_keys(r, {"l1", "l2"}, rwhere);
    if (r.contains("l1")) layer.l1 = get_number(r, "l1", rwhere);
    if (r.contains("l2")) layer.l2 = get_number(r, "l2", rwhere);
  }
}

LayerSpec parse_layer(const json& j, const std::string& where, Shape* input_shape) {
  NNPLAY_CHECK(j.is_object(), where << " must be an object, got " << j.dump());
  LayerSpec layer;
  if (j.contains("type")) layer.type = get_string(j, "type", where);
  NNPLAY_CHECK(contains(layer_type_names(), layer.type),
               where << ": unknown layer type \"" << layer.type << "\"; allowed: " << join_names(layer_type_names()));
  if (layer.type == "dense") {
    check_keys(j,
               {"type", "name", "units", "activation", "alpha", "kernelInitializer", "biasInitializer", "useBias",
                "kernelRegularizer", "inputShape"},
               where);
    NNPLAY_CHECK(j.contains("units"), where << ": missing \"units\" (the number of neurons, an integer > 0)");
    layer.units = get_int(j, "units", where);
    parse_activation_fields(j, where, layer);
    parse_weight_fields(j, where, layer);
  } else if (layer.type == "conv2d") {
    check_keys(j,
               {"type", "name", "filters", "kernelSize", "strides", "padding", "activation", "alpha",
                "kernelInitializer", "biasInitializer", "useBias", "kernelRegularizer", "inputShape"},
               where);
    NNPLAY_CHECK(j.contains("filters"), where << " (conv2d): missing \"filters\" (the number of output channels, an "
                                                 "integer > 0)");
    layer.filters = get_int(j, "filters", where);
    NNPLAY_CHECK(j.contains("kernelSize"),
                 where << " (conv2d): missing \"kernelSize\" (an integer such as 3, or [height, width])");
    get_pair(j, "kernelSize", where, &layer.kernel_h, &layer.kernel_w);
    if (j.contains("strides") && !j.at("strides").is_null()) get_strides(j, where, layer);
    if (j.contains("padding")) layer.padding = get_string(j, "padding", where);
    parse_activation_fields(j, where, layer);
    parse_weight_fields(j, where, layer);
  } else if (layer.type == "maxPooling2d") {
    check_keys(j, {"type", "name", "poolSize", "strides", "padding", "inputShape"}, where);
    layer.kernel_h = layer.kernel_w = 2;  // TF.js default poolSize [2, 2]
    if (j.contains("poolSize") && !j.at("poolSize").is_null())
      get_pair(j, "poolSize", where, &layer.kernel_h, &layer.kernel_w);
    if (j.contains("strides") && !j.at("strides").is_null()) get_strides(j, where, layer);
    if (j.contains("padding")) layer.padding = get_string(j, "padding", where);
  } else {  // flatten
    check_keys(j, {"type", "name", "inputShape"}, where);
  }
  if (j.contains("inputShape")) *input_shape = get_shape(j.at("inputShape"), where + ".inputShape");
  return layer;
}

// Per-optimizer defaults as TF.js's string optimizers ('sgd', 'adam', …) use them.
OptimizerSpec default_optimizer(const std::string& name) {
  OptimizerSpec o;
  o.name = name;
  if (name == "adam" || name == "rmsprop") o.learning_rate = 0.001f;
  if (name == "momentum") o.momentum = 0.9f;
  return o;
}

void check_choice(const std::string& value, const std::vector<std::string>& allowed,
                  const std::string& what) {
  NNPLAY_CHECK(contains(allowed, value),
               "unknown " << what << " \"" << value << "\"; allowed: " << join_names(allowed));
}

}  // namespace

ModelSpec parse_model_spec(const std::string& text) {
  json j = parse_object(text, "model spec");
  check_keys(j, {"inputShape", "layers", "seed", "name"}, "model spec");
  ModelSpec spec;
  bool have_shape = false;
  if (j.contains("inputShape")) {
    spec.input_shape = get_shape(j.at("inputShape"), "model spec.inputShape");
    have_shape = true;
  }
  if (j.contains("seed")) {
    const json& s = j.at("seed");
    NNPLAY_CHECK(s.is_number_integer() && s.get<long long>() >= 0,
                 "model spec.seed must be an integer >= 0, got " << s.dump());
    spec.seed = s.get<std::uint64_t>();
  }
  NNPLAY_CHECK(j.contains("layers") && j.at("layers").is_array(),
               "model spec: \"layers\" must be an array of layer objects");
  const json& layers = j.at("layers");
  for (std::size_t i = 0; i < layers.size(); ++i) {
    std::string where = "layer " + std::to_string(i);
    Shape layer_shape;
    spec.layers.push_back(parse_layer(layers[i], where, &layer_shape));
    if (layer_shape.empty()) continue;
    // TF.js style: the first layer may carry inputShape instead of the model.
    NNPLAY_CHECK(i == 0, where << ": inputShape is only allowed on the first layer");
    NNPLAY_CHECK(!have_shape || layer_shape == spec.input_shape,
                 "inputShape given twice and they differ: model " << shape_to_string(spec.input_shape)
                                                                 << ", layer 0 " << shape_to_string(layer_shape));
    spec.input_shape = layer_shape;
    have_shape = true;
  }
  validate_model_spec(spec);
  return spec;
}

CompileSpec parse_compile_spec(const std::string& text) {
  json j = parse_object(text, "compile spec");
  check_keys(j, {"optimizer", "loss", "metrics"}, "compile spec");
  CompileSpec spec;
  if (j.contains("optimizer")) {
    const json& o = j.at("optimizer");
    if (o.is_string()) {
      std::string name = o.get<std::string>();
      check_choice(name, optimizer_names(), "optimizer");
      spec.optimizer = default_optimizer(name);
    } else {
      NNPLAY_CHECK(o.is_object(), "compile spec.optimizer must be a name (" << join_names(optimizer_names())
                                                                            << ") or an object, got " << o.dump());
      const std::string where = "optimizer";
      check_keys(o,
                 {"name", "learningRate", "beta1", "beta2", "epsilon", "momentum", "useNesterov", "decay",
                  "initialAccumulatorValue", "rho"},
                 where);
      NNPLAY_CHECK(o.contains("name"), "optimizer: missing \"name\"; allowed: " << join_names(optimizer_names()));
      std::string name = get_string(o, "name", where);
      check_choice(name, optimizer_names(), "optimizer");
      OptimizerSpec& opt = spec.optimizer = default_optimizer(name);
      if (o.contains("learningRate")) opt.learning_rate = get_number(o, "learningRate", where);
      if (o.contains("beta1")) opt.beta1 = get_number(o, "beta1", where);
      if (o.contains("beta2")) opt.beta2 = get_number(o, "beta2", where);
      if (o.contains("epsilon") && !o.at("epsilon").is_null()) opt.epsilon = get_number(o, "epsilon", where);
      if (o.contains("momentum")) opt.momentum = get_number(o, "momentum", where);
      if (o.contains("useNesterov")) opt.use_nesterov = get_bool(o, "useNesterov", where);
      if (o.contains("decay")) opt.decay = get_number(o, "decay", where);
      if (o.contains("rho")) opt.decay = get_number(o, "rho", where);
      if (o.contains("initialAccumulatorValue"))
        opt.initial_accumulator_value = get_number(o, "initialAccumulatorValue", where);
    }
  }
  if (j.contains("loss")) spec.loss = get_string(j, "loss", "compile spec");
  if (j.contains("metrics")) {
    const json& m = j.at("metrics");
    NNPLAY_CHECK(m.is_array(), "compile spec.metrics must be an array such as [\"accuracy\"], got " << m.dump());
    for (const json& name : m) {
      NNPLAY_CHECK(name.is_string(), "compile spec.metrics must hold names, got " << name.dump());
      spec.metrics.push_back(name.get<std::string>());
    }
  }
  validate_compile_spec(spec);
  return spec;
}

namespace {

constexpr int kMaxSampleSize = 1 << 24;  // floats in one sample's input or output of a layer

std::string describe_layer(std::size_t i, const LayerSpec& l) { return "layer " + std::to_string(i) + " (" + l.type + ")"; }

void validate_activation_and_weights(const LayerSpec& l, const std::string& where) {
  NNPLAY_CHECK(contains(activation_names(), l.activation),
               where << ": unknown activation \"" << l.activation << "\"; allowed: " << join_names(activation_names()));
  NNPLAY_CHECK(contains(initializer_names(), l.kernel_initializer),
               where << ": unknown kernelInitializer \"" << l.kernel_initializer
                     << "\"; allowed: " << join_names(initializer_names()));
  NNPLAY_CHECK(contains(initializer_names(), l.bias_initializer),
               where << ": unknown biasInitializer \"" << l.bias_initializer
                     << "\"; allowed: " << join_names(initializer_names()));
  NNPLAY_CHECK(std::isfinite(l.l1) && l.l1 >= 0.0f,
               where << ": kernelRegularizer l1 must be a finite number >= 0, got " << l.l1);
  NNPLAY_CHECK(std::isfinite(l.l2) && l.l2 >= 0.0f,
               where << ": kernelRegularizer l2 must be a finite number >= 0, got " << l.l2);
  // alpha < 0 means "the activation's default"; an explicit alpha must be finite.
  NNPLAY_CHECK(std::isfinite(l.activation_alpha), where << ": alpha must be a finite number, got " << l.activation_alpha);
}

// Output shape of one image layer (conv2d / maxPooling2d) on input `in`, checking the window fits.
Shape window_output_shape(const LayerSpec& l, const std::string& where, const std::string& input_desc,
                          const Shape& in) {
  const bool conv = l.type == "conv2d";
  const char* size_name = conv ? "kernelSize" : "poolSize";
  NNPLAY_CHECK(in.size() == 3, where << " needs an image input [height, width, channels], but " << input_desc << " is "
                                     << shape_to_string(in)
                                     << "; give the model an inputShape such as [28, 28, 1]");
  NNPLAY_CHECK(l.kernel_h > 0 && l.kernel_w > 0 && l.kernel_h <= 4096 && l.kernel_w <= 4096,
               where << ": " << size_name << " must hold integers from 1 to 4096, got [" << l.kernel_h << ", "
                     << l.kernel_w << "]");
  const int sh = layer_stride_h(l), sw = layer_stride_w(l);
  NNPLAY_CHECK(sh > 0 && sw > 0 && sh <= 4096 && sw <= 4096,
               where << ": strides must hold integers from 1 to 4096, got [" << sh << ", " << sw << "]");
  NNPLAY_CHECK(contains(padding_names(), l.padding),
               where << ": unknown padding \"" << l.padding << "\"; allowed: " << join_names(padding_names()));
  const bool same = l.padding == "same";
  const int oh = conv_output_length(in[0], l.kernel_h, sh, same);
  const int ow = conv_output_length(in[1], l.kernel_w, sw, same);
  NNPLAY_CHECK(oh > 0 && ow > 0, where << ": " << size_name << " [" << l.kernel_h << ", " << l.kernel_w
                                       << "] is larger than its input " << shape_to_string(in)
                                       << " with padding \"valid\" (the output would be empty); use a smaller "
                                       << size_name << " or padding \"same\"");
  if (conv) {
    NNPLAY_CHECK(l.filters > 0 && l.filters <= 65536,
                 where << ": filters must be an integer from 1 to 65536, got " << l.filters);
    const double patch = static_cast<double>(l.kernel_h) * l.kernel_w * in[2];
    NNPLAY_CHECK(patch * l.filters <= kMaxSampleSize,
                 where << ": the kernel [" << l.kernel_h << ", " << l.kernel_w << ", " << in[2] << ", " << l.filters
                       << "] is too large: at most " << kMaxSampleSize << " weights");
    return {oh, ow, l.filters};
  }
  return {oh, ow, in[2]};
}

}  // namespace

int layer_stride_h(const LayerSpec& layer) {
  if (layer.stride_h != 0) return layer.stride_h;
  return layer.type == "maxPooling2d" ? layer.kernel_h : 1;
}
int layer_stride_w(const LayerSpec& layer) {
  if (layer.stride_w != 0) return layer.stride_w;
  return layer.type == "maxPooling2d" ? layer.kernel_w : 1;
}

std::vector<Shape> layer_output_shapes(const ModelSpec& spec) {
  std::vector<Shape> shapes;
  Shape in = spec.input_shape;
  std::string input_desc = "the model input";
  for (std::size_t i = 0; i < spec.layers.size(); ++i) {
    const LayerSpec& l = spec.layers[i];
    const std::string where = describe_layer(i, l);
    NNPLAY_CHECK(contains(layer_type_names(), l.type), "layer " << i << ": unknown layer type \"" << l.type
                                                                << "\"; allowed: " << join_names(layer_type_names()));
    Shape out;
    if (l.type == "dense") {
      NNPLAY_CHECK(in.size() == 1, where << " needs a flat input [features], but " << input_desc << " is "
                                         << shape_to_string(in) << "; add a flatten layer ({\"type\":\"flatten\"}) "
                                         << "before it");
      NNPLAY_CHECK(l.units > 0 && l.units <= (1 << 20),
                   "layer " << i << ": units must be an integer from 1 to " << (1 << 20) << ", got " << l.units);
      out = {l.units};
    } else if (l.type == "flatten") {
      out = {static_cast<int>(shape_size(in))};
    } else {
      out = window_output_shape(l, where, input_desc, in);
    }
    if (l.type == "dense" || l.type == "conv2d") {
      validate_activation_and_weights(l, "layer " + std::to_string(i));
    } else {
      NNPLAY_CHECK(l.activation == "linear", where << " has no activation, got \"" << l.activation << "\"");
    }
    NNPLAY_CHECK(static_cast<double>(shape_size(out)) <= kMaxSampleSize,
                 where << ": its output " << shape_to_string(out) << " is too large: at most " << kMaxSampleSize
                       << " values per sample");
    shapes.push_back(out);
    in = out;
    input_desc = "the output of layer " + std::to_string(i) + " (" + l.type + ")";
  }
  return shapes;
}

void validate_model_spec(const ModelSpec& spec) {
  NNPLAY_CHECK(!spec.input_shape.empty(),
               "model spec: missing inputShape (the size of one input sample, e.g. [2]); "
               "give it on the model or on the first layer");
  for (int d : spec.input_shape)
    NNPLAY_CHECK(d > 0, "inputShape must hold positive sizes, got " << shape_to_string(spec.input_shape));
  NNPLAY_CHECK(spec.input_shape.size() <= 3,
               "inputShape " << shape_to_string(spec.input_shape)
                             << " is not supported: use [features] for dense networks or [height, width, channels] "
                                "for images");
  NNPLAY_CHECK(static_cast<double>(shape_size(spec.input_shape)) <= kMaxSampleSize,
               "inputShape " << shape_to_string(spec.input_shape) << " is too large: at most " << kMaxSampleSize
                             << " values per sample");
  NNPLAY_CHECK(!spec.layers.empty(), "model spec: at least one layer is needed");
  layer_output_shapes(spec);
}

void validate_compile_spec(const CompileSpec& spec) {
  const OptimizerSpec& o = spec.optimizer;
  check_choice(o.name, optimizer_names(), "optimizer");
  NNPLAY_CHECK(std::isfinite(o.learning_rate) && o.learning_rate > 0.0f,
               "optimizer " << o.name << ": learningRate must be a finite number > 0, got " << o.learning_rate);
  if (o.name == "adam") {
    NNPLAY_CHECK(std::isfinite(o.beta1) && o.beta1 >= 0.0f && o.beta1 < 1.0f,
                 "optimizer adam: beta1 must be in [0, 1), got " << o.beta1);
    NNPLAY_CHECK(std::isfinite(o.beta2) && o.beta2 >= 0.0f && o.beta2 < 1.0f,
                 "optimizer adam: beta2 must be in [0, 1), got " << o.beta2);
  }
  if (o.name == "adam" || o.name == "rmsprop" || o.name == "adagrad")
    NNPLAY_CHECK(std::isfinite(o.epsilon) && o.epsilon > 0.0f,
                 "optimizer " << o.name << ": epsilon must be a finite number > 0, got " << o.epsilon);
  if (o.name == "momentum" || o.name == "rmsprop")
    NNPLAY_CHECK(std::isfinite(o.momentum) && o.momentum >= 0.0f && o.momentum < 1.0f,
                 "optimizer " << o.name << ": momentum must be in [0, 1), got " << o.momentum);
  if (o.name == "rmsprop")
    NNPLAY_CHECK(std::isfinite(o.decay) && o.decay >= 0.0f && o.decay < 1.0f,
                 "optimizer rmsprop: decay (rho) must be in [0, 1), got " << o.decay);
  if (o.name == "adagrad")
    NNPLAY_CHECK(std::isfinite(o.initial_accumulator_value) && o.initial_accumulator_value >= 0.0f,
                 "optimizer adagrad: initialAccumulatorValue must be a finite number >= 0, got "
                     << o.initial_accumulator_value);
  check_choice(spec.loss, loss_names(), "loss");
  std::set<std::string> seen;
  for (const std::string& m : spec.metrics) {
    NNPLAY_CHECK(m == "accuracy" || m == "acc" || m == "mse" || m == "meanSquaredError",
                 "unknown metric \"" << m << "\"; allowed: accuracy (or acc), mse (or meanSquaredError)");
    std::string canonical = canonical_metric_name(m);
    NNPLAY_CHECK(seen.insert(canonical).second, "metric \"" << m << "\" is listed twice");
  }
}

std::string canonical_metric_name(const std::string& name) {
  if (name == "accuracy" || name == "acc") return "acc";
  if (name == "mse" || name == "meanSquaredError") return "mse";
  throw Error("unknown metric \"" + name + "\"; allowed: accuracy (or acc), mse (or meanSquaredError)");
}

void validate_loss_for_model(const ModelSpec& model, const CompileSpec& compile) {
  const LayerSpec& last = model.layers.back();
  const Shape out = layer_output_shapes(model).back();
  const int units = static_cast<int>(shape_size(out));
  const std::string& loss = compile.loss;
  if (loss == "categoricalCrossentropy" || loss == "sparseCategoricalCrossentropy") {
    // TF.js would take classes along the last axis of an image output; this engine's losses
    // see one flat row per sample, so ask for the usual flatten + dense head instead.
    NNPLAY_CHECK(out.size() == 1, loss << " needs a flat model output (one value per class), but the last layer ("
                                       << last.type << ") outputs " << shape_to_string(out)
                                       << " per sample; end the model with flatten and a dense layer");
    NNPLAY_CHECK(units > 1, loss << " needs an output layer with one unit per class (at least 2), but the "
                                    "last layer has "
                                 << units
                                 << " unit; for two classes with one output unit use binaryCrossentropy "
                                    "with a sigmoid activation");
  }
  if (loss == "binaryCrossentropy") {
    // Probabilities are needed; an unbounded output is clipped to [1e-7, 1 - 1e-7] and learns nothing
    // outside that range.
    NNPLAY_CHECK(last.activation == "sigmoid" || last.activation == "softmax",
                 "binaryCrossentropy needs probabilities from the last layer: use activation sigmoid (or "
                 "softmax), not "
                     << last.activation);
  }
}

}  // namespace nnplay
