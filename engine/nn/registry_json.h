// Engine-internal: the JSON readers of the tables, for the spec parsers (nn/graph.cpp). Not a
// public header: nlohmann-json is a private dependency of the engine library.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "nn/registry.h"

namespace nnplay {

// A user value described for a message, bounded in length and depth (never dumps a nested value).
std::string describe_json_value(const nlohmann::json& v);
// Checks obj's keys against `keys` (unknown, missing, wrong type, out of range: Errors starting
// with `where`) and returns every key's value, defaults filled in.
Config parse_config_object(const std::vector<ConfigKey>& keys, const nlohmann::json& obj, const std::string& where);

// "text", cut at 40 characters.
std::string quoted_bounded(const std::string& s);

// Choice lists shared by the rows in registry.cpp and layer_rows_v2.cpp.
const std::vector<std::string>& padding_names();
const std::vector<std::string>& initializer_names_storage();
const std::vector<std::string>& activation_names_storage();

// The rows of the layers of issue 6 §2 (dropout, batchNormalization, reshape, concatenate, add,
// averagePooling2d, globalAveragePooling2d), appended to layer_table() (nn/layer_rows_v2.cpp).
void append_layer_rows_v2(std::vector<LayerType>& table);
// The rows of the sequence layers of issue 8 (simpleRNN, lstm, gru; nn/layer_rows_seq.cpp).
void append_layer_rows_seq(std::vector<LayerType>& table);
// The rows of the autoencoder layers of issue 9 (upSampling2d, conv2dTranspose, gaussianSampling,
// klDivergence; nn/layer_rows_ae.cpp).
void append_layer_rows_ae(std::vector<LayerType>& table);

}  // namespace nnplay
