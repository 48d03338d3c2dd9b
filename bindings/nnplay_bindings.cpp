// Embind facade of the engine, as web/lib/engine-module.ts describes it: Session (the one path
// from JS to a model: build, datasets by id, train, evaluate, predict, weights), the data-set
// classes Playground, ImageSet and SequenceSet (declared in dataset_bindings.h, their fallible
// methods in dataset_bindings.cpp, which goes to the engine's second module; registered here,
// since registration runs when the module starts), and pure functions (inspectModel,
// checkLayerConfig, simdEnabled; the tables are tables_bindings.cpp's, a build-only module). This
// file is glue only: no math, no JSON parsing of specs (the engine parses), just ownership,
// argument checks that keep memory safe, and the conversion of engine exceptions into returned
// messages.
//
// Rules every method follows:
//  - Fallible methods return std::string: "" on success, otherwise the failure (Session: as
//    structured JSON; the data-set classes: a message). Every std::exception (nnplay::Error,
//    nnplay::TrainingDiverged, std::bad_alloc…) is caught here; nothing may abort the module.
//  - Getters never fail: before build()/configure(), or for an index out of range, they return
//    0, "" or "[]".
//  - Pointers are byte offsets into wasm memory (HEAPF32.buffer). Re-derive views after any
//    call: memory growth replaces the buffer.
//  - Ownership: JS owns every object it creates with `new` and frees it with delete().
#include <emscripten/bind.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "core/json_text.h"
#include "core/parallel.h"
#include "data/dataset.h"
#include "dataset_bindings.h"
#include "glue.h"
#include "kernels/gemm.h"
#include "nn/graph.h"
#include "nn/layer.h"
#include "nn/registry.h"
#include "train/session.h"
#include "train/trainer.h"

namespace {

using nnplay::Tensor;

using nnplay_bindings::address_of;
using nnplay_bindings::guarded;
using nnplay_bindings::WasmImageSet;
using nnplay_bindings::WasmPlayground;
using nnplay_bindings::WasmSequenceSet;

// A JSON number (shortest round-trip text); JSON has no NaN/Infinity, so those become null.
std::string json_number(double v) { return nnplay::json_number_text(v); }

std::string json_string(const std::string& s) { return nnplay::json_string_text(s); }

std::string shape_json(const nnplay::Shape& shape) {
  std::string out = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) out += ",";
    out += std::to_string(shape[i]);
  }
  return out + "]";
}

// Pure: every layer's output shape and every variable of a spec (v1 or v2), or {"error": ...}.
std::string inspectModel(const std::string& spec_json) {
  try {
    return nnplay::inspect_model(spec_json);
  } catch (...) {
    return "{\"error\":\"out of memory while inspecting the spec\"}";
  }
}

// A layer config checked against its table row: {"type": canonical name, "config": {every key,
// defaults filled in}} or {"error": message starting with `where`}. Pure; lets a layer factory
// say what is wrong with its arguments when it is called, with the engine's own words.
std::string checkLayerConfig(const std::string& type, const std::string& config_json, const std::string& where) {
  try {
    const nnplay::LayerType& row = nnplay::find_layer_type(type, where);
    const nnplay::Config config = nnplay::parse_layer_config(row, config_json, where);
    return "{\"type\":" + json_string(std::string(row.name)) + ",\"config\":" + nnplay::config_to_json(config) + "}";
  } catch (const std::exception& e) {
    return "{\"error\":" + json_string(e.what()) + "}";
  } catch (...) {
    return "{\"error\":\"unknown engine error\"}";
  }
}

// The engine's tables (engineTables()) are not in this module: the library embeds them at build
// time from bindings/tables_bindings.cpp (a build-only module), which keeps 5 KB of gzipped JSON
// writer out of the download.
// ---- Session ------------------------------------------------------------------------------

