// Table rows of the sequence layers of issue 8: simpleRNN, lstm, gru, embedding, conv1d,
// globalAveragePooling1d. Each row only translates a Config into the layer's typed config
// (nn/recurrent_layers.h, nn/sequence_layers.h) and calls its shape and variable functions, as
// the rows of nn/layer_rows_v2.cpp do.
#include <limits>

#include "nn/bidirectional_layer.h"
#include "nn/global_max_pooling_layers.h"
#include "nn/pooling1d_layers.h"
#include "nn/recurrent_layers.h"
#include "nn/registry.h"
#include "nn/registry_json.h"
#include "nn/repeat_vector_layer.h"
#include "nn/sequence_layers.h"

namespace nnplay {

namespace {

// The keys of every recurrent row, TF.js's defaults (activation tanh; recurrentActivation, on
// the gated cells, hardSigmoid, where Keras uses sigmoid): the head, the gated cells' key, the
// body, then each cell's own.
constexpr auto kRecurrentHead = keys(int_key("units", true, 0, 1, 1 << 20, "the size of the state h, an integer > 0"),
                                     string_key("activation", "tanh", &kActivationChoices));
constexpr auto kRecurrentActivation = keys(string_key("recurrentActivation", "hardSigmoid", &kActivationChoices));
constexpr auto kRecurrentBody =
    keys(bool_key("useBias", true), bool_key("returnSequences", false), bool_key("goBackwards", false),
         string_key("kernelInitializer", "glorotUniform", &kInitializerChoices),
         string_key("recurrentInitializer", "orthogonal", &kInitializerChoices),
         string_key("biasInitializer", "zeros", &kInitializerChoices), regularizer_key("kernelRegularizer"),
         regularizer_key("recurrentRegularizer"), regularizer_key("biasRegularizer"), number_key("dropout", 0.0, 0, 1),
         number_key("recurrentDropout", 0.0, 0, 1));
constexpr auto kLstmCellKeys =
    join_keys(kRecurrentHead, kRecurrentActivation, kRecurrentBody, keys(bool_key("unitForgetBias", true)));
constexpr auto kResetAfter = keys(bool_key("resetAfter", false));
// returnState only on the plain cells: a bidirectional one would return both directions'
// states (Keras's [output, fh, fc, bh, bc]), which is not built.
constexpr auto kReturnState = keys(bool_key("returnState", false));
constexpr auto kSimpleRnnKeys = layer_keys(kRecurrentHead, kRecurrentBody, kReturnState);
constexpr auto kLstmKeys = layer_keys(kLstmCellKeys, kReturnState);
constexpr auto kGruKeys = layer_keys(kRecurrentHead, kRecurrentActivation, kRecurrentBody, kResetAfter, kReturnState);

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

template <RecurrentCell cell>
constexpr LayerType recurrent_row(NameList aliases, KeyList cell_keys) {
  return LayerType{recurrent_type_name(cell),
                   aliases,
                   cell_keys,
                   1,
                   1,
                   recurrent_shape<cell>,
                   recurrent_specs<cell>,
                   make_recurrent<cell>,
                   "",
                   recurrent_states<cell>,
                   EnginePart::kExtra};
}

// ---- embedding

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

constexpr auto kEmbeddingKeys =
    layer_keys(keys(int_key("inputDim", true, 0, 1, 1 << 24, "the number of distinct ids (ids are 0..inputDim-1)"),
                    int_key("outputDim", true, 0, 1, 1 << 20, "the size of one embedding vector, an integer > 0"),
                    optional_int_key("inputLength", 1, 1 << 24),
                    string_key("embeddingsInitializer", "randomUniform", &kInitializerChoices),
                    regularizer_key("embeddingsRegularizer")));

// ---- conv1d, globalAveragePooling1d

constexpr std::string_view kConv1dPaddingNames[] = {"valid", "same"};
constexpr ChoiceList kConv1dPaddings = kConv1dPaddingNames;

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

constexpr auto kConv1dKeys =
    layer_keys(keys(int_key("filters", true, 0, 1, 65536, "the number of output channels, an integer > 0"),
                    int_key("kernelSize", true, 0, 1, 4096, "the window length in steps, an integer > 0"),
                    int_key("strides", false, 1, 1, 4096), string_key("padding", "valid", &kConv1dPaddings),
                    int_key("dilationRate", false, 1, 1, 1, "only 1 (dilated convolutions are not implemented)"),
                    string_key("activation", "linear", &kActivationChoices), null_number_key("alpha", false, 0, 1e300),
                    string_key("kernelInitializer", "glorotUniform", &kInitializerChoices),
                    string_key("biasInitializer", "zeros", &kInitializerChoices), bool_key("useBias", true),
                    regularizer_key("kernelRegularizer")));

Shape global_average_pooling1d_shape(const std::vector<Shape>& in, const Config&, const std::string& where,
                                     const std::vector<std::string>& desc) {
  return global_average_pooling1d_output_shape(in, where, desc.empty() ? "its input" : desc[0]);
}
std::unique_ptr<Layer> make_global_average_pooling1d(const LayerArgs& a) {
  return std::make_unique<GlobalAveragePooling1dLayer>(a.input_shapes.at(0));
}
constexpr auto kGlobalAveragePooling1dKeys = layer_keys();

Shape global_max_pooling1d_shape(const std::vector<Shape>& in, const Config&, const std::string& where,
                                 const std::vector<std::string>& desc) {
  return global_max_pooling_output_shape(in, 2, where, desc.empty() ? "its input" : desc[0]);
}
std::unique_ptr<Layer> make_global_max_pooling1d(const LayerArgs& a) {
  return std::make_unique<GlobalMaxPoolingLayer>(a.input_shapes.at(0), a.name);
}

// ---- maxPooling1d, averagePooling1d

Pooling1dConfig pooling1d_config(const Config& c) {
  Pooling1dConfig cfg;
  cfg.pool = c.integer("poolSize");
  cfg.stride = c.is_null("strides") ? 0 : c.integer("strides");
  cfg.same_padding = c.string("padding") == "same";
  return cfg;
}
Shape pooling1d_shape(const std::vector<Shape>& in, const Config& c, const std::string& where,
                      const std::vector<std::string>& desc) {
  return pooling1d_output_shape(in, pooling1d_config(c), where, desc.empty() ? "its input" : desc[0]);
}
std::unique_ptr<Layer> make_max_pooling1d(const LayerArgs& a) {
  return make_max_pooling1d_layer(a, pooling1d_config(*a.config));
}
std::unique_ptr<Layer> make_average_pooling1d(const LayerArgs& a) {
  return std::make_unique<AveragePooling1dLayer>(a, pooling1d_config(*a.config));
}
// ---- repeatVector

Shape repeat_vector_shape(const std::vector<Shape>& in, const Config& c, const std::string& where,
                          const std::vector<std::string>& desc) {
  return repeat_vector_output_shape(in, c.integer("n"), where, desc.empty() ? "its input" : desc[0]);
}
std::unique_ptr<Layer> make_repeat_vector(const LayerArgs& a) {
  return std::make_unique<RepeatVectorLayer>(a.input_shapes.at(0), a.config->integer("n"));
}
constexpr auto kRepeatVectorKeys =
    layer_keys(keys(int_key("n", true, 0, 1, 1 << 20, "how many times to repeat the vector, an integer >= 1")));

constexpr auto kPooling1dKeys =
    layer_keys(keys(int_key("poolSize", false, 2, 1, 4096), optional_int_key("strides", 1, 4096),
                    string_key("padding", "valid", &kPaddingChoices)));

// ---- bidirectional: the wrapped layer's type in "layer", its keys beside it (flat, as the
// table reads one level), and mergeMode.

constexpr std::string_view kWrappableCellNames[] = {recurrent_type_name(RecurrentCell::kSimpleRnn),
                                                    recurrent_type_name(RecurrentCell::kLstm),
                                                    recurrent_type_name(RecurrentCell::kGru)};
constexpr ChoiceList kWrappableCells = kWrappableCellNames;
constexpr std::string_view kMergeModeNames[] = {"concat", "sum", "mul", "ave"};
constexpr ChoiceList kMergeModes = kMergeModeNames;

Shape bidirectional_shape(const std::vector<Shape>& in, const Config& c, const std::string& where,
                          const std::vector<std::string>& desc) {
  return bidirectional_output_shape(in, bidirectional_config_from(c), where, desc.empty() ? "its input" : desc[0]);
}
std::vector<VariableSpec> bidirectional_specs(const std::vector<Shape>& in, const Config& c) {
  return bidirectional_variables(in, bidirectional_config_from(c));
}

constexpr auto kBidirectionalKeys =
    layer_keys(keys(ConfigKey{"layer", ConfigType::kString, kNullDefault, true, 0, 0, &kWrappableCells,
                              "the wrapped layer's type: simpleRNN, lstm or gru"},
                    string_key("mergeMode", "concat", &kMergeModes)),
               kLstmCellKeys, kResetAfter);

}  // namespace

constexpr LayerType kLayerRowsSeq[kLayerRowsSeqCount] = {
    recurrent_row<RecurrentCell::kSimpleRnn>({"SimpleRNN", "simpleRnn", "simple_rnn"}, kSimpleRnnKeys),
    recurrent_row<RecurrentCell::kLstm>({"LSTM"}, kLstmKeys),
    recurrent_row<RecurrentCell::kGru>({"GRU"}, kGruKeys),
    {"bidirectional",
     {"Bidirectional"},
     kBidirectionalKeys,
     1,
     1,
     bidirectional_shape,
     bidirectional_specs,
     make_bidirectional_layer,
     "",
     nullptr,
     EnginePart::kExtra},
    {"embedding",
     {"Embedding"},
     kEmbeddingKeys,
     1,
     1,
     embedding_shape,
     embedding_specs,
     make_embedding,
     "",
     nullptr,
     EnginePart::kExtra},
    {"conv1d",
     {"Conv1D", "conv1D"},
     kConv1dKeys,
     1,
     1,
     conv1d_shape,
     conv1d_specs,
     make_conv1d_layer,
     "activation",
     nullptr,
     EnginePart::kExtra},
    {"globalAveragePooling1d",
     {"GlobalAveragePooling1D", "global_average_pooling1d"},
     kGlobalAveragePooling1dKeys,
     1,
     1,
     global_average_pooling1d_shape,
     nullptr,
     make_global_average_pooling1d,
     "",
     nullptr,
     EnginePart::kExtra},
    {"globalMaxPooling1d",
     {"GlobalMaxPooling1D", "GlobalMaxPool1D", "globalMaxPool1d", "global_max_pooling1d"},
     kGlobalAveragePooling1dKeys,
     1,
     1,
     global_max_pooling1d_shape,
     nullptr,
     make_global_max_pooling1d,
     "",
     nullptr,
     EnginePart::kExtra},
    {"maxPooling1d",
     {"MaxPooling1D", "MaxPool1D", "maxPool1d", "max_pooling1d"},
     kPooling1dKeys,
     1,
     1,
     pooling1d_shape,
     nullptr,
     make_max_pooling1d,
     "",
     nullptr,
     EnginePart::kExtra},
    {"averagePooling1d",
     {"AveragePooling1D", "AvgPool1D", "avgPool1d", "avgPooling1d", "average_pooling1d"},
     kPooling1dKeys,
     1,
     1,
     pooling1d_shape,
     nullptr,
     make_average_pooling1d,
     "",
     nullptr,
     EnginePart::kExtra},
    {"repeatVector",
     {"RepeatVector", "repeat_vector"},
     kRepeatVectorKeys,
     1,
     1,
     repeat_vector_shape,
     nullptr,
     make_repeat_vector,
     "",
     nullptr,
     EnginePart::kExtra},
};
static_assert(!kLayerRowsSeq[kLayerRowsSeqCount - 1].name.empty(), "kLayerRowsSeqCount counts rows that are not there");

}  // namespace nnplay
