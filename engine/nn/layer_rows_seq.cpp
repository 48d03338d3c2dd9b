// Table rows of the sequence layers of issue 8: simpleRNN, lstm, gru. Each row only translates
// a Config into the layer's RecurrentConfig (nn/recurrent_layers.h) and calls its shape and
// variable functions, as the rows of nn/layer_rows_v2.cpp do.
#include <limits>

#include "nn/recurrent_layers.h"
#include "nn/registry.h"
#include "nn/registry_json.h"

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
LayerType recurrent_row(std::vector<std::string> aliases) {
  return LayerType{recurrent_type_name(cell), std::move(aliases),    recurrent_keys(cell), 1, 1,
                   recurrent_shape<cell>,     recurrent_specs<cell>, make_recurrent<cell>, ""};
}

}  // namespace

void append_layer_rows_seq(std::vector<LayerType>& t) {
  t.push_back(recurrent_row<RecurrentCell::kSimpleRnn>({"SimpleRNN", "simpleRnn", "simple_rnn"}));
  t.push_back(recurrent_row<RecurrentCell::kLstm>({"LSTM"}));
  t.push_back(recurrent_row<RecurrentCell::kGru>({"GRU"}));
}

}  // namespace nnplay