// The one training session every library path drives (web/lib/training-session.ts): a model,
// its trainer and datasets by id (engine/train/session.h). Failures cross as structured JSON,
// {"kind":"invalid"|"diverged"|"oom","message":...} (non-finite data adds "field", "tensor" and
// "index"), chosen here by exception type: the library never reads a message to decide what
// happened.
class WasmSession {
 public:
  // Fallible methods return "" or the error JSON.
  std::string build(const std::string& spec_json) {
    return run([&] {
      // A bad spec leaves the current session untouched.
      auto fresh = std::make_unique<nnplay::TrainingSession>(nnplay::parse_graph_spec(spec_json));
      session_ = std::move(fresh);
      logs_ = nnplay::Logs{};
    });
  }
  // build() sharing `other`'s Variables for every layer name both models have (sub-models).
  std::string buildSharing(const std::string& spec_json, const WasmSession& other) {
    return run([&] {
      NNPLAY_CHECK(other.session_, "buildSharing: the other model is not built");
      auto fresh = std::make_unique<nnplay::TrainingSession>(nnplay::parse_graph_spec(spec_json), *other.session_);
      session_ = std::move(fresh);
      logs_ = nnplay::Logs{};
    });
  }

  // Inference on every input and output of the graph (a functional model): write n rows of
  // input i at graphInputPtr(i, n) for every input, then predictGraph(n); output j is at
  // graphOutputPtr(j), [n, output j's size]. Chunked by the engine like any predict.
  int numInputs() const { return session_ ? session_->model().num_inputs() : 0; }
  int numOutputs() const { return session_ ? session_->model().num_outputs() : 0; }
  std::uintptr_t graphInputPtr(int i, int n) {
    return pointer([&] {
      nnplay::Graph& g = need().model();
      NNPLAY_CHECK(i >= 0 && i < g.num_inputs(), "graphInputPtr: input " << i << " out of range");
      NNPLAY_CHECK(n >= 0 && static_cast<std::uint64_t>(n) * g.input_size(i) <= (std::uint64_t{1} << 28),
                   "graphInputPtr: " << n << " rows of input " << i << " are too many");
      graph_inputs_.resize(static_cast<std::size_t>(g.num_inputs()));
      nnplay::Tensor& t = graph_inputs_[static_cast<std::size_t>(i)];
      t.resize({std::max(n, 1), g.input_size(i)});
      return t.data();
    });
  }
  std::string predictGraph(int n) {
    return run([&] {
      nnplay::Graph& g = need().model();
      NNPLAY_CHECK(static_cast<int>(graph_inputs_.size()) == g.num_inputs(),
                   "predictGraph: fill every input first (graphInputPtr)");
      std::vector<const float*> xs;
      for (int i = 0; i < g.num_inputs(); ++i) {
        const nnplay::Tensor& t = graph_inputs_[static_cast<std::size_t>(i)];
        NNPLAY_CHECK(t.rank() == 2 && t.dim(0) >= n && t.dim(1) == g.input_size(i),
                     "predictGraph: input " << i << " holds fewer than " << n << " rows");
        xs.push_back(t.data());
      }
      graph_outputs_.resize(static_cast<std::size_t>(g.num_outputs()));
      std::vector<float*> outs;
      for (int j = 0; j < g.num_outputs(); ++j) {
        nnplay::Tensor& out = graph_outputs_[static_cast<std::size_t>(j)];
        out.resize({n, g.output_size(j)});
        outs.push_back(out.data());
      }
      if (n > 0) g.predict(outs, xs, n);
    });
  }
  std::uintptr_t graphOutputPtr(int j) const {
    if (j < 0 || static_cast<std::size_t>(j) >= graph_outputs_.size()) return 0;
    return address_of(graph_outputs_[static_cast<std::size_t>(j)].data());
  }

