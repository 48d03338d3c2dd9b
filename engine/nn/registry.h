// Registry: the engine's tables of layer types, activations, initializers, losses, metrics and
// optimizers. One row per concept: its name, aliases, allowed config keys with their types and
// defaults, and the functions that implement it. Every name list, every "allowed: ..." message
// and every default in the engine (and, through engineTables(), in the bindings) comes from here.
//
// Why explicit tables and not static self-registration: a static library drops object files
// nothing refers to, and with them their registrars. A table is also one place to read.
//
// The rows are constant data (constexpr arrays of plain structs: string_views, enums, numbers,
// function pointers, spans of other constant arrays), not objects built at start-up: the code
// that built them was 38 KB of the wasm (13 KB gzipped) more than this data.
//
// What it is not: the graph (nn/graph.h builds models from these rows) nor the math (ops/).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/rng.h"
#include "core/tensor.h"
#include "nn/layer.h"
#include "ops/activation.h"

namespace nnplay {

// ---- Constant lists of the tables -------------------------------------------------------------------

// A read-only view of a constant array (C++17 has no std::span): a row's keys, a table's rows.
template <class T>
class Span {
 public:
  constexpr Span() = default;
  constexpr Span(const T* first, std::size_t count) : first_(first), count_(count) {}
  template <std::size_t N>
  constexpr Span(const T (&a)[N]) : first_(a), count_(N) {}
  template <std::size_t N>
  constexpr Span(const std::array<T, N>& a) : first_(a.data()), count_(N) {}
  constexpr const T* begin() const { return first_; }
  constexpr const T* end() const { return first_ + count_; }
  constexpr std::size_t size() const { return count_; }
  constexpr bool empty() const { return count_ == 0; }
  constexpr const T& operator[](std::size_t i) const { return first_[i]; }
  constexpr const T& front() const { return first_[0]; }

 private:
  const T* first_ = nullptr;
  std::size_t count_ = 0;
};

// Up to kMaxNames names in a row (its aliases, an optimizer's keys), the unused slots empty:
// written in place in the row, {"mse", "MSE"}, as the rows' other fields are.
constexpr std::size_t kMaxNames = 5;
struct NameList {
  std::string_view names[kMaxNames] = {};
  constexpr const std::string_view* begin() const { return names; }
  constexpr const std::string_view* end() const { return names + size(); }
  constexpr std::size_t size() const {
    std::size_t n = 0;
    while (n < kMaxNames && !names[n].empty()) ++n;
    return n;
  }
  constexpr bool empty() const { return names[0].empty(); }
  constexpr const std::string_view& operator[](std::size_t i) const { return names[i]; }
  bool contains(std::string_view name) const {
    for (std::string_view n : *this)
      if (n == name) return true;
    return false;
  }
};

// The allowed values of a string key (padding's "valid", "same"; the activation names).
using ChoiceList = Span<std::string_view>;

// ---- Config: a layer's or optimizer's settings, typed and defaulted from its table row -----------

enum class ConfigType {
  kInt,     // an integer within [min, max]
  kNumber,  // a finite number within [min, max] (null allowed when the default is null)
  kBool,
  kString,       // one of choices() (when given)
  kIntPair,      // an integer or [a, b], each within [min, max] (kernelSize, strides, poolSize)
  kShape,        // a non-empty array of positive integers (input shape, target shapes)
  kRegularizer,  // null or {"l1": x, "l2": y}, both finite and >= 0
  kIntList,      // an array of integers (axes)
};

struct ConfigValue {
  ConfigType type = ConfigType::kInt;
  bool is_null = false;        // an optional key left out or given as null (e.g. strides of a pool)
  double number = 0.0;         // kInt, kNumber
  bool flag = false;           // kBool
  std::string text;            // kString
  std::vector<int> ints;       // kIntPair (two), kShape, kIntList
  float l1 = 0.0f, l2 = 0.0f;  // kRegularizer

