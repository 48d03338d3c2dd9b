// Embind facade of the engine: the classes Dataset, Model, Playground and simdEnabled(), as
// web/lib/engine-module.ts describes them. This file is glue only: no math, no JSON parsing of
// specs (the engine parses), just ownership, argument checks that keep memory safe, and the
// conversion of engine exceptions into returned messages.
//
// Rules every method follows:
//  - Fallible methods return std::string: "" on success, otherwise what was wrong and what is
//    allowed. Every std::exception (nnplay::Error, nnplay::TrainingDiverged, std::bad_alloc…)
//    is caught here; nothing may abort the wasm module.
//  - Getters never fail: before build()/configure(), or for an index out of range, they return
//    0, "" or "[]".
//  - Pointers are byte offsets into wasm memory (HEAPF32.buffer). Re-derive views after any
//    call: memory growth replaces the buffer.
//  - Ownership: JS owns every object it creates with `new` and frees it with delete(). The
//    Datasets returned by Playground.train()/test()/grid() are raw pointers to objects the
//    Playground owns (allow_raw_pointers, no finalizer): JS must NOT delete them; they stay
//    valid, refilled in place by configure(), until the Playground itself is deleted.
#include <emscripten/bind.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "data/playground.h"
#include "kernels/vec.h"
#include "nn/graph.h"
#include "nn/layer.h"
#include "nn/registry.h"
#include "train/session.h"
#include "train/trainer.h"

namespace {

using nnplay::Tensor;

// Runs fn; returns "" or the message of whatever it threw.
template <typename Fn>
std::string guarded(Fn&& fn) {
  try {
    fn();
    return "";
  } catch (const std::bad_alloc&) {
    return "out of memory: the wasm heap cannot grow enough (use fewer samples or units)";
  } catch (const std::exception& e) {
    std::string message = e.what();
    return message.empty() ? "unknown engine error" : message;
  } catch (...) {
    return "unknown engine error";
  }
}

std::uintptr_t address_of(const float* p) { return reinterpret_cast<std::uintptr_t>(p); }

// A JSON number; JSON has no NaN/Infinity, so those become null.
std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string shape_json(const nnplay::Shape& shape) {
  std::string out = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) out += ",";
    out += std::to_string(shape[i]);
  }
  return out + "]";
}

// ---- Dataset ------------------------------------------------------------------------------

// x [n, xSize] and y [n, ySize]. The sizes are kept here as well as in the tensors' shapes
// because an empty dataset (n = 0) still has a row width, which nnplay::Dataset cannot tell.
class WasmDataset {
 public:
  std::string allocate(int n, int x_size, int y_size) {
    return guarded([&] {
      NNPLAY_CHECK(n >= 0, "dataset size must be >= 0, got " << n);
      NNPLAY_CHECK(x_size > 0, "dataset xSize must be > 0, got " << x_size);
      NNPLAY_CHECK(y_size > 0, "dataset ySize must be > 0, got " << y_size);
      // 2^28 floats = 1 GiB per tensor: the most a 2 GiB wasm heap can plausibly hold.
      const double limit = 268435456.0;
      NNPLAY_CHECK(static_cast<double>(n) * x_size <= limit &&
                       static_cast<double>(n) * y_size <= limit,
                   "dataset of " << n << " x [" << x_size << "] / y [" << y_size
                                 << "] is too large: at most 2^28 floats per tensor");
      nnplay::Dataset fresh;
      fresh.x.resize({n, x_size});
      fresh.y.resize({n, y_size});
      assign(std::move(fresh), x_size, y_size);
    });
  }

  int size() const { return n_; }
  int xSize() const { return x_size_; }
  int ySize() const { return y_size_; }
  std::uintptr_t xPtr() const { return address_of(data_.x.data()); }
  std::uintptr_t yPtr() const { return address_of(data_.y.data()); }

  std::string validate() const {
    if (n_ == 0) return "";
    return guarded([&] { nnplay::validate_dataset(data_); });
  }