  // Gradients through the model (the library's model.apply() on its gradient tape): write n rows
  // of input i at graphInputPtr(i, n), then applyGraph(n, training, pass); output j is at
  // appliedOutputPtr(j). The backward: the same rows again, the gradient of each output listed
  // in `with_gradient` (indices separated by commas, e.g. "0,2") at outputGradientPtr(j, n), then
  // vectorJacobian(n, training, pass, with_gradient); input i's gradient is at
  // vjpInputGradientPtr(i) (0: that input is read as ids and has none), the weights' at
  // vjpWeightGradientsPtr() (weightsCount floats, in the weights table's order).
  std::string applyGraph(int n, bool training, double pass) {
    return run([&] { need().apply(graph_rows("applyGraph", n), n, training, static_cast<std::uint64_t>(pass)); });
  }
  std::uintptr_t appliedOutputPtr(int j) const {
    if (!session_ || j < 0 || static_cast<std::size_t>(j) >= session_->apply_outputs().size()) return 0;
    return address_of(session_->apply_outputs()[static_cast<std::size_t>(j)].data());
  }
  std::uintptr_t outputGradientPtr(int j, int n) {
    return pointer([&] {
      nnplay::Graph& g = need().model();
      NNPLAY_CHECK(j >= 0 && j < g.num_outputs(), "outputGradientPtr: output " << j << " out of range");
      NNPLAY_CHECK(n >= 0 && static_cast<std::uint64_t>(n) * g.output_size(j) <= (std::uint64_t{1} << 28),
                   "outputGradientPtr: " << n << " rows of output " << j << " are too many");
      output_gradients_.resize(static_cast<std::size_t>(g.num_outputs()));
      Tensor& t = output_gradients_[static_cast<std::size_t>(j)];
      t.resize({std::max(n, 1), g.output_size(j)});
      return t.data();
    });
  }
  std::string vectorJacobian(int n, bool training, double pass, const std::string& with_gradient) {
    return run([&] {
      nnplay::TrainingSession& s = need();
      const std::vector<int> outputs = parse_list(with_gradient, "vectorJacobian: outputs");
      std::vector<const float*> d_outputs(static_cast<std::size_t>(s.model().num_outputs()), nullptr);
      for (int j : outputs) {
        NNPLAY_CHECK(j >= 0 && j < s.model().num_outputs() && static_cast<std::size_t>(j) < output_gradients_.size() &&
                         output_gradients_[static_cast<std::size_t>(j)].dim(0) >= n,
                     "vectorJacobian: fill output " << j << "'s gradient first (outputGradientPtr)");
        d_outputs[static_cast<std::size_t>(j)] = output_gradients_[static_cast<std::size_t>(j)].data();
      }
      s.vector_jacobian_product(graph_rows("vectorJacobian", n), n, training, static_cast<std::uint64_t>(pass),
                                d_outputs);
    });
  }
  std::uintptr_t vjpInputGradientPtr(int i) const {
    if (!session_ || i < 0 || static_cast<std::size_t>(i) >= session_->vjp_input_gradients().size()) return 0;
    const Tensor& t = session_->vjp_input_gradients()[static_cast<std::size_t>(i)];
    return t.size() == 0 ? 0 : address_of(t.data());
  }
  std::uintptr_t vjpWeightGradientsPtr() const {
    return session_ ? address_of(session_->vjp_weight_gradients().data()) : 0;
  }

  std::string compile(const std::string& compile_json) {
    return run([&] {
      need().compile(nnplay::parse_compile_spec(compile_json));
      logs_ = nnplay::Logs{};
    });
  }

  // The model in one call: {"inputShape":[..],"outputSize":k,"nodes":[{name,type,shape}],
  // "weights":[{name,shape,offset,size}],"weightsCount":n} (per-sample shapes, Keras order).
  std::string describeJson() const {
    if (!session_) return "{}";
    const nnplay::SessionModel& model = session_->model();
    std::string out = "{\"inputShape\":" + shape_json(model.input_shape()) +
                      ",\"outputSize\":" + std::to_string(model.output_size()) + ",\"inputSizes\":[";
    for (int i = 0; i < model.num_inputs(); ++i) out += (i ? "," : "") + std::to_string(model.input_size(i));
    out += "],\"outputSizes\":[";
    for (int o = 0; o < model.num_outputs(); ++o) out += (o ? "," : "") + std::to_string(model.output_size(o));
    out += "],\"outputNodes\":[";
    for (int o = 0; o < model.num_outputs(); ++o) out += (o ? "," : "") + std::to_string(session_->output_node(o));
    out += "],\"nodes\":[";
    for (int i = 0; i < model.num_layers(); ++i) {
      const nnplay::LayerInfo& layer = model.layer_info(i);
      if (i) out += ",";
      out += "{\"name\":" + json_string(layer.name) + ",\"type\":" + json_string(layer.type) +
             ",\"shape\":" + shape_json(layer.output_shape) + ",\"states\":[";
      const std::vector<nnplay::StateInfo> states = model.layer_states(i);
      for (std::size_t k = 0; k < states.size(); ++k)
        out += (k ? ",{\"name\":" : "{\"name\":") + json_string(states[k].name) +
               ",\"shape\":" + shape_json(states[k].shape) + "}";
      out += "]}";
    }
    out += "],\"weights\":[";
    const auto& table = session_->weights_table();
    for (std::size_t i = 0; i < table.size(); ++i) {
      if (i) out += ",";
      out += "{\"name\":" + json_string(table[i].name) + ",\"shape\":" + shape_json(table[i].shape) +
             ",\"offset\":" + std::to_string(table[i].offset) + ",\"size\":" + std::to_string(table[i].size) + "}";
    }
    return out + "],\"weightsCount\":" + std::to_string(session_->weights_count()) + "}";
  }

