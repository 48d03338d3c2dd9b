// Graph: spec parsing (v1 and v2), the build plan (checks and shapes, no allocation: what
// inspect_model reports) and the build. The passes, which run every step, are in
// graph_passes.cpp.
#include "nn/graph.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "core/check.h"
#include "core/json.h"
#include "core/json_depth.h"
#include "core/strings.h"
#include "nn/activation_layer.h"
#include "nn/output_part_layer.h"
#include "nn/registry_json.h"

namespace nnplay {

// ---- Parsing ----------------------------------------------------------------------------------------

namespace {

JsonDocument parse_object(const std::string& text, const std::string& what) {
  check_json_depth(text, kMaxJsonDepth, what);
  JsonDocument doc = parse_json(text, what + " is not valid JSON: ");
  NNPLAY_CHECK(doc.root().is_object(), what << " must be a JSON object, got " << describe_json_value(doc.root()));
  return doc;
}

void check_keys(JsonValue obj, const std::vector<std::string>& allowed, const std::string& where) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    bool ok = false;
    for (const std::string& a : allowed) ok = ok || a == it.key();
    NNPLAY_CHECK(
        ok, where << ": unknown field \"" << it.key().substr(0, 40) << "\"; allowed fields: " << join_names(allowed));
  }
}

std::uint64_t parse_seed(JsonValue j, const std::string& what) {
  if (!j.contains("seed")) return 0;
  JsonValue s = j.at("seed");
  NNPLAY_CHECK(s.is_number_integer() && (s.is_number_unsigned() || s.as_int64() >= 0),
               what << ".seed must be an integer >= 0, got " << describe_json_value(s));
  return s.as_uint64();
}

Shape parse_input_shape(JsonValue v, const std::string& where) {
  const ConfigKey keys[] = {list_key("inputShape", ConfigType::kShape, true)};
  const JsonDocument obj = JsonDocument::object_of("inputShape", v);
  return parse_config_object(keys, obj.root(), where).shape("inputShape");
}

GraphSpec parse_sequential(JsonValue j) {
  check_keys(j, {"inputShape", "layers", "seed", "name"}, "model spec");
  GraphSpec spec;
  spec.from_sequential = true;
  spec.seed = parse_seed(j, "model spec");
  Shape input;
  if (j.contains("inputShape")) input = parse_input_shape(j.at("inputShape"), "model spec");
  NNPLAY_CHECK(j.contains("layers") && j.at("layers").is_array(),
               "model spec: \"layers\" must be an array of layer objects");
  JsonValue layers = j.at("layers");
  NNPLAY_CHECK(!layers.empty(), "model spec: at least one layer is needed");
  spec.layers.emplace_back();  // the input layer, filled in below
  for (std::size_t i = 0; i < layers.size(); ++i) {
    JsonValue l = layers[i];
    const std::string index_where = "layer " + std::to_string(i);
    NNPLAY_CHECK(l.is_object(), index_where << " must be an object, got " << describe_json_value(l));
    std::string type_name = "dense";
    if (l.contains("type")) {
      NNPLAY_CHECK(l.at("type").is_string(),
                   index_where << ".type must be a string, got " << describe_json_value(l.at("type")));
      type_name = l.at("type").as_string();
    }
    const LayerType& type = find_layer_type(type_name, index_where);
    NNPLAY_CHECK(type.name != "input", index_where << ": an input layer cannot be part of the layers list");
    GraphLayerSpec layer;
    layer.type = std::string(type.name);
    layer.name = layer.type + "_" + std::to_string(i + 1);
    layer.where = index_where + " (" + layer.type + ")";
    if (l.contains("inputShape")) {
      // TF.js style: the first layer may carry inputShape instead of the model.
      NNPLAY_CHECK(i == 0, index_where << ": inputShape is only allowed on the first layer");
      Shape s = parse_input_shape(l.at("inputShape"), index_where);
      NNPLAY_CHECK(input.empty() || s == input, "inputShape given twice and they differ: model "
                                                    << shape_to_string(input) << ", layer 0 " << shape_to_string(s));
      input = s;
    }
    const JsonDocument config = JsonDocument::object_without(l, {"type", "name", "inputShape"});
    layer.config = parse_config_object(type.keys, config.root(), layer.where);
    layer.inbound = {{NodeRef{spec.layers.back().name.empty() && i == 0 ? "input" : spec.layers.back().name, 0}}};
    spec.layers.push_back(std::move(layer));
  }
  NNPLAY_CHECK(!input.empty(),
               "model spec: missing inputShape (the size of one input sample, e.g. [2]); "
               "give it on the model or on the first layer");
  GraphLayerSpec& in = spec.layers.front();
  in.name = "input";
  in.type = "input";
  in.where = "the model input";
  in.config.set("shape", ConfigValue{ConfigType::kShape, false, 0.0, false, "", input});
  spec.layers[1].inbound = {{NodeRef{"input", 0}}};
  spec.inputs = {NodeRef{"input", 0}};
  spec.outputs = {NodeRef{spec.layers.back().name, 0}};
  return spec;
}