  static ConfigValue null_of(ConfigType t);
  static ConfigValue integer(int v);
  static ConfigValue num(double v);
  static ConfigValue boolean(bool v);
  static ConfigValue str(std::string v);
  static ConfigValue pair(int a, int b);
  static ConfigValue regularizer(float l1, float l2);
};

// A key's default as constant data: null (an optional key left out, or a required key), or the
// value for the key's type. ConfigKey::default_config_value() makes the ConfigValue of it.
struct KeyDefault {
  bool is_null = true;
  double number = 0.0;    // kInt, kNumber
  bool flag = false;      // kBool
  std::string_view text;  // kString
  int pair[2] = {0, 0};   // kIntPair
};
constexpr KeyDefault kNullDefault{};
constexpr KeyDefault default_number(double v) { return KeyDefault{false, v, false, {}, {0, 0}}; }
constexpr KeyDefault default_bool(bool v) { return KeyDefault{false, 0.0, v, {}, {0, 0}}; }
constexpr KeyDefault default_text(std::string_view v) { return KeyDefault{false, 0.0, false, v, {0, 0}}; }
constexpr KeyDefault default_pair(int a, int b) { return KeyDefault{false, 0.0, false, {}, {a, b}}; }

// One allowed key of a table row. required: no default, the spec must give it.
struct ConfigKey {
  std::string_view name;
  ConfigType type = ConfigType::kInt;
  KeyDefault default_value;
  bool required = false;
  double min = -1e300, max = 1e300;     // kInt, kNumber, kIntPair elements
  const ChoiceList* choices = nullptr;  // kString: the allowed values
  std::string_view min_text;            // how a range message words the bound when it is open, e.g. "> 0"

  ConfigValue default_config_value() const;  // of type `type`, from default_value
};
using KeyList = Span<ConfigKey>;

// The parsed settings of one layer or optimizer: every key of its row, defaults filled in.
class Config {
 public:
  bool has(const std::string& key) const { return values_.count(key) != 0; }
  const ConfigValue& at(const std::string& key) const;  // throws Error naming the key
  int integer(const std::string& key) const { return static_cast<int>(at(key).number); }
  float number(const std::string& key) const { return static_cast<float>(at(key).number); }
  bool boolean(const std::string& key) const { return at(key).flag; }
  const std::string& string(const std::string& key) const { return at(key).text; }
  std::array<int, 2> pair(const std::string& key) const;
  const Shape& shape(const std::string& key) const { return at(key).ints; }
  bool is_null(const std::string& key) const { return at(key).is_null; }
  void set(const std::string& key, ConfigValue v) { values_[key] = std::move(v); }
  const std::map<std::string, ConfigValue>& values() const { return values_; }