  // Counters: {"epochs":..,"steps":..,"datasets":..,"contentScans":..}. contentScans counts
  // full scans of data contents (seals, label checks): training calls add none.
  std::string statsJson() const {
    if (!session_) return "{\"epochs\":0,\"steps\":0,\"datasets\":0,\"contentScans\":0}";
    return "{\"epochs\":" + std::to_string(session_->epochs_done()) +
           ",\"steps\":" + std::to_string(session_->steps_done()) +
           ",\"datasets\":" + std::to_string(session_->num_datasets()) +
           ",\"contentScans\":" + std::to_string(session_->content_scans()) + "}";
  }

  // Datasets: reserve, fill each x/y at its pointer, seal (validated once), then use the id.
  // xSizes / ySizes: row widths separated by commas, one per model input / output in the
  // model's order ("2" or "4,3"; ySizes "" for inputs only).
  std::string reserveDataset(int n, const std::string& x_sizes, const std::string& y_sizes) {
    return run([&] {
      const std::vector<int> xs = parse_list(x_sizes, "reserveDataset: xSizes");
      const std::vector<int> ys = parse_list(y_sizes, "reserveDataset: ySizes");
      last_id_ = need().reserve_dataset(n, xs, ys);
    });
  }
  int lastDatasetId() const { return last_id_; }
  std::uintptr_t datasetXPtr(int id, int input) {
    return pointer([&] { return need().dataset_x(id, input); });
  }
  std::uintptr_t datasetYPtr(int id, int output) {
    return pointer([&] { return need().dataset_y(id, output); });
  }
  // Per-sample loss weights [n] of one output (classWeight), filled before sealDataset.
  std::uintptr_t datasetSampleWeightsPtr(int id, int output) {
    return pointer([&] { return need().dataset_sample_weights(id, output); });
  }
  // A read image set as one sealed dataset (x [n, pixels] in 0..1, y [n, 1] classes); the id
  // is lastDatasetId(). The set's buffers can be freed afterwards.
  std::string loadImageSet(const WasmImageSet& set) {
    return run([&] {
      NNPLAY_CHECK(set.set(), "loadImageSet: the image set was not read");
      last_id_ = need().load_image_set(*set.set());
    });
  }
  std::string sealDataset(int id) {
    return run([&] { need().seal_dataset(id); });
  }
  void freeDataset(int id) {
    if (session_) session_->free_dataset(id);
  }

  std::string trainSteps(int id, int steps, int batch_size, bool shuffle) {
    return run([&] { logs_ = need().train_steps(id, steps, batch_size, shuffle); });
  }
  std::string trainEpoch(int id, int batch_size, bool shuffle) {
    return run([&] { logs_ = need().train_epoch(id, batch_size, shuffle); });
  }
  std::string evaluate(int id, int batch_size) {
    return run([&] { logs_ = need().evaluate(id, batch_size); });
  }
  // The last train/evaluate figures; non-finite values as null. "{}" before any.
  std::string logsJson() const {
    std::string out = "{";
    for (std::size_t i = 0; i < logs_.values.size(); ++i) {
      if (i) out += ",";
      out += json_string(logs_.values[i].first) + ":" + json_number(logs_.values[i].second);
    }
    return out + "}";
  }
  std::string setLearningRate(float learning_rate) {
    return run([&] { need().set_learning_rate(learning_rate); });
  }
  // The rate the next training step uses (a schedule's, or the constant one); 0 before compile.
  float learningRate() const { return session_ ? session_->learning_rate() : 0.0f; }
  std::string setRegularization(float l1, float l2) {
    return run([&] { need().set_regularization(l1, l2); });
  }
  // A layer's live config key (klDivergence's "beta") between steps, without a rebuild.
  std::string setLayerParameter(const std::string& layer, const std::string& key, double value) {
    return run([&] { need().set_layer_number(layer, key, value); });
  }

