#include "nn/bidirectional_layer.h"

#include "core/check.h"
#include "core/cold.h"

namespace nnplay {

namespace {

NNPLAY_COLD RecurrentCell cell_of(const std::string& name) {
  if (name == "simpleRNN") return RecurrentCell::kSimpleRnn;
  if (name == "gru") return RecurrentCell::kGru;
  return RecurrentCell::kLstm;
}

NNPLAY_COLD RecurrentConfig backward_part(RecurrentConfig c) {
  c.go_backwards = !c.go_backwards;
  return c;
}

}  // namespace

NNPLAY_COLD BidirectionalConfig bidirectional_config_from(const Config& c) {
  BidirectionalConfig cfg;
  cfg.cell = recurrent_config_from(c, cell_of(c.string("layer")));
  const std::string& m = c.string("mergeMode");
  cfg.merge = m == "sum"   ? MergeMode::kSum
              : m == "mul" ? MergeMode::kMul
              : m == "ave" ? MergeMode::kAve
                           : MergeMode::kConcat;
  return cfg;
}

NNPLAY_COLD Shape bidirectional_output_shape(const std::vector<Shape>& inputs, const BidirectionalConfig& cfg,
                                             const std::string& where, const std::string& input_desc) {
  Shape out = recurrent_output_shape(inputs, cfg.cell, where, input_desc);
  if (cfg.merge == MergeMode::kConcat) out.back() *= 2;
  return out;
}

NNPLAY_COLD std::vector<VariableSpec> bidirectional_variables(const std::vector<Shape>& inputs,
                                                              const BidirectionalConfig& cfg) {
  std::vector<VariableSpec> all;
  const std::string cell = recurrent_type_name(cfg.cell.cell);
  for (const char* part : {"forward_", "backward_"})
    for (VariableSpec v : recurrent_variables(inputs, cfg.cell)) {
      v.suffix = part + cell + "/" + v.suffix;
      all.push_back(v);
    }
  return all;
}

NNPLAY_COLD BidirectionalLayer::BidirectionalLayer(const Shape& input_shape, const BidirectionalConfig& cfg,
                                                   std::vector<Variable> variables)
    : Layer({input_shape}, bidirectional_output_shape({input_shape}, cfg, "bidirectional", "its input")), cfg_(cfg) {
  NNPLAY_ASSERT(variables.size() % 2 == 0);
  const std::size_t half = variables.size() / 2;
  std::vector<Variable> f(variables.begin(), variables.begin() + static_cast<std::ptrdiff_t>(half));
  std::vector<Variable> b(variables.begin() + static_cast<std::ptrdiff_t>(half), variables.end());
  fwd_ = std::make_unique<RecurrentLayer>(input_shape, cfg.cell, f);
  bwd_ = std::make_unique<RecurrentLayer>(input_shape, backward_part(cfg.cell), b);
  variables_ = std::move(variables);
}

void BidirectionalLayer::forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) {
  const std::size_t n = static_cast<std::size_t>(ctx.n), part = static_cast<std::size_t>(fwd_->output_size());
  out_f_.resize(n * part);
  out_b_.resize(n * part);
  fwd_->forward(ctx, inputs, out_f_.data());
  bwd_->forward(ctx, inputs, out_b_.data());
  n_ = ctx.n;
  // rows: one per (sample, step) of the output; the backward part's step s is time steps−1−s.
  const bool seq = cfg_.cell.return_sequences;
  const std::size_t steps = seq ? static_cast<std::size_t>(fwd_->steps()) : 1;
  const std::size_t u = static_cast<std::size_t>(cfg_.cell.units);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t t = 0; t < steps; ++t) {
      const float* f = out_f_.data() + (i * steps + t) * u;
      const float* b = out_b_.data() + (i * steps + (steps - 1 - t)) * u;
      switch (cfg_.merge) {
        case MergeMode::kConcat: {
          float* o = out + (i * steps + t) * 2 * u;
          for (std::size_t j = 0; j < u; ++j) o[j] = f[j], o[u + j] = b[j];
          break;
        }
        case MergeMode::kSum:
          for (std::size_t j = 0; j < u; ++j) out[(i * steps + t) * u + j] = f[j] + b[j];
          break;
        case MergeMode::kMul:
          for (std::size_t j = 0; j < u; ++j) out[(i * steps + t) * u + j] = f[j] * b[j];
          break;
        case MergeMode::kAve:
          for (std::size_t j = 0; j < u; ++j) out[(i * steps + t) * u + j] = 0.5f * (f[j] + b[j]);
          break;
      }
    }
}

void BidirectionalLayer::backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float*,
                                  const float* d_out, const std::vector<float*>& d_inputs) {
  NNPLAY_ASSERT(ctx.n == n_);
  const std::size_t n = static_cast<std::size_t>(ctx.n), part = static_cast<std::size_t>(fwd_->output_size());
  d_f_.resize(n * part);
  d_b_.resize(n * part);
  const bool seq = cfg_.cell.return_sequences;
  const std::size_t steps = seq ? static_cast<std::size_t>(fwd_->steps()) : 1;
  const std::size_t u = static_cast<std::size_t>(cfg_.cell.units);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t t = 0; t < steps; ++t) {
      const std::size_t fi = (i * steps + t) * u, bi = (i * steps + (steps - 1 - t)) * u;
      float* df = d_f_.data() + fi;
      float* db = d_b_.data() + bi;
      const float* f = out_f_.data() + fi;
      const float* b = out_b_.data() + bi;
      switch (cfg_.merge) {
        case MergeMode::kConcat: {
          const float* g = d_out + (i * steps + t) * 2 * u;
          for (std::size_t j = 0; j < u; ++j) df[j] = g[j], db[j] = g[u + j];
          break;
        }
        case MergeMode::kSum:
          for (std::size_t j = 0; j < u; ++j) df[j] = db[j] = d_out[fi + j];
          break;
        case MergeMode::kMul:
          for (std::size_t j = 0; j < u; ++j) df[j] = d_out[fi + j] * b[j], db[j] = d_out[fi + j] * f[j];
          break;
        case MergeMode::kAve:
          for (std::size_t j = 0; j < u; ++j) df[j] = db[j] = 0.5f * d_out[fi + j];
          break;
      }
    }
  // Both parts read the same input, so both add into its gradient.
  fwd_->backward(ctx, inputs, out_f_.data(), d_f_.data(), d_inputs);
  bwd_->backward(ctx, inputs, out_b_.data(), d_b_.data(), d_inputs);
}

NNPLAY_COLD std::uint64_t BidirectionalLayer::workspace_floats_per_sample() const {
  return fwd_->workspace_floats_per_sample() + bwd_->workspace_floats_per_sample() + 4 * fwd_->output_size();
}

NNPLAY_COLD std::vector<StateInfo> BidirectionalLayer::states() const {
  std::vector<StateInfo> all;
  for (const char* part : {"forward_", "backward_"})
    for (StateInfo s : fwd_->states()) {
      s.name = part + s.name;
      all.push_back(s);
    }
  return all;
}

void BidirectionalLayer::read_state(int k, float* out) const {
  const int per_part = static_cast<int>(fwd_->states().size());
  if (k < per_part)
    fwd_->read_state(k, out);
  else
    bwd_->read_state(k - per_part, out);
}

NNPLAY_COLD std::unique_ptr<Layer> make_bidirectional_layer(const LayerArgs& args) {
  return std::make_unique<BidirectionalLayer>(args.input_shapes.at(0), bidirectional_config_from(*args.config),
                                              args.variables);
}

}  // namespace nnplay