  // Index into x of its first NaN/±Infinity, or -1. For callers that word the error in their
  // own terms (the library names tensor index, sample and feature) and only need x checked:
  // one SIMD pass in wasm instead of a JS loop over every value.
  int firstNonFiniteX() const {
    const std::size_t size = data_.x.size();
    const std::size_t i = nnplay::vec_find_non_finite(data_.x.data(), size);
    return i == size ? -1 : static_cast<int>(i);
  }

  // Facade-internal (not bound).
  void assign(nnplay::Dataset&& d, int x_size, int y_size) {
    data_ = std::move(d);
    n_ = data_.x.rank() ? data_.x.dim(0) : 0;
    x_size_ = x_size;
    y_size_ = y_size;
  }
  const nnplay::Dataset& data() const { return data_; }

 private:
  nnplay::Dataset data_;
  int n_ = 0;
  int x_size_ = 0;
  int y_size_ = 0;
};

// ---- MultiData: one x per model input, one y per output (for graphs of several) ------------

class WasmMultiData {
 public:
  // Tensor i of x (or y) as [n, size]; the others keep theirs. y size 0: no targets (predict).
  std::string allocateX(int i, int n, int size) { return allocate(data_.xs, i, n, size, "x"); }
  std::string allocateY(int i, int n, int size) { return allocate(data_.ys, i, n, size, "y"); }
  int numX() const { return static_cast<int>(data_.xs.size()); }
  int numY() const { return static_cast<int>(data_.ys.size()); }
  std::uintptr_t xPtr(int i) const { return i >= 0 && i < numX() ? address_of(data_.xs[static_cast<std::size_t>(i)].data()) : 0; }
  std::uintptr_t yPtr(int i) const { return i >= 0 && i < numY() ? address_of(data_.ys[static_cast<std::size_t>(i)].data()) : 0; }
  int size() const { return view().size(); }

  // Facade-internal (not bound).
  nnplay::TrainingData view() const { return data_.view(); }

 private:
  static std::string allocate(std::vector<Tensor>& list, int i, int n, int size, const char* what) {
    return guarded([&] {
      NNPLAY_CHECK(i >= 0 && i < 256, what << " index must be in [0, 256), got " << i);
      NNPLAY_CHECK(n >= 0 && size > 0, what << "[" << i << "] needs n >= 0 and size > 0, got " << n << ", " << size);
      NNPLAY_CHECK(static_cast<double>(n) * size <= 268435456.0, what << "[" << i << "] of " << n << " x [" << size
                                                                       << "] is too large: at most 2^28 floats per tensor");
      if (list.size() <= static_cast<std::size_t>(i)) list.resize(static_cast<std::size_t>(i) + 1);
      list[static_cast<std::size_t>(i)].resize({n, size});
    });
  }
  nnplay::MultiDataset data_;
};

// ---- Model --------------------------------------------------------------------------------

class WasmModel {
 public:
  std::string build(const std::string& spec_json) {
    return guarded([&] {
      // Build the new model first: a bad spec leaves the current model untouched.
      // v1 (Sequential) and v2 ("format": "nnplay-graph") specs. The Dataset calls drive one
      // input and one output; the *Multi calls any number.
      auto fresh = std::make_unique<nnplay::Graph>(nnplay::parse_graph_spec(spec_json));
      trainer_.reset();  // it refers to the old model
      model_ = std::move(fresh);
      logs_ = nnplay::Logs{};
      clear_predictions();
    });
  }

  std::string compile(const std::string& compile_json) {
    return guarded([&] {
      NNPLAY_CHECK(model_, "the model is not built: call build(spec) before compile()");
      nnplay::CompileSpec spec = nnplay::parse_compile_spec(compile_json);
      auto fresh = std::make_unique<nnplay::Trainer>(*model_, spec);
      trainer_ = std::move(fresh);
      compile_spec_ = spec;
      logs_ = nnplay::Logs{};
    });
  }