NodeRef parse_ref(JsonValue r, const std::string& where) {
  if (r.is_string()) return NodeRef{r.as_string(), 0};
  NNPLAY_CHECK(
      r.is_array() && r.size() >= 1 && r.size() <= 4 && r[0].is_string(),
      where << ": a reference must be a layer name or [name, callIndex, tensorIndex], got " << describe_json_value(r));
  NodeRef ref{r[0].as_string(), 0};
  if (r.size() >= 2) {
    NNPLAY_CHECK(r[1].is_number_integer() && r[1].as_int64() >= 0 && r[1].as_int64() < (1 << 20),
                 where << ": the call index of a reference must be an integer >= 0, got " << describe_json_value(r[1]));
    ref.call = r[1].as_int();
  }
  if (r.size() >= 3) {
    NNPLAY_CHECK(r[2].is_number_integer() && r[2].as_int64() >= 0 && r[2].as_int64() < (1 << 20),
                 where << ": the tensor index of a reference must be an integer >= 0 (0 but for a layer with several "
                          "output tensors), got "
                       << describe_json_value(r[2]));
    ref.tensor = r[2].as_int();
  }
  return ref;
}

std::vector<NodeRef> parse_ref_list(JsonValue v, const std::string& where) {
  NNPLAY_CHECK(v.is_array(), where << " must be an array of references, got " << describe_json_value(v));
  std::vector<NodeRef> refs;
  // A single [name, call, 0] is one ref, not a list of three.
  if (v.size() >= 2 && v[0].is_string() && v[1].is_number()) return {parse_ref(v, where)};
  for (JsonValue r : v) refs.push_back(parse_ref(r, where));
  return refs;
}

GraphSpec parse_functional(JsonValue j) {
  const JsonDocument empty_object = JsonDocument::object_without(JsonValue(), {});
  check_keys(j, {"format", "seed", "name", "layers", "inputs", "outputs"}, "model spec");
  NNPLAY_CHECK(j.at("format").is_string() && j.at("format").as_string() == "nnplay-graph",
               "model spec.format must be \"nnplay-graph\", got " << describe_json_value(j.at("format")));
  GraphSpec spec;
  spec.seed = parse_seed(j, "model spec");
  NNPLAY_CHECK(j.contains("layers") && j.at("layers").is_array() && !j.at("layers").empty(),
               "model spec: \"layers\" must be a non-empty array of {name, type, config, inbound}");
  JsonValue layers = j.at("layers");
  for (std::size_t i = 0; i < layers.size(); ++i) {
    JsonValue l = layers[i];
    const std::string index_where = "layer " + std::to_string(i);
    NNPLAY_CHECK(l.is_object(),
                 index_where << " must be an object {name, type, config, inbound}, got " << describe_json_value(l));
    check_keys(l, {"name", "type", "config", "inbound"}, index_where);
    NNPLAY_CHECK(l.contains("name") && l.at("name").is_string(),
                 index_where << ": \"name\" must be a string, e.g. \"dense_1\"");
    NNPLAY_CHECK(l.contains("type") && l.at("type").is_string(),
                 index_where << ": \"type\" must be a string; allowed: " << join_names(layer_type_names()));
    GraphLayerSpec layer;
    layer.name = l.at("name").as_string();
    NNPLAY_CHECK(
        !layer.name.empty() && layer.name.size() <= 100 && layer.name.find('/') == std::string::npos,
        index_where << ": name must have 1 to 100 characters and no \"/\", got " << describe_json_value(l.at("name")));
    const std::string named = "layer \"" + layer.name + "\"";
    const LayerType& type = find_layer_type(l.at("type").as_string(), named);
    layer.type = std::string(type.name);
    layer.where = named + " (" + layer.type + ")";
    layer.config =
        parse_config_object(type.keys, l.contains("config") ? l.at("config") : empty_object.root(), layer.where);
    if (l.contains("inbound")) {
      JsonValue calls = l.at("inbound");
      NNPLAY_CHECK(calls.is_array(), layer.where << ": inbound must be an array of calls, each a list of references");
      for (JsonValue call : calls) layer.inbound.push_back(parse_ref_list(call, layer.where + ": inbound"));
    }
    spec.layers.push_back(std::move(layer));
  }
  if (j.contains("inputs")) {
    spec.inputs = parse_ref_list(j.at("inputs"), "model spec.inputs");
  } else {
    for (const GraphLayerSpec& l : spec.layers)
      if (l.type == "input") spec.inputs.push_back(NodeRef{l.name, 0});
  }
  NNPLAY_CHECK(j.contains("outputs"),
               "model spec: missing \"outputs\" (the layer names whose outputs the model returns)");
  spec.outputs = parse_ref_list(j.at("outputs"), "model spec.outputs");
  return spec;
}

}  // namespace

namespace {
void check_plan(const GraphSpec& spec);
}  // namespace

GraphSpec parse_graph_spec(const std::string& text) {
  const JsonDocument doc = parse_object(text, "model spec");
  const JsonValue j = doc.root();
  GraphSpec spec = j.contains("format") ? parse_functional(j) : parse_sequential(j);
  check_plan(spec);  // every check of a build (shapes, budget), so a parsed spec is a valid one
  return spec;
}

