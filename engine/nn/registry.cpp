// The tables. To add a concept, add a row here (and its op / layer file); the name lists,
// messages and defaults everywhere else follow. Messages name the field, the bad value (quoted
// with bounded length and depth) and what is allowed, because they surface verbatim as JS Errors.
#include "nn/registry.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "core/check.h"
#include "core/json.h"
#include "core/json_depth.h"
#include "core/parallel.h"
#include "core/strings.h"
#include "kernels/im2col.h"
#include "nn/activation_layer.h"
#include "nn/conv2d_layer.h"
#include "nn/dense_layer.h"
#include "nn/flatten_layer.h"
#include "nn/max_pooling2d_layer.h"
#include "nn/registry_json.h"
#include "optim/optimizer.h"

namespace nnplay {

// {"name": "constant", "value": 0.5} as canonical JSON text (the row's name, every key, defaults filled).
std::string initializer_text(JsonValue object, const std::string& where);

// A table's rows are its elements, or (layer_table()) pointers to them.
template <class Row>
const Row& row_of(const Row& r) {
  return r;
}
template <class Row>
const Row& row_of(const Row* r) {
  return *r;
}

template <class Entry>
auto find_row(Span<Entry> table, const std::string& name) -> decltype(&row_of(table.front())) {
  for (const Entry& e : table) {
    const auto& r = row_of(e);
    if (r.name == name || r.aliases.contains(name)) return &r;
  }
  return nullptr;
}

namespace {

void write_names(JsonWriter& w, const NameList& names) {
  w.begin_array();
  for (std::string_view n : names) w.string(n);
  w.end_array();
}

std::string join_choices(const ChoiceList& choices) {
  std::string out;
  for (std::string_view c : choices) {
    if (!out.empty()) out += ", ";
    out += c;
  }
  return out;
}

}  // namespace

std::string quoted_bounded(const std::string& s) { return "\"" + (s.size() > 40 ? s.substr(0, 40) + "..." : s) + "\""; }

// ---- ConfigValue / Config -----------------------------------------------------------------------

ConfigValue ConfigValue::null_of(ConfigType t) {
  ConfigValue v;
  v.type = t;
  v.is_null = true;
  return v;
}
ConfigValue ConfigValue::integer(int x) {
  ConfigValue v;
  v.type = ConfigType::kInt;
  v.number = x;
  return v;
}
ConfigValue ConfigValue::num(double x) {
  ConfigValue v;
  v.type = ConfigType::kNumber;
  v.number = x;
  return v;
}
ConfigValue ConfigValue::boolean(bool x) {
  ConfigValue v;
  v.type = ConfigType::kBool;
  v.flag = x;
  return v;
}
ConfigValue ConfigValue::str(std::string x) {
  ConfigValue v;
  v.type = ConfigType::kString;
  v.text = std::move(x);
  return v;
}
ConfigValue ConfigValue::pair(int a, int b) {
  ConfigValue v;
  v.type = ConfigType::kIntPair;
  v.ints = {a, b};
  return v;
}
ConfigValue ConfigValue::regularizer(float l1, float l2) {
  ConfigValue v;
  v.type = ConfigType::kRegularizer;
  v.l1 = l1;
  v.l2 = l2;
  return v;
}

ConfigValue ConfigKey::default_config_value() const {
  if (default_value.is_null) return ConfigValue::null_of(type);
  ConfigValue v;
  v.type = type;
  v.number = default_value.number;
  v.flag = default_value.flag;
  v.text = std::string(default_value.text);
  if (type == ConfigType::kIntPair) v.ints = {default_value.pair[0], default_value.pair[1]};
  return v;
}

const ConfigValue& Config::at(const std::string& key) const {
  auto it = values_.find(key);
  NNPLAY_CHECK(it != values_.end(), "config has no key \"" << key << "\"");
  return it->second;
}

std::array<int, 2> Config::pair(const std::string& key) const {
  const ConfigValue& v = at(key);
  NNPLAY_ASSERT(v.ints.size() == 2);
  return {v.ints[0], v.ints[1]};
}

namespace {

void write_value(JsonWriter& w, const ConfigValue& v) {
  if (v.is_null) {
    w.null();
    return;
  }
  switch (v.type) {
    case ConfigType::kInt: w.integer(static_cast<long long>(v.number)); return;
    case ConfigType::kNumber: w.number(v.number); return;
    case ConfigType::kBool: w.boolean(v.flag); return;
    case ConfigType::kString:
      // A parameterised initializer is held as its JSON object's text (initializer_text wrote
      // it): written back as that object.
      if (!v.text.empty() && v.text[0] == '{')
        w.raw(v.text);
      else
        w.string(v.text);
      return;
    case ConfigType::kIntPair:
    case ConfigType::kShape:
    case ConfigType::kIntList:
      w.begin_array();
      for (int i : v.ints) w.integer(i);
      w.end_array();
      return;
    case ConfigType::kRegularizer: w.begin_object().key("l1").number(v.l1).key("l2").number(v.l2).end_object(); return;
  }
  w.null();
}

const char* type_name(ConfigType t) {
  switch (t) {
    case ConfigType::kInt: return "int";
    case ConfigType::kNumber: return "number";
    case ConfigType::kBool: return "bool";
    case ConfigType::kString: return "string";
    case ConfigType::kIntPair: return "intPair";
    case ConfigType::kShape: return "shape";
    case ConfigType::kRegularizer: return "regularizer";
    case ConfigType::kIntList: return "intList";
  }
  return "?";
}

}  // namespace

// Keys in the map's (sorted) order, as the engine's texts have always had them.
static void write_config(JsonWriter& w, const Config& config) {
  w.begin_object();
  for (const auto& kv : config.values()) {
    w.key(kv.first);
    write_value(w, kv.second);
  }
  w.end_object();
}

std::string config_to_json(const Config& config) {
  JsonWriter w;
  write_config(w, config);
  return w.str();
}

// ---- Reading JSON values, with messages that say the type given ---------------------------------

// A bounded description of a user value: never recurses into it, never quotes more than ~40 chars.
std::string describe_json_value(JsonValue v) {
  if (v.is_null()) return "null (JSON writes NaN and Infinity as null)";
  if (v.is_boolean()) return v.as_bool() ? "true" : "false";
  if (v.is_number()) {
    Message m;
    m << v.as_double();
    return m.str();
  }
  if (v.is_string()) {
    std::string s = v.as_string();
    if (s.size() > 40) s = s.substr(0, 40) + "...";
    return "the string \"" + s + "\"";
  }
  if (v.is_array()) {
    if (v.size() > 8) return "an array of " + std::to_string(v.size()) + " elements";
    std::string s = "[";
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i) s += ", ";
      JsonValue e = v[i];
      if (e.is_number() || e.is_boolean() || e.is_null()) {
        Message m;
        if (e.is_null())
          m << "null";
        else if (e.is_boolean())
          m << e.as_bool();
        else
          m << e.as_double();
        s += m.str();
      } else {
        s += e.is_string() ? "a string" : e.is_array() ? "an array" : "an object";
      }
    }
    return s + "]";
  }
  return "an object";
}