 private:
  std::map<std::string, ConfigValue> values_;
};

// A config as JSON text (for inspect and for saving a graph back): {"units":8,...}.
std::string config_to_json(const Config& config);

// ---- Layer types --------------------------------------------------------------------------------

// One weight tensor a layer type declares for given input shapes (before anything is allocated).
struct VariableSpec {
  std::string suffix;  // "kernel" -> variable "dense_1/kernel"
  Shape shape;
  bool trainable = true;
  std::string initializer;  // a row of initializer_table(), already resolved from the config
  int fan_in = 1, fan_out = 1;
  float l1 = 0.0f, l2 = 0.0f;
  // Trainable by its row but in a layer with "trainable": false (Keras's layer.trainable): not
  // trainable (optimizers skip it), but it keeps a gradient buffer for the layer's backward.
  bool frozen = false;
  // Values [ones_begin, ones_end) set to 1 after the initializer's fill: LSTM's unitForgetBias
  // (the forget gate's slice of the bias), as Keras builds that bias.
  std::uint64_t ones_begin = 0, ones_end = 0;
};

// What a factory receives: everything already checked, the variables allocated and initialised.
struct LayerArgs {
  std::vector<Shape> input_shapes;
  Shape output_shape;
  const Config* config = nullptr;
  std::vector<Variable> variables;  // in the order of the row's variables rule
  std::string name;                 // the layer's spec name ("dropout_2")
};

// Which of the engine's two wasm modules holds a table row's code: the first (kCore, nnplay.wasm)
// or the second (kExtra, nnplay-extra.wasm), which the library loads before a model that names
// such a row needs it (web/lib/engine-tables.ts). A layer type's part follows its sources
// (CMakeLists.txt NNPLAY_EXTRA_PART_REGEX); an initializer's, loss's, metric's, optimizer's or
// schedule's, activation's follows what scripts/engine-profile-workloads.mjs runs: only the core
// rows, so the code of the others moves to the second module (an extra activation's kernels are
// called through a table for that, ops/activation.cpp). Native builds are one piece.
enum class EnginePart { kCore, kExtra };
std::string_view engine_part_name(EnginePart p);  // "core", "extra"

struct LayerType {
  std::string_view name;  // spec name: "dense", "conv2d", ...
  NameList aliases;       // other accepted spellings ("Dense", "max_pooling2d")
  KeyList keys;
  int min_inputs = 1, max_inputs = 1;  // how many inbound tensors one call takes
  // Per-sample output shape for these input shapes, or an Error that starts with `where`
  // (e.g. "layer 1 (dense)") and says why. `inputs_desc[i]` names where input i comes from.
  Shape (*output_shape)(const std::vector<Shape>& inputs, const Config& config, const std::string& where,
                        const std::vector<std::string>& inputs_desc) = nullptr;
  // The weights this call needs (names, shapes, trainable, initializer); may be null (none).
  std::vector<VariableSpec> (*variables)(const std::vector<Shape>& inputs, const Config& config) = nullptr;
  std::unique_ptr<Layer> (*make)(const LayerArgs& args) = nullptr;
  // The key naming a fused activation ("activation" on dense / conv2d): the graph builds the
  // layer as its linear node followed by an activation node. Empty when the type has none.
  std::string_view activation_key;
  // Output tensors after the first (Keras returnState's final states), per sample, for this
  // config; null or empty: one output. With several, the layer writes each sample's row as its
  // tensors side by side ([output | h_T | c_T]), and the graph exposes tensor k (refs
  // ["lstm_1", 0, k]) as a node copying that slice out (nn/output_part_layer.h).
  std::vector<Shape> (*extra_outputs)(const std::vector<Shape>& inputs, const Config& config) = nullptr;
  // Which wasm module holds the type's code: the engine's first (kCore) or its second
  // (kExtra: nnplay-extra.wasm, the sources CMakeLists.txt NNPLAY_EXTRA_PART_REGEX names), which
  // the library loads when a model first has a layer of such a type. Native builds are one piece.
  EnginePart part = EnginePart::kCore;
};

// The rows in table order (their arrays live in registry.cpp and nn/layer_rows_*.cpp).
Span<const LayerType*> layer_table();
// By name or alias; throws Error "<where>: unknown layer type "x"; allowed: dense, ...".
const LayerType& find_layer_type(const std::string& name, const std::string& where);
// Parses and checks a layer's config object (JSON text of an object) against the row: unknown
// keys, wrong types, ranges and missing required keys are Errors starting with `where`.
Config parse_layer_config(const LayerType& type, const std::string& config_json, const std::string& where);

// ---- Activations, initializers ------------------------------------------------------------------

struct ActivationInfo {
  std::string_view name;
  NameList aliases;
  ActivationKind kind;
  float default_alpha;                  // leakyRelu 0.3, elu 1.0 (TF.js); others ignore alpha
  EnginePart part = EnginePart::kCore;  // see EnginePart
};
Span<ActivationInfo> activation_table();
const ActivationInfo& find_activation(const std::string& name);  // throws Error listing the allowed
const ActivationInfo& activation_info(ActivationKind kind);
const char* activation_name(ActivationKind kind);

struct InitializerInfo {
  std::string_view name;
  NameList aliases;
  // Fills t (a kernel [fan_in, fan_out] or a bias) from rng; same seed, same values.
  void (*fill)(Tensor& t, int fan_in, int fan_out, Rng& rng);
  // A row with parameters (constant's value): its keys, and the fill that reads them. A layer's
  // initializer key then also takes {"name": "constant", "value": 0.5}; the config holds that
  // object's canonical JSON text in place of the bare name (initializer_text()).
  KeyList keys = {};
  void (*fill_with)(Tensor& t, const Config& params) = nullptr;
  EnginePart part = EnginePart::kCore;  // see EnginePart
};
Span<InitializerInfo> initializer_table();
const InitializerInfo& find_initializer(const std::string& name);
// The row an initializer text names: a bare name, or the JSON text {"name": ..., params}.
const InitializerInfo& find_initializer_of_text(const std::string& text);
// Fills a new variable's value as its spec says (the initializer, then any ones range).
void initialize_variable(const VariableSpec& spec, Tensor& value, Rng& rng);

// ---- Losses, metrics ------------------------------------------------------------------------------

enum class LossKind {
  kMeanSquaredError,
  kBinaryCrossentropy,
  kCategoricalCrossentropy,
  kSparseCategoricalCrossentropy,
  kMeanAbsoluteError,
  kMeanAbsolutePercentageError,
  kHuberLoss,
  kHinge,
  kSquaredHinge,
  kLogCosh,
  kKullbackLeiblerDivergence,
  kCosineProximity,
  kPoisson,
  kMeanSquaredLogarithmicError,
  kCategoricalHinge,
};

struct LossInfo {
  std::string_view name;  // canonical, as logs and messages say it
  NameList aliases;       // TF.js / Keras spellings: "mse", "binary_crossentropy"
  LossKind kind;
  // The activation whose derivative the fused gradient skips (sigmoid for binary CE, softmax for
  // the categorical ones); kLinear when the loss has no fused form.
  ActivationKind fused_activation;
  // Parameters a compile spec may give with the name ({"name": "huberLoss", "delta": 2}),
  // typed and defaulted like a layer's keys; empty for a loss without parameters.
  KeyList keys = {};
  // True when the loss is a sum over each sample's outputs (kullbackLeiblerDivergence,
  // cosineProximity), which TF.js takes along the last axis: it needs a flat model output.
  bool sums_over_outputs = false;
  EnginePart part = EnginePart::kCore;  // see EnginePart
};
Span<LossInfo> loss_table();
const LossInfo& find_loss(const std::string& name);  // throws "unknown loss ...; allowed: ..."

enum class MetricKind {
  kAccuracy,
  kBinaryAccuracy,
  kCategoricalAccuracy,
  kMeanSquaredError,
  kMeanAbsoluteError,
  kMeanAbsolutePercentageError,
  kPrecision,
  kRecall,
  kCosineProximity,
};

struct MetricInfo {
  std::string_view name;
  NameList aliases;
  std::string_view log_name;  // the key in Logs: "acc", "mse", ...
  MetricKind kind;
  EnginePart part = EnginePart::kCore;  // see EnginePart
};
Span<MetricInfo> metric_table();
const MetricInfo& find_metric(const std::string& name);

// ---- Learning-rate schedules ---------------------------------------------------------------------
// Keras semantics, step = the trainer's optimizer step counter (0 for the first update):
//   exponentialDecay  initialLearningRate · decayRate^(step / decaySteps)   (floor of it when staircase)
//   cosineDecay       initialLearningRate · ((1 − alpha) · ½(1 + cos(π · min(step, decaySteps) / decaySteps)) + alpha)
//   stepDecay         initialLearningRate · gamma^floor(step / stepSize)   (PyTorch StepLR)
// Given in the compile spec where the learning rate goes, as Keras passes a schedule object as
// learning_rate: {"optimizer":{"name":"sgd","learningRate":{"schedule":"exponentialDecay",
// "initialLearningRate":0.1,"decaySteps":100,"decayRate":0.5}}}.

struct ScheduleInfo {
  std::string_view name;
  NameList aliases;
  KeyList keys;  // typed and defaulted like a layer's
  double (*rate)(const Config& config, std::uint64_t step);
  EnginePart part = EnginePart::kCore;  // see EnginePart
};
Span<ScheduleInfo> schedule_table();
const ScheduleInfo& find_schedule(const std::string& name);  // throws "unknown schedule ...; allowed: ..."

// ---- Optimizers -----------------------------------------------------------------------------------

class Optimizer;  // optim/optimizer.h

struct OptimizerSpec {
  std::string name = "sgd";            // sgd momentum adam rmsprop adagrad adadelta adamax
  float learning_rate = 0.01f;         // with a schedule: its initialLearningRate
  float beta1 = 0.9f, beta2 = 0.999f;  // adam, adamax
  float epsilon = 1e-7f;               // adam, rmsprop, adagrad, adadelta, adamax (TF.js backend epsilon)
  float momentum = 0.0f;               // momentum, rmsprop
  bool use_nesterov = false;           // momentum
  // The row's "decay" / "rho" key: rmsprop's and adadelta's moving-average factor (rho), adamax's
  // learning-rate decay (lr / (1 + decay·t)).
  float decay = 0.9f;
  float initial_accumulator_value = 0.1f;  // adagrad
  std::string schedule;                    // a row of schedule_table(), or empty: a constant learning rate
  Config schedule_config;                  // that row's keys, defaults filled in
};

// The learning rate at optimizer step `step` (0-based): the schedule's, or the constant one.
float learning_rate_at(const OptimizerSpec& spec, std::uint64_t step);

// The values of a row's string form ('adam') that differ between optimizers; the others are
// OptimizerSpec's member defaults.
struct OptimizerDefaults {
  float learning_rate;
  float momentum = 0.0f;
  float decay = 0.9f;
};

struct OptimizerInfo {
  std::string_view name;
  NameList aliases;
  OptimizerDefaults defaults;                                     // TF.js's defaults for the string form ('adam')
  NameList keys;                                                  // the keys this optimizer reads
  void (*validate)(const OptimizerSpec& spec);                    // throws Error naming the key and the range
  std::unique_ptr<Optimizer> (*make)(const OptimizerSpec& spec);  // spec already validated
  EnginePart part = EnginePart::kCore;                            // see EnginePart