namespace {

// The writers below give each object's keys in sorted order: the order these texts have always
// had (the library they were first written with kept objects sorted), which saved files and
// tests compare.
void write_ref(JsonWriter& w, const NodeRef& r) {
  w.begin_array().string(r.layer).integer(r.call).integer(r.tensor).end_array();
}
void write_refs(JsonWriter& w, const std::vector<NodeRef>& refs) {
  w.begin_array();
  for (const NodeRef& r : refs) write_ref(w, r);
  w.end_array();
}
void write_shape(JsonWriter& w, const Shape& shape) {
  w.begin_array();
  for (auto d : shape) w.integer(static_cast<long long>(d));
  w.end_array();
}

}  // namespace

std::string graph_spec_to_json(const GraphSpec& spec) {
  JsonWriter w;
  w.begin_object().key("format").string("nnplay-graph").key("inputs");
  write_refs(w, spec.inputs);
  w.key("layers").begin_array();
  for (const GraphLayerSpec& l : spec.layers) {
    w.begin_object().key("config").raw(config_to_json(l.config)).key("inbound").begin_array();
    for (const auto& call : l.inbound) write_refs(w, call);
    w.end_array().key("name").string(l.name).key("type").string(l.type).end_object();
  }
  w.end_array().key("outputs");
  write_refs(w, spec.outputs);
  w.key("seed").unsigned_integer(spec.seed).end_object();
  return w.str();
}

// ---- Plan: every check and shape of a build, without allocating ------------------------------------

