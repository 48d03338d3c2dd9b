// Engine-internal: the JSON readers of the tables, for the spec parsers (nn/graph.cpp), and the
// constexpr builders the rows are written with (registry.cpp, nn/layer_rows_*.cpp,
// compile_spec.cpp). Not a public header: the JSON library (core/json.h) is private to the engine
// library.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"
#include "nn/registry.h"

namespace nnplay {

// A user value described for a message, bounded in length and depth (never dumps a nested value).
std::string describe_json_value(JsonValue v);
// Checks obj's keys against `keys` (unknown, missing, wrong type, out of range: Errors starting
// with `where`) and returns every key's value, defaults filled in.
Config parse_config_object(KeyList keys, JsonValue obj, const std::string& where);

// "text", cut at 40 characters.
std::string quoted_bounded(const std::string& s);

// ---- For the rows (registry.cpp, nn/layer_rows_*.cpp, compile_spec.cpp): constexpr builders ----

// Choice lists shared by the rows: the names of the activation and initializer tables (made from
// those tables at compile time) and the paddings.
extern const ChoiceList kActivationChoices;
extern const ChoiceList kInitializerChoices;
extern const ChoiceList kPaddingChoices;

constexpr ConfigKey int_key(std::string_view name, bool required, int def, double min, double max,
                            std::string_view help = {}) {
  return ConfigKey{name, ConfigType::kInt, required ? kNullDefault : default_number(def), required, min, max, nullptr,
                   help};
}
// An optional integer whose default is null (a dropout's seed, an embedding's inputLength).
constexpr ConfigKey optional_int_key(std::string_view name, double min, double max) {
  return ConfigKey{name, ConfigType::kInt, kNullDefault, false, min, max, nullptr, {}};
}
constexpr ConfigKey number_key(std::string_view name, double def, double min, double max,
                               std::string_view min_text = {}) {
  return ConfigKey{name, ConfigType::kNumber, default_number(def), false, min, max, nullptr, min_text};
}
// A number whose default is null: the spec leaves it out, or it is required (help: what it is).
constexpr ConfigKey null_number_key(std::string_view name, bool required, double min, double max,
                                    std::string_view min_text = {}) {
  return ConfigKey{name, ConfigType::kNumber, kNullDefault, required, min, max, nullptr, min_text};
}
constexpr ConfigKey bool_key(std::string_view name, bool def) {
  return ConfigKey{name, ConfigType::kBool, default_bool(def), false, 0, 0, nullptr, {}};
}
constexpr ConfigKey string_key(std::string_view name, std::string_view def, const ChoiceList* choices) {
  return ConfigKey{name, ConfigType::kString, default_text(def), false, 0, 0, choices, {}};
}
// kIntPair keys (kernelSize, strides, poolSize): each element in [1, 4096]; null default when
// `def` is kNullDefault.
constexpr ConfigKey pair_key(std::string_view name, bool required, KeyDefault def, std::string_view help = {}) {
  return ConfigKey{name, ConfigType::kIntPair, def, required, 1, 4096, nullptr, help};
}
constexpr ConfigKey regularizer_key(std::string_view name) {
  return ConfigKey{name, ConfigType::kRegularizer, kNullDefault, false, 0, 0, nullptr, {}};
}
// kShape / kIntList keys, null by default.
constexpr ConfigKey list_key(std::string_view name, ConfigType type, bool required, std::string_view help = {}) {
  return ConfigKey{name, type, kNullDefault, required, 0, 0, nullptr, help};
}

// A group of keys, and groups joined into one row's key array, at compile time.
template <class... K>
constexpr std::array<ConfigKey, sizeof...(K)> keys(K... k) {
  return {{k...}};
}
template <std::size_t Total, std::size_t N>
constexpr void append_keys(std::array<ConfigKey, Total>& out, std::size_t& at, const std::array<ConfigKey, N>& part) {
  for (std::size_t i = 0; i < N; ++i) out[at++] = part[i];
}
template <std::size_t... N>
constexpr std::array<ConfigKey, (N + ... + 0)> join_keys(const std::array<ConfigKey, N>&... parts) {
  std::array<ConfigKey, (N + ... + 0)> out{};
  std::size_t at = 0;
  (append_keys(out, at, parts), ...);
  return out;
}
// Every layer row with weights or without takes Keras's "trainable" (false: the layer's weights
// are frozen, still saved and read), last; said once here rather than in each row. The input
// row has no weights and takes only its shape.
template <std::size_t... N>
constexpr std::array<ConfigKey, (N + ... + 1)> layer_keys(const std::array<ConfigKey, N>&... parts) {
  return join_keys(parts..., keys(bool_key("trainable", true)));
}

// The rows of the layers of issue 6 §2 (dropout, batchNormalization, reshape, concatenate, add,
// averagePooling2d, globalAveragePooling2d; nn/layer_rows_v2.cpp), of the sequence layers of
// issue 8 (simpleRNN, lstm, gru, bidirectional, embedding, conv1d, globalAveragePooling1d;
// nn/layer_rows_seq.cpp) and of the autoencoder layers of issue 9 (upSampling2d,
// conv2dTranspose, gaussianSampling, klDivergence; nn/layer_rows_ae.cpp), in layer_table()'s
// order after the core rows. Each file checks its count against its rows (static_assert).
constexpr std::size_t kLayerRowsV2Count = 18, kLayerRowsSeqCount = 11, kLayerRowsAeCount = 4;
extern const LayerType kLayerRowsV2[kLayerRowsV2Count];
extern const LayerType kLayerRowsSeq[kLayerRowsSeqCount];
extern const LayerType kLayerRowsAe[kLayerRowsAeCount];

}  // namespace nnplay