namespace {

bool contains(const std::vector<std::string>& names, const std::string& name) {
  for (const auto& n : names)
    if (n == name) return true;
  return false;
}
bool contains(const ChoiceList& names, const std::string& name) {
  for (std::string_view n : names)
    if (n == name) return true;
  return false;
}

bool is_integral(JsonValue v) {
  return v.is_number_integer() ||
         (v.is_number_float() && std::isfinite(v.as_double()) && std::floor(v.as_double()) == v.as_double());
}

std::string range_text(const ConfigKey& k) {
  Message m;
  if (k.type == ConfigType::kInt || k.type == ConfigType::kIntPair) {
    m << "from " << static_cast<long long>(k.min) << " to " << static_cast<long long>(k.max);
  } else if (!k.min_text.empty()) {
    m << k.min_text;
  } else if (k.max < 1e300) {
    m << "in [" << k.min << ", " << k.max << "]";
  } else {
    m << ">= " << k.min;
  }
  return m.str();
}

int read_int(JsonValue v, const ConfigKey& k, const std::string& where, const char* what) {
  NNPLAY_CHECK(v.is_number() && is_integral(v),
               where << ": " << k.name << " must " << what << ", got " << describe_json_value(v));
  const double d = v.as_double();
  NNPLAY_CHECK(d >= k.min && d <= k.max, where << ": " << k.name << " must " << what << " " << range_text(k) << ", got "
                                               << describe_json_value(v));
  return static_cast<int>(d);
}

ConfigValue read_value(JsonValue v, const ConfigKey& k, const std::string& where) {
  if (v.is_null() &&
      (k.default_value.is_null || k.type == ConfigType::kString || k.type == ConfigType::kIntPair ||
       k.type == ConfigType::kRegularizer) &&
      !k.required)
    return k.default_config_value();  // null: "the default", as TF.js configs write it
  switch (k.type) {
    case ConfigType::kInt: {
      NNPLAY_CHECK(v.is_number() && is_integral(v), where << ": " << k.name << " must be an integer " << range_text(k)
                                                          << ", got " << describe_json_value(v));
      const double d = v.as_double();
      NNPLAY_CHECK(d >= k.min && d <= k.max, where << ": " << k.name << " must be an integer " << range_text(k)
                                                   << ", got " << describe_json_value(v));
      return ConfigValue::integer(static_cast<int>(d));
    }
    case ConfigType::kNumber: {
      NNPLAY_CHECK(v.is_number() && std::isfinite(v.as_double()), where << ": " << k.name << " must be a finite number "
                                                                        << range_text(k) << ", got "
                                                                        << describe_json_value(v));
      const double d = v.as_double();
      const bool open_min = k.min_text.rfind("> ", 0) == 0;
      NNPLAY_CHECK((open_min ? d > k.min : d >= k.min) && d <= k.max,
                   where << ": " << k.name << " must be a finite number " << range_text(k) << ", got "
                         << describe_json_value(v));
      return ConfigValue::num(d);
    }
    case ConfigType::kBool:
      NNPLAY_CHECK(v.is_boolean(), where << ": " << k.name << " must be true or false, got " << describe_json_value(v));
      return ConfigValue::boolean(v.as_bool());
    case ConfigType::kString: {
      if (k.choices == &kInitializerChoices && v.is_object()) return ConfigValue::str(initializer_text(v, where));
      NNPLAY_CHECK(v.is_string(), where << ": " << k.name << " must be a string"
                                        << (k.choices ? " (one of " + join_choices(*k.choices) + ")" : std::string())
                                        << ", got " << describe_json_value(v));
      std::string s = v.as_string();
      if (k.choices) {
        // Activation and initializer names also have aliases: resolve them to the table name.
        if (k.choices == &kActivationChoices) {
          if (const ActivationInfo* a = find_row(activation_table(), s)) s = std::string(a->name);
        } else if (k.choices == &kInitializerChoices) {
          if (const InitializerInfo* i = find_row(initializer_table(), s)) s = std::string(i->name);
        }
        NNPLAY_CHECK(contains(*k.choices, s), where << ": unknown " << k.name << " " << quoted_bounded(s)
                                                    << "\"; allowed: " << join_choices(*k.choices));
      }
      return ConfigValue::str(s);
    }
    case ConfigType::kIntPair: {
      const char* what = "be an integer or an array of two integers";
      if (v.is_array()) {
        NNPLAY_CHECK(v.size() == 2, where << ": " << k.name << " must " << what << ", got " << describe_json_value(v));
        ConfigValue p = ConfigValue::pair(0, 0);
        for (int i = 0; i < 2; ++i) {
          JsonValue e = v[static_cast<std::size_t>(i)];
          NNPLAY_CHECK(
              e.is_number() && is_integral(e) && e.as_double() >= k.min && e.as_double() <= k.max,
              where << ": " << k.name << " must hold integers " << range_text(k) << ", got " << describe_json_value(v));
          p.ints[static_cast<std::size_t>(i)] = static_cast<int>(e.as_double());
        }
        return p;
      }
      NNPLAY_CHECK(v.is_number(), where << ": " << k.name << " must " << what << ", got " << describe_json_value(v));
      int a = read_int(v, k, where, "hold integers");
      return ConfigValue::pair(a, a);
    }
    case ConfigType::kShape:
    case ConfigType::kIntList: {
      const bool shape = k.type == ConfigType::kShape;
      NNPLAY_CHECK(v.is_array() && (!v.empty() || !shape),
                   where << ": " << k.name << " must be a " << (shape ? "non-empty " : "") << "array of "
                         << (shape ? "positive " : "") << "integers, e.g. [2]; got " << describe_json_value(v));
      NNPLAY_CHECK(v.size() <= 8, where << ": " << k.name << " has " << v.size() << " axes; at most 8 are supported");
      ConfigValue out;
      out.type = k.type;
      for (JsonValue d : v) {
        if (!shape && d.is_null()) {  // Keras writes an unknown size (reshape, noiseShape) as null
          out.ints.push_back(-1);
          continue;
        }
        NNPLAY_CHECK(d.is_number() && is_integral(d) && (!shape || (d.as_double() > 0 && d.as_double() <= (1 << 24))) &&
                         std::fabs(d.as_double()) <= (1 << 24),
                     where << ": " << k.name << " must hold " << (shape ? "positive " : "") << "integers"
                           << (shape ? " (each at most 16777216)" : "") << ", e.g. [2]; got "
                           << describe_json_value(v));
        out.ints.push_back(static_cast<int>(d.as_double()));
      }
      return out;
    }
    case ConfigType::kRegularizer: {
      const std::string rwhere = where + "." + std::string(k.name);
      NNPLAY_CHECK(v.is_object(), rwhere << " must be an object like {\"l1\":0.001} or {\"l2\":0.001}, got "
                                         << describe_json_value(v));
      ConfigValue r = ConfigValue::regularizer(0.0f, 0.0f);
      for (auto it = v.begin(); it != v.end(); ++it) {
        NNPLAY_CHECK(it.key() == "l1" || it.key() == "l2",
                     rwhere << ": unknown field \"" << it.key().substr(0, 40) << "\"; allowed fields: l1, l2");
        JsonValue x = it.value();
        NNPLAY_CHECK(x.is_number() && std::isfinite(x.as_double()) && x.as_double() >= 0,
                     rwhere << ": " << it.key() << " must be a finite number >= 0, got " << describe_json_value(x));
        (it.key() == "l1" ? r.l1 : r.l2) = x.as_float();
      }
      return r;
    }
  }
  return k.default_config_value();
}

}  // namespace