namespace {

struct PlanNode {
  int layer, call;
  bool split;
  std::vector<int> inputs;
  Shape shape;
  std::vector<Shape> input_shapes;
  int part = -1;                  // a part node: the output tensor it copies out of its input's packed row
  std::uint64_t part_offset = 0;  // where that tensor starts in the row
};

struct PlanLayer {
  const LayerType* type = nullptr;
  std::vector<VariableSpec> variables;
  std::vector<int> call_nodes;                 // per call: the node of its output (tensor 0)
  std::vector<std::vector<int>> call_tensors;  // per call: the node of each output tensor
};

struct Plan {
  std::vector<PlanNode> nodes;
  std::vector<PlanLayer> layers;
  std::vector<int> input_nodes, output_nodes;
};

std::string describe_output(const GraphSpec& spec, int layer) {
  const GraphLayerSpec& l = spec.layers[static_cast<std::size_t>(layer)];
  if (l.type == "input") return spec.from_sequential ? "the model input" : "the input \"" + l.name + "\"";
  return "the output of " + l.where;
}

Plan make_plan(const GraphSpec& spec) {
  Plan plan;
  const int num_layers = static_cast<int>(spec.layers.size());
  std::map<std::string, int> by_name;
  for (int i = 0; i < num_layers; ++i) {
    const GraphLayerSpec& l = spec.layers[static_cast<std::size_t>(i)];
    NNPLAY_CHECK(by_name.emplace(l.name, i).second, l.where << ": the name \"" << l.name << "\" is used twice");
  }
  plan.layers.resize(static_cast<std::size_t>(num_layers));
  // Calls: (layer, call), numbered in spec order; an input layer has one call with no refs.
  std::vector<std::pair<int, int>> calls;
  std::vector<int> first_call(static_cast<std::size_t>(num_layers));
  for (int i = 0; i < num_layers; ++i) {
    const GraphLayerSpec& l = spec.layers[static_cast<std::size_t>(i)];
    const LayerType& type = find_layer_type(l.type, l.where);
    plan.layers[static_cast<std::size_t>(i)].type = &type;
    first_call[static_cast<std::size_t>(i)] = static_cast<int>(calls.size());
    if (type.name == "input") {
      NNPLAY_CHECK(l.inbound.empty(), l.where << ": an input layer has no inbound calls");
      calls.emplace_back(i, 0);
      continue;
    }
    NNPLAY_CHECK(!l.inbound.empty(), l.where << " is never called: give it \"inbound\" [[\"<layer name>\"]]");
    for (int c = 0; c < static_cast<int>(l.inbound.size()); ++c) calls.emplace_back(i, c);
  }
  auto resolve = [&](const NodeRef& r, const std::string& where) {
    auto it = by_name.find(r.layer);
    NNPLAY_CHECK(it != by_name.end(), where << " refers to \"" << r.layer.substr(0, 100) << "\", which is no layer of "
                                            << "the model");
    const GraphLayerSpec& p = spec.layers[static_cast<std::size_t>(it->second)];
    const int count = p.type == "input" ? 1 : static_cast<int>(p.inbound.size());
    NNPLAY_CHECK(r.call < count, where << " refers to call " << r.call << " of \"" << r.layer << "\", which has "
                                       << count << " call" << (count == 1 ? "" : "s"));
    return first_call[static_cast<std::size_t>(it->second)] + r.call;
  };
  // Kahn's algorithm, always taking the ready call that comes first in the spec: a chain keeps
  // its order, and the order (hence the weights' initialisation) never depends on a hash.
  const int num_calls = static_cast<int>(calls.size());
  std::vector<std::vector<std::pair<int, int>>> deps(static_cast<std::size_t>(num_calls));  // (call, tensor)
  std::vector<std::vector<int>> users(static_cast<std::size_t>(num_calls));
  std::vector<int> waiting(static_cast<std::size_t>(num_calls), 0);
  for (int c = 0; c < num_calls; ++c) {
    const GraphLayerSpec& l = spec.layers[static_cast<std::size_t>(calls[static_cast<std::size_t>(c)].first)];
    if (l.type == "input") continue;
    for (const NodeRef& r : l.inbound[static_cast<std::size_t>(calls[static_cast<std::size_t>(c)].second)]) {
      const int p = resolve(r, l.where);
      deps[static_cast<std::size_t>(c)].emplace_back(p, r.tensor);
      users[static_cast<std::size_t>(p)].push_back(c);
      ++waiting[static_cast<std::size_t>(c)];
    }
  }
  std::set<int> ready;
  for (int c = 0; c < num_calls; ++c)
    if (waiting[static_cast<std::size_t>(c)] == 0) ready.insert(c);
  std::vector<int> call_node(static_cast<std::size_t>(num_calls), -1);
  std::vector<std::vector<int>> call_tensors(static_cast<std::size_t>(num_calls));
  // The node of output tensor `tensor` of call p, or an Error naming how many it has.
  auto tensor_node = [&](int p, int tensor, const std::string& where) {
    const std::vector<int>& tensors = call_tensors[static_cast<std::size_t>(p)];
    const GraphLayerSpec& producer = spec.layers[static_cast<std::size_t>(calls[static_cast<std::size_t>(p)].first)];
    NNPLAY_CHECK(static_cast<std::size_t>(tensor) < tensors.size(),
                 where << " refers to output tensor " << tensor << " of \"" << producer.name << "\", which has "
                       << tensors.size() << " output tensor" << (tensors.size() == 1 ? "" : "s")
                       << " (a recurrent layer with returnState: true has [output, h], lstm [output, h, c])");
    return tensors[static_cast<std::size_t>(tensor)];
  };
  int emitted = 0;
  while (!ready.empty()) {
    const int c = *ready.begin();
    ready.erase(ready.begin());
    ++emitted;
    const int li = calls[static_cast<std::size_t>(c)].first;
    const GraphLayerSpec& l = spec.layers[static_cast<std::size_t>(li)];
    PlanLayer& pl = plan.layers[static_cast<std::size_t>(li)];
    const LayerType& type = *pl.type;
    PlanNode node{li, calls[static_cast<std::size_t>(c)].second, false, {}, {}, {}};
    std::vector<std::string> desc;
    for (const auto& [p, tensor] : deps[static_cast<std::size_t>(c)]) {
      const int pn = tensor_node(p, tensor, l.where);
      node.inputs.push_back(pn);
      node.input_shapes.push_back(plan.nodes[static_cast<std::size_t>(pn)].shape);
      desc.push_back(describe_output(spec, plan.nodes[static_cast<std::size_t>(pn)].layer));
    }
    const int k = static_cast<int>(node.inputs.size());
    if (type.name != "input")
      NNPLAY_CHECK(k >= type.min_inputs && k <= type.max_inputs,
                   l.where << " takes " << type.min_inputs << (type.max_inputs > type.min_inputs ? " or more" : "")
                           << " input" << (type.max_inputs == 1 ? "" : "s") << " per call, got " << k);
    node.shape = type.output_shape(node.input_shapes, l.config, l.where, desc);
    // Several output tensors: the layer's node holds them side by side, one part node each.
    std::vector<Shape> tensors = {node.shape};
    if (type.extra_outputs)
      for (Shape& extra : type.extra_outputs(node.input_shapes, l.config)) tensors.push_back(std::move(extra));
    if (tensors.size() > 1) {
      NNPLAY_CHECK(!spec.from_sequential, l.where
                                              << ": returnState gives it " << tensors.size()
                                              << " output tensors; a sequential model's layers have one each (build "
                                                 "a functional model, nn.model({inputs, outputs}))");
      std::uint64_t packed = 0;
      for (const Shape& t : tensors) packed += shape_size64(t);
      NNPLAY_CHECK(packed <= kMaxSampleFloats, l.where << ": its outputs have " << packed
                                                       << " values per sample, too many: at most " << kMaxSampleFloats);
      node.shape = {static_cast<int>(packed)};
    }
    const std::uint64_t per_sample = shape_size64(node.shape);
    NNPLAY_CHECK(per_sample > 0, l.where << ": its output " << shape_to_string(node.shape) << " is empty");
    NNPLAY_CHECK(per_sample <= kMaxSampleFloats,
                 (type.name == "input" && spec.from_sequential ? std::string("inputShape ") : l.where + ": its output ")
                     << shape_to_string(node.shape) << " is too large: at most " << kMaxSampleFloats
                     << " values per sample");
    if (type.variables) {
      std::vector<VariableSpec> vars = type.variables(node.input_shapes, l.config);
      if (l.config.has("trainable") && !l.config.boolean("trainable"))
        for (VariableSpec& v : vars) {
          v.frozen = v.trainable;
          v.trainable = false;
        }
      if (node.call == 0 || pl.variables.empty()) {
        pl.variables = vars;
      } else {
        for (std::size_t v = 0; v < vars.size(); ++v)
          NNPLAY_CHECK(vars[v].shape == pl.variables[v].shape,
                       l.where << " is shared, but call " << node.call << " needs " << vars[v].suffix << " "
                               << shape_to_string(vars[v].shape) << " where call 0 made "
                               << shape_to_string(pl.variables[v].shape)
                               << "; a shared layer needs inputs of the same shape");
      }
    }
    const bool split = !type.activation_key.empty() && l.config.string(std::string(type.activation_key)) != "linear";
    NNPLAY_ASSERT(!(split && tensors.size() > 1));
    plan.nodes.push_back(node);
    if (split) {
      PlanNode act{li, node.call, true, {static_cast<int>(plan.nodes.size()) - 1}, node.shape, {node.shape}};
      plan.nodes.push_back(act);
    }
    std::vector<int>& tensor_nodes = call_tensors[static_cast<std::size_t>(c)];
    if (tensors.size() == 1) {
      tensor_nodes = {static_cast<int>(plan.nodes.size()) - 1};
    } else {
      const int packed = static_cast<int>(plan.nodes.size()) - 1;
      std::uint64_t offset = 0;
      for (std::size_t t = 0; t < tensors.size(); ++t) {
        PlanNode part{li, node.call, false, {packed}, tensors[t], {node.shape}, static_cast<int>(t), offset};
        offset += shape_size64(tensors[t]);
        tensor_nodes.push_back(static_cast<int>(plan.nodes.size()));
        plan.nodes.push_back(part);
      }
    }
    call_node[static_cast<std::size_t>(c)] = tensor_nodes.front();
    if (type.name != "input")
      pl.call_nodes.push_back(call_node[static_cast<std::size_t>(c)]);
    else
      pl.call_nodes = {call_node[static_cast<std::size_t>(c)]};
    for (int u : users[static_cast<std::size_t>(c)])
      if (--waiting[static_cast<std::size_t>(u)] == 0) ready.insert(u);
  }
  if (emitted < num_calls) {
    for (int c = 0; c < num_calls; ++c)
      if (call_node[static_cast<std::size_t>(c)] < 0)
        throw Error(spec.layers[static_cast<std::size_t>(calls[static_cast<std::size_t>(c)].first)].where +
                    " is part of a cycle: a layer cannot depend on its own output");
  }
  // A call's nodes were emitted in topological order, but pl.call_nodes is by emission: re-sort
  // by call index (shared layers can be called out of spec order).
  for (int li = 0; li < num_layers; ++li) {
    PlanLayer& pl = plan.layers[static_cast<std::size_t>(li)];
    if (pl.type->name == "input") continue;
    std::vector<int> by_call(spec.layers[static_cast<std::size_t>(li)].inbound.size());
    pl.call_tensors.resize(by_call.size());
    for (int c = 0; c < static_cast<int>(by_call.size()); ++c) {
      const std::size_t call = static_cast<std::size_t>(first_call[static_cast<std::size_t>(li)] + c);
      by_call[static_cast<std::size_t>(c)] = call_node[call];
      pl.call_tensors[static_cast<std::size_t>(c)] = call_tensors[call];
    }
    pl.call_nodes = by_call;
  }
  NNPLAY_CHECK(!spec.inputs.empty(), "model spec: the model needs at least one input layer");
  std::set<int> seen_inputs;
  for (const NodeRef& r : spec.inputs) {
    const int c = resolve(r, "model spec.inputs");
    const int li = calls[static_cast<std::size_t>(c)].first;
    NNPLAY_CHECK(plan.layers[static_cast<std::size_t>(li)].type->name == "input",
                 "model spec.inputs: \"" << r.layer << "\" is a "
                                         << plan.layers[static_cast<std::size_t>(li)].type->name
                                         << " layer; inputs must be input layers");
    NNPLAY_CHECK(seen_inputs.insert(li).second, "model spec.inputs lists \"" << r.layer << "\" twice");
    NNPLAY_CHECK(r.tensor == 0, "model spec.inputs: an input layer has one tensor (index 0), got " << r.tensor);
    plan.input_nodes.push_back(call_node[static_cast<std::size_t>(c)]);
  }
  for (int li = 0; li < num_layers; ++li)
    if (plan.layers[static_cast<std::size_t>(li)].type->name == "input")
      NNPLAY_CHECK(seen_inputs.count(li), spec.layers[static_cast<std::size_t>(li)].where
                                              << " is not among the model's inputs; list it in \"inputs\"");
  NNPLAY_CHECK(!spec.outputs.empty(), "model spec: the model needs at least one output");
  for (const NodeRef& r : spec.outputs) {
    const int c = resolve(r, "model spec.outputs");
    const int li = calls[static_cast<std::size_t>(c)].first;
    NNPLAY_CHECK(plan.layers[static_cast<std::size_t>(li)].type->name != "input",
                 "model spec.outputs: \"" << r.layer << "\" is an input layer; an output must be computed by a layer");
    plan.output_nodes.push_back(tensor_node(c, r.tensor, "model spec.outputs"));
  }
  // The memory budget, in 64 bits, before anything is allocated.
  std::uint64_t total = 0;
  for (int li = 0; li < num_layers; ++li) {
    for (const VariableSpec& v : plan.layers[static_cast<std::size_t>(li)].variables) {
      const std::uint64_t size = shape_size64(v.shape);
      NNPLAY_CHECK(size <= kMaxVariableFloats, spec.layers[static_cast<std::size_t>(li)].where
                                                   << ": its " << v.suffix << " " << shape_to_string(v.shape) << " has "
                                                   << size << " values, too many: at most " << kMaxVariableFloats
                                                   << " per weight tensor (" << (kMaxVariableFloats * 4 >> 20)
                                                   << " MiB); use fewer units or a smaller input");
      total += size;
    }
  }
  NNPLAY_CHECK(total * 4 <= kMaxModelFloats,
               "the model has " << total << " weights; with their gradients and optimizer state that is "
                                << (total * 16 >> 20) << " MiB, more than the budget of " << (kMaxModelFloats * 4 >> 20)
                                << " MiB; use fewer or smaller layers");
  return plan;
}

void check_plan(const GraphSpec& spec) { make_plan(spec); }

}  // namespace