  int inputSize() const { return model_ ? model_->input_size() : 0; }
  int outputSize() const { return model_ ? model_->output_size() : 0; }
  int numLayers() const { return model_ ? model_->num_layers() : 0; }
  int layerUnits(int layer) const {
    if (!model_ || layer < 0 || layer >= model_->num_layers()) return 0;
    return static_cast<int>(nnplay::shape_size64(model_->layer_info(layer).output_shape));
  }

  // Per-sample shapes, e.g. "[28,28,1]" and "[26,26,8]"; "[]" before build() or out of range.
  std::string inputShapeJson() const { return model_ ? shape_json(model_->input_shape()) : "[]"; }
  std::string layerShapeJson(int layer) const {
    if (!model_ || layer < 0 || layer >= model_->num_layers()) return "[]";
    return shape_json(model_->layer_info(layer).output_shape);
  }
  // "dense", "conv2d", "maxPooling2d" or "flatten"; "" before build() or out of range.
  std::string layerType(int layer) const {
    if (!model_ || layer < 0 || layer >= model_->num_layers()) return "";
    return model_->layer_info(layer).type;
  }

  std::string fitEpoch(WasmDataset& data, int batch_size, bool shuffle) {
    return guarded([&] {
      check_training_data(data, batch_size);
      logs_ = trainer_->train_epoch(data.data(), batch_size, shuffle);
    });
  }

  std::string trainSteps(WasmDataset& data, int steps, int batch_size, bool shuffle) {
    return guarded([&] {
      NNPLAY_CHECK(steps > 0, "steps must be > 0, got " << steps);
      check_training_data(data, batch_size);
      logs_ = trainer_->train_steps(data.data(), steps, batch_size, shuffle);
    });
  }

  std::string evaluate(WasmDataset& data, int batch_size) {
    return guarded([&] {
      check_training_data(data, batch_size);
      logs_ = trainer_->evaluate(data.data(), batch_size);
    });
  }

  // ---- several inputs / outputs: the same calls over a MultiData (xs and ys in model order)
  std::string fitEpochMulti(WasmMultiData& data, int batch_size, bool shuffle) {
    return guarded([&] {
      require_compiled();
      logs_ = trainer_->train_epoch(data.view(), batch_size, shuffle);
    });
  }
  std::string trainStepsMulti(WasmMultiData& data, int steps, int batch_size, bool shuffle) {
    return guarded([&] {
      require_compiled();
      NNPLAY_CHECK(steps > 0, "steps must be > 0, got " << steps);
      logs_ = trainer_->train_steps(data.view(), steps, batch_size, shuffle);
    });
  }
  std::string evaluateMulti(WasmMultiData& data, int batch_size) {
    return guarded([&] {
      require_compiled();
      logs_ = trainer_->evaluate(data.view(), batch_size);
    });
  }
  // Every output over data's xs into outputs_ (read with outputPtr(o)); chunked in the engine.
  std::string predictMulti(WasmMultiData& data) {
    return guarded([&] {
      NNPLAY_CHECK(model_, "the model is not built: call build(spec) before predict()");
      const nnplay::TrainingData view = data.view();
      NNPLAY_CHECK(static_cast<int>(view.xs.size()) == model_->num_inputs(),
                   "predict: the model has " << model_->num_inputs() << " inputs but " << view.xs.size()
                                             << " x tensors were given");
      const int n = view.size();
      std::vector<const float*> xs;
      for (int i = 0; i < model_->num_inputs(); ++i) {
        NNPLAY_CHECK(view.xs[static_cast<std::size_t>(i)]->dim(0) == n && view.input_size(i) == model_->input_size(i),
                     "predict: x[" << i << "] must be [" << n << ", " << model_->input_size(i) << "]");
        xs.push_back(view.xs[static_cast<std::size_t>(i)]->data());
      }
      outputs_.resize(static_cast<std::size_t>(model_->num_outputs()));
      std::vector<float*> outs;
      for (int o = 0; o < model_->num_outputs(); ++o) {
        outputs_[static_cast<std::size_t>(o)].resize({n, model_->output_size(o)});
        outs.push_back(outputs_[static_cast<std::size_t>(o)].data());
      }
      model_->predict(outs, xs, n);
    });
  }
  std::uintptr_t outputPtr(int o) const {
    return o >= 0 && static_cast<std::size_t>(o) < outputs_.size() ? address_of(outputs_[static_cast<std::size_t>(o)].data()) : 0;
  }
  int numInputs() const { return model_ ? model_->num_inputs() : 0; }
  int numOutputs() const { return model_ ? model_->num_outputs() : 0; }
  std::string inputShapeAtJson(int i) const {
    return model_ && i >= 0 && i < model_->num_inputs() ? shape_json(model_->input_shape(i)) : "[]";
  }
  std::string outputShapeJson(int o) const {
    return model_ && o >= 0 && o < model_->num_outputs() ? shape_json(model_->output_shape(o)) : "[]";
  }
  // The output layers' names, in output order (compile maps and "<output>_loss" logs use them).
  std::string outputNamesJson() const {
    std::string out = "[";
    if (model_)
      for (const std::string& name : nnplay::output_names(*model_)) out += (out.size() > 1 ? "," : "") + json_string(name);
    return out + "]";
  }
  // The rate the next training step uses (a schedule's, or the constant one); 0 before compile.
  float learningRate() const { return trainer_ ? trainer_->learning_rate() : 0.0f; }

