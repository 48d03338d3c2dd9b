#include "nn/image_margin_layers.h"

#include "core/check.h"
#include "core/cold.h"
#include "ops/zero_pad2d.h"

namespace nnplay {

NNPLAY_COLD Shape image_margin_output_shape(const std::vector<Shape>& inputs, ImageMarginKind kind,
                                            const ImageMargins& m, const std::string& where,
                                            const std::string& input_desc) {
  NNPLAY_CHECK(inputs.size() == 1, where << " takes exactly 1 input, got " << inputs.size());
  const Shape& in = inputs[0];
  NNPLAY_CHECK(in.size() == 3, where << " needs an image input [height, width, channels] per sample, but " << input_desc
                                     << " is " << shape_to_string(in));
  const std::int64_t rows = static_cast<std::int64_t>(m.top) + m.bottom,
                     columns = static_cast<std::int64_t>(m.left) + m.right;
  if (kind == ImageMarginKind::kZeroPadding) {
    const std::int64_t oh = in[0] + rows, ow = in[1] + columns;
    NNPLAY_CHECK(oh <= (1 << 20) && ow <= (1 << 20),
                 where << ": the padded image " << oh << " x " << ow << " is larger than 2^20 on a side");
    return {static_cast<int>(oh), static_cast<int>(ow), in[2]};
  }
  NNPLAY_CHECK(rows < in[0] && columns < in[1], where << ": cropping " << m.top << " + " << m.bottom << " rows and "
                                                      << m.left << " + " << m.right << " columns from " << input_desc
                                                      << " " << shape_to_string(in)
                                                      << " leaves nothing; each side's total must be smaller than "
                                                         "the image");
  return {static_cast<int>(in[0] - rows), static_cast<int>(in[1] - columns), in[2]};
}

NNPLAY_COLD ImageMarginLayer::ImageMarginLayer(const Shape& input_shape, ImageMarginKind kind, const ImageMargins& m)
    : Layer({input_shape}, image_margin_output_shape({input_shape}, kind, m, "image margins", "the input")),
      kind_(kind),
      m_(m),
      h_(input_shape.at(0)),
      w_(input_shape.at(1)),
      c_(input_shape.at(2)) {}

void ImageMarginLayer::forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) {
  NNPLAY_ASSERT(inputs.size() == 1 && ctx.n >= 0);
  if (kind_ == ImageMarginKind::kZeroPadding)
    zero_pad2d_forward(out, inputs[0], ctx.n, h_, w_, c_, m_);
  else
    crop2d_forward(out, inputs[0], ctx.n, h_, w_, c_, m_);
}

void ImageMarginLayer::backward(const PassContext& ctx, const std::vector<const float*>&, const float*,
                                const float* d_out, const std::vector<float*>& d_inputs) {
  NNPLAY_ASSERT(d_inputs.size() == 1);
  if (!d_inputs[0]) return;
  if (kind_ == ImageMarginKind::kZeroPadding)
    zero_pad2d_backward(d_inputs[0], d_out, ctx.n, h_, w_, c_, m_);
  else
    crop2d_backward(d_inputs[0], d_out, ctx.n, h_, w_, c_, m_);
}

}  // namespace nnplay