// ---- inspect -----------------------------------------------------------------------------------------

std::string inspect_model(const std::string& text) {
  try {
    GraphSpec spec = parse_graph_spec(text);
    Plan plan = make_plan(spec);
    JsonWriter w;
    auto ends = [&](const std::vector<NodeRef>& refs, const std::vector<int>& nodes) {
      w.begin_array();
      for (std::size_t i = 0; i < refs.size(); ++i) {
        w.begin_object().key("call").integer(refs[i].call).key("name").string(refs[i].layer).key("shape");
        write_shape(w, plan.nodes[static_cast<std::size_t>(nodes[i])].shape);
        w.key("tensor").integer(refs[i].tensor).end_object();
      }
      w.end_array();
    };
    w.begin_object().key("inputs");
    ends(spec.inputs, plan.input_nodes);
    w.key("layers").begin_array();
    std::uint64_t trainable = 0, non_trainable = 0;
    for (std::size_t li = 0; li < spec.layers.size(); ++li) {
      const GraphLayerSpec& l = spec.layers[li];
      const PlanLayer& pl = plan.layers[li];
      w.begin_object()
          .key("config")
          .raw(config_to_json(l.config))
          .key("name")
          .string(l.name)
          .key("nodes")
          .begin_array();
      for (std::size_t c = 0; c < pl.call_nodes.size(); ++c) {
        w.begin_object().key("inbound").begin_array();
        if (l.type != "input")
          for (const NodeRef& r : l.inbound[c]) write_ref(w, r);
        w.end_array().key("outputShape");
        write_shape(w, plan.nodes[static_cast<std::size_t>(pl.call_nodes[c])].shape);
        if (l.type != "input" && pl.call_tensors[c].size() > 1) {
          w.key("outputShapes").begin_array();  // every output tensor's, [output, h(, c)]
          for (int t : pl.call_tensors[c]) write_shape(w, plan.nodes[static_cast<std::size_t>(t)].shape);
          w.end_array();
        }
        w.end_object();
      }
      w.end_array().key("outputShape");
      write_shape(w, plan.nodes[static_cast<std::size_t>(pl.call_nodes.at(0))].shape);
      std::uint64_t params = 0;
      for (const VariableSpec& v : pl.variables) params += shape_size64(v.shape);
      w.key("params").unsigned_integer(params).key("type").string(l.type).key("variables").begin_array();
      for (const VariableSpec& v : pl.variables) {
        const std::uint64_t size = shape_size64(v.shape);
        (v.trainable ? trainable : non_trainable) += size;
        w.begin_object().key("name").string(l.name + "/" + v.suffix).key("shape");
        write_shape(w, v.shape);
        w.key("trainable").boolean(v.trainable).end_object();
      }
      w.end_array().end_object();
    }
    w.end_array().key("nonTrainableParams").unsigned_integer(non_trainable).key("outputs");
    ends(spec.outputs, plan.output_nodes);
    w.key("totalParams")
        .unsigned_integer(trainable + non_trainable)
        .key("trainableParams")
        .unsigned_integer(trainable)
        .end_object();
    return w.str();
  } catch (const std::exception& e) {
    JsonWriter w;
    w.begin_object().key("error").string(e.what()).end_object();
    return w.str();
  }
}

