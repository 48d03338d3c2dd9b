// The compile spec (v1 and v2, nn/registry.h) and the learning-rate schedule table.
#include <cmath>
#include <set>

#include "core/check.h"
#include "core/json.h"
#include "core/json_depth.h"
#include "core/scalar_math.h"
#include "core/strings.h"
#include "nn/registry.h"
#include "nn/registry_json.h"

namespace nnplay {

namespace {

bool contains(const std::vector<std::string>& names, const std::string& name) {
  for (const auto& n : names)
    if (n == name) return true;
  return false;
}

constexpr double kPi = 3.14159265358979323846;

constexpr ConfigKey positive_number(std::string_view name, bool required, double def) {
  return required ? null_number_key(name, true, 0, 1e300, "> 0") : number_key(name, def, 0, 1e300, "> 0");
}

// ---- Schedules: Keras's formulas, in double, for the 0-based optimizer step.

// base^exponent for base > 0 (the rates' keys require it), as exp(exponent * ln base): libm's
// pow links a 4 KB table of its own into the wasm for these two schedules alone, and the engine's
// log_of and exp_of none (core/scalar_math.h). Within a few ulp of pow.
double positive_power(double base, double exponent) { return exp_of(exponent * log_of(base)); }

double exponential_decay(const Config& c, std::uint64_t step) {
  double p = static_cast<double>(step) / c.at("decaySteps").number;
  if (c.boolean("staircase")) p = std::floor(p);
  return c.at("initialLearningRate").number * positive_power(c.at("decayRate").number, p);
}

double cosine_decay(const Config& c, std::uint64_t step) {
  const double decay_steps = c.at("decaySteps").number;
  const double s = std::min(static_cast<double>(step), decay_steps);
  const double cosine = 0.5 * (1.0 + std::cos(kPi * s / decay_steps));
  const double alpha = c.at("alpha").number;
  return c.at("initialLearningRate").number * ((1.0 - alpha) * cosine + alpha);
}

double step_decay(const Config& c, std::uint64_t step) {
  const double k = std::floor(static_cast<double>(step) / c.at("stepSize").number);
  return c.at("initialLearningRate").number * positive_power(c.at("gamma").number, k);
}

float get_number(JsonValue obj, const char* key, const std::string& where) {
  JsonValue v = obj.at(key);
  NNPLAY_CHECK(v.is_number(), where << "." << key << " must be a finite number, got " << describe_json_value(v));
  return v.as_float();
}

// The learning rate: a number, or {"schedule": name, ...that schedule's keys}.
void parse_learning_rate(JsonValue v, OptimizerSpec& opt) {
  const std::string where = "optimizer.learningRate";
  if (!v.is_object()) {
    NNPLAY_CHECK(v.is_number(), where << " must be a finite number or a schedule such as {\"schedule\":\""
                                      << schedule_table().front().name << "\", ...}, got " << describe_json_value(v));
    opt.learning_rate = v.as_float();
    return;
  }
  std::vector<std::string> names;
  for (const ScheduleInfo& s : schedule_table()) names.emplace_back(s.name);
  NNPLAY_CHECK(v.contains("schedule") && v.at("schedule").is_string(),
               where << ": a schedule needs \"schedule\" naming it; allowed: " << join_names(names));
  const ScheduleInfo& info = find_schedule(v.at("schedule").as_string());
  const JsonDocument rest_doc = JsonDocument::object_without(v, {"schedule"});
  const JsonValue rest = rest_doc.root();
  opt.schedule = std::string(info.name);
  opt.schedule_config = parse_config_object(info.keys, rest, where + " (" + std::string(info.name) + ")");
  opt.learning_rate = static_cast<float>(opt.schedule_config.at("initialLearningRate").number);
}

void parse_optimizer(JsonValue o, CompileSpec& spec) {
  if (o.is_string()) {
    spec.optimizer = find_optimizer(o.as_string()).default_spec();
    return;
  }
  NNPLAY_CHECK(o.is_object(), "compile spec.optimizer must be a name ("
                                  << join_names(optimizer_names()) << ") or an object, got " << describe_json_value(o));
  // The library sends one config shape for every optimizer, so the keys of all of them are
  // accepted; each optimizer reads only its own (OptimizerInfo::keys).
  std::vector<std::string> allowed = {"name"};
  for (const OptimizerInfo& info : optimizer_table())
    for (std::string_view k : info.keys)
      if (!contains(allowed, std::string(k))) allowed.emplace_back(k);
  for (auto it = o.begin(); it != o.end(); ++it)
    NNPLAY_CHECK(contains(allowed, it.key()), "optimizer: unknown field \""
                                                  << it.key().substr(0, 40)
                                                  << "\"; allowed fields: " << join_names(allowed));
  NNPLAY_CHECK(o.contains("name"), "optimizer: missing \"name\"; allowed: " << join_names(optimizer_names()));
  NNPLAY_CHECK(o.at("name").is_string(), "optimizer.name must be a string, got " << describe_json_value(o.at("name")));
  OptimizerSpec& opt = spec.optimizer = find_optimizer(o.at("name").as_string()).default_spec();
  const std::string where = "optimizer";
  if (o.contains("learningRate")) parse_learning_rate(o.at("learningRate"), opt);
  if (o.contains("beta1")) opt.beta1 = get_number(o, "beta1", where);
  if (o.contains("beta2")) opt.beta2 = get_number(o, "beta2", where);
  if (o.contains("epsilon") && !o.at("epsilon").is_null()) opt.epsilon = get_number(o, "epsilon", where);
  if (o.contains("momentum")) opt.momentum = get_number(o, "momentum", where);
  if (o.contains("useNesterov")) {
    NNPLAY_CHECK(o.at("useNesterov").is_boolean(),
                 "optimizer.useNesterov must be true or false, got " << describe_json_value(o.at("useNesterov")));
    opt.use_nesterov = o.at("useNesterov").as_bool();
  }
  if (o.contains("decay")) opt.decay = get_number(o, "decay", where);
  if (o.contains("rho")) opt.decay = get_number(o, "rho", where);
  if (o.contains("initialAccumulatorValue"))
    opt.initial_accumulator_value = get_number(o, "initialAccumulatorValue", where);
}

// One loss: a name or {"name": ..., parameters}, the parameters typed by the loss row's keys
// (huberLoss's delta); a key the row does not have is an error rather than silently ignored.
std::string parse_one_loss(JsonValue v, const std::string& where, Config& config) {
  if (v.is_object()) {
    NNPLAY_CHECK(v.contains("name") && v.at("name").is_string(),
                 where << ": missing \"name\" (one of " << join_names(loss_names()) << ")");
    const LossInfo& info = find_loss(v.at("name").as_string());
    const JsonDocument rest_doc = JsonDocument::object_without(v, {"name"});
    const JsonValue rest = rest_doc.root();
    config = parse_config_object(info.keys, rest, where + " (" + std::string(info.name) + ")");
    return std::string(info.name);
  }
  NNPLAY_CHECK(v.is_string(), where << " must be a name (" << join_names(loss_names()) << ") or {\"name\": ...}, got "
                                    << describe_json_value(v));
  return v.as_string();
}

// A loss config {"name": "..."} and not a map by output name: it has a string "name" and nothing
// that is not a string (a map's values may be strings too, but a map would not name an output "name").
bool is_loss_config(JsonValue v) { return v.is_object() && v.contains("name") && v.at("name").is_string(); }

void parse_loss(JsonValue v, CompileSpec& spec) {
  Config config;
  if (v.is_array()) {
    NNPLAY_CHECK(!v.empty(), "compile spec.loss: a list needs one loss per output, got []");
    for (std::size_t i = 0; i < v.size(); ++i) {
      spec.losses.push_back(parse_one_loss(v[i], "compile spec.loss[" + std::to_string(i) + "]", config));
      spec.loss_configs.push_back(config);
    }
  } else if (v.is_object() && !is_loss_config(v)) {
    NNPLAY_CHECK(!v.empty(), "compile spec.loss: a map needs one loss per output name, got {}");
    for (auto it = v.begin(); it != v.end(); ++it) {
      spec.loss_keys.push_back(it.key());
      spec.losses.push_back(
          parse_one_loss(it.value(), "compile spec.loss[\"" + it.key().substr(0, 40) + "\"]", config));
      spec.loss_configs.push_back(config);
    }
  } else {
    spec.loss = parse_one_loss(v, "compile spec.loss", spec.loss_config);
    return;
  }
  spec.loss = spec.losses.front();
  spec.loss_config = spec.loss_configs.front();
}

double parse_weight(JsonValue v, const std::string& where) {
  NNPLAY_CHECK(v.is_number() && std::isfinite(v.as_double()) && v.as_double() >= 0,
               where << " must be a finite number >= 0, got " << describe_json_value(v));
  return v.as_double();
}

void parse_loss_weights(JsonValue v, CompileSpec& spec) {
  if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i)
      spec.loss_weights.push_back(parse_weight(v[i], "compile spec.lossWeights[" + std::to_string(i) + "]"));
    return;
  }
  NNPLAY_CHECK(v.is_object(),
               "compile spec.lossWeights must be a list (one weight per output) or a map by output "
               "name, got "
                   << describe_json_value(v));
  for (auto it = v.begin(); it != v.end(); ++it) {
    spec.loss_weight_keys.push_back(it.key());
    spec.loss_weights.push_back(
        parse_weight(it.value(), "compile spec.lossWeights[\"" + it.key().substr(0, 40) + "\"]"));
  }
}