  std::string logsJson() const {
    std::string out = "{";
    for (std::size_t i = 0; i < logs_.values.size(); ++i) {
      if (i) out += ",";
      out += json_string(logs_.values[i].first) + ":" + json_number(logs_.values[i].second);
    }
    return out + "}";
  }

  int epochsDone() const { return trainer_ ? trainer_->epochs_done() : 0; }
  // A double: steps are 64-bit in the engine and Embind has no 64-bit integers without BigInt.
  double stepsDone() const { return trainer_ ? static_cast<double>(trainer_->steps_done()) : 0.0; }

  std::string setLearningRate(float learning_rate) {
    return guarded([&] {
      require_compiled();
      trainer_->set_learning_rate(learning_rate);
      compile_spec_.optimizer.learning_rate = learning_rate;
    });
  }

  std::string setRegularization(float l1, float l2) {
    return guarded([&] {
      require_compiled();
      trainer_->set_regularization(l1, l2);
    });
  }

  std::string predict(WasmDataset& data) { return run_predict(data, true); }

  // predict() without the per-layer copies (layerOutputPtr() is then 0 for every layer until
  // the next predict()): for callers that read only the final output, such as the library's
  // Sequential.predict. The playground page draws every layer and uses predict().
  std::string predictOutput(WasmDataset& data) { return run_predict(data, false); }

  std::uintptr_t predictionPtr() const { return address_of(prediction_.data()); }
  // Index into the last prediction of its first NaN/±Infinity, or -1: finite inputs can still
  // overflow float32 inside the model, and the caller must not hand such an output on silently.
  // One SIMD pass, so the library can afford it on every predict.
  int firstNonFinitePrediction() const {
    const std::size_t size = prediction_.size();
    const std::size_t i = nnplay::vec_find_non_finite(prediction_.data(), size);
    return i == size ? -1 : static_cast<int>(i);
  }
  std::uintptr_t layerOutputPtr(int layer) const {
    if (layer < 0 || static_cast<std::size_t>(layer) >= layer_outputs_.size()) return 0;
    return address_of(layer_outputs_[static_cast<std::size_t>(layer)].data());
  }

  int numWeights() const { return model_ ? static_cast<int>(model_->variables().size()) : 0; }
  std::string weightName(int i) const { return param(i) ? param(i)->name : ""; }
  std::string weightShapeJson(int i) const {
    return param(i) ? shape_json(param(i)->value->shape()) : "[]";
  }
  std::uintptr_t weightPtr(int i) const { return param(i) ? address_of(param(i)->value->data()) : 0; }
  int weightSize(int i) const { return param(i) ? static_cast<int>(param(i)->value->size()) : 0; }