// ---- Graph ---------------------------------------------------------------------------------------------

Graph::Graph(const GraphSpec& spec) : spec_(spec) { build(nullptr); }
Graph::Graph(const GraphSpec& spec, const Graph& share_from) : spec_(spec) { build(&share_from); }
Graph::~Graph() = default;

void Graph::build(const Graph* share_from) {
  Plan plan = make_plan(spec_);
  // Variables: in spec layer order, each layer's own order, from one seeded stream (kernel, then
  // bias): the same seed gives the same weights on every platform.
  Rng rng(spec_.seed);
  std::vector<std::vector<Variable>> layer_vars(spec_.layers.size());
  for (std::size_t li = 0; li < spec_.layers.size(); ++li) {
    for (const VariableSpec& vs : plan.layers[li].variables) {
      Variable v;
      v.name = spec_.layers[li].name + "/" + vs.suffix;
      v.trainable = vs.trainable;
      v.l1 = vs.l1;
      v.l2 = vs.l2;
      const Variable* shared = nullptr;
      if (share_from)
        for (const Variable& o : share_from->variables())
          if (o.name == v.name) shared = &o;
      if (shared) {
        NNPLAY_CHECK(shared->value->shape() == vs.shape,
                     spec_.layers[li].where << ": shares " << v.name << " with the other model, but there it has shape "
                                            << shape_to_string(shared->value->shape()) << " and here "
                                            << shape_to_string(vs.shape));
        // The values are shared; whether this graph trains them is its own spec's (a layer
        // frozen by "trainable": false in this graph).
        v.value = shared->value;
        v.grad = shared->grad;
        if (!v.grad && (vs.trainable || vs.frozen)) v.grad = std::make_shared<Tensor>(vs.shape);
      } else {
        v.value = std::make_shared<Tensor>(vs.shape);
        initialize_variable(vs, *v.value, rng);
        if (v.trainable || vs.frozen) v.grad = std::make_shared<Tensor>(vs.shape);
      }
      layer_vars[li].push_back(v);
      variables_.push_back(v);
    }
  }
  nodes_.reserve(plan.nodes.size());
  for (const PlanNode& pn : plan.nodes) {
    Node node;
    node.layer = pn.layer;
    node.call = pn.call;
    node.activation_split = pn.split;
    node.output_part = pn.part >= 0;
    node.inputs = pn.inputs;
    node.shape = pn.shape;
    const GraphLayerSpec& l = spec_.layers[static_cast<std::size_t>(pn.layer)];
    const LayerType& type = *plan.layers[static_cast<std::size_t>(pn.layer)].type;
    LayerArgs args;
    args.input_shapes = pn.input_shapes;
    args.output_shape = pn.shape;
    args.name = l.name;
    if (pn.split) {
      node.own_config = std::make_unique<Config>();
      node.own_config->set("activation", l.config.at(std::string(type.activation_key)));
      node.own_config->set("alpha",
                           l.config.has("alpha") ? l.config.at("alpha") : ConfigValue::null_of(ConfigType::kNumber));
      args.config = node.own_config.get();
      node.impl = make_activation_layer(args);
    } else if (node.output_part) {
      node.impl = std::make_unique<OutputPartLayer>(pn.input_shapes.at(0), pn.shape, pn.part_offset);
    } else if (type.make) {
      args.config = &l.config;
      args.variables = layer_vars[static_cast<std::size_t>(pn.layer)];
      node.impl = type.make(args);
    }
    nodes_.push_back(std::move(node));
  }
  for (Node& n : nodes_)
    for (int p : n.inputs) ++nodes_[static_cast<std::size_t>(p)].consumers;
  input_nodes_ = plan.input_nodes;
  output_nodes_ = plan.output_nodes;
  for (std::size_t li = 0; li < spec_.layers.size(); ++li) {
    if (spec_.layers[li].type == "input") continue;
    layer_order_.push_back(static_cast<int>(li));
    const std::vector<int>& call_nodes = plan.layers[li].call_nodes;
    layer_infos_.push_back(LayerInfo{spec_.layers[li].name, spec_.layers[li].type,
                                     nodes_[static_cast<std::size_t>(call_nodes.at(0))].shape, call_nodes});
  }
  for (const LayerInfo& info : layer_infos_) {
    std::vector<int> figure_nodes;
    for (std::size_t k = 0; k < nodes_.size(); ++k) {
      const Node& node = nodes_[k];
      if (!node.is_input() && spec_.layers[static_cast<std::size_t>(node.layer)].name == info.name &&
          node.impl->has_log_figure())
        figure_nodes.push_back(static_cast<int>(k));
    }
    if (figure_nodes.empty()) continue;
    figure_names_.push_back(info.name);
    figure_nodes_.push_back(std::move(figure_nodes));
  }
  out_.resize(nodes_.size());
  d_out_.resize(nodes_.size());
  has_grad_.assign(nodes_.size(), 0);
  pass_writes_.assign(nodes_.size(), 0);
  for (Node& node : nodes_) {
    if (node.is_input() || node.inputs.size() > 32) continue;
    for (std::size_t j = 0; j < node.inputs.size(); ++j) {
      const Node& producer = nodes_[static_cast<std::size_t>(node.inputs[j])];
      if (!producer.is_input() && producer.consumers == 1 && node.impl->writes_input_gradient(static_cast<int>(j)))
        node.writes_d_inputs |= std::uint32_t{1} << j;
    }
  }
  // A layer called once owns its variables' gradients: it may set them in backward instead of
  // the graph zeroing them and the layer adding to them. (Called twice, or a weight without a
  // gradient buffer: the calls add up into zeroed buffers as before.)
  overwrites_grads_.assign(nodes_.size(), 0);
  std::vector<const Tensor*> owned;
  std::vector<int> weight_nodes(spec_.layers.size(), 0), weight_node(spec_.layers.size(), -1);
  for (std::size_t k = 0; k < nodes_.size(); ++k) {
    const Node& node = nodes_[k];
    if (node.is_input() || node.activation_split) continue;  // an activation node has no weights
    ++weight_nodes[static_cast<std::size_t>(node.layer)];
    weight_node[static_cast<std::size_t>(node.layer)] = static_cast<int>(k);
  }
  for (std::size_t li = 0; li < spec_.layers.size(); ++li) {
    if (weight_nodes[li] != 1 || layer_vars[li].empty()) continue;
    bool all_have_grads = true;
    for (const Variable& v : layer_vars[li]) all_have_grads = all_have_grads && v.grad != nullptr;
    const std::size_t k = static_cast<std::size_t>(weight_node[li]);
    if (!all_have_grads || !nodes_[k].impl->overwrite_variable_grads()) continue;
    overwrites_grads_[k] = 1;
    for (const Variable& v : layer_vars[li]) owned.push_back(v.grad.get());
  }
  for (Variable& v : variables_)
    if (v.grad && std::find(owned.begin(), owned.end(), v.grad.get()) == owned.end())
      grads_to_zero_.push_back(v.grad.get());
  input_ptrs_.assign(nodes_.size(), nullptr);
  input_index_.assign(nodes_.size(), -1);
  for (std::size_t i = 0; i < input_nodes_.size(); ++i)
    input_index_[static_cast<std::size_t>(input_nodes_[i])] = static_cast<int>(i);
}

