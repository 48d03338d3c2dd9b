// The sequence tasks and text windows (see sequences.h for the contract of each).
#include "data/sequences.h"

#include <algorithm>
#include <cmath>

#include "core/check.h"
#include "core/crc32.h"
#include "core/json.h"
#include "core/json_depth.h"
#include "core/rng.h"
#include "core/strings.h"

namespace nnplay {
namespace {

constexpr double kTwoPi = 6.28318530717958647692;

// JSON numbers from JS arrive as integers or doubles; accept a double only when integral.
bool json_integer(JsonValue v, double lo, double hi, double* out) {
  if (!v.is_number()) return false;
  const double d = v.as_double();
  if (!std::isfinite(d) || d != std::floor(d) || d < lo || d > hi) return false;
  *out = d;
  return true;
}

JsonDocument parse_object(const std::string& text, const std::string& what, const std::vector<std::string>& keys) {
  check_json_depth(text, kMaxJsonDepth, what);
  JsonDocument doc = parse_json(text, what + " is not valid JSON: ");
  const JsonValue j = doc.root();
  NNPLAY_CHECK(j.is_object(), what << " must be an object with keys " << join_names(keys));
  for (auto it = j.begin(); it != j.end(); ++it) {
    NNPLAY_CHECK(std::find(keys.begin(), keys.end(), it.key()) != keys.end(),
                 "unknown option \"" << it.key() << "\" for " << what << ": allowed are " << join_names(keys));
  }
  return doc;
}

int integer_option(JsonValue j, const char* key, int lo, int hi, int fallback) {
  if (!j.contains(key)) return fallback;
  double d = 0;
  NNPLAY_CHECK(json_integer(j[key], lo, hi, &d),
               key << " must be an integer in [" << lo << ", " << hi << "], got " << j[key].dump());
  return static_cast<int>(d);
}

float number_option(JsonValue j, const char* key, double lo, double hi, float fallback) {
  if (!j.contains(key)) return fallback;
  JsonValue v = j[key];
  NNPLAY_CHECK(v.is_number() && std::isfinite(v.as_double()) && v.as_double() >= lo && v.as_double() <= hi,
               key << " must be a number in [" << lo << ", " << hi << "], got " << v.dump());
  return v.as_float();
}

struct TaskShape {
  int default_steps;
  int min_steps;
  int features;
};

TaskShape task_shape(const std::string& task) {
  if (task == "sine") return {40, 1, 1};
  if (task == "adding") return {50, 2, 2};
  if (task == "parity" || task == "counting") return {12, 1, 1};
  NNPLAY_CHECK(false, "unknown sequence task \"" << task << "\": allowed are " << join_names(sequence_task_names()));
  return {};
}

// Checks a split's size against the memory budget before anything is allocated.
void check_split_size(std::uint64_t n, std::uint64_t per_sample, const std::string& what, const std::string& advice) {
  const std::uint64_t values = n * per_sample;
  NNPLAY_CHECK(values <= kSequenceMaxValues, what << " would hold " << values << " values (" << n << " samples x "
                                                  << per_sample << "), more than the " << kSequenceMaxValues
                                                  << " allowed per split: " << advice);
}

// One sample of each task: x [steps, features], y [outputs], drawn from rng.
void sine_sample(float* x, float* y, const SequenceTaskConfig& c, Rng& rng) {
  double freq[kSequenceMaxWaves], amp[kSequenceMaxWaves], phase[kSequenceMaxWaves];
  for (int k = 0; k < c.waves; ++k) {
    freq[k] = rng.uniform(1.0f / 32.0f, 1.0f / 8.0f);
    amp[k] = rng.uniform(0.5f, 1.0f) / static_cast<float>(c.waves);
    phase[k] = rng.uniform(0.0f, static_cast<float>(kTwoPi));
  }
  for (int t = 0; t < c.steps + c.horizon; ++t) {
    double v = 0;
    for (int k = 0; k < c.waves; ++k) v += amp[k] * std::sin(kTwoPi * freq[k] * t + phase[k]);
    if (t < c.steps) {
      x[t] = static_cast<float>(v) + (c.noise > 0 ? rng.normal(0.0f, c.noise) : 0.0f);
    } else {
      y[t - c.steps] = static_cast<float>(v);
    }
  }
}

void adding_sample(float* x, float* y, const SequenceTaskConfig& c, Rng& rng) {
  const int half = c.steps / 2;
  const int first = static_cast<int>(rng.below(static_cast<std::uint32_t>(half)));
  const int second = half + static_cast<int>(rng.below(static_cast<std::uint32_t>(c.steps - half)));
  for (int t = 0; t < c.steps; ++t) {
    x[2 * t] = rng.uniform();
    x[2 * t + 1] = (t == first || t == second) ? 1.0f : 0.0f;
  }
  y[0] = x[2 * first] + x[2 * second];
}

void bits_sample(float* x, float* y, const SequenceTaskConfig& c, Rng& rng) {
  int ones = 0;
  for (int t = 0; t < c.steps; ++t) {
    const int bit = static_cast<int>(rng.next_u32() >> 31);
    x[t] = static_cast<float>(bit);
    ones += bit;
    // everyStep: the answer so far after each bit (the running parity or count).
    if (c.every_step) y[t] = c.task == "parity" ? static_cast<float>(ones % 2) : static_cast<float>(ones);
  }
  if (!c.every_step) y[0] = c.task == "parity" ? static_cast<float>(ones % 2) : static_cast<float>(ones);
}

Dataset make_split(const SequenceTaskConfig& c, int n, int features, int outputs, std::uint64_t stream) {
  Rng rng(c.seed, stream);
  Dataset d;
  d.x.resize_for_overwrite({n, c.steps, features});
  d.y.resize_for_overwrite({n, outputs});
  const std::size_t per_x = static_cast<std::size_t>(c.steps) * static_cast<std::size_t>(features);
  for (int i = 0; i < n; ++i) {
    float* x = d.x.data() + static_cast<std::size_t>(i) * per_x;
    float* y = d.y.data() + static_cast<std::size_t>(i) * static_cast<std::size_t>(outputs);
    if (c.task == "sine") {
      sine_sample(x, y, c, rng);
    } else if (c.task == "adding") {
      adding_sample(x, y, c, rng);
    } else {
      bits_sample(x, y, c, rng);
    }
  }
  return d;
}

}  // namespace

const std::vector<std::string>& sequence_task_names() {
  static const std::vector<std::string> names = {"sine", "adding", "parity", "counting"};
  return names;
}

SequenceTaskConfig parse_sequence_task_config(const std::string& text) {
  static const std::vector<std::string> keys = {"task",  "numTrain", "numTest", "steps",    "horizon",
                                                "waves", "noise",    "seed",    "everyStep"};
  const JsonDocument doc = parse_object(text, "a sequence task config", keys);
  const JsonValue j = doc.root();
  SequenceTaskConfig c;
  if (j.contains("task")) {
    NNPLAY_CHECK(j["task"].is_string(), "task must be a string: one of " << join_names(sequence_task_names()));
    c.task = j["task"].as_string();
  }
  task_shape(c.task);  // an unknown task, named before its options
  if (c.task != "sine") {
    for (const char* key : {"horizon", "waves", "noise"}) {
      NNPLAY_CHECK(!j.contains(key), "option \"" << key << "\" belongs to the sine task, not " << c.task
                                                 << ": allowed are numTrain, numTest, steps, seed"
                                                 << (c.task == "adding" ? "" : ", everyStep"));
    }
  }
  if (j.contains("everyStep")) {
    NNPLAY_CHECK(c.task == "parity" || c.task == "counting",
                 "option \"everyStep\" belongs to the parity and counting tasks, not " << c.task);
    NNPLAY_CHECK(j["everyStep"].is_boolean(), "everyStep must be true or false, got " << j["everyStep"].dump());
    c.every_step = j["everyStep"].as_bool();
  }
  c.num_train = integer_option(j, "numTrain", 1, kSequenceMaxSamples, c.num_train);
  c.num_test = integer_option(j, "numTest", 0, kSequenceMaxSamples, c.num_test);
  c.steps = integer_option(j, "steps", 1, kSequenceMaxSteps, 0);
  c.horizon = integer_option(j, "horizon", 1, kSequenceMaxHorizon, c.horizon);
  c.waves = integer_option(j, "waves", 1, kSequenceMaxWaves, c.waves);
  c.noise = number_option(j, "noise", 0, 10, c.noise);
  if (j.contains("seed")) {
    double d = 0;
    // 2^53: the largest integer a JS number carries exactly.
    NNPLAY_CHECK(json_integer(j["seed"], 0, 9007199254740992.0, &d),
                 "seed must be an integer in [0, 2^53], got " << j["seed"].dump());
    c.seed = static_cast<std::uint64_t>(d);
  }
  validate_sequence_task_config(c);
  return c;
}

void validate_sequence_task_config(SequenceTaskConfig& c) {
  const TaskShape shape = task_shape(c.task);
  if (c.steps == 0) c.steps = shape.default_steps;
  NNPLAY_CHECK(c.steps >= shape.min_steps && c.steps <= kSequenceMaxSteps,
               c.task << " needs steps in [" << shape.min_steps << ", " << kSequenceMaxSteps << "], got " << c.steps);
  NNPLAY_CHECK(c.num_train >= 1 && c.num_train <= kSequenceMaxSamples,
               "numTrain must be in [1, " << kSequenceMaxSamples << "], got " << c.num_train);
  NNPLAY_CHECK(c.num_test >= 0 && c.num_test <= kSequenceMaxSamples,
               "numTest must be in [0, " << kSequenceMaxSamples << "], got " << c.num_test);
  NNPLAY_CHECK(c.horizon >= 1 && c.horizon <= kSequenceMaxHorizon,
               "horizon must be in [1, " << kSequenceMaxHorizon << "], got " << c.horizon);
  NNPLAY_CHECK(c.waves >= 1 && c.waves <= kSequenceMaxWaves,
               "waves must be in [1, " << kSequenceMaxWaves << "], got " << c.waves);
  NNPLAY_CHECK(std::isfinite(c.noise) && c.noise >= 0 && c.noise <= 10, "noise must be in [0, 10], got " << c.noise);
  const std::uint64_t per_sample = static_cast<std::uint64_t>(c.steps) * static_cast<std::uint64_t>(shape.features);
  const std::uint64_t n = static_cast<std::uint64_t>(std::max(c.num_train, c.num_test));
  check_split_size(n, per_sample, c.task, "use fewer samples or steps");
}

SequenceData make_sequence_task(SequenceTaskConfig c) {
  validate_sequence_task_config(c);
  SequenceData out;
  out.steps = c.steps;
  out.features = task_shape(c.task).features;
  out.outputs = c.task == "sine" ? c.horizon : c.every_step ? c.steps : 1;
  out.train = make_split(c, c.num_train, out.features, out.outputs, 1);
  out.test = make_split(c, c.num_test, out.features, out.outputs, 2);
  return out;
}

// ---- text

TextCorpus make_text_corpus(const std::uint8_t* bytes, std::uint64_t size, std::uint32_t crc, const std::string& vocab,
                            const std::string& name) {
  const std::uint32_t actual = crc32(bytes, size);
  NNPLAY_CHECK(actual == crc, name << ": CRC-32 is " << actual << ", the manifest says " << crc
                                   << ": the file is corrupt or from another build");
  NNPLAY_CHECK(!vocab.empty() && vocab.size() <= 256,
               name << ": the vocabulary must hold 1 to 256 characters, has " << vocab.size());
  int id_of[256];
  std::fill(id_of, id_of + 256, -1);
  for (std::size_t i = 0; i < vocab.size(); ++i) {
    const auto b = static_cast<unsigned char>(vocab[i]);
    NNPLAY_CHECK(id_of[b] < 0, name << ": the vocabulary lists byte " << static_cast<int>(b) << " twice");
    id_of[b] = static_cast<int>(i);
  }
  TextCorpus corpus;
  corpus.vocab_size = static_cast<int>(vocab.size());
  corpus.ids.resize(static_cast<std::size_t>(size));
  for (std::uint64_t i = 0; i < size; ++i) {
    const int id = id_of[bytes[i]];
    NNPLAY_CHECK(id >= 0,
                 name << ": byte " << static_cast<int>(bytes[i]) << " at offset " << i << " is not in the vocabulary");
    corpus.ids[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(id);
  }
  return corpus;
}

TextWindowsConfig parse_text_windows_config(const std::string& text) {
  static const std::vector<std::string> keys = {"seqLength", "stride", "encoding", "testFraction"};
  const JsonDocument doc = parse_object(text, "text options", keys);
  const JsonValue j = doc.root();
  TextWindowsConfig c;
  c.seq_length = integer_option(j, "seqLength", 1, kSequenceMaxSteps, c.seq_length);
  c.stride = integer_option(j, "stride", 1, kSequenceMaxSteps, 0);
  if (j.contains("encoding")) {
    JsonValue e = j["encoding"];
    NNPLAY_CHECK(
        e.is_string() && (e.as_string() == "oneHot" || e.as_string() == "ids"),
        "encoding must be \"oneHot\" (x [n, seqLength, vocab]) or \"ids\" (x [n, seqLength]), got " << e.dump());
    c.one_hot = e.as_string() == "oneHot";
  }
  c.test_fraction = number_option(j, "testFraction", 0, 0.5, c.test_fraction);
  return c;
}

SequenceData make_text_windows(const TextCorpus& corpus, TextWindowsConfig c) {
  NNPLAY_CHECK(c.seq_length >= 1 && c.seq_length <= kSequenceMaxSteps,
               "seqLength must be in [1, " << kSequenceMaxSteps << "], got " << c.seq_length);
  if (c.stride == 0) c.stride = c.seq_length;
  NNPLAY_CHECK(c.stride >= 1, "stride must be >= 1, got " << c.stride);
  const std::uint64_t total = corpus.ids.size();
  const auto cut = static_cast<std::uint64_t>(std::floor(static_cast<double>(total) * (1.0 - c.test_fraction)));
  const std::uint64_t length = static_cast<std::uint64_t>(c.seq_length);
  // A window needs seq_length inputs and the one character after them.
  auto windows = [&](std::uint64_t chars) -> std::uint64_t {
    return chars > length ? (chars - length - 1) / static_cast<std::uint64_t>(c.stride) + 1 : 0;
  };
  const std::uint64_t n_train = windows(cut);
  const std::uint64_t n_test = windows(total - cut);
  NNPLAY_CHECK(n_train >= 1, "the text's training part has " << cut << " characters, too few for one window of "
                                                             << c.seq_length << " + 1: use a smaller seqLength");
  NNPLAY_CHECK(c.test_fraction == 0 || n_test >= 1,
               "the text's test part has " << (total - cut) << " characters, too few for one window of " << c.seq_length
                                           << " + 1: use a smaller seqLength or a larger testFraction");
  const std::uint64_t per_sample = length * (c.one_hot ? static_cast<std::uint64_t>(corpus.vocab_size) : 1);
  const std::string advice = c.one_hot ? "use a larger stride, a shorter seqLength or encoding \"ids\""
                                       : "use a larger stride or a shorter seqLength";
  check_split_size(n_train, per_sample, "the text's training windows", advice);
  check_split_size(n_test, per_sample, "the text's test windows", advice);

  SequenceData out;
  out.steps = c.seq_length;
  out.features = c.one_hot ? corpus.vocab_size : 1;
  out.outputs = 1;
  auto fill = [&](Dataset& d, std::uint64_t first_char, std::uint64_t n) {
    const int count = static_cast<int>(n);
    if (c.one_hot) {
      d.x.resize({count, c.seq_length, corpus.vocab_size});  // zeroed: one 1 per step is written
    } else {
      d.x.resize_for_overwrite({count, c.seq_length});
    }
    d.y.resize_for_overwrite({count, 1});
    for (std::uint64_t i = 0; i < n; ++i) {
      const std::uint8_t* ids = corpus.ids.data() + first_char + i * static_cast<std::uint64_t>(c.stride);
      float* x = d.x.data() + i * per_sample;
      for (int t = 0; t < c.seq_length; ++t) {
        if (c.one_hot) {
          x[static_cast<std::size_t>(t) * static_cast<std::size_t>(corpus.vocab_size) + ids[t]] = 1.0f;
        } else {
          x[t] = static_cast<float>(ids[t]);
        }
      }
      d.y.data()[i] = static_cast<float>(ids[c.seq_length]);
    }
  };
  fill(out.train, 0, n_train);
  fill(out.test, cut, n_test);
  return out;
}

}  // namespace nnplay