Config parse_config_object(KeyList keys, JsonValue obj, const std::string& where) {
  NNPLAY_CHECK(obj.is_object(), where << ": config must be an object, got " << describe_json_value(obj));
  std::vector<std::string> allowed;
  for (const ConfigKey& k : keys) allowed.emplace_back(k.name);
  for (auto it = obj.begin(); it != obj.end(); ++it)
    NNPLAY_CHECK(contains(allowed, it.key()), where << ": unknown field \"" << it.key().substr(0, 40)
                                                    << "\"; allowed fields: " << join_names(allowed));
  Config c;
  for (const ConfigKey& k : keys) {
    const std::string name(k.name);
    if (obj.contains(name)) {
      c.set(name, read_value(obj.at(name), k, where));
    } else {
      NNPLAY_CHECK(!k.required, where << ": missing \"" << k.name << "\"" << (k.min_text.empty() ? "" : " (")
                                      << k.min_text << (k.min_text.empty() ? "" : ")"));
      c.set(name, k.default_config_value());
    }
  }
  return c;
}

Config parse_layer_config(const LayerType& type, const std::string& config_json, const std::string& where) {
  check_json_depth(config_json, kMaxJsonDepth, where + " config");
  const JsonDocument doc = parse_json(config_json, where + ": config is not valid JSON: ");
  return parse_config_object(type.keys, doc.root(), where);
}

// ---- Activations ------------------------------------------------------------------------------------

namespace {

constexpr ActivationInfo kActivations[] = {
    {"linear", {}, ActivationKind::kLinear, 0.0f},
    {"relu", {}, ActivationKind::kRelu, 0.0f},
    {"leakyRelu", {"leaky_relu"}, ActivationKind::kLeakyRelu, 0.3f},
    {"elu", {}, ActivationKind::kElu, 1.0f},
    {"sigmoid", {}, ActivationKind::kSigmoid, 0.0f},
    {"tanh", {}, ActivationKind::kTanh, 0.0f},
    {"softmax", {}, ActivationKind::kSoftmax, 0.0f},
    {"hardSigmoid", {"hard_sigmoid"}, ActivationKind::kHardSigmoid, 0.0f, EnginePart::kExtra},
    {"softplus", {}, ActivationKind::kSoftplus, 0.0f, EnginePart::kExtra},
    {"softsign", {}, ActivationKind::kSoftsign, 0.0f, EnginePart::kExtra},
    {"selu", {}, ActivationKind::kSelu, 0.0f, EnginePart::kExtra},
    {"relu6", {}, ActivationKind::kRelu6, 0.0f, EnginePart::kExtra},
    {"swish", {"silu"}, ActivationKind::kSwish, 0.0f, EnginePart::kExtra},
    {"gelu", {}, ActivationKind::kGelu, 0.0f, EnginePart::kExtra},
    {"mish", {}, ActivationKind::kMish, 0.0f, EnginePart::kExtra},
    {"exponential", {}, ActivationKind::kExponential, 0.0f, EnginePart::kExtra},
};

// A table's names, in its order, as a constant array (the choices of a key naming a row).
template <class Row, std::size_t N>
constexpr std::array<std::string_view, N> names_array(const Row (&rows)[N]) {
  std::array<std::string_view, N> names{};
  for (std::size_t i = 0; i < N; ++i) names[i] = rows[i].name;
  return names;
}
constexpr auto kActivationNames = names_array(kActivations);

}  // namespace

constexpr ChoiceList kActivationChoices = kActivationNames;

Span<ActivationInfo> activation_table() { return kActivations; }

template <class Entry>
std::vector<std::string> names_of(Span<Entry> table) {
  std::vector<std::string> names;
  for (const Entry& e : table) names.emplace_back(row_of(e).name);
  return names;
}

const ActivationInfo& find_activation(const std::string& name) {
  const ActivationInfo* r = find_row(activation_table(), name);
  NNPLAY_CHECK(r, "unknown activation " << quoted_bounded(name) << "; allowed: " << join_names(activation_names()));
  return *r;
}

const ActivationInfo& activation_info(ActivationKind kind) {
  for (const ActivationInfo& r : activation_table())
    if (r.kind == kind) return r;
  return activation_table().front();
}

// The names are string literals: null-terminated.
const char* activation_name(ActivationKind kind) { return activation_info(kind).name.data(); }

// ---- Initializers -------------------------------------------------------------------------------------