std::vector<std::string> parse_metric_list(JsonValue m, const std::string& where) {
  if (m.is_string()) return {m.as_string()};
  NNPLAY_CHECK(m.is_array(), where << " must be an array such as [\"accuracy\"], got " << describe_json_value(m));
  std::vector<std::string> names;
  for (JsonValue name : m) {
    NNPLAY_CHECK(name.is_string(), where << " must hold names, got " << describe_json_value(name));
    names.push_back(name.as_string());
  }
  return names;
}

void check_metric_list(const std::vector<std::string>& metrics) {
  std::set<std::string> seen;
  for (const std::string& m : metrics) {
    const std::string log = canonical_metric_name(m);
    NNPLAY_CHECK(seen.insert(log).second, "metric " << quoted_bounded(m) << " is listed twice");
  }
}

}  // namespace

namespace {

constexpr ConfigKey kInitialLearningRate = positive_number("initialLearningRate", true, 0);
constexpr ConfigKey kDecaySteps = positive_number("decaySteps", true, 0);
constexpr auto kExponentialDecayKeys =
    keys(kInitialLearningRate, kDecaySteps, positive_number("decayRate", true, 0), bool_key("staircase", false));
constexpr auto kCosineDecayKeys = keys(kInitialLearningRate, kDecaySteps, number_key("alpha", 0.0, 0, 1));
constexpr auto kStepDecayKeys =
    keys(kInitialLearningRate, int_key("stepSize", true, 0, 1, 2147483647.0), positive_number("gamma", false, 0.1));

constexpr ScheduleInfo kSchedules[] = {
    {"exponentialDecay",
     {"ExponentialDecay", "exponential_decay"},
     kExponentialDecayKeys,
     exponential_decay,
     EnginePart::kExtra},
    {"cosineDecay", {"CosineDecay", "cosine_decay"}, kCosineDecayKeys, cosine_decay, EnginePart::kExtra},
    {"stepDecay", {"StepDecay", "step_decay", "StepLR"}, kStepDecayKeys, step_decay, EnginePart::kExtra},
};

}  // namespace

