// Table rows of the sequence layers of issue 8: simpleRNN, lstm, gru, embedding, conv1d,
// globalAveragePooling1d. Each row only translates a Config into the layer's typed config
// (nn/recurrent_layers.h, nn/sequence_layers.h) and calls its shape and variable functions, as
// the rows of nn/layer_rows_v2.cpp do.
#include <limits>

#include "nn/bidirectional_layer.h"
#include "nn/recurrent_layers.h"
#include "nn/registry.h"
#include "nn/registry_json.h"
#include "nn/sequence_layers.h"

namespace nnplay {

namespace {

ConfigKey bool_key(const char* name, bool def) {
  return ConfigKey{name, ConfigType::kBool, ConfigValue::boolean(def), false, 0, 0, nullptr, ""};
}
ConfigKey string_key(const char* name, const char* def, const std::vector<std::string>* choices) {
  return ConfigKey{name, ConfigType::kString, ConfigValue::str(def), false, 0, 0, choices, ""};
}
ConfigKey regularizer_key(const char* name) {
  return ConfigKey{name, ConfigType::kRegularizer, ConfigValue::null_of(ConfigType::kRegularizer), false, 0, 0, nullptr,
                   ""};
}

// The keys of every recurrent row, TF.js's defaults (activation tanh; recurrentActivation, on
// the gated cells, hardSigmoid, where Keras uses sigmoid).
std::vector<ConfigKey> recurrent_keys(RecurrentCell cell) {
  std::vector<ConfigKey> keys = {
      ConfigKey{"units", ConfigType::kInt, ConfigValue::null_of(ConfigType::kInt), true, 1, 1 << 20, nullptr,
                "the size of the state h, an integer > 0"},
      string_key("activation", "tanh", &activation_names_storage()),
  };
  if (cell != RecurrentCell::kSimpleRnn)
    keys.push_back(string_key("recurrentActivation", "hardSigmoid", &activation_names_storage()));
  for (ConfigKey k :
       {bool_key("useBias", true), bool_key("returnSequences", false), bool_key("goBackwards", false),
        string_key("kernelInitializer", "glorotUniform", &initializer_names_storage()),
        string_key("recurrentInitializer", "orthogonal", &initializer_names_storage()),
        string_key("biasInitializer", "zeros", &initializer_names_storage()), regularizer_key("kernelRegularizer"),
        regularizer_key("recurrentRegularizer"), regularizer_key("biasRegularizer")})
    keys.push_back(k);
  for (const char* rate : {"dropout", "recurrentDropout"})
    keys.push_back(ConfigKey{rate, ConfigType::kNumber, ConfigValue::num(0.0), false, 0, 1, nullptr, ""});
  if (cell == RecurrentCell::kLstm) keys.push_back(bool_key("unitForgetBias", true));
  if (cell == RecurrentCell::kGru) keys.push_back(bool_key("resetAfter", false));
  return keys;
}

template <RecurrentCell cell>
Shape recurrent_shape(const std::vector<Shape>& in, const Config& c, const std::string& where,
                      const std::vector<std::string>& desc) {
  return recurrent_output_shape(in, recurrent_config_from(c, cell), where, desc.empty() ? "its input" : desc[0]);
}
template <RecurrentCell cell>
std::vector<VariableSpec> recurrent_specs(const std::vector<Shape>& in, const Config& c) {
  return recurrent_variables(in, recurrent_config_from(c, cell));
}
template <RecurrentCell cell>
std::unique_ptr<Layer> make_recurrent(const LayerArgs& a) {
  return make_recurrent_layer(a, cell);
}

template <RecurrentCell cell>
std::vector<Shape> recurrent_states(const std::vector<Shape>&, const Config& c) {
  return recurrent_state_shapes(recurrent_config_from(c, cell));
}

// returnState only on the plain cells: a bidirectional one would return both directions'
// states (Keras's [output, fh, fc, bh, bc]), which is not built.
template <RecurrentCell cell>
LayerType recurrent_row(std::vector<std::string> aliases) {
  std::vector<ConfigKey> keys = recurrent_keys(cell);
  keys.push_back(bool_key("returnState", false));
  LayerType row{recurrent_type_name(cell), std::move(aliases),    std::move(keys),      1, 1,
                recurrent_shape<cell>,     recurrent_specs<cell>, make_recurrent<cell>, ""};
  row.extra_outputs = recurrent_states<cell>;
  return row;
}

// ---- embedding

ConfigKey int_key(const char* name, bool required, int def, double min, double max, const char* help) {
  ConfigKey k{name, ConfigType::kInt, ConfigValue::integer(def), required, min, max, nullptr, help};
  if (required) k.default_value = ConfigValue::null_of(ConfigType::kInt);
  return k;
}

Shape embedding_shape(const std::vector<Shape>& in, const Config& c, const std::string& where,
                      const std::vector<std::string>& desc) {
  return embedding_output_shape(in, embedding_config_from(c), where, desc.empty() ? "its input" : desc[0]);
}
std::vector<VariableSpec> embedding_specs(const std::vector<Shape>&, const Config& c) {
  return embedding_variables(embedding_config_from(c));
}
std::unique_ptr<Layer> make_embedding(const LayerArgs& a) {
  return std::make_unique<EmbeddingLayer>(a.input_shapes.at(0), embedding_config_from(*a.config), a.variables,
                                          "layer \"" + a.name + "\" (embedding)");
}

LayerType embedding_row() {
  ConfigKey length = int_key("inputLength", false, 0, 1, 1 << 24, "");
  length.default_value = ConfigValue::null_of(ConfigType::kInt);
  return LayerType{"embedding",
                   {"Embedding"},
                   {int_key("inputDim", true, 0, 1, 1 << 24, "the number of distinct ids (ids are 0..inputDim-1)"),
                    int_key("outputDim", true, 0, 1, 1 << 20, "the size of one embedding vector, an integer > 0"),
                    length, string_key("embeddingsInitializer", "randomUniform", &initializer_names_storage()),
                    regularizer_key("embeddingsRegularizer")},
                   1,
                   1,
                   embedding_shape,
                   embedding_specs,
                   make_embedding,
                   ""};
}

// ---- conv1d, globalAveragePooling1d

const std::vector<std::string>& conv1d_paddings() {
  static const std::vector<std::string> names = {"valid", "same"};
  return names;
}

Shape conv1d_shape(const std::vector<Shape>& in, const Config& c, const std::string& where,
                   const std::vector<std::string>& desc) {
  return conv1d_output_shape(in, conv1d_config_from(c), where, desc.empty() ? "its input" : desc[0]);
}
std::vector<VariableSpec> conv1d_specs(const std::vector<Shape>& in, const Config& c) {
  const Conv1dConfig cfg = conv1d_config_from(c);
  const int channels = in.at(0).at(1);
  const ConfigValue& reg = c.at("kernelRegularizer");
  // TF.js fans for a conv kernel: receptive field × channels in, receptive field × filters out.
  std::vector<VariableSpec> v = {VariableSpec{"kernel",
                                              {cfg.kernel_size, channels, cfg.filters},
                                              true,
                                              c.string("kernelInitializer"),
                                              cfg.kernel_size * channels,
                                              cfg.kernel_size * cfg.filters,
                                              reg.is_null ? 0.0f : reg.l1,
                                              reg.is_null ? 0.0f : reg.l2}};
  if (c.boolean("useBias"))
    v.push_back(VariableSpec{"bias", {cfg.filters}, true, c.string("biasInitializer"), cfg.filters, cfg.filters});
  return v;
}

LayerType conv1d_row() {
  ConfigKey alpha{"alpha", ConfigType::kNumber, ConfigValue::null_of(ConfigType::kNumber), false, 0, 1e300, nullptr,
                  ""};
  return LayerType{"conv1d",
                   {"Conv1D", "conv1D"},
                   {int_key("filters", true, 0, 1, 65536, "the number of output channels, an integer > 0"),
                    int_key("kernelSize", true, 0, 1, 4096, "the window length in steps, an integer > 0"),
                    int_key("strides", false, 1, 1, 4096, ""), string_key("padding", "valid", &conv1d_paddings()),
                    int_key("dilationRate", false, 1, 1, 1, "only 1 (dilated convolutions are not implemented)"),
                    string_key("activation", "linear", &activation_names_storage()), alpha,
                    string_key("kernelInitializer", "glorotUniform", &initializer_names_storage()),
                    string_key("biasInitializer", "zeros", &initializer_names_storage()), bool_key("useBias", true),
                    regularizer_key("kernelRegularizer")},
                   1,
                   1,
                   conv1d_shape,
                   conv1d_specs,
                   make_conv1d_layer,
                   "activation"};
}

Shape global_average_pooling1d_shape(const std::vector<Shape>& in, const Config&, const std::string& where,
                                     const std::vector<std::string>& desc) {
  return global_average_pooling1d_output_shape(in, where, desc.empty() ? "its input" : desc[0]);
}
std::unique_ptr<Layer> make_global_average_pooling1d(const LayerArgs& a) {
  return std::make_unique<GlobalAveragePooling1dLayer>(a.input_shapes.at(0));
}

// ---- bidirectional: the wrapped layer's type in "layer", its keys beside it (flat, as the
// table reads one level), and mergeMode.

const std::vector<std::string>& wrappable_cells() {
  static const std::vector<std::string> names = {"simpleRNN", "lstm", "gru"};
  return names;
}
const std::vector<std::string>& merge_modes() {
  static const std::vector<std::string> names = {"concat", "sum", "mul", "ave"};
  return names;
}

Shape bidirectional_shape(const std::vector<Shape>& in, const Config& c, const std::string& where,
                          const std::vector<std::string>& desc) {
  return bidirectional_output_shape(in, bidirectional_config_from(c), where, desc.empty() ? "its input" : desc[0]);
}
std::vector<VariableSpec> bidirectional_specs(const std::vector<Shape>& in, const Config& c) {
  return bidirectional_variables(in, bidirectional_config_from(c));
}

LayerType bidirectional_row() {
  ConfigKey layer = string_key("layer", "lstm", &wrappable_cells());
  layer.required = true;
  layer.default_value = ConfigValue::null_of(ConfigType::kString);
  layer.min_text = "the wrapped layer's type: simpleRNN, lstm or gru";
  std::vector<ConfigKey> keys = {layer, string_key("mergeMode", "concat", &merge_modes())};
  for (const ConfigKey& k : recurrent_keys(RecurrentCell::kLstm)) keys.push_back(k);
  keys.push_back(bool_key("resetAfter", false));
  return LayerType{"bidirectional",     {"Bidirectional"},        keys, 1, 1, bidirectional_shape,
                   bidirectional_specs, make_bidirectional_layer, ""};
}

}  // namespace

void append_layer_rows_seq(std::vector<LayerType>& t) {
  t.push_back(recurrent_row<RecurrentCell::kSimpleRnn>({"SimpleRNN", "simpleRnn", "simple_rnn"}));
  t.push_back(recurrent_row<RecurrentCell::kLstm>({"LSTM"}));
  t.push_back(recurrent_row<RecurrentCell::kGru>({"GRU"}));
  t.push_back(bidirectional_row());
  t.push_back(embedding_row());
  t.push_back(conv1d_row());
  t.push_back(LayerType{"globalAveragePooling1d",
                        {"GlobalAveragePooling1D", "global_average_pooling1d"},
                        {},
                        1,
                        1,
                        global_average_pooling1d_shape,
                        nullptr,
                        make_global_average_pooling1d,
                        ""});
}

}  // namespace nnplay