  // nodes: node indices separated by commas, e.g. "0,2" (a string: no emscripten::val, whose
  // machinery costs module size); "2:1" is state 1 of node 2's layer (its "states" in
  // describeJson()). Then predictionPtr(j) is entry j's values [n, ...shape] (the node's shape,
  // or the state's), valid until the next predict.
  std::string predict(int id, const std::string& nodes) {
    return run([&] {
      ref_list_.clear();
      std::size_t at = 0;
      while (at < nodes.size()) {
        std::size_t end = nodes.find(',', at);
        if (end == std::string::npos) end = nodes.size();
        const std::string item = nodes.substr(at, end - at);
        const std::size_t colon = item.find(':');
        nnplay::PayloadRef ref;
        const std::vector<int> node = parse_list(item.substr(0, colon), "predict: nodes");
        const std::vector<int> state =
            colon == std::string::npos ? std::vector<int>{-1} : parse_list(item.substr(colon + 1), "predict: nodes");
        NNPLAY_CHECK(node.size() == 1 && state.size() == 1,
                     "predict: nodes must be \"node\" or \"node:state\" integers separated by commas, e.g. \"0,2:1\"; "
                     "got \""
                         << nodes << "\"");
        ref.node = node[0];
        ref.state = state[0];
        ref_list_.push_back(ref);
        at = end + 1;
      }
      need().predict_payloads(id, ref_list_);
    });
  }
  // Every model output, in output order (predictionPtr(o) is output o): the library's
  // predict() and evaluate's diagnosis, without building a node list in JS per call.
  std::string predictOutput(int id) {
    return run([&] {
      nnplay::TrainingSession& s = need();
      node_list_.clear();
      for (int o = 0; o < s.model().num_outputs(); ++o) node_list_.push_back(s.output_node(o));
      s.predict(id, node_list_);
    });
  }
  // The small-batch path: write n rows at inputBufferPtr(n), then predictInput(n) checks
  // them and fills predictionPtr(0) with the output. 0 when n is out of range.
  std::uintptr_t inputBufferPtr(int n) {
    return pointer([&] { return need().input_buffer(n); });
  }
  std::string predictInput(int n) {
    return run([&] { need().predict_input(n); });
  }
  std::uintptr_t predictionPtr(int j) const {
    if (!session_ || j < 0 || static_cast<std::size_t>(j) >= session_->predictions().size()) return 0;
    return address_of(session_->predictions()[static_cast<std::size_t>(j)].values.data());
  }

  // d(unit `unit` of output `output`) / d(every model input) for the dataset's samples (row
  // indices separated by commas, e.g. "4" or "0,7"); then inputGradientPtr(i) is input i's
  // [samples, input_size(i)], valid until the next call.
  std::string inputGradients(int id, const std::string& samples, int output, int unit) {
    return run([&] { need().input_gradients(id, parse_list(samples, "inputGradients: samples"), output, unit); });
  }
  std::uintptr_t inputGradientPtr(int i) const {
    if (!session_ || i < 0 || static_cast<std::size_t>(i) >= session_->last_input_gradients().size()) return 0;
    return address_of(session_->last_input_gradients()[static_cast<std::size_t>(i)].data());
  }

  // Weights as one view: a flat buffer in Keras order (its table is in describeJson()).
  // Packs the current weights into the buffer and returns its address.
  std::uintptr_t readWeights() { return session_ ? address_of(session_->read_weights()) : 0; }
  // The buffer to fill before writeWeights().
  std::uintptr_t weightsBufferPtr() { return session_ ? address_of(session_->weights_buffer()) : 0; }
  std::string writeWeights() {
    return run([&] { need().write_weights(); });
  }
  // One entry: its values' address (the model's own, valid until the next call that changes
  // the model), and a write of entry i from its slice of the buffer at weightsBufferPtr().
  std::uintptr_t weightValuesPtr(int i) {
    return pointer([&] { return need().weight_values(i); });
  }
  std::string writeWeight(int i) {
    return run([&] { need().write_weight(i); });
  }