Span<ScheduleInfo> schedule_table() { return kSchedules; }

const ScheduleInfo& find_schedule(const std::string& name) {
  std::vector<std::string> names;
  for (const ScheduleInfo& s : schedule_table()) {
    if (s.name == name || s.aliases.contains(name)) return s;
    names.emplace_back(s.name);
  }
  throw Error("unknown learning-rate schedule " + quoted_bounded(name) + "; allowed: " + join_names(names));
}

float learning_rate_at(const OptimizerSpec& spec, std::uint64_t step) {
  if (spec.schedule.empty()) return spec.learning_rate;
  return static_cast<float>(find_schedule(spec.schedule).rate(spec.schedule_config, step));
}

CompileSpec parse_compile_spec(const std::string& text) {
  check_json_depth(text, kMaxJsonDepth, "compile spec");
  const JsonDocument doc = parse_json(text, "compile spec is not valid JSON: ");
  const JsonValue j = doc.root();
  NNPLAY_CHECK(j.is_object(), "compile spec must be a JSON object, got " << describe_json_value(j));
  for (auto it = j.begin(); it != j.end(); ++it)
    NNPLAY_CHECK(it.key() == "optimizer" || it.key() == "loss" || it.key() == "metrics" || it.key() == "lossWeights",
                 "compile spec: unknown field \"" << it.key().substr(0, 40)
                                                  << "\"; allowed fields: optimizer, loss, lossWeights, metrics");
  CompileSpec spec;
  if (j.contains("optimizer")) parse_optimizer(j.at("optimizer"), spec);
  if (j.contains("loss")) parse_loss(j.at("loss"), spec);
  if (j.contains("lossWeights")) parse_loss_weights(j.at("lossWeights"), spec);
  if (j.contains("metrics")) {
    JsonValue m = j.at("metrics");
    if (m.is_object()) {
      for (auto it = m.begin(); it != m.end(); ++it) {
        spec.metric_keys.push_back(it.key());
        spec.metric_lists.push_back(
            parse_metric_list(it.value(), "compile spec.metrics[\"" + it.key().substr(0, 40) + "\"]"));
      }
    } else {
      spec.metrics = parse_metric_list(m, "compile spec.metrics");
    }
  }
  validate_compile_spec(spec);
  return spec;
}

