// zeroPadding2d and cropping2D (Keras / TF.js) on NHWC images [h, w, c]: rows and columns of
// zeros added on each side, or cut off each side (ops/zero_pad2d.h, ops/crop2d.h). One class: the
// two differ only in the direction. No weights. In nnplay-extra.wasm with the other image layers.
#pragma once

#include <string>
#include <vector>

#include "nn/layer.h"
#include "ops/crop2d.h"

namespace nnplay {

enum class ImageMarginKind { kZeroPadding, kCropping };

// [h ± rows, w ± columns, c]. Throws Error starting with `where` unless the input is an image
// and, when cropping, something of it is left.
Shape image_margin_output_shape(const std::vector<Shape>& inputs, ImageMarginKind kind, const ImageMargins& m,
                                const std::string& where, const std::string& input_desc);

class ImageMarginLayer : public Layer {
 public:
  ImageMarginLayer(const Shape& input_shape, ImageMarginKind kind, const ImageMargins& m);

  void forward(const PassContext& ctx, const std::vector<const float*>& inputs, float* out) override;
  void backward(const PassContext& ctx, const std::vector<const float*>& inputs, const float* out, const float* d_out,
                const std::vector<float*>& d_inputs) override;

 private:
  ImageMarginKind kind_;
  ImageMargins m_;
  int h_, w_, c_;
};

}  // namespace nnplay