  OptimizerSpec default_spec() const;  // the string form's spec: this name, `defaults`
};
Span<OptimizerInfo> optimizer_table();
const OptimizerInfo& find_optimizer(const std::string& name);

// ---- Compile spec -----------------------------------------------------------------------------------

// v1: {"optimizer":"adam" | {"name":"adam","learningRate":0.001,...},
//      "loss":"binaryCrossentropy", "metrics":["accuracy"]}
// v2 (Keras compile for several outputs; v1 is the case of one name for every output):
//   "loss": a name | {"name": ...} | [one per output, in output order] | {"<output layer>": loss}
//   "lossWeights": [w per output] | {"<output layer>": w}   (default 1; total = Σ w·loss)
//   "metrics": [names, applied to every output] | {"<output layer>": [names] | name}
// Output names are the output layers' names (Graph's spec outputs); a map must name every output.
struct CompileSpec {
  OptimizerSpec optimizer;
  std::string loss = "meanSquaredError";  // every output's loss (v1); the first output's when per output
  Config loss_config;                     // its parameters (the loss row's keys); empty: the defaults
  std::vector<std::string> metrics;       // every output's metrics, names or aliases of metric_table()
  // Per output, when the spec gave a list (keys empty, by position) or a map (keys = output names).
  std::vector<std::string> loss_keys, losses;
  std::vector<Config> loss_configs;  // parallel to losses
  std::vector<std::string> loss_weight_keys;
  std::vector<double> loss_weights;
  std::vector<std::string> metric_keys;  // non-empty: metrics given as a map
  std::vector<std::vector<std::string>> metric_lists;
};
CompileSpec parse_compile_spec(const std::string& json);
void validate_compile_spec(const CompileSpec& spec);
// The Logs name of a metric: "accuracy"/"acc" -> "acc", "mse"/"meanSquaredError" -> "mse".
std::string canonical_metric_name(const std::string& name);

// One output's part of a compile spec, resolved against the model's output names.
struct OutputCompile {
  std::string output;  // the output layer's name
  std::string loss;    // canonical loss name
  Config loss_config;  // its parameters, as given (rows' defaults fill the rest)
  double weight = 1.0;
  std::vector<std::string> metrics;  // as given (names or aliases)
};
// Throws Error when a list has the wrong length or a map misses or invents an output name.
std::vector<OutputCompile> resolve_compile_spec(const CompileSpec& spec, const std::vector<std::string>& output_names);

// ---- Lists for bindings (engineTables()) ------------------------------------------------------------

// {"layers":[{"name":"dense","aliases":[...],"keys":[{"name":"units","type":"int","default":null,
//  "required":true},...]}],"activations":[...],"initializers":[...],"losses":[...],"metrics":[...],
//  "optimizers":[...],"schedules":[...],"threads":{"max":16}} — names, aliases and keys of every table,
//  for the library's type lists, and the thread pool's largest size (core/parallel.h kMaxThreads).
std::string engine_tables_json();

// Names of a table, in table order.
std::vector<std::string> layer_type_names();
std::vector<std::string> activation_names();
std::vector<std::string> initializer_names();
std::vector<std::string> loss_names();
std::vector<std::string> metric_names();
std::vector<std::string> optimizer_names();

}  // namespace nnplay