void validate_compile_spec(const CompileSpec& spec) {
  const OptimizerSpec& o = spec.optimizer;
  const OptimizerInfo& info = find_optimizer(o.name);
  NNPLAY_CHECK(std::isfinite(o.learning_rate) && o.learning_rate > 0.0f,
               "optimizer " << o.name << ": learningRate must be a finite number > 0, got " << o.learning_rate);
  if (!o.schedule.empty()) find_schedule(o.schedule);
  info.validate(o);
  find_loss(spec.loss);
  for (const std::string& l : spec.losses) find_loss(l);
  NNPLAY_CHECK(spec.loss_keys.empty() || spec.loss_keys.size() == spec.losses.size(),
               "compile spec: loss map is malformed");
  check_metric_list(spec.metrics);
  for (const auto& list : spec.metric_lists) check_metric_list(list);
}

std::vector<OutputCompile> resolve_compile_spec(const CompileSpec& spec, const std::vector<std::string>& outputs) {
  const std::size_t k = outputs.size();
  const std::string names = join_names(outputs);
  // A map's keys must be output names, and (for losses) cover every output.
  auto check_keys = [&](const std::vector<std::string>& keys, const char* what, bool every) {
    for (const std::string& key : keys)
      NNPLAY_CHECK(contains(outputs, key), "compile spec."
                                               << what << " names \"" << key.substr(0, 40)
                                               << "\", which is no output of the model; outputs: " << names);
    if (every)
      for (const std::string& out : outputs)
        NNPLAY_CHECK(contains(keys, out), "compile spec." << what << " has no entry for output \"" << out
                                                          << "\"; give one for each output: " << names);
  };
  auto index_of = [](const std::vector<std::string>& keys, const std::string& name) {
    for (std::size_t i = 0; i < keys.size(); ++i)
      if (keys[i] == name) return i;
    return keys.size();
  };
  std::vector<OutputCompile> result(k);
  for (std::size_t i = 0; i < k; ++i) result[i].output = outputs[i];
  if (!spec.losses.empty()) {
    if (spec.loss_keys.empty()) {
      NNPLAY_CHECK(spec.losses.size() == k, "compile spec.loss lists "
                                                << spec.losses.size() << " losses but the model has " << k
                                                << " outputs (" << names << "); give one per output");
    } else {
      check_keys(spec.loss_keys, "loss", true);
    }
  }
  if (!spec.loss_weights.empty()) {
    if (spec.loss_weight_keys.empty())
      NNPLAY_CHECK(spec.loss_weights.size() == k, "compile spec.lossWeights lists "
                                                      << spec.loss_weights.size() << " weights but the model has " << k
                                                      << " outputs (" << names << ")");
    else
      check_keys(spec.loss_weight_keys, "lossWeights", false);
  }
  if (!spec.metric_keys.empty()) check_keys(spec.metric_keys, "metrics", false);
  for (std::size_t i = 0; i < k; ++i) {
    OutputCompile& r = result[i];
    std::string loss = spec.loss;
    if (!spec.losses.empty())
      loss = spec.loss_keys.empty() ? spec.losses[i] : spec.losses[index_of(spec.loss_keys, outputs[i])];
    r.loss = find_loss(loss).name;
    r.loss_config = spec.loss_config;
    if (!spec.losses.empty()) {
      const std::size_t at = spec.loss_keys.empty() ? i : index_of(spec.loss_keys, outputs[i]);
      r.loss_config = at < spec.loss_configs.size() ? spec.loss_configs[at] : Config();
    }
    if (!spec.loss_weights.empty()) {
      if (spec.loss_weight_keys.empty()) {
        r.weight = spec.loss_weights[i];
      } else {
        const std::size_t w = index_of(spec.loss_weight_keys, outputs[i]);
        if (w < spec.loss_weights.size()) r.weight = spec.loss_weights[w];
      }
    }
    if (spec.metric_keys.empty()) {
      r.metrics = spec.metrics;
    } else {
      const std::size_t m = index_of(spec.metric_keys, outputs[i]);
      if (m < spec.metric_lists.size()) r.metrics = spec.metric_lists[m];
    }
  }
  return result;
}

}  // namespace nnplay