namespace {

void fill_zeros(Tensor& t, int, int, Rng&) { t.zero(); }

void fill_glorot_uniform(Tensor& t, int fan_in, int fan_out, Rng& rng) {
  const float limit = std::sqrt(6.0f / static_cast<float>(fan_in + fan_out));
  for (std::size_t i = 0; i < t.size(); ++i) t[i] = rng.uniform(-limit, limit);
}

void fill_he_normal(Tensor& t, int fan_in, int, Rng& rng) {
  const float stddev = std::sqrt(2.0f / static_cast<float>(fan_in));
  for (std::size_t i = 0; i < t.size(); ++i) {
    float z;
    do {
      z = rng.normal();
    } while (std::fabs(z) > 2.0f);  // truncated normal: redraw beyond two standard deviations
    t[i] = stddev * z;
  }
}

void fill_ones(Tensor& t, int, int, Rng&) {
  for (std::size_t i = 0; i < t.size(); ++i) t[i] = 1.0f;
}

// TF.js's Orthogonal (gain 1): a [rows, cols] matrix (rows = the product of the leading axes)
// whose rows (rows <= cols) or columns (rows > cols) are orthonormal, made by Gram–Schmidt of a
// seeded standard-normal [min, max] matrix drawn row-major, as TF.js draws it. In double, and
// orthogonalised twice: one pass of classical Gram–Schmidt loses orthogonality in float.
void fill_orthogonal(Tensor& t, int, int, Rng& rng) {
  const std::size_t cols = t.rank() >= 1 ? static_cast<std::size_t>(t.shape().back()) : 1;
  const std::size_t rows = cols ? t.size() / cols : 0;
  const std::size_t short_n = std::min(rows, cols), long_n = std::max(rows, cols);
  std::vector<double> q(short_n * long_n);
  for (std::size_t v = 0; v < short_n; ++v) {
    double* qv = &q[v * long_n];
    for (;;) {
      for (std::size_t i = 0; i < long_n; ++i) qv[i] = rng.normal();
      for (int pass = 0; pass < 2; ++pass)
        for (std::size_t u = 0; u < v; ++u) {
          const double* qu = &q[u * long_n];
          double dot = 0.0;
          for (std::size_t i = 0; i < long_n; ++i) dot += qu[i] * qv[i];
          for (std::size_t i = 0; i < long_n; ++i) qv[i] -= dot * qu[i];
        }
      double norm = 0.0;
      for (std::size_t i = 0; i < long_n; ++i) norm += qv[i] * qv[i];
      norm = std::sqrt(norm);
      if (norm > 1e-6) {  // a draw (numerically) inside the span of the others: draw again
        for (std::size_t i = 0; i < long_n; ++i) qv[i] /= norm;
        break;
      }
    }
  }
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < cols; ++c)
      t[r * cols + c] = static_cast<float>(rows <= cols ? q[r * long_n + c] : q[c * long_n + r]);
}

// TF.js's VarianceScaling: scale / n with n = fan_in, fan_out or their mean (each at least 1);
// 'normal' draws a normal truncated at 2σ, σ = sqrt(scale / n) (TF.js applies no correction for
// the truncation), 'uniform' U(−l, l), l = sqrt(3·scale / n).
enum class FanMode { kIn, kOut, kAvg };
double fan_of(FanMode mode, int fan_in, int fan_out) {
  const double n = mode == FanMode::kIn ? fan_in : mode == FanMode::kOut ? fan_out : (fan_in + fan_out) / 2.0;
  return std::max(1.0, n);
}
void fill_truncated(Tensor& t, float mean, float stddev, Rng& rng) {
  for (std::size_t i = 0; i < t.size(); ++i) {
    float z;
    do {
      z = rng.normal();
    } while (std::fabs(z) > 2.0f);
    t[i] = mean + stddev * z;
  }
}
void fill_uniform(Tensor& t, float lo, float hi, Rng& rng) {
  for (std::size_t i = 0; i < t.size(); ++i) t[i] = rng.uniform(lo, hi);
}
template <int kScaleTimes2, FanMode kMode, bool kNormal>
void fill_variance_scaling(Tensor& t, int fan_in, int fan_out, Rng& rng) {
  const double scale = kScaleTimes2 / 2.0 / fan_of(kMode, fan_in, fan_out);
  if (kNormal) {
    fill_truncated(t, 0.0f, static_cast<float>(std::sqrt(scale)), rng);
  } else {
    const float limit = static_cast<float>(std::sqrt(3.0 * scale));
    fill_uniform(t, -limit, limit, rng);
  }
}
// TF.js defaults: randomNormal / truncatedNormal mean 0, stddev 0.05; randomUniform [−0.05, 0.05)
// (also the embeddings' initializer).
void fill_random_normal(Tensor& t, int, int, Rng& rng) {
  for (std::size_t i = 0; i < t.size(); ++i) t[i] = 0.05f * rng.normal();
}
void fill_truncated_normal(Tensor& t, int, int, Rng& rng) { fill_truncated(t, 0.0f, 0.05f, rng); }
void fill_random_uniform(Tensor& t, int, int, Rng& rng) { fill_uniform(t, -0.05f, 0.05f, rng); }
// TF.js's Identity (gain 1): only for square matrices, as there.
void fill_identity(Tensor& t, int, int, Rng&) {
  NNPLAY_CHECK(t.rank() == 2 && t.shape()[0] == t.shape()[1],
               "the identity initializer needs a square 2-D kernel, e.g. dense units equal to its input size; "
               "this kernel is not square");
  const std::size_t n = static_cast<std::size_t>(t.shape()[0]);
  t.zero();
  for (std::size_t i = 0; i < n; ++i) t[i * n + i] = 1.0f;
}

// TF.js's Constant({value}): every element the value (Keras's default value 0).
void fill_constant(Tensor& t, const Config& params) {
  const float value = params.number("value");
  for (std::size_t i = 0; i < t.size(); ++i) t[i] = value;
}
void fill_constant_default(Tensor& t, int, int, Rng&) { t.zero(); }

}  // namespace

namespace {

constexpr auto kConstantInitializerKeys = keys(number_key("value", 0.0, -3.4e38, 3.4e38));

// Formulas follow TF.js: glorotUniform U(−l, l), l = sqrt(6 / (fan_in + fan_out)); heNormal a
// normal truncated at 2σ, σ = sqrt(2 / fan_in). "ones" is for batchNormalization's gamma;
// "orthogonal" for the recurrent kernels (TF.js's default there).
constexpr InitializerInfo kInitializers[] = {
    {"glorotUniform", {"glorot_uniform"}, fill_glorot_uniform},
    {"heNormal", {"he_normal"}, fill_he_normal},
    {"zeros", {"zero", "Zeros"}, fill_zeros},
    {"ones", {"one", "Ones"}, fill_ones},
    {"orthogonal", {"Orthogonal"}, fill_orthogonal, {}, nullptr, EnginePart::kExtra},
    {"heUniform", {"he_uniform"}, fill_variance_scaling<4, FanMode::kIn, false>},
    {"glorotNormal", {"glorot_normal"}, fill_variance_scaling<2, FanMode::kAvg, true>},
    {"leCunNormal", {"lecun_normal"}, fill_variance_scaling<2, FanMode::kIn, true>},
    {"leCunUniform", {"lecun_uniform"}, fill_variance_scaling<2, FanMode::kIn, false>, {}, nullptr, EnginePart::kExtra},
    // The string form takes TF.js's defaults: scale 1, mode fanIn, distribution normal.
    {"varianceScaling", {"variance_scaling", "VarianceScaling"}, fill_variance_scaling<2, FanMode::kIn, true>},
    {"randomNormal", {"random_normal", "RandomNormal"}, fill_random_normal},
    {"randomUniform", {"random_uniform", "RandomUniform"}, fill_random_uniform},
    {"truncatedNormal",
     {"truncated_normal", "TruncatedNormal"},
     fill_truncated_normal,
     {},
     nullptr,
     EnginePart::kExtra},
    {"identity", {"Identity"}, fill_identity, {}, nullptr, EnginePart::kExtra},
    {"constant", {"Constant"}, fill_constant_default, kConstantInitializerKeys, fill_constant, EnginePart::kExtra},
};
constexpr auto kInitializerNames = names_array(kInitializers);

}  // namespace

