#include "nn/merge_layers.h"

#include <limits>

#include "core/cold.h"
#include "ops/add.h"
#include "ops/concatenate.h"

namespace nnplay {

namespace {

NNPLAY_COLD std::string shapes_to_string(const std::vector<Shape>& shapes) {
  std::string s;
  for (std::size_t i = 0; i < shapes.size(); ++i) s += (i ? ", " : "") + shape_to_string(shapes[i]);
  return s;
}

// The concatenation axis as an index into the per-sample shape (0 … rank − 1).
NNPLAY_COLD int per_sample_axis(int axis, int rank) {
  const int full = axis < 0 ? axis + rank + 1 : axis;
  return full - 1;
}

}  // namespace

NNPLAY_COLD Shape concatenate_output_shape(const std::vector<Shape>& inputs, const ConcatenateConfig& cfg) {
  NNPLAY_CHECK(inputs.size() >= 2, "concatenate needs at least 2 inputs, got " << inputs.size());
  const int rank = static_cast<int>(inputs[0].size());
  NNPLAY_CHECK(rank >= 1, "concatenate: inputs need at least one axis, got []");
  for (const Shape& s : inputs)
    NNPLAY_CHECK(static_cast<int>(s.size()) == rank,
                 "concatenate: all inputs must have the same rank, got " << shapes_to_string(inputs));
  NNPLAY_CHECK(cfg.axis != 0 && cfg.axis != -(rank + 1),
               "concatenate: axis " << cfg.axis << " is the batch axis; allowed: 1 … " << rank << " or -1 … -" << rank);
  const int a = per_sample_axis(cfg.axis, rank);
  NNPLAY_CHECK(a >= 0 && a < rank, "concatenate: axis " << cfg.axis << " is out of range for inputs of rank " << rank
                                                        << " (per sample); allowed: 1 … " << rank << " or -1 … -"
                                                        << rank);
  Shape out = inputs[0];
  std::int64_t total = 0;
  for (const Shape& s : inputs) {
    for (int d = 0; d < rank; ++d)
      NNPLAY_CHECK(d == a || s[d] == out[d], "concatenate: inputs must match on every axis but axis "
                                                 << cfg.axis << ", got " << shapes_to_string(inputs));
    total += s[a];
  }
  NNPLAY_CHECK(total <= std::numeric_limits<int>::max(), "concatenate: the joined axis would have "
                                                             << total << " entries, more than "
                                                             << std::numeric_limits<int>::max());
  out[a] = static_cast<int>(total);
  return out;
}

NNPLAY_COLD Shape add_output_shape(const std::vector<Shape>& inputs, const AddConfig&) {
  NNPLAY_CHECK(inputs.size() >= 2, "add needs at least 2 inputs, got " << inputs.size());
  for (const Shape& s : inputs)
    NNPLAY_CHECK(s == inputs[0],
                 "add: all inputs must have the same shape (no broadcasting), got " << shapes_to_string(inputs));
  return inputs[0];
}

NNPLAY_COLD ConcatenateLayer::ConcatenateLayer(const std::vector<Shape>& input_shapes, ConcatenateConfig cfg,
                                               const std::string& name)
    : Layer(input_shapes, concatenate_output_shape(input_shapes, cfg)), name_(name), cfg_(cfg) {
  const int rank = static_cast<int>(input_shapes[0].size());
  const int a = per_sample_axis(cfg.axis, rank);
  outer_per_sample_ = 1;
  for (int d = 0; d < a; ++d) outer_per_sample_ *= input_shapes[0][d];
  for (const Shape& s : input_shapes) {
    std::int64_t chunk = 1;
    for (int d = a; d < rank; ++d) chunk *= s[d];
    chunks_.push_back(chunk);
  }
}

void ConcatenateLayer::forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) {
  NNPLAY_ASSERT(inputs.size() == chunks_.size() && ctx.n >= 0);
  concatenate_forward(out, inputs, chunks_, ctx.n * outer_per_sample_);
}

void ConcatenateLayer::backward(const PassContext& ctx, const std::vector<const float*>&, const float*,
                                const float* d_out, const std::vector<float*>& d_inputs) {
  NNPLAY_ASSERT(d_inputs.size() == chunks_.size());
  concatenate_backward(d_inputs, d_out, chunks_, ctx.n * outer_per_sample_);
}

NNPLAY_COLD AddLayer::AddLayer(const std::vector<Shape>& input_shapes, AddConfig cfg, const std::string& name)
    : Layer(input_shapes, add_output_shape(input_shapes, cfg)), name_(name) {}

void AddLayer::forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) {
  NNPLAY_ASSERT(static_cast<int>(inputs.size()) == num_inputs() && ctx.n >= 0);
  add_forward(out, inputs, static_cast<std::uint64_t>(ctx.n) * output_size());
}

void AddLayer::backward(const PassContext& ctx, const std::vector<const float*>&, const float*, const float* d_out,
                        const std::vector<float*>& d_inputs) {
  NNPLAY_ASSERT(static_cast<int>(d_inputs.size()) == num_inputs());
  add_backward(d_inputs, d_out, static_cast<std::uint64_t>(ctx.n) * output_size());
}

}  // namespace nnplay