 private:
  std::string run_predict(WasmDataset& data, bool keep_layer_outputs) {
    return guarded([&] {
      NNPLAY_CHECK(model_, "the model is not built: call build(spec) before predict()");
      NNPLAY_CHECK(data.xSize() == model_->input_size(),
                   "predict: data has " << data.xSize() << " input columns but the model expects "
                                        << model_->input_size());
      const int n = data.size();
      const int layers = keep_layer_outputs ? model_->num_layers() : 0;
      layer_outputs_.resize(static_cast<std::size_t>(layers));
      if (n == 0) {
        prediction_.resize({0, model_->output_size()});
        for (int i = 0; i < layers; ++i)
          layer_outputs_[static_cast<std::size_t>(i)].resize({0, layerUnits(i)});
        return;
      }
      if (!keep_layer_outputs) {
        // Chunked in the engine, so a large image batch never holds every activation at once.
        prediction_.resize({n, model_->output_size()});
        model_->predict(prediction_.data(), data.data().x.data(), n);
        return;
      }
      // Copies, because the model's own buffers are overwritten by the next training step
      // while the page is still drawing this prediction.
      prediction_ = model_->forward(data.data().x.data(), n);
      for (int i = 0; i < layers; ++i)
        layer_outputs_[static_cast<std::size_t>(i)] = model_->layer_output(i);
    });
  }

  void require_compiled() const {
    NNPLAY_CHECK(model_, "the model is not built: call build(spec), then compile(config)");
    NNPLAY_CHECK(trainer_, "the model is not compiled: call compile(config) after build(spec)");
  }

  // Shapes the engine would otherwise read past: checked here so a mismatch is a message.
  void check_training_data(const WasmDataset& data, int batch_size) const {
    require_compiled();
    NNPLAY_CHECK(batch_size > 0, "batchSize must be > 0, got " << batch_size);
    NNPLAY_CHECK(data.size() > 0, "the dataset is empty: allocate() it with n > 0 and fill it");
    NNPLAY_CHECK(data.xSize() == model_->input_size(),
                 "data has " << data.xSize() << " input columns but the model expects "
                             << model_->input_size());
    const bool sparse = nnplay::find_loss(compile_spec_.loss).kind == nnplay::LossKind::kSparseCategoricalCrossentropy;
    const int expected_y = sparse ? 1 : model_->output_size();
    NNPLAY_CHECK(data.ySize() == expected_y,
                 "data has " << data.ySize() << " target columns but loss " << compile_spec_.loss
                             << " on this model expects " << expected_y
                             << (sparse ? " (one class index per sample)" : ""));
  }

  const nnplay::Variable* param(int i) const {
    if (!model_ || i < 0 || static_cast<std::size_t>(i) >= model_->variables().size()) return nullptr;
    return &model_->variables()[static_cast<std::size_t>(i)];
  }

  void clear_predictions() {
    prediction_ = Tensor();
    layer_outputs_.clear();
  }

  // Declaration order matters: trainer_ refers to *model_, so it is destroyed first.
  std::unique_ptr<nnplay::Graph> model_;
  std::unique_ptr<nnplay::Trainer> trainer_;
  nnplay::CompileSpec compile_spec_;
  nnplay::Logs logs_;
  std::vector<Tensor> outputs_;  // predictMulti's, per output
  Tensor prediction_;
  std::vector<Tensor> layer_outputs_;
};

// ---- Playground ---------------------------------------------------------------------------

class WasmPlayground {
 public:
  std::string configure(const std::string& config_json) {
    return guarded([&] {
      // Generate everything first: a bad config leaves the current data untouched.
      nnplay::PlaygroundConfig config = nnplay::parse_playground_config(config_json);
      nnplay::PlaygroundData d = nnplay::make_playground(config);
      const int features = static_cast<int>(config.features.size());
      train_.assign(std::move(d.train), features, 1);
      test_.assign(std::move(d.test), features, 1);
      grid_.assign(std::move(d.grid), features, 1);
      points_ = std::move(d.points);
      labels_ = std::move(d.labels);
      num_train_ = d.num_train;
      num_test_ = d.num_test;
    });
  }