constexpr ChoiceList kInitializerChoices = kInitializerNames;

Span<InitializerInfo> initializer_table() { return kInitializers; }

namespace {
// Whether "name" sorts before `key` (std::string's order, the order of the engine's objects).
bool name_key_goes_before(const std::string& key) { return std::string("name") < key; }
}  // namespace

std::string initializer_text(JsonValue object, const std::string& where) {
  NNPLAY_CHECK(object.contains("name") && object.at("name").is_string(),
               where << ": an initializer object needs \"name\" (one of " << join_names(initializer_names())
                     << "), e.g. {\"name\": \"constant\", \"value\": 0.5}");
  const InitializerInfo& row = find_initializer(object.at("name").as_string());
  const JsonDocument rest = JsonDocument::object_without(object, {"name"});
  const Config params =
      parse_config_object(row.keys, rest.root(), where + " (initializer " + std::string(row.name) + ")");
  if (row.keys.empty()) return std::string(row.name);  // no parameters: the bare name
  // {"name": ..., parameters}, keys sorted (the text's order since the first version).
  const std::string name(row.name);
  JsonWriter w;
  w.begin_object();
  bool named = false;
  for (const auto& kv : params.values()) {
    if (!named && name_key_goes_before(kv.first)) {
      w.key("name").string(name);
      named = true;
    }
    w.key(kv.first);
    write_value(w, kv.second);
  }
  if (!named) w.key("name").string(name);
  w.end_object();
  return w.str();
}

const InitializerInfo& find_initializer_of_text(const std::string& text) {
  if (text.empty() || text[0] != '{') return find_initializer(text);
  // The text is one initializer_text wrote: an object with a string "name".
  return find_initializer(parse_json(text, "initializer is not valid JSON: ").root().at("name").as_string());
}

void initialize_variable(const VariableSpec& spec, Tensor& value, Rng& rng) {
  const InitializerInfo& row = find_initializer_of_text(spec.initializer);
  if (row.fill_with && !spec.initializer.empty() && spec.initializer[0] == '{') {
    const JsonDocument spec_doc = parse_json(spec.initializer, "initializer is not valid JSON: ");
    const JsonDocument params = JsonDocument::object_without(spec_doc.root(), {"name"});
    row.fill_with(value, parse_config_object(row.keys, params.root(), "initializer " + std::string(row.name)));
  } else if (row.fill_with) {
    const JsonDocument none = JsonDocument::object_without(JsonValue(), {});
    row.fill_with(value, parse_config_object(row.keys, none.root(), "initializer " + std::string(row.name)));
  } else {
    row.fill(value, spec.fan_in, spec.fan_out, rng);
  }
  for (std::uint64_t i = spec.ones_begin; i < spec.ones_end && i < value.size(); ++i)
    value[static_cast<std::size_t>(i)] = 1.0f;
}

const InitializerInfo& find_initializer(const std::string& name) {
  const InitializerInfo* r = find_row(initializer_table(), name);
  NNPLAY_CHECK(r, "unknown initializer " << quoted_bounded(name) << "; allowed: " << join_names(initializer_names()));
  return *r;
}

// ---- Layer types: keys, shape rules, variable rules ---------------------------------------------------

namespace {
constexpr std::string_view kPaddingNames[] = {"valid", "same"};
}  // namespace
constexpr ChoiceList kPaddingChoices = kPaddingNames;