void Graph::log_figures(std::vector<double>& values) const {
  values.assign(figure_nodes_.size(), 0.0);
  for (std::size_t f = 0; f < figure_nodes_.size(); ++f)
    for (int k : figure_nodes_[f]) values[f] += nodes_[static_cast<std::size_t>(k)].impl->log_figure();
}

void Graph::set_layer_number(const std::string& layer, const std::string& key, double value) {
  const int i = find_layer(layer);
  NNPLAY_CHECK(i >= 0, "setLayerParameter: no layer named \"" << layer.substr(0, 100) << "\"");
  const LayerInfo& info = layer_infos_[static_cast<std::size_t>(i)];
  const int spec_index = layer_order_[static_cast<std::size_t>(i)];
  bool set = false;
  for (Node& node : nodes_)
    if (!node.is_input() && !node.activation_split && !node.output_part && node.layer == spec_index)
      set = node.impl->set_live_number(key, value) || set;
  NNPLAY_CHECK(set, "setLayerParameter: layer \"" << info.name << "\" (" << info.type << ") has no parameter \""
                                                  << key.substr(0, 100)
                                                  << "\" that can change while training (klDivergence has \"beta\")");
  // Saving the model (graph_spec_to_json) keeps the new value.
  GraphLayerSpec& l = spec_.layers[static_cast<std::size_t>(spec_index)];
  ConfigValue v = l.config.at(key);
  v.number = value;
  v.is_null = false;
  l.config.set(key, v);
}