  WasmDataset* train() { return &train_; }
  WasmDataset* test() { return &test_; }
  WasmDataset* grid() { return &grid_; }
  int numTrain() const { return num_train_; }
  int numTest() const { return num_test_; }
  std::uintptr_t pointsPtr() const { return points_.empty() ? 0 : address_of(points_.data()); }
  std::uintptr_t labelsPtr() const { return labels_.empty() ? 0 : address_of(labels_.data()); }

 private:
  WasmDataset train_, test_, grid_;
  std::vector<float> points_;
  std::vector<float> labels_;
  int num_train_ = 0;
  int num_test_ = 0;
};

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
    return "{\"type\":" + json_string(row.name) + ",\"config\":" + nnplay::config_to_json(config) + "}";
  } catch (const std::exception& e) {
    return "{\"error\":" + json_string(e.what()) + "}";
  } catch (...) {
    return "{\"error\":\"unknown engine error\"}";
  }
}

// The engine's tables (layer types, activations, initializers, losses, metrics, optimizers):
// names, aliases, keys and defaults, so the library never keeps its own lists.
std::string engineTables() { return nnplay::engine_tables_json(); }
// ---- Session ------------------------------------------------------------------------------

// The one training session every library path drives (web/lib/training-session.ts): a model,
// its trainer and datasets by id (engine/train/session.h). Unlike the classes above, failures
// cross as structured JSON, {"kind":"invalid"|"diverged"|"oom","message":...} (non-finite data
// adds "field" and "index"), chosen here by exception type: the library never reads a message
// to decide what happened.
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
      NNPLAY_CHECK(static_cast<int>(graph_inputs_.size()) == g.num_inputs(), "predictGraph: fill every input first (graphInputPtr)");
      std::vector<const float*> xs;
      for (int i = 0; i < g.num_inputs(); ++i) {
        const nnplay::Tensor& t = graph_inputs_[static_cast<std::size_t>(i)];
        NNPLAY_CHECK(t.rank() == 2 && t.dim(0) >= n && t.dim(1) == g.input_size(i), "predictGraph: input " << i << " holds fewer than " << n << " rows");
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
                      ",\"outputSize\":" + std::to_string(model.output_size()) + ",\"nodes\":[";
    for (int i = 0; i < model.num_layers(); ++i) {
      const nnplay::LayerInfo& layer = model.layer_info(i);
      if (i) out += ",";
      out += "{\"name\":" + json_string(layer.name) + ",\"type\":" + json_string(layer.type) +
             ",\"shape\":" + shape_json(layer.output_shape) + "}";
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
    return "{\"epochs\":" + std::to_string(session_->epochs_done()) + ",\"steps\":" +
           std::to_string(session_->steps_done()) + ",\"datasets\":" + std::to_string(session_->num_datasets()) +
           ",\"contentScans\":" + std::to_string(session_->content_scans()) + "}";
  }

  // Datasets: reserve, fill x/y at the pointers, seal (validated once), then use the id.
  std::string reserveDataset(int n, int x_size, int y_size) {
    return run([&] { last_id_ = need().reserve_dataset(n, x_size, y_size); });
  }
  int lastDatasetId() const { return last_id_; }
  std::uintptr_t datasetXPtr(int id) { return pointer([&] { return need().dataset_x(id); }); }
  std::uintptr_t datasetYPtr(int id) { return pointer([&] { return need().dataset_y(id); }); }
  std::string sealDataset(int id) { return run([&] { need().seal_dataset(id); }); }
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
  std::string setRegularization(float l1, float l2) {
    return run([&] { need().set_regularization(l1, l2); });
  }

  // nodes: node indices separated by commas, e.g. "0,2" (a string: no emscripten::val, whose
  // machinery costs module size). Then predictionPtr(j) is node j's values [n, ...shape]
  // (shape per nodesJson()), valid until the next predict.
  std::string predict(int id, const std::string& nodes) {
    return run([&] {
      node_list_.clear();
      std::size_t at = 0;
      while (at < nodes.size()) {
        std::size_t end = nodes.find(',', at);
        if (end == std::string::npos) end = nodes.size();
        const std::string item = nodes.substr(at, end - at);
        NNPLAY_CHECK(!item.empty() && item.find_first_not_of("0123456789") == std::string::npos && item.size() < 10,
                     "predict: nodes must be indices separated by commas, e.g. \"0,2\"; got \"" << nodes << "\"");
        int node = 0;
        for (char c : item) node = node * 10 + (c - '0');
        node_list_.push_back(node);
        at = end + 1;
      }
      need().predict(id, node_list_);
    });
  }
  // The output node only: the library's predict(), without building a JS array per call.
  std::string predictOutput(int id) {
    return run([&] {
      node_list_.assign(1, need().output_node());
      need().predict(id, node_list_);
    });
  }
  // The small-batch path: write n rows at inputBufferPtr(n), then predictInput(n) checks
  // them and fills predictionPtr(0) with the output. 0 when n is out of range.
  std::uintptr_t inputBufferPtr(int n) { return pointer([&] { return need().input_buffer(n); }); }
  std::string predictInput(int n) {
    return run([&] { need().predict_input(n); });
  }
  std::uintptr_t predictionPtr(int j) const {
    if (!session_ || j < 0 || static_cast<std::size_t>(j) >= session_->predictions().size()) return 0;
    return address_of(session_->predictions()[static_cast<std::size_t>(j)].values.data());
  }

  // Weights as one view: a flat buffer in Keras order (its table is in describeJson()).
  // Packs the current weights into the buffer and returns its address.
  std::uintptr_t readWeights() { return session_ ? address_of(session_->read_weights()) : 0; }
  // The buffer to fill before writeWeights().
  std::uintptr_t weightsBufferPtr() { return session_ ? address_of(session_->weights_buffer()) : 0; }
  std::string writeWeights() { return run([&] { need().write_weights(); }); }

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
      return failure("invalid", e.what(), ",\"field\":" + json_string(e.field()) +
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
  std::vector<Tensor> graph_inputs_, graph_outputs_;  // predictGraph()'s rows, per input / output
  int last_id_ = 0;
};

bool simdEnabled() {
#if defined(__wasm_simd128__) && !defined(NNPLAY_NO_SIMD)
  return true;
#else
  return false;
#endif
}

}  // namespace