namespace {

constexpr double kMaxUnits = 1 << 20;

// "activation" (a fused one on dense and conv2d; required on the activation layer) and its
// "alpha" (null: the activation's default).
constexpr std::array<ConfigKey, 2> activation_keys(bool required) {
  ConfigKey act = string_key("activation", "linear", &kActivationChoices);
  act.required = required;
  return {{act, null_number_key("alpha", false, 0, 1e300)}};
}

constexpr auto kWeightKeys = keys(string_key("kernelInitializer", "glorotUniform", &kInitializerChoices),
                                  string_key("biasInitializer", "zeros", &kInitializerChoices),
                                  bool_key("useBias", true), regularizer_key("kernelRegularizer"));

Shape dense_shape(const std::vector<Shape>& in, const Config& c, const std::string& where,
                  const std::vector<std::string>&) {
  (void)where;
  Shape out = in[0];
  out.back() = c.integer("units");
  return out;
}

std::vector<VariableSpec> kernel_and_bias(const Shape& kernel, int fan_in, int fan_out, int units, const Config& c) {
  std::vector<VariableSpec> v;
  const ConfigValue& reg = c.at("kernelRegularizer");
  v.push_back(VariableSpec{"kernel", kernel, true, c.string("kernelInitializer"), fan_in, fan_out,
                           reg.is_null ? 0.0f : reg.l1, reg.is_null ? 0.0f : reg.l2});
  if (c.boolean("useBias")) v.push_back(VariableSpec{"bias", {units}, true, c.string("biasInitializer"), units, units});
  return v;
}

std::vector<VariableSpec> dense_variables(const std::vector<Shape>& in, const Config& c) {
  const int features = in[0].back(), units = c.integer("units");
  return kernel_and_bias({features, units}, features, units, units, c);
}

// The window of a conv2d / maxPooling2d on an image input: rank, sizes, and that it fits.
Shape window_shape(const std::vector<Shape>& inputs, const Config& c, const std::string& where,
                   const std::vector<std::string>& desc, bool conv) {
  const Shape& in = inputs[0];
  const char* size_name = conv ? "kernelSize" : "poolSize";
  NNPLAY_CHECK(in.size() == 3, where << " needs an image input [height, width, channels], but " << desc[0] << " is "
                                     << shape_to_string(in) << "; give the model an inputShape such as [28, 28, 1]");
  const ConvGeometry g = window_geometry(in, c, size_name, !conv);
  NNPLAY_CHECK(g.oh > 0 && g.ow > 0, where << ": " << size_name << " [" << g.kh << ", " << g.kw
                                           << "] is larger than its input " << shape_to_string(in)
                                           << " with padding \"valid\" (the output would be empty); use a smaller "
                                           << size_name << " or padding \"same\"");
  return {g.oh, g.ow, conv ? c.integer("filters") : in[2]};
}

Shape conv2d_shape(const std::vector<Shape>& in, const Config& c, const std::string& where,
                   const std::vector<std::string>& desc) {
  return window_shape(in, c, where, desc, true);
}

std::vector<VariableSpec> conv2d_variables(const std::vector<Shape>& in, const Config& c) {
  const std::array<int, 2> k = c.pair("kernelSize");
  const int channels = in[0][2], filters = c.integer("filters"), field = k[0] * k[1];
  // TF.js fans for a conv kernel: receptive field × channels in, receptive field × filters out.
  return kernel_and_bias({k[0], k[1], channels, filters}, field * channels, field * filters, filters, c);
}

Shape max_pooling2d_shape(const std::vector<Shape>& in, const Config& c, const std::string& where,
                          const std::vector<std::string>& desc) {
  return window_shape(in, c, where, desc, false);
}

Shape flatten_shape(const std::vector<Shape>& in, const Config&, const std::string& where,
                    const std::vector<std::string>&) {
  const std::uint64_t size = shape_size64(in[0]);
  NNPLAY_CHECK(size <= static_cast<std::uint64_t>(std::numeric_limits<int>::max()),
               where << ": its output of " << size << " values per sample is too large");
  return {static_cast<int>(size)};
}

Shape same_shape(const std::vector<Shape>& in, const Config&, const std::string&, const std::vector<std::string>&) {
  return in[0];
}

Shape input_shape_rule(const std::vector<Shape>&, const Config& c, const std::string&,
                       const std::vector<std::string>&) {
  return c.shape("shape");
}

// The keys of the core rows (issue 1's layers, the activation layer and the input).
constexpr auto kDenseKeys =
    layer_keys(keys(int_key("units", true, 0, 1, kMaxUnits, "the number of neurons, an integer > 0")),
               activation_keys(false), kWeightKeys);
constexpr auto kConv2dKeys =
    layer_keys(keys(int_key("filters", true, 0, 1, 65536, "the number of output channels, an integer > 0"),
                    pair_key("kernelSize", true, kNullDefault, "an integer such as 3, or [height, width]"),
                    pair_key("strides", false, kNullDefault), string_key("padding", "valid", &kPaddingChoices)),
               activation_keys(false), kWeightKeys);
constexpr auto kMaxPooling2dKeys =
    layer_keys(keys(pair_key("poolSize", false, default_pair(2, 2)), pair_key("strides", false, kNullDefault),
                    string_key("padding", "valid", &kPaddingChoices)));
constexpr auto kFlattenKeys = layer_keys();
constexpr auto kActivationLayerKeys = layer_keys(activation_keys(true));
constexpr auto kInputKeys = keys(list_key("shape", ConfigType::kShape, true, "the shape of one sample, e.g. [2]"));

constexpr LayerType kCoreLayerRows[] = {
    {"dense", {"Dense"}, kDenseKeys, 1, 1, dense_shape, dense_variables, make_dense_layer, "activation"},
    {"conv2d",
     {"Conv2D", "conv2D"},
     kConv2dKeys,
     1,
     1,
     conv2d_shape,
     conv2d_variables,
     make_conv2d_layer,
     "activation",
     nullptr,
     EnginePart::kExtra},
    {"maxPooling2d",
     {"MaxPooling2D", "maxPool2d", "max_pooling2d"},
     kMaxPooling2dKeys,
     1,
     1,
     max_pooling2d_shape,
     nullptr,
     make_max_pooling2d_layer,
     "",
     nullptr,
     EnginePart::kExtra},
    {"flatten", {"Flatten"}, kFlattenKeys, 1, 1, flatten_shape, nullptr, make_flatten_layer, ""},
    {"activation", {"Activation"}, kActivationLayerKeys, 1, 1, same_shape, nullptr, make_activation_layer, ""},
};
constexpr LayerType kInputRow = {
    "input", {"InputLayer", "inputLayer"}, kInputKeys, 0, 0, input_shape_rule, nullptr, nullptr, ""};

// layer_table(): the core rows, those of nn/layer_rows_v2.cpp, _seq.cpp and _ae.cpp, then the
// input row, as pointers (the rows live in their files' arrays).
constexpr std::size_t kLayerRowCount =
    std::size(kCoreLayerRows) + kLayerRowsV2Count + kLayerRowsSeqCount + kLayerRowsAeCount + 1;
template <std::size_t N>
constexpr void append_rows(std::array<const LayerType*, kLayerRowCount>& table, std::size_t& at,
                           const LayerType (&rows)[N]) {
  for (std::size_t i = 0; i < N; ++i) table[at++] = &rows[i];
}
constexpr std::array<const LayerType*, kLayerRowCount> layer_rows() {
  std::array<const LayerType*, kLayerRowCount> table{};
  std::size_t at = 0;
  append_rows(table, at, kCoreLayerRows);
  append_rows(table, at, kLayerRowsV2);
  append_rows(table, at, kLayerRowsSeq);
  append_rows(table, at, kLayerRowsAe);
  table[at] = &kInputRow;
  return table;
}
constexpr std::array<const LayerType*, kLayerRowCount> kLayerRows = layer_rows();

}  // namespace

Span<const LayerType*> layer_table() { return kLayerRows; }

std::string_view engine_part_name(EnginePart p) { return p == EnginePart::kExtra ? "extra" : "core"; }

const LayerType& find_layer_type(const std::string& name, const std::string& where) {
  const LayerType* r = find_row(layer_table(), name);
  NNPLAY_CHECK(
      r, where << ": unknown layer type " << quoted_bounded(name) << "; allowed: " << join_names(layer_type_names()));
  return *r;
}

// ---- Losses and metrics --------------------------------------------------------------------------------