 private:
  // One catch-all per call site; the sorting by exception type lives once, in describe().
  template <typename Fn>
  std::string run(Fn&& fn) {
    try {
      fn();
      return std::string();
    } catch (...) {
      return describe_current_exception();
    }
  }
  static std::string describe_current_exception() {
    try {
      throw;
    } catch (const nnplay::TrainingDiverged& e) {
      return failure("diverged", e.what());
    } catch (const nnplay::NonFiniteData& e) {
      return failure("invalid", e.what(),
                     ",\"field\":" + json_string(e.field()) + ",\"tensor\":" + std::to_string(e.tensor()) +
                         ",\"index\":" + std::to_string(e.index()));
    } catch (const std::bad_alloc&) {
      return failure("oom", "out of memory: the wasm heap cannot grow enough (use fewer samples or units)");
    } catch (const std::exception& e) {
      return failure("invalid", *e.what() ? e.what() : "unknown engine error");
    } catch (...) {
      return failure("invalid", "unknown engine error");
    }
  }
  static std::string failure(const char* kind, const std::string& message, const std::string& extra = "") {
    return std::string("{\"kind\":\"") + kind + "\",\"message\":" + json_string(message) + extra + "}";
  }
  // "3,0,12" -> {3, 0, 12}; "" -> {}. Strings, not emscripten::val arrays, whose machinery
  // costs module size.
  static std::vector<int> parse_list(const std::string& text, const char* what) {
    std::vector<int> out;
    std::size_t at = 0;
    while (at < text.size()) {
      std::size_t end = text.find(',', at);
      if (end == std::string::npos) end = text.size();
      const std::string item = text.substr(at, end - at);
      NNPLAY_CHECK(!item.empty() && item.find_first_not_of("0123456789") == std::string::npos && item.size() < 10,
                   what << " must be integers >= 0 separated by commas, e.g. \"0,2\"; got \"" << text << "\"");
      int v = 0;
      for (char c : item) v = v * 10 + (c - '0');
      out.push_back(v);
      at = end + 1;
    }
    return out;
  }
  template <typename Fn>
  std::uintptr_t pointer(Fn&& fn) {
    try {
      return address_of(fn());
    } catch (...) {
      return 0;
    }
  }
  nnplay::TrainingSession& need() {
    NNPLAY_CHECK(session_, "the session has no model: call build(spec) first");
    return *session_;
  }

  std::unique_ptr<nnplay::TrainingSession> session_;
  nnplay::Logs logs_;
  std::vector<int> node_list_;
  std::vector<nnplay::PayloadRef> ref_list_;
  std::vector<Tensor> graph_inputs_, graph_outputs_;  // predictGraph()'s rows, per input / output
  std::vector<Tensor> output_gradients_;              // vectorJacobian()'s output gradients
  // The rows written at graphInputPtr(i, n), checked to hold n rows of every input.
  std::vector<const float*> graph_rows(const char* where, int n) {
    nnplay::Graph& g = need().model();
    NNPLAY_CHECK(static_cast<int>(graph_inputs_.size()) == g.num_inputs(),
                 where << ": fill every input first (graphInputPtr)");
    std::vector<const float*> xs;
    for (int i = 0; i < g.num_inputs(); ++i) {
      const Tensor& t = graph_inputs_[static_cast<std::size_t>(i)];
      NNPLAY_CHECK(t.rank() == 2 && t.dim(0) >= n && t.dim(1) == g.input_size(i),
                   where << ": input " << i << " holds fewer than " << n << " rows");
      xs.push_back(t.data());
    }
    return xs;
  }
  int last_id_ = 0;
};

// ---- MatMul (tensor ops) ------------------------------------------------------------------

// The matrix products of nn.matMul / nn.dot (web/lib/ops/matmul.ts): JS writes op(A) and op(B)
// of every batch into buffers this object owns, then asks for one product per batch. Glue only:
// the product is kernels/gemm; here are the buffers and the bounds checks that keep a wrong
// offset from reading or writing outside them.
class WasmMatMul {
 public:
  // Buffers of a_size, b_size and c_size floats (grown, never shrunk): '' or the failure.
  // Sizes are doubles so that a count past 2^32 is refused here rather than wrapped.
  std::string reserve(double a_size, double b_size, double c_size) {
    return guarded([&] {
      constexpr double kMaxFloats = 536870912.0;  // 2 GiB of floats: the wasm memory bound
      NNPLAY_CHECK(a_size >= 0 && b_size >= 0 && c_size >= 0 && a_size <= kMaxFloats && b_size <= kMaxFloats &&
                       c_size <= kMaxFloats,
                   "matMul buffers need 0..2^29 floats each, got " << a_size << ", " << b_size << ", " << c_size);
      grow(a_, a_size);
      grow(b_, b_size);
      grow(c_, c_size);
    });
  }
  std::uintptr_t aPtr() const { return address_of(a_.data()); }
  std::uintptr_t bPtr() const { return address_of(b_.data()); }
  std::uintptr_t cPtr() const { return address_of(c_.data()); }