const Shape& Graph::input_shape(int i) const {
  return nodes_[static_cast<std::size_t>(input_nodes_.at(static_cast<std::size_t>(i)))].shape;
}
const Shape& Graph::output_shape(int i) const {
  return nodes_[static_cast<std::size_t>(output_nodes_.at(static_cast<std::size_t>(i)))].shape;
}

const LayerInfo& Graph::layer_info(int i) const {
  NNPLAY_CHECK(i >= 0 && i < num_layers(), "layer index " << i << " out of range [0, " << num_layers() << ")");
  return layer_infos_[static_cast<std::size_t>(i)];
}

const Layer& Graph::first_call_layer(int i) const {
  const Node* node = &nodes_[static_cast<std::size_t>(layer_info(i).nodes.at(0))];
  if (node->activation_split || node->output_part) node = &nodes_[static_cast<std::size_t>(node->inputs.at(0))];
  NNPLAY_ASSERT(node->impl);
  return *node->impl;
}

void Graph::check_input_values(int i, const float* x, int n) const {
  const int id = input_nodes_.at(static_cast<std::size_t>(i));
  for (const Node& node : nodes_) {
    if (node.is_input()) continue;
    for (std::size_t k = 0; k < node.inputs.size(); ++k)
      if (node.inputs[k] == id) node.impl->check_input_values(static_cast<int>(k), x, n);
  }
}

std::vector<StateInfo> Graph::layer_states(int i) const { return first_call_layer(i).states(); }

void Graph::read_layer_state(int i, int k, float* out) const { first_call_layer(i).read_state(k, out); }

int Graph::find_layer(const std::string& name) const {
  for (int i = 0; i < num_layers(); ++i)
    if (layer_infos_[static_cast<std::size_t>(i)].name == name) return i;
  return -1;
}

ActivationKind Graph::output_activation(int output) const {
  const Node& node = nodes_[static_cast<std::size_t>(output_node(output))];
  if (node.is_input()) return ActivationKind::kLinear;
  if (const auto* act = dynamic_cast<const ActivationLayer*>(node.impl.get())) return act->kind();
  return ActivationKind::kLinear;
}

ActivationKind Graph::fusable_output_activation(int output) const {
  const int id = output_node(output);
  const Node& node = nodes_[static_cast<std::size_t>(id)];
  const ActivationKind kind = output_activation(output);
  if (kind == ActivationKind::kLinear || node.consumers != 0) return ActivationKind::kLinear;
  if (std::count(output_nodes_.begin(), output_nodes_.end(), id) != 1) return ActivationKind::kLinear;
  if (nodes_[static_cast<std::size_t>(node.inputs.at(0))].is_input()) return ActivationKind::kLinear;
  return kind;
}

int Graph::pre_activation_node(int output) const {
  return nodes_[static_cast<std::size_t>(output_node(output))].inputs.at(0);
}

}  // namespace nnplay