namespace {

constexpr auto kHuberKeys = keys(number_key("delta", 1.0, 0, 1e300, "> 0"));

constexpr LossInfo kLosses[] = {
    {"meanSquaredError", {"mse", "MSE", "mean_squared_error"}, LossKind::kMeanSquaredError, ActivationKind::kLinear},
    {"binaryCrossentropy", {"binary_crossentropy"}, LossKind::kBinaryCrossentropy, ActivationKind::kSigmoid},
    {"categoricalCrossentropy",
     {"categorical_crossentropy"},
     LossKind::kCategoricalCrossentropy,
     ActivationKind::kSoftmax},
    {"sparseCategoricalCrossentropy",
     {"sparse_categorical_crossentropy"},
     LossKind::kSparseCategoricalCrossentropy,
     ActivationKind::kSoftmax},
    // TF.js's names (tfjs-layers lossesMap: 'logcosh', and tf.losses.huberLoss), Keras's snake_case.
    {"meanAbsoluteError", {"mae", "MAE", "mean_absolute_error"}, LossKind::kMeanAbsoluteError, ActivationKind::kLinear},
    {"meanAbsolutePercentageError",
     {"mape", "MAPE", "mean_absolute_percentage_error"},
     LossKind::kMeanAbsolutePercentageError,
     ActivationKind::kLinear,
     {},
     false,
     EnginePart::kExtra},
    {"huberLoss",
     {"huber", "Huber", "huber_loss"},
     LossKind::kHuberLoss,
     ActivationKind::kLinear,
     kHuberKeys,
     false,
     EnginePart::kExtra},
    {"hinge", {"Hinge"}, LossKind::kHinge, ActivationKind::kLinear, {}, false, EnginePart::kExtra},
    {"squaredHinge",
     {"squared_hinge", "SquaredHinge"},
     LossKind::kSquaredHinge,
     ActivationKind::kLinear,
     {},
     false,
     EnginePart::kExtra},
    {"logCosh",
     {"logcosh", "log_cosh", "LogCosh"},
     LossKind::kLogCosh,
     ActivationKind::kLinear,
     {},
     false,
     EnginePart::kExtra},
    {"kullbackLeiblerDivergence",
     {"kld", "KLD", "kl_divergence", "kullback_leibler_divergence", "KLDivergence"},
     LossKind::kKullbackLeiblerDivergence,
     ActivationKind::kLinear,
     {},
     true,
     EnginePart::kExtra},
    {"cosineProximity",
     {"cosine", "cosine_proximity", "cosine_similarity"},
     LossKind::kCosineProximity,
     ActivationKind::kLinear,
     {},
     true,
     EnginePart::kExtra},
    {"poisson", {"Poisson"}, LossKind::kPoisson, ActivationKind::kLinear, {}, false, EnginePart::kExtra},
    {"meanSquaredLogarithmicError",
     {"msle", "MSLE", "mean_squared_logarithmic_error"},
     LossKind::kMeanSquaredLogarithmicError,
     ActivationKind::kLinear,
     {},
     false,
     EnginePart::kExtra},
    {"categoricalHinge",
     {"categorical_hinge", "CategoricalHinge"},
     LossKind::kCategoricalHinge,
     ActivationKind::kLinear,
     {},
     false,
     EnginePart::kExtra},
};

}  // namespace

Span<LossInfo> loss_table() { return kLosses; }

const LossInfo& find_loss(const std::string& name) {
  const LossInfo* r = find_row(loss_table(), name);
  NNPLAY_CHECK(r, "unknown loss " << quoted_bounded(name) << "; allowed: " << join_names(loss_names()));
  return *r;
}

namespace {

constexpr MetricInfo kMetrics[] = {
    {"accuracy", {"acc"}, "acc", MetricKind::kAccuracy},
    {"binaryAccuracy", {"binary_accuracy"}, "binaryAccuracy", MetricKind::kBinaryAccuracy},
    {"categoricalAccuracy", {"categorical_accuracy"}, "categoricalAccuracy", MetricKind::kCategoricalAccuracy},
    {"mse", {"meanSquaredError", "mean_squared_error", "MSE"}, "mse", MetricKind::kMeanSquaredError},
    {"mae", {"meanAbsoluteError", "mean_absolute_error", "MAE"}, "mae", MetricKind::kMeanAbsoluteError},
    {"mape",
     {"meanAbsolutePercentageError", "mean_absolute_percentage_error", "MAPE"},
     "mape",
     MetricKind::kMeanAbsolutePercentageError,
     EnginePart::kExtra},
    // TF.js's precision and recall count predictions equal to 1 (not thresholded) in each batch.
    {"precision", {"Precision"}, "precision", MetricKind::kPrecision, EnginePart::kExtra},
    {"recall", {"Recall"}, "recall", MetricKind::kRecall, EnginePart::kExtra},
    // TF.js's 'cosine': −cos(y, p), the cosineProximity loss as a figure (Keras's positive
    // cosine_similarity metric is another sign, so it is not an alias).
    {"cosine", {}, "cosine", MetricKind::kCosineProximity, EnginePart::kExtra},
};

}  // namespace

Span<MetricInfo> metric_table() { return kMetrics; }

const MetricInfo& find_metric(const std::string& name) {
  const MetricInfo* r = find_row(metric_table(), name);
  if (!r) {
    std::string allowed;
    for (const MetricInfo& m : metric_table()) {
      if (!allowed.empty()) allowed += ", ";
      allowed += m.name;
      if (!m.aliases.empty()) allowed += " (or " + std::string(m.aliases[0]) + ")";
    }
    throw Error("unknown metric " + quoted_bounded(name) + "; allowed: " + allowed);
  }
  return *r;
}

std::string canonical_metric_name(const std::string& name) { return std::string(find_metric(name).log_name); }

// ---- Optimizers -------------------------------------------------------------------------------------------

namespace {

void check_unit_interval(float v, const std::string& opt, const char* key) {
  NNPLAY_CHECK(std::isfinite(v) && v >= 0.0f && v < 1.0f,
               "optimizer " << opt << ": " << key << " must be in [0, 1), got " << v);
}
void check_epsilon(const OptimizerSpec& o) {
  NNPLAY_CHECK(std::isfinite(o.epsilon) && o.epsilon > 0.0f,
               "optimizer " << o.name << ": epsilon must be a finite number > 0, got " << o.epsilon);
}
void validate_sgd(const OptimizerSpec&) {}
void validate_momentum(const OptimizerSpec& o) { check_unit_interval(o.momentum, o.name, "momentum"); }
void validate_adam(const OptimizerSpec& o) {
  check_unit_interval(o.beta1, o.name, "beta1");
  check_unit_interval(o.beta2, o.name, "beta2");
  check_epsilon(o);
}
void validate_rmsprop(const OptimizerSpec& o) {
  check_epsilon(o);
  check_unit_interval(o.momentum, o.name, "momentum");
  NNPLAY_CHECK(std::isfinite(o.decay) && o.decay >= 0.0f && o.decay < 1.0f,
               "optimizer rmsprop: decay (rho) must be in [0, 1), got " << o.decay);
}
void validate_adagrad(const OptimizerSpec& o) {
  check_epsilon(o);
  NNPLAY_CHECK(
      std::isfinite(o.initial_accumulator_value) && o.initial_accumulator_value >= 0.0f,
      "optimizer adagrad: initialAccumulatorValue must be a finite number >= 0, got " << o.initial_accumulator_value);
}

void validate_adadelta(const OptimizerSpec& o) {
  check_epsilon(o);
  NNPLAY_CHECK(std::isfinite(o.decay) && o.decay >= 0.0f && o.decay < 1.0f,
               "optimizer adadelta: rho must be in [0, 1), got " << o.decay);
}
void validate_adamax(const OptimizerSpec& o) {
  check_unit_interval(o.beta1, o.name, "beta1");
  check_unit_interval(o.beta2, o.name, "beta2");
  check_epsilon(o);
  NNPLAY_CHECK(std::isfinite(o.decay) && o.decay >= 0.0f,
               "optimizer adamax: decay must be a finite number >= 0, got " << o.decay);
}

// Defaults of TF.js's string optimizers ('sgd', 'adam', ...).
constexpr OptimizerInfo kOptimizers[] = {
    {"sgd", {}, {0.01f}, {"learningRate"}, validate_sgd, make_sgd},
    {"momentum", {}, {0.01f, 0.9f}, {"learningRate", "momentum", "useNesterov"}, validate_momentum, make_momentum},
    {"adam", {}, {0.001f}, {"learningRate", "beta1", "beta2", "epsilon"}, validate_adam, make_adam},
    {"rmsprop",
     {"RMSProp"},
     {0.001f},
     {"learningRate", "decay", "rho", "momentum", "epsilon"},
     validate_rmsprop,
     make_rmsprop},
    {"adagrad",
     {},
     {0.01f},
     {"learningRate", "initialAccumulatorValue", "epsilon"},
     validate_adagrad,
     make_adagrad,
     EnginePart::kExtra},
    // TF.js Layers' string forms: tf.train.adadelta(1, 0.95, ε) and tf.train.adamax(0.002, 0.9, 0.999, ε, 0).
    {"adadelta",
     {"Adadelta"},
     {1.0f, 0.0f, 0.95f},
     {"learningRate", "rho", "epsilon"},
     validate_adadelta,
     make_adadelta,
     EnginePart::kExtra},
    {"adamax",
     {"Adamax"},
     {0.002f, 0.0f, 0.0f},
     {"learningRate", "beta1", "beta2", "epsilon", "decay"},
     validate_adamax,
     make_adamax,
     EnginePart::kExtra},
};

}  // namespace