  // c[c_offset, +m·n) = op(a at a_offset) · op(b at b_offset), offsets in floats, layouts as
  // kernels/gemm.h says (lda = trans_a ? m : k, ldb = trans_b ? k : n, ldc = n).
  std::string multiply(bool trans_a, bool trans_b, int m, int n, int k, double a_offset, double b_offset,
                       double c_offset) {
    return guarded([&] {
      NNPLAY_CHECK(m >= 0 && n >= 0 && k >= 0, "matMul sizes must be >= 0, got m " << m << ", n " << n << ", k " << k);
      const double mk = static_cast<double>(m) * k, kn = static_cast<double>(k) * n, mn = static_cast<double>(m) * n;
      NNPLAY_CHECK(a_offset >= 0 && a_offset + mk <= static_cast<double>(a_.size()) && b_offset >= 0 &&
                       b_offset + kn <= static_cast<double>(b_.size()) && c_offset >= 0 &&
                       c_offset + mn <= static_cast<double>(c_.size()),
                   "matMul operands lie outside the reserved buffers");
      if (m == 0 || n == 0) return;
      float* c = c_.data() + static_cast<std::size_t>(c_offset);
      if (k == 0) {
        std::fill(c, c + static_cast<std::size_t>(mn), 0.0f);
        return;
      }
      nnplay::gemm(trans_a, trans_b, m, n, k, 1.0f, a_.data() + static_cast<std::size_t>(a_offset), trans_a ? m : k,
                   b_.data() + static_cast<std::size_t>(b_offset), trans_b ? k : n, 0.0f, c, n);
    });
  }

 private:
  static void grow(std::vector<float>& v, double size) {
    if (static_cast<double>(v.size()) < size) v.resize(static_cast<std::size_t>(size));
  }
  std::vector<float> a_, b_, c_;
};

bool simdEnabled() {
#if defined(__wasm_simd128__) && !defined(NNPLAY_NO_SIMD)
  return true;
#else
  return false;
#endif
}

// The engine's thread pool (core/parallel.h): 1 and false in the build without threads.
bool threadsSupported() { return nnplay::threads_supported(); }
int threadCount() { return nnplay::thread_count(); }
// Returns the count in effect, or -1 with the message in lastThreadError() for a bad count.
std::string g_thread_error;
int setThreadCount(int n) {
  try {
    g_thread_error.clear();
    return nnplay::set_thread_count(n);
  } catch (const std::exception& e) {
    g_thread_error = e.what();
    return -1;
  }
}
std::string lastThreadError() { return g_thread_error; }

}  // namespace