EMSCRIPTEN_BINDINGS(nnplay) {
  using emscripten::allow_raw_pointers;
  using emscripten::class_;

  class_<WasmDataset>("Dataset")
      .constructor<>()
      .function("allocate", &WasmDataset::allocate)
      .function("size", &WasmDataset::size)
      .function("xSize", &WasmDataset::xSize)
      .function("ySize", &WasmDataset::ySize)
      .function("xPtr", &WasmDataset::xPtr)
      .function("yPtr", &WasmDataset::yPtr)
      .function("validate", &WasmDataset::validate)
      .function("firstNonFiniteX", &WasmDataset::firstNonFiniteX);

  class_<WasmModel>("Model")
      .constructor<>()
      .function("build", &WasmModel::build)
      .function("compile", &WasmModel::compile)
      .function("inputSize", &WasmModel::inputSize)
      .function("outputSize", &WasmModel::outputSize)
      .function("numLayers", &WasmModel::numLayers)
      .function("layerUnits", &WasmModel::layerUnits)
      .function("inputShapeJson", &WasmModel::inputShapeJson)
      .function("layerShapeJson", &WasmModel::layerShapeJson)
      .function("layerType", &WasmModel::layerType)
      .function("fitEpoch", &WasmModel::fitEpoch)
      .function("trainSteps", &WasmModel::trainSteps)
      .function("evaluate", &WasmModel::evaluate)
      .function("logsJson", &WasmModel::logsJson)
      .function("epochsDone", &WasmModel::epochsDone)
      .function("stepsDone", &WasmModel::stepsDone)
      .function("setLearningRate", &WasmModel::setLearningRate)
      .function("setRegularization", &WasmModel::setRegularization)
      .function("predict", &WasmModel::predict)
      .function("predictOutput", &WasmModel::predictOutput)
      .function("predictionPtr", &WasmModel::predictionPtr)
      .function("firstNonFinitePrediction", &WasmModel::firstNonFinitePrediction)
      .function("layerOutputPtr", &WasmModel::layerOutputPtr)
      .function("numWeights", &WasmModel::numWeights)
      .function("weightName", &WasmModel::weightName)
      .function("weightShapeJson", &WasmModel::weightShapeJson)
      .function("weightPtr", &WasmModel::weightPtr)
      .function("weightSize", &WasmModel::weightSize)
      .function("fitEpochMulti", &WasmModel::fitEpochMulti)
      .function("trainStepsMulti", &WasmModel::trainStepsMulti)
      .function("evaluateMulti", &WasmModel::evaluateMulti)
      .function("predictMulti", &WasmModel::predictMulti)
      .function("outputPtr", &WasmModel::outputPtr)
      .function("numInputs", &WasmModel::numInputs)
      .function("numOutputs", &WasmModel::numOutputs)
      .function("inputShapeAtJson", &WasmModel::inputShapeAtJson)
      .function("outputShapeJson", &WasmModel::outputShapeJson)
      .function("outputNamesJson", &WasmModel::outputNamesJson)
      .function("learningRate", &WasmModel::learningRate);

  class_<WasmMultiData>("MultiData")
      .constructor<>()
      .function("allocateX", &WasmMultiData::allocateX)
      .function("allocateY", &WasmMultiData::allocateY)
      .function("numX", &WasmMultiData::numX)
      .function("numY", &WasmMultiData::numY)
      .function("xPtr", &WasmMultiData::xPtr)
      .function("yPtr", &WasmMultiData::yPtr)
      .function("size", &WasmMultiData::size);

  class_<WasmPlayground>("Playground")
      .constructor<>()
      .function("configure", &WasmPlayground::configure)
      .function("train", &WasmPlayground::train, allow_raw_pointers())
      .function("test", &WasmPlayground::test, allow_raw_pointers())
      .function("grid", &WasmPlayground::grid, allow_raw_pointers())
      .function("numTrain", &WasmPlayground::numTrain)
      .function("numTest", &WasmPlayground::numTest)
      .function("pointsPtr", &WasmPlayground::pointsPtr)
      .function("labelsPtr", &WasmPlayground::labelsPtr);

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
      .function("sealDataset", &WasmSession::sealDataset)
      .function("freeDataset", &WasmSession::freeDataset)
      .function("trainSteps", &WasmSession::trainSteps)
      .function("trainEpoch", &WasmSession::trainEpoch)
      .function("evaluate", &WasmSession::evaluate)
      .function("logsJson", &WasmSession::logsJson)
      .function("setLearningRate", &WasmSession::setLearningRate)
      .function("setRegularization", &WasmSession::setRegularization)
      .function("predict", &WasmSession::predict)
      .function("predictOutput", &WasmSession::predictOutput)
      .function("inputBufferPtr", &WasmSession::inputBufferPtr)
      .function("predictInput", &WasmSession::predictInput)
      .function("predictionPtr", &WasmSession::predictionPtr)
      .function("readWeights", &WasmSession::readWeights)
      .function("weightsBufferPtr", &WasmSession::weightsBufferPtr)
      .function("writeWeights", &WasmSession::writeWeights);

  emscripten::function("simdEnabled", &simdEnabled);
  emscripten::function("inspectModel", &inspectModel);
  emscripten::function("engineTables", &engineTables);
  emscripten::function("checkLayerConfig", &checkLayerConfig);
}