Span<OptimizerInfo> optimizer_table() { return kOptimizers; }

OptimizerSpec OptimizerInfo::default_spec() const {
  OptimizerSpec o;
  o.name = std::string(name);
  o.learning_rate = defaults.learning_rate;
  o.momentum = defaults.momentum;
  o.decay = defaults.decay;
  return o;
}

const OptimizerInfo& find_optimizer(const std::string& name) {
  const OptimizerInfo* r = find_row(optimizer_table(), name);
  NNPLAY_CHECK(r, "unknown optimizer " << quoted_bounded(name) << "; allowed: " << join_names(optimizer_names()));
  return *r;
}

// ---- Lists -------------------------------------------------------------------------------------------------

std::vector<std::string> layer_type_names() { return names_of(layer_table()); }
std::vector<std::string> activation_names() { return names_of(activation_table()); }
std::vector<std::string> initializer_names() { return names_of(initializer_table()); }
std::vector<std::string> loss_names() { return names_of(loss_table()); }
std::vector<std::string> metric_names() { return names_of(metric_table()); }
std::vector<std::string> optimizer_names() { return names_of(optimizer_table()); }

std::string engine_tables_json() {
  // Every object's keys in sorted order (the order of this text since its first version; the
  // build compares the file it writes with the last one's).
  JsonWriter w;
  auto key_row = [&w](const ConfigKey& k, bool with_choices) {
    w.begin_object();
    if (with_choices && k.choices) {
      w.key("choices").begin_array();
      for (std::string_view c : *k.choices) w.string(c);
      w.end_array();
    }
    w.key("default");
    write_value(w, k.default_config_value());
    w.key("name").string(k.name).key("required").boolean(k.required).key("type").string(type_name(k.type));
    w.end_object();
  };
  auto keys_json = [&](KeyList keys) {
    w.begin_array();
    for (const ConfigKey& k : keys) key_row(k, false);
    w.end_array();
  };
  auto named_rows = [&](const auto& table) {  // {aliases, keys, name, part}
    w.begin_array();
    for (const auto& r : table) {
      w.begin_object().key("aliases");
      write_names(w, r.aliases);
      w.key("keys");
      keys_json(r.keys);
      w.key("name").string(r.name).key("part").string(engine_part_name(r.part)).end_object();
    }
    w.end_array();
  };
  w.begin_object().key("activations").begin_array();
  for (const auto& r : activation_table()) {
    w.begin_object().key("aliases");
    write_names(w, r.aliases);
    w.key("name").string(r.name).key("part").string(engine_part_name(r.part)).end_object();
  }
  w.end_array().key("initializers");
  named_rows(initializer_table());
  w.key("layers").begin_array();
  for (const LayerType* row : layer_table()) {
    const LayerType& t = *row;
    w.begin_object().key("aliases");
    write_names(w, t.aliases);
    w.key("keys").begin_array();
    for (const ConfigKey& k : t.keys) key_row(k, true);
    w.end_array();
    w.key("maxInputs").integer(t.max_inputs).key("minInputs").integer(t.min_inputs).key("name").string(t.name);
    w.key("part").string(engine_part_name(t.part));
    w.end_object();
  }
  w.end_array().key("losses");
  named_rows(loss_table());
  w.key("metrics").begin_array();
  for (const MetricInfo& m : metric_table()) {
    w.begin_object().key("aliases");
    write_names(w, m.aliases);
    w.key("logName").string(m.log_name).key("name").string(m.name);
    w.key("part").string(engine_part_name(m.part)).end_object();
  }
  w.end_array().key("optimizers").begin_array();
  for (const OptimizerInfo& o : optimizer_table()) {
    const OptimizerSpec d = o.default_spec();
    // The defaults of the optimizer's own keys, sorted by key: the numbers, then useNesterov
    // (which sorts after every other key).
    std::map<std::string, double> numbers = {{"learningRate", d.learning_rate}};
    bool nesterov = false;
    for (std::string_view key : o.keys) {
      const std::string k(key);
      if (k == "momentum") numbers[k] = d.momentum;
      if (k == "useNesterov") nesterov = true;
      if (k == "beta1") numbers[k] = d.beta1;
      if (k == "beta2") numbers[k] = d.beta2;
      if (k == "epsilon") numbers[k] = d.epsilon;
      if (k == "decay" || k == "rho") numbers[k] = d.decay;
      if (k == "initialAccumulatorValue") numbers[k] = d.initial_accumulator_value;
    }
    w.begin_object().key("aliases");
    write_names(w, o.aliases);
    w.key("defaults").begin_object();
    for (const auto& kv : numbers) w.key(kv.first).number(kv.second);
    if (nesterov) w.key("useNesterov").boolean(d.use_nesterov);
    w.end_object().key("keys");
    write_names(w, o.keys);
    w.key("name").string(o.name).key("part").string(engine_part_name(o.part)).end_object();
  }
  w.end_array().key("schedules");
  named_rows(schedule_table());
  // The thread pool's bound (core/parallel.h): nn.setThreadsCount checks a count against it
  // before the engine has loaded, so the library takes it from here rather than a copy.
  w.key("threads").begin_object().key("max").integer(kMaxThreads).end_object();
  w.end_object();
  return w.str();
}

}  // namespace nnplay