EMSCRIPTEN_BINDINGS(nnplay) {
  using emscripten::class_;

  class_<WasmPlayground>("Playground")
      .constructor<>()
      .function("configure", &WasmPlayground::configure)
      .function("trainXPtr", &WasmPlayground::trainXPtr)
      .function("trainYPtr", &WasmPlayground::trainYPtr)
      .function("testXPtr", &WasmPlayground::testXPtr)
      .function("testYPtr", &WasmPlayground::testYPtr)
      .function("gridXPtr", &WasmPlayground::gridXPtr)
      .function("numTrain", &WasmPlayground::numTrain)
      .function("numTest", &WasmPlayground::numTest)
      .function("pointsPtr", &WasmPlayground::pointsPtr)
      .function("labelsPtr", &WasmPlayground::labelsPtr);

  class_<WasmImageSet>("ImageSet")
      .constructor<>()
      .function("imagesBuffer", &WasmImageSet::imagesBuffer)
      .function("labelsBuffer", &WasmImageSet::labelsBuffer)
      .function("read", &WasmImageSet::read)
      .function("fromPixels", &WasmImageSet::fromPixels)
      .function("count", &WasmImageSet::count)
      .function("height", &WasmImageSet::height)
      .function("width", &WasmImageSet::width)
      .function("channels", &WasmImageSet::channels)
      .function("imagesOffset", &WasmImageSet::imagesOffset)
      .function("labelsOffset", &WasmImageSet::labelsOffset)
      .function("rows", &WasmImageSet::rows)
      .function("rowsXPtr", &WasmImageSet::rowsXPtr)
      .function("rowsYPtr", &WasmImageSet::rowsYPtr);

  class_<WasmSequenceSet>("SequenceSet")
      .constructor<>()
      .function("configure", &WasmSequenceSet::configure)
      .function("textBuffer", &WasmSequenceSet::textBuffer)
      .function("readText", &WasmSequenceSet::readText)
      .function("textWindows", &WasmSequenceSet::textWindows)
      .function("trainXPtr", &WasmSequenceSet::trainXPtr)
      .function("trainYPtr", &WasmSequenceSet::trainYPtr)
      .function("testXPtr", &WasmSequenceSet::testXPtr)
      .function("testYPtr", &WasmSequenceSet::testYPtr)
      .function("numTrain", &WasmSequenceSet::numTrain)
      .function("numTest", &WasmSequenceSet::numTest)
      .function("steps", &WasmSequenceSet::steps)
      .function("features", &WasmSequenceSet::features)
      .function("outputs", &WasmSequenceSet::outputs);

  class_<WasmSession>("Session")
      .constructor<>()
      .function("build", &WasmSession::build)
      .function("compile", &WasmSession::compile)
      .function("buildSharing", &WasmSession::buildSharing)
      .function("numInputs", &WasmSession::numInputs)
      .function("numOutputs", &WasmSession::numOutputs)
      .function("graphInputPtr", &WasmSession::graphInputPtr)
      .function("predictGraph", &WasmSession::predictGraph)
      .function("graphOutputPtr", &WasmSession::graphOutputPtr)
      .function("describeJson", &WasmSession::describeJson)
      .function("statsJson", &WasmSession::statsJson)
      .function("reserveDataset", &WasmSession::reserveDataset)
      .function("lastDatasetId", &WasmSession::lastDatasetId)
      .function("datasetXPtr", &WasmSession::datasetXPtr)
      .function("datasetYPtr", &WasmSession::datasetYPtr)
      .function("datasetSampleWeightsPtr", &WasmSession::datasetSampleWeightsPtr)
      .function("sealDataset", &WasmSession::sealDataset)
      .function("loadImageSet", &WasmSession::loadImageSet)
      .function("freeDataset", &WasmSession::freeDataset)
      .function("trainSteps", &WasmSession::trainSteps)
      .function("trainEpoch", &WasmSession::trainEpoch)
      .function("evaluate", &WasmSession::evaluate)
      .function("logsJson", &WasmSession::logsJson)
      .function("setLearningRate", &WasmSession::setLearningRate)
      .function("learningRate", &WasmSession::learningRate)
      .function("setRegularization", &WasmSession::setRegularization)
      .function("setLayerParameter", &WasmSession::setLayerParameter)
      .function("predict", &WasmSession::predict)
      .function("predictOutput", &WasmSession::predictOutput)
      .function("inputBufferPtr", &WasmSession::inputBufferPtr)
      .function("predictInput", &WasmSession::predictInput)
      .function("predictionPtr", &WasmSession::predictionPtr)
      .function("inputGradients", &WasmSession::inputGradients)
      .function("inputGradientPtr", &WasmSession::inputGradientPtr)
      .function("readWeights", &WasmSession::readWeights)
      .function("weightsBufferPtr", &WasmSession::weightsBufferPtr)
      .function("writeWeights", &WasmSession::writeWeights)
      .function("weightValuesPtr", &WasmSession::weightValuesPtr)
      .function("writeWeight", &WasmSession::writeWeight)
      .function("applyGraph", &WasmSession::applyGraph)
      .function("appliedOutputPtr", &WasmSession::appliedOutputPtr)
      .function("outputGradientPtr", &WasmSession::outputGradientPtr)
      .function("vectorJacobian", &WasmSession::vectorJacobian)
      .function("vjpInputGradientPtr", &WasmSession::vjpInputGradientPtr)
      .function("vjpWeightGradientsPtr", &WasmSession::vjpWeightGradientsPtr);

  class_<WasmMatMul>("MatMul")
      .constructor<>()
      .function("reserve", &WasmMatMul::reserve)
      .function("aPtr", &WasmMatMul::aPtr)
      .function("bPtr", &WasmMatMul::bPtr)
      .function("cPtr", &WasmMatMul::cPtr)
      .function("multiply", &WasmMatMul::multiply);

  emscripten::function("simdEnabled", &simdEnabled);
  emscripten::function("threadsSupported", &threadsSupported);
  emscripten::function("threadCount", &threadCount);
  emscripten::function("setThreadCount", &setThreadCount);
  emscripten::function("lastThreadError", &lastThreadError);
  emscripten::function("inspectModel", &inspectModel);
  emscripten::function("checkLayerConfig", &checkLayerConfig);
}
