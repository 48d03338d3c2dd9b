// Image layers: conv2d (im2col + GEMM), max pooling and flatten.
//
//  - geometry as TensorFlow computes it (valid / same, the padding split), shape inference and
//    layer names through a whole model;
//  - forward cases worked out by hand, and conv2d_forward against a direct six-loop convolution
//    written here independently of im2col;
//  - im2col / col2im as adjoints (<col2im(y), x> = <y, im2col(x)>);
//  - finite-difference gradient checks in double for conv2d (input, kernel, bias) with valid and
//    same padding, strides 1 and 2, several channel counts; max pooling (ties: first maximum, as
//    TF); a whole CNN end to end;
//  - the chunked path of a conv layer (a batch whose im2col exceeds the budget) against one call;
//  - spec errors; a small CNN learning horizontal vs vertical bars; determinism.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include "chain.h"
#include "core/rng.h"
#include "kernels/im2col.h"
#include "nn/conv2d_layer.h"
#include "nn/layer.h"
#include "nn/registry.h"
#include "ops/conv2d.h"
#include "ops/max_pool2d.h"
#include "test_util.h"
#include "train/trainer.h"

namespace nnplay {
namespace {

using test::gradients_match;
using test::numeric_gradient;
using test::project;
using test::random_vector;

// A direct convolution, written without im2col: the independent reference for conv2d_forward.
std::vector<float> direct_conv(const std::vector<float>& in, const std::vector<float>& w, const std::vector<float>& b,
                               const ConvGeometry& g, int filters, int n) {
  std::vector<float> out(static_cast<std::size_t>(n) * g.oh * g.ow * filters);
  for (int s = 0; s < n; ++s)
    for (int oy = 0; oy < g.oh; ++oy)
      for (int ox = 0; ox < g.ow; ++ox)
        for (int f = 0; f < filters; ++f) {
          double acc = b.empty() ? 0.0 : b[static_cast<std::size_t>(f)];
          for (int ky = 0; ky < g.kh; ++ky)
            for (int kx = 0; kx < g.kw; ++kx)
              for (int c = 0; c < g.c; ++c) {
                const int y = oy * g.sh - g.pad_top + ky, x = ox * g.sw - g.pad_left + kx;
                if (y < 0 || y >= g.h || x < 0 || x >= g.w) continue;
                acc += static_cast<double>(in[static_cast<std::size_t>(((s * g.h + y) * g.w + x) * g.c + c)]) *
                       w[static_cast<std::size_t>(((ky * g.kw + kx) * g.c + c) * filters + f)];
              }
          out[static_cast<std::size_t>(((s * g.oh + oy) * g.ow + ox) * filters + f)] = static_cast<float>(acc);
        }
  return out;
}

struct ConvCase {
  int h, w, c, kh, kw, sh, sw;
  bool same;
  int filters, n;
};

const std::vector<ConvCase>& conv_cases() {
  static const std::vector<ConvCase> cases = {
      {5, 5, 1, 3, 3, 1, 1, false, 2, 2},  // valid, stride 1, one channel
      {5, 6, 3, 3, 2, 1, 1, true, 4, 2},   // same, stride 1, rectangular kernel and image
      {7, 7, 2, 3, 3, 2, 2, false, 3, 1},  // valid, stride 2
      {6, 5, 2, 3, 3, 2, 2, true, 2, 2},   // same, stride 2, uneven padding split
      {4, 4, 3, 1, 1, 1, 1, false, 2, 1},  // 1x1 kernel
      {6, 7, 4, 2, 3, 2, 1, true, 3, 2},   // mixed strides
  };
  return cases;
}

// ---- Geometry ------------------------------------------------------------------------------

TEST(ConvGeometry, OutputSizesAndPaddingSplitAsTensorFlow) {
  EXPECT_EQ(conv_output_length(28, 3, 1, false), 26);
  EXPECT_EQ(conv_output_length(28, 3, 2, false), 13);
  EXPECT_EQ(conv_output_length(28, 3, 2, true), 14);
  EXPECT_EQ(conv_output_length(2, 3, 1, false), 0);
  EXPECT_EQ(conv_output_length(2, 3, 1, true), 2);
  // H=5, k=3, s=2, same: out 3, total padding 2·2+3−5 = 2 -> 1 top, 1 bottom.
  ConvGeometry a = make_conv_geometry(5, 5, 1, 3, 3, 2, 2, true);
  EXPECT_EQ(a.oh, 3);
  EXPECT_EQ(a.pad_top, 1);
  // H=4, k=3, s=2, same: out 2, total 1 -> 0 top, the extra row at the bottom.
  ConvGeometry b = make_conv_geometry(4, 6, 1, 3, 4, 2, 1, true);
  EXPECT_EQ(b.oh, 2);
  EXPECT_EQ(b.pad_top, 0);
  EXPECT_EQ(b.ow, 6);
  EXPECT_EQ(b.pad_left, 1);  // total 3 -> 1 left, 2 right
  ConvGeometry v = make_conv_geometry(5, 5, 1, 3, 3, 1, 1, false);
  EXPECT_EQ(v.pad_top, 0);
  EXPECT_EQ(v.pad_left, 0);
  EXPECT_EQ(v.patch(), 9);
}

// ---- Forward, by hand and against a direct convolution ---------------------------------------

TEST(Conv2dForward, HandComputedThreeByThreeWithTwoByTwoKernel) {
  const std::vector<float> in = {1, 2, 3, 4, 5, 6, 7, 8, 9};  // [1, 3, 3, 1]
  const std::vector<float> w = {1, 2, 3, 4};                  // [2, 2, 1, 1]
  const float bias = 0.5f;
  ConvGeometry valid = make_conv_geometry(3, 3, 1, 2, 2, 1, 1, false);
  std::vector<float> out(4), col(4 * 4);
  conv2d_forward(out.data(), col.data(), in.data(), w.data(), &bias, valid, 1, 1);
  // (0,0): 1·1 + 2·2 + 4·3 + 5·4 = 37; (0,1): 2+6+15+24 = 47; (1,0): 4+10+21+32 = 67; (1,1): 77.
  EXPECT_EQ(out, (std::vector<float>{37.5f, 47.5f, 67.5f, 77.5f}));

  // same: 3x3 output, total padding 1 -> all of it at the bottom and right.
  ConvGeometry same = make_conv_geometry(3, 3, 1, 2, 2, 1, 1, true);
  std::vector<float> out3(9), col3(9 * 4);
  conv2d_forward(out3.data(), col3.data(), in.data(), w.data(), nullptr, same, 1, 1);
  EXPECT_EQ(out3, (std::vector<float>{37, 47, 3 + 18, 67, 77, 6 + 27, 7 + 16, 8 + 18, 9}));

  // stride 2, valid, 2 filters: one window at (0,0); filter 1 is the kernel negated.
  const std::vector<float> w2 = {1, -1, 2, -2, 3, -3, 4, -4};  // [2, 2, 1, 2]
  ConvGeometry s2 = make_conv_geometry(3, 3, 1, 2, 2, 2, 2, false);
  std::vector<float> out2(2), col2(4);
  conv2d_forward(out2.data(), col2.data(), in.data(), w2.data(), nullptr, s2, 2, 1);
  EXPECT_EQ(out2, (std::vector<float>{37, -37}));
}

TEST(Conv2dForward, MatchesDirectConvolution) {
  std::uint64_t seed = 100;
  for (const ConvCase& k : conv_cases()) {
    ConvGeometry g = make_conv_geometry(k.h, k.w, k.c, k.kh, k.kw, k.sh, k.sw, k.same);
    const auto in = random_vector(static_cast<std::size_t>(k.n) * k.h * k.w * k.c, ++seed);
    const auto w = random_vector(static_cast<std::size_t>(g.patch()) * k.filters, ++seed);
    const auto b = random_vector(static_cast<std::size_t>(k.filters), ++seed);
    std::vector<float> out(static_cast<std::size_t>(k.n) * g.out_pixels() * k.filters, NAN);
    std::vector<float> col(static_cast<std::size_t>(k.n) * g.out_pixels() * g.patch(), NAN);
    conv2d_forward(out.data(), col.data(), in.data(), w.data(), b.data(), g, k.filters, k.n);
    EXPECT_TRUE(test::expect_near_all(out, direct_conv(in, w, b, g, k.filters, k.n), 1e-5, 1e-5))
        << k.h << "x" << k.w << "x" << k.c << " kernel " << k.kh << "x" << k.kw << " strides " << k.sh << "," << k.sw
        << (k.same ? " same" : " valid");
  }
}

TEST(Im2col, Col2imIsItsAdjoint) {
  std::uint64_t seed = 200;
  for (const ConvCase& k : conv_cases()) {
    ConvGeometry g = make_conv_geometry(k.h, k.w, k.c, k.kh, k.kw, k.sh, k.sw, k.same);
    const std::size_t image = static_cast<std::size_t>(k.n) * k.h * k.w * k.c;
    const std::size_t cols = static_cast<std::size_t>(k.n) * g.out_pixels() * g.patch();
    const auto x = random_vector(image, ++seed);
    const auto y = random_vector(cols, ++seed);
    std::vector<float> col(cols), back(image, 0.0f);
    im2col(col.data(), x.data(), g, k.n);
    col2im(back.data(), y.data(), g, k.n);
    double lhs = 0, rhs = 0;
    for (std::size_t i = 0; i < cols; ++i) lhs += static_cast<double>(y[i]) * col[i];
    for (std::size_t i = 0; i < image; ++i) rhs += static_cast<double>(x[i]) * back[i];
    EXPECT_NEAR(lhs, rhs, 1e-4 * (1 + std::fabs(lhs)));
  }
  // col2im accumulates: running it twice doubles.
  ConvGeometry g = make_conv_geometry(3, 3, 1, 2, 2, 1, 1, false);
  std::vector<float> ones(16, 1.0f), acc(9, 0.0f);
  col2im(acc.data(), ones.data(), g, 1);
  col2im(acc.data(), ones.data(), g, 1);
  // How many 2x2 windows cover each pixel of a 3x3 image, times two.
  EXPECT_EQ(acc, (std::vector<float>{2, 4, 2, 4, 8, 4, 2, 4, 2}));
}

TEST(Im2col, MatchesItsReferenceBitForBit) {
  // Channels 1..9 and kernel widths 1..5 give runs (kw·c floats) of every length mod the vector
  // width, split by padding on either side ("same", strides 1 and 2) or not at all ("valid").
  std::uint64_t seed = 300;
  for (int c = 1; c <= 9; ++c)
    for (int kw = 1; kw <= 5; ++kw)
      for (int s = 1; s <= 2; ++s)
        for (bool same : {false, true}) {
          const int h = 7, w = 6, kh = 3, n = 2;
          ConvGeometry g = make_conv_geometry(h, w, c, kh, kw, s, s, same);
          if (g.oh <= 0 || g.ow <= 0) continue;
          SCOPED_TRACE("c=" + std::to_string(c) + " kw=" + std::to_string(kw) + " stride=" + std::to_string(s) +
                       (same ? " same" : " valid"));
          const std::size_t image = static_cast<std::size_t>(n) * h * w * c;
          const std::size_t cols = static_cast<std::size_t>(n) * g.out_pixels() * g.patch();
          const auto x = random_vector(image, ++seed);
          std::vector<float> col(cols, NAN), col_ref(cols, NAN);
          im2col(col.data(), x.data(), g, n);
          im2col_ref(col_ref.data(), x.data(), g, n);
          EXPECT_EQ(col, col_ref);
          // col2im accumulates onto what d_in holds: start both from the same random image.
          const auto y = random_vector(cols, ++seed);
          std::vector<float> back = random_vector(image, ++seed), back_ref = back;
          col2im(back.data(), y.data(), g, n);
          col2im_ref(back_ref.data(), y.data(), g, n);
          EXPECT_EQ(back, back_ref);
        }
}

// ---- Gradient checks -----------------------------------------------------------------------

TEST(Conv2dGradcheck, InputKernelBias) {
  std::uint64_t seed = 300;
  for (const ConvCase& k : conv_cases()) {
    SCOPED_TRACE(::testing::Message() << k.h << "x" << k.w << "x" << k.c << " kernel " << k.kh << "x" << k.kw
                                      << " strides " << k.sh << "," << k.sw << (k.same ? " same" : " valid"));
    ConvGeometry g = make_conv_geometry(k.h, k.w, k.c, k.kh, k.kw, k.sh, k.sw, k.same);
    const std::size_t out_n = static_cast<std::size_t>(k.n) * g.out_pixels() * k.filters;
    const std::size_t cols = static_cast<std::size_t>(k.n) * g.out_pixels() * g.patch();
    auto in = random_vector(static_cast<std::size_t>(k.n) * k.h * k.w * k.c, ++seed);
    auto w = random_vector(static_cast<std::size_t>(g.patch()) * k.filters, ++seed);
    auto b = random_vector(static_cast<std::size_t>(k.filters), ++seed);
    const auto r = random_vector(out_n, ++seed);
    std::vector<float> out(out_n), col(cols), d_col(cols, NAN);
    auto loss = [&] {
      conv2d_forward(out.data(), col.data(), in.data(), w.data(), b.data(), g, k.filters, k.n);
      return project(out.data(), r);
    };
    loss();
    // Non-zero starting gradients: backward must add to them, not overwrite.
    std::vector<float> d_in(in.size(), 0.25f), d_w(w.size(), -0.5f), d_b(b.size(), 1.0f);
    conv2d_backward(d_in.data(), d_w.data(), d_b.data(), d_col.data(), r.data(), col.data(), w.data(), g, k.filters,
                    k.n);
    for (float& v : d_in) v -= 0.25f;
    for (float& v : d_w) v += 0.5f;
    for (float& v : d_b) v -= 1.0f;
    EXPECT_TRUE(gradients_match(d_in.data(), numeric_gradient(in.data(), in.size(), 1e-2, loss), 1e-3, 2e-3));
    EXPECT_TRUE(gradients_match(d_w.data(), numeric_gradient(w.data(), w.size(), 1e-2, loss), 1e-3, 2e-3));
    EXPECT_TRUE(gradients_match(d_b.data(), numeric_gradient(b.data(), b.size(), 1e-2, loss), 1e-3, 2e-3));
  }
}

TEST(MaxPool2d, HandComputedAndSamePaddingIgnoresThePad) {
  // [1, 4, 4, 1], pool 2, strides 2.
  const std::vector<float> in = {1, 3, 2, 0, 4, 2, 1, 5, -1, -2, 7, 7, -3, -4, 6, 8};
  ConvGeometry g = make_conv_geometry(4, 4, 1, 2, 2, 2, 2, false);
  std::vector<float> out(4);
  std::vector<std::int32_t> arg(4);
  max_pool2d_forward(out.data(), arg.data(), in.data(), g, 1);
  EXPECT_EQ(out, (std::vector<float>{4, 5, -1, 8}));
  EXPECT_EQ(arg, (std::vector<std::int32_t>{4, 7, 8, 15}));

  // 3x3 of negatives, pool 2 stride 2 same: 2x2 output, windows clipped at the bottom/right.
  // A pad that counted as 0 would win every clipped window.
  const std::vector<float> neg = {-9, -8, -7, -6, -5, -4, -3, -2, -1};
  ConvGeometry s = make_conv_geometry(3, 3, 1, 2, 2, 2, 2, true);
  ASSERT_EQ(s.oh, 2);
  ASSERT_EQ(s.pad_top, 0);
  std::vector<float> o2(4);
  std::vector<std::int32_t> a2(4);
  max_pool2d_forward(o2.data(), a2.data(), neg.data(), s, 1);
  EXPECT_EQ(o2, (std::vector<float>{-5, -4, -2, -1}));
}

TEST(MaxPool2d, TiesGoToTheFirstMaximumAsTensorFlow) {
  // Two channels; channel 0 ties everywhere in the window, channel 1 ties on its last two.
  const std::vector<float> in = {5, 0, 5, 1, 5, 2, 5, 2};  // [1, 2, 2, 2]
  ConvGeometry g = make_conv_geometry(2, 2, 2, 2, 2, 2, 2, false);
  std::vector<float> out(2);
  std::vector<std::int32_t> arg(2);
  max_pool2d_forward(out.data(), arg.data(), in.data(), g, 1);
  EXPECT_EQ(out, (std::vector<float>{5, 2}));
  EXPECT_EQ(arg, (std::vector<std::int32_t>{0, 5}));  // (0,0) ch0 and (1,0) ch1: window order
  std::vector<float> d_in(8, 0.0f);
  const std::vector<float> d_out = {10, 20};
  max_pool2d_backward(d_in.data(), d_out.data(), arg.data(), g, 1);
  EXPECT_EQ(d_in, (std::vector<float>{10, 0, 0, 0, 0, 20, 0, 0}));
}

TEST(MaxPool2d, MatchesItsReferenceOnEveryChannelCount) {
  // Channels 1..9 (whole vectors and every tail), valid and same, overlapping and not; values
  // drawn from a few levels so windows tie often, and some NaNs (first in a window or not).
  std::uint64_t seed = 600;
  for (int c = 1; c <= 9; ++c)
    for (int k = 2; k <= 3; ++k)
      for (int s = 1; s <= 3; ++s)
        for (bool same : {false, true}) {
          const int h = 7, w = 8, n = 2;
          ConvGeometry g = make_conv_geometry(h, w, c, k, k, s, s, same);
          SCOPED_TRACE("c=" + std::to_string(c) + " pool=" + std::to_string(k) + " stride=" + std::to_string(s) +
                       (same ? " same" : " valid"));
          const std::size_t size = static_cast<std::size_t>(n) * h * w * c;
          std::vector<float> in = random_vector(size, ++seed);
          for (std::size_t i = 0; i < size; ++i) in[i] = std::round(in[i] * 2.0f);
          for (std::size_t i = 5; i < size; i += 37) in[i] = NAN;
          const std::size_t out_n = static_cast<std::size_t>(n) * g.out_pixels() * c;
          std::vector<float> out(out_n), out_ref(out_n);
          std::vector<std::int32_t> arg(out_n, -1), arg_ref(out_n, -2);
          max_pool2d_forward(out.data(), arg.data(), in.data(), g, n);
          max_pool2d_forward_ref(out_ref.data(), arg_ref.data(), in.data(), g, n);
          EXPECT_EQ(arg, arg_ref);
          for (std::size_t i = 0; i < out_n; ++i)
            ASSERT_TRUE(out[i] == out_ref[i] || (std::isnan(out[i]) && std::isnan(out_ref[i]))) << "output " << i;
        }
}

TEST(MaxPool2d, BackwardWriteIsAccumulateIntoZero) {
  // Writing over garbage (NaN) gives the bits accumulating into zeros gives, for overlapping
  // windows (routes that add up), tiling ones (stride = pool), gaps (stride > pool), uncovered
  // borders, clipped "same" windows and every channel count.
  for (int c = 1; c <= 5; ++c)
    for (int k = 2; k <= 3; ++k)
      for (int s = 1; s <= 4; ++s)
        for (bool same : {false, true}) {
          const int h = 7, w = 8, n = 3;
          const ConvGeometry g = make_conv_geometry(h, w, c, k, k, s, s, same);
          SCOPED_TRACE("c=" + std::to_string(c) + " pool=" + std::to_string(k) + " stride=" + std::to_string(s) +
                       (same ? " same" : " valid"));
          const std::size_t size = static_cast<std::size_t>(n) * h * w * c;
          const std::vector<float> in = random_vector(size, 700 + static_cast<std::uint64_t>(c * 10 + k + s));
          const std::size_t out_n = static_cast<std::size_t>(n) * g.out_pixels() * c;
          std::vector<float> out(out_n);
          std::vector<std::int32_t> arg(out_n);
          max_pool2d_forward(out.data(), arg.data(), in.data(), g, n);
          std::vector<float> d_out = random_vector(out_n, 800);
          d_out[0] = -0.0f;
          std::vector<float> acc(size, 0.0f), written(size, NAN);
          max_pool2d_backward(acc.data(), d_out.data(), arg.data(), g, n);
          max_pool2d_backward_write(written.data(), d_out.data(), arg.data(), g, n);
          EXPECT_EQ(0, std::memcmp(acc.data(), written.data(), size * sizeof(float)));
        }
}

TEST(MaxPool2d, Gradcheck) {
  // Distinct values at least 0.01 apart, so a step of 1e-3 never changes a window's winner.
  struct Case {
    int h, w, c, k, s;
    bool same;
    int n;
  };
  for (const Case& k : std::vector<Case>{
           {4, 4, 2, 2, 2, false, 2}, {5, 5, 3, 2, 2, true, 1}, {5, 6, 2, 3, 1, false, 1}, {7, 5, 1, 3, 2, true, 2}}) {
    ConvGeometry g = make_conv_geometry(k.h, k.w, k.c, k.k, k.k, k.s, k.s, k.same);
    const std::size_t size = static_cast<std::size_t>(k.n) * k.h * k.w * k.c;
    std::vector<float> in(size);
    Rng rng(400 + static_cast<std::uint64_t>(size));
    for (std::size_t i = 0; i < size; ++i) in[i] = 0.01f * static_cast<float>(i) - 1.0f;
    for (std::size_t i = size - 1; i > 0; --i) std::swap(in[i], in[static_cast<std::size_t>(rng.uniform() * i)]);
    const std::size_t out_n = static_cast<std::size_t>(k.n) * g.out_pixels() * k.c;
    const auto r = random_vector(out_n, 500 + size);
    std::vector<float> out(out_n);
    std::vector<std::int32_t> arg(out_n);
    auto loss = [&] {
      max_pool2d_forward(out.data(), arg.data(), in.data(), g, k.n);
      return project(out.data(), r);
    };
    loss();
    std::vector<float> d_in(size, 0.0f);
    max_pool2d_backward(d_in.data(), r.data(), arg.data(), g, k.n);
    EXPECT_TRUE(gradients_match(d_in.data(), numeric_gradient(in.data(), size, 1e-3, loss), 1e-3, 1e-3))
        << k.h << "x" << k.w << "x" << k.c << " pool " << k.k << " stride " << k.s;
  }
}

// ---- Models --------------------------------------------------------------------------------

const char* kMnistSpec =
    R"({"inputShape":[28,28,1],"seed":7,"layers":[
         {"type":"conv2d","filters":8,"kernelSize":3,"activation":"relu"},
         {"type":"maxPooling2d","poolSize":2},
         {"type":"flatten"},
         {"type":"dense","units":10,"activation":"softmax"}]})";

TEST(ConvModel, ShapesNamesAndParams) {
  GraphSpec spec = parse_graph_spec(kMnistSpec);
  EXPECT_EQ(layer_output_shapes(spec), (std::vector<Shape>{{26, 26, 8}, {13, 13, 8}, {1352}, {10}}));
  Sequential m(spec);
  EXPECT_EQ(m.input_shape(), (Shape{28, 28, 1}));
  EXPECT_EQ(m.input_size(), 784);
  EXPECT_EQ(m.output_size(), 10);
  EXPECT_STREQ(m.layer(0).type(), "conv2d");
  EXPECT_STREQ(m.layer(1).type(), "maxPooling2d");
  EXPECT_STREQ(m.layer(2).type(), "flatten");
  EXPECT_STREQ(m.layer(3).type(), "dense");
  EXPECT_EQ(m.layer(0).output_shape(), (Shape{26, 26, 8}));
  EXPECT_EQ(m.layer(1).output_size(), 13 * 13 * 8);
  ASSERT_EQ(m.params().size(), 4u);
  EXPECT_EQ(m.params()[0].name, "conv2d_1/kernel");
  EXPECT_EQ(m.params()[0].value->shape(), (Shape{3, 3, 1, 8}));
  EXPECT_EQ(m.params()[1].name, "conv2d_1/bias");
  EXPECT_EQ(m.params()[1].value->shape(), (Shape{8}));
  EXPECT_EQ(m.params()[2].name, "dense_4/kernel");
  EXPECT_EQ(m.params()[2].value->shape(), (Shape{1352, 10}));
  EXPECT_EQ(m.params()[3].name, "dense_4/bias");
  // glorotUniform with TF.js fans for a conv kernel: fan_in 9, fan_out 72 -> limit sqrt(6/81).
  const float limit = std::sqrt(6.0f / 81.0f);
  float max_abs = 0.0f;
  for (std::size_t i = 0; i < m.params()[0].value->size(); ++i)
    max_abs = std::max(max_abs, std::fabs((*m.params()[0].value)[i]));
  EXPECT_LE(max_abs, limit);
  EXPECT_GT(max_abs, 0.5f * limit);

  // same padding and strides, rectangular kernel, pool strides defaulting to the pool size
  GraphSpec s2 = parse_graph_spec(
      R"({"inputShape":[28,27,3],"layers":[
           {"type":"conv2d","filters":4,"kernelSize":[3,2],"strides":[2,1],"padding":"same"},
           {"type":"maxPooling2d","poolSize":[2,3],"strides":null,"padding":"same"},
           {"type":"maxPooling2d","poolSize":2,"strides":1},
           {"type":"flatten"}]})");
  EXPECT_EQ(s2.layers[1].config.pair("kernelSize")[0], 3);  // layers[0] is the input
  EXPECT_EQ(s2.layers[1].config.pair("kernelSize")[1], 2);
  EXPECT_EQ(layer_output_shapes(s2), (std::vector<Shape>{{14, 27, 4}, {7, 9, 4}, {6, 8, 4}, {192}}));
  Sequential m2(s2);
  EXPECT_EQ(m2.params()[0].value->shape(), (Shape{3, 2, 3, 4}));
  EXPECT_EQ(m2.params().size(), 2u);
}

TEST(ConvModel, FlattenIsNhwcOrderAndPassesGradientsThrough) {
  GraphSpec spec = parse_graph_spec(R"({"inputShape":[2,2,3],"layers":[{"type":"flatten"}]})");
  Sequential m(spec);
  const auto x = random_vector(2 * 12, 1);
  const Tensor& y = m.forward(x.data(), 2);
  EXPECT_TRUE(test::expect_near_all(y.data(), x.data(), 24, 0, 0));
  EXPECT_EQ(m.layer(0).output_shape(), (Shape{12}));
  std::vector<float> d_in(24, 1.0f);
  const auto d_out = random_vector(24, 2);
  BuiltLayer flatten = build_layer("flatten", "{}", {{2, 2, 3}});
  flatten.layer->backward(PassContext{false, nullptr, 2}, {x.data()}, y.data(), d_out.data(), {d_in.data()});
  for (std::size_t i = 0; i < 24; ++i) EXPECT_EQ(d_in[i], 1.0f + d_out[i]);
}

TEST(ConvModel, SpecErrors) {
  auto model = [](const std::string& input, const std::string& layers) {
    return parse_graph_spec(R"({"inputShape":)" + input + R"(,"layers":[)" + layers + "]}");
  };
  EXPECT_ERROR_CONTAINS(model("[3,3,1]", R"({"type":"conv2d","filters":2,"kernelSize":5})"), "layer 0 (conv2d)",
                        "kernelSize [5, 5] is larger than its input [3, 3, 1]", "padding \"same\"");
  EXPECT_NO_THROW(model("[3,3,1]", R"({"type":"conv2d","filters":2,"kernelSize":5,"padding":"same"})"));
  EXPECT_ERROR_CONTAINS(model("[3,3,1]", R"({"type":"maxPooling2d","poolSize":[4,1]})"), "poolSize [4, 1]",
                        "larger than its input");
  EXPECT_ERROR_CONTAINS(model("[8,8,1]", R"({"type":"conv2d","filters":2,"kernelSize":3,"padding":"full"})"),
                        "unknown padding \"full\"", "valid, same");
  EXPECT_ERROR_CONTAINS(model("[8,8,1]", R"({"type":"conv2d","filters":0,"kernelSize":3})"), "filters", "from 1 to",
                        "got 0");
  EXPECT_ERROR_CONTAINS(model("[8,8,1]", R"({"type":"conv2d","kernelSize":3})"), "missing \"filters\"");
  EXPECT_ERROR_CONTAINS(model("[8,8,1]", R"({"type":"conv2d","filters":2})"), "missing \"kernelSize\"");
  EXPECT_ERROR_CONTAINS(model("[8,8,1]", R"({"type":"conv2d","filters":2,"kernelSize":[3,3,3]})"), "kernelSize",
                        "array of two integers");
  EXPECT_ERROR_CONTAINS(model("[8,8,1]", R"({"type":"conv2d","filters":2,"kernelSize":0})"), "kernelSize", "from 1");
  EXPECT_ERROR_CONTAINS(model("[8,8,1]", R"({"type":"conv2d","filters":2,"kernelSize":3,"strides":[1,0]})"), "strides",
                        "from 1");
  EXPECT_ERROR_CONTAINS(model("[8,8,1]", R"({"type":"conv2d","filters":2,"kernelSize":3,"units":4})"),
                        "unknown field \"units\"", "filters");
  EXPECT_ERROR_CONTAINS(model("[8,8,1]", R"({"type":"conv2d","filters":2,"kernelSize":3,"activation":"swoosh"})"),
                        "unknown activation \"swoosh\"");
  EXPECT_ERROR_CONTAINS(model("[8,8,1]", R"({"type":"maxPooling2d","activation":"relu"})"),
                        "unknown field \"activation\"");
  // rank mismatches
  EXPECT_ERROR_CONTAINS(model("[784]", R"({"type":"conv2d","filters":2,"kernelSize":3})"),
                        "layer 0 (conv2d) needs an image input [height, width, channels]", "the model input is [784]");
  EXPECT_ERROR_CONTAINS(model("[8,8]", R"({"type":"maxPooling2d"})"), "needs an image input", "[8, 8]");
  // Dense works on the last axis of any rank, as Keras: [6, 6, 2] -> [6, 6, 5].
  EXPECT_EQ(layer_output_shapes(
                model("[8,8,1]", R"({"type":"conv2d","filters":2,"kernelSize":3},{"type":"dense","units":5})")),
            (std::vector<Shape>{{6, 6, 2}, {6, 6, 5}}));
  EXPECT_EQ(layer_output_shapes(model("[8,8,1]", R"({"type":"dense","units":2})")), (std::vector<Shape>{{8, 8, 2}}));
  EXPECT_ERROR_CONTAINS(model("[4]", R"({"type":"dense","units":2},{"type":"conv2d","filters":2,"kernelSize":1})"),
                        "layer 1 (conv2d) needs an image input", "layer 0 (dense)", "[2]");
  // Flatten of any rank.
  EXPECT_EQ(layer_output_shapes(model("[2,2,2,2]", R"({"type":"flatten"})")), (std::vector<Shape>{{16}}));
  EXPECT_NO_THROW(model("[8,8]", R"({"type":"flatten"},{"type":"dense","units":2})"));
  // A spec built in code cannot give a pooling layer an activation it would ignore.
  ModelSpec direct;
  direct.input_shape = {4, 4, 1};
  LayerSpec pool;
  pool.type = "maxPooling2d";
  pool.kernel_h = pool.kernel_w = 2;
  pool.activation = "relu";
  direct.layers = {pool};
  EXPECT_ERROR_CONTAINS(Sequential{direct}, "layer 0 (maxPooling2d)", "unknown field \"activation\"");
  // Categorical losses need a flat output; mean squared error works on any output.
  GraphSpec image_out = model("[6,6,1]", R"({"type":"conv2d","filters":3,"kernelSize":3,"activation":"softmax"})");
  CompileSpec c;
  c.loss = "categoricalCrossentropy";
  EXPECT_ERROR_CONTAINS(validate_loss_for_graph(Graph(image_out), c), "needs a flat model output", "[4, 4, 3]",
                        "flatten and a dense layer");
  c.loss = "meanSquaredError";
  EXPECT_NO_THROW(validate_loss_for_graph(Graph(image_out), c));
}

TEST(ConvModel, SoftmaxOnAConvRunsAlongChannels) {
  GraphSpec spec = parse_graph_spec(
      R"({"inputShape":[4,4,2],"seed":3,"layers":[{"type":"conv2d","filters":3,"kernelSize":2,"activation":"softmax"}]})");
  Sequential m(spec);
  const auto x = random_vector(2 * 16 * 2, 5);  // [2, 4, 4, 2]
  const Tensor& y = m.forward(x.data(), 2);
  for (int p = 0; p < 2 * 9; ++p) {
    const float s = y[static_cast<std::size_t>(3 * p)] + y[static_cast<std::size_t>(3 * p + 1)] +
                    y[static_cast<std::size_t>(3 * p + 2)];
    EXPECT_NEAR(s, 1.0f, 1e-6f) << "pixel " << p;
  }
}

// predict() runs big image batches in chunks (so activations stay bounded); the numbers must
// be those of one forward over the whole batch.
TEST(ConvModel, ChunkedPredictEqualsOneForward) {
  GraphSpec spec = parse_graph_spec(
      R"({"inputShape":[64,64,1],"seed":4,"layers":[
           {"type":"conv2d","filters":16,"kernelSize":3,"activation":"relu"},
           {"type":"maxPooling2d","poolSize":4},{"type":"flatten"},
           {"type":"dense","units":3,"activation":"softmax"}]})");
  Sequential m(spec);
  const int chunk = m.predict_chunk_size();
  const int n = 2 * chunk + 7;  // two full chunks and a tail
  ASSERT_LT(chunk, 100) << "the test needs a model whose activations force several chunks";
  const auto x = random_vector(static_cast<std::size_t>(n) * m.input_size(), 31);
  std::vector<float> chunked(static_cast<std::size_t>(n) * m.output_size());
  m.predict(chunked.data(), x.data(), n);
  const Tensor& whole = m.forward(x.data(), n);
  for (std::size_t i = 0; i < chunked.size(); ++i) ASSERT_EQ(chunked[i], whole[i]) << "element " << i;
}

// Every parameter of conv(tanh) -> maxPool -> conv(same, stride 2) -> flatten -> dense, through
// Sequential::backward with d_output = r.
TEST(ConvModel, WholeModelGradcheck) {
  GraphSpec spec = parse_graph_spec(
      R"({"inputShape":[8,7,2],"seed":11,"layers":[
           {"type":"conv2d","filters":3,"kernelSize":3,"activation":"tanh","biasInitializer":"zeros"},
           {"type":"maxPooling2d","poolSize":2,"strides":1},
           {"type":"conv2d","filters":2,"kernelSize":[2,3],"strides":2,"padding":"same","activation":"tanh"},
           {"type":"flatten"},
           {"type":"dense","units":3,"activation":"tanh"}]})");
  Sequential m(spec);
  const int n = 2;
  auto x = random_vector(static_cast<std::size_t>(n) * m.input_size(), 21);
  const auto r = random_vector(static_cast<std::size_t>(n) * m.output_size(), 22);
  // Biases start at 0 by default; move them so their gradients are not trivially symmetric.
  for (Variable& p : m.params())
    if (p.name.find("bias") != std::string::npos)
      for (std::size_t i = 0; i < p.value->size(); ++i) (*p.value)[i] = 0.1f * static_cast<float>(i + 1);
  auto loss = [&] { return project(m.forward(x.data(), n).data(), r); };
  loss();
  Tensor d_out({n, m.output_size()});
  for (std::size_t i = 0; i < r.size(); ++i) d_out[i] = r[i];
  m.backward(d_out);
  std::vector<std::vector<float>> grads;
  for (Variable& p : m.params()) grads.emplace_back(p.grad->data(), p.grad->data() + p.grad->size());
  ASSERT_EQ(grads.size(), 6u);
  for (std::size_t k = 0; k < grads.size(); ++k) {
    Variable& p = m.params()[k];
    EXPECT_TRUE(
        gradients_match(grads[k].data(), numeric_gradient(p.value->data(), p.value->size(), 1e-3, loss), 1e-2, 1e-3))
        << p.name;
  }
}

// A batch whose im2col exceeds Conv2dLayer::kColBudget runs in chunks (backward rebuilding each
// chunk's col); the result must equal one op call over the whole batch.
TEST(ConvModel, ChunkedLayerMatchesOneCall) {
  const Shape in_shape = {64, 64, 16};
  BuiltLayer built = build_layer("conv2d", R"({"filters":2,"kernelSize":3})", {in_shape}, 9);
  Conv2dLayer& layer = dynamic_cast<Conv2dLayer&>(*built.layer);
  const ConvGeometry& g = layer.geometry();
  const std::size_t per_sample_col = static_cast<std::size_t>(g.out_pixels()) * g.patch();
  const int n = static_cast<int>(Conv2dLayer::kColBudget / per_sample_col) + 2;  // two chunks
  ASSERT_GT(static_cast<std::size_t>(n) * per_sample_col, Conv2dLayer::kColBudget);
  const auto x = random_vector(static_cast<std::size_t>(n) * layer.input_size(0), 31);
  const auto d_out = random_vector(static_cast<std::size_t>(n) * layer.output_size(), 32);

  Tensor out({n, static_cast<int>(layer.output_size())});
  const PassContext ctx{false, nullptr, n};
  layer.forward(ctx, {x.data()}, out.data());
  std::vector<float> d_in(x.size(), 0.0f);
  layer.backward(ctx, {x.data()}, out.data(), d_out.data(), {d_in.data()});

  std::vector<float> ref_out(out.size()), col(static_cast<std::size_t>(n) * per_sample_col), d_col(col.size());
  conv2d_forward(ref_out.data(), col.data(), x.data(), layer.kernel().data(), layer.bias().data(), g, 2, n);
  std::vector<float> ref_d_in(x.size(), 0.0f), ref_d_w(layer.kernel().size(), 0.0f), ref_d_b(2, 0.0f);
  conv2d_backward(ref_d_in.data(), ref_d_w.data(), ref_d_b.data(), d_col.data(), d_out.data(), col.data(),
                  layer.kernel().data(), g, 2, n);
  EXPECT_TRUE(test::expect_near_all(out.data(), ref_out.data(), ref_out.size(), 0, 0));
  EXPECT_TRUE(test::expect_near_all(d_in, ref_d_in, 0, 0));
  // The kernel gradient sums over chunks in a different order than one product does.
  EXPECT_TRUE(test::expect_near_all(layer.kernel_grad().data(), ref_d_w.data(), ref_d_w.size(), 1e-4, 1e-3));
  EXPECT_TRUE(test::expect_near_all(layer.bias_grad().data(), ref_d_b.data(), 2, 1e-4, 1e-3));
}

// The layer reuses its col / d_col buffers across steps without zeroing them (im2col writes
// every element, padding included, and the d_col product overwrites): after a batch of NaNs and
// a larger batch size, a smaller batch must give exactly what a fresh layer gives.
TEST(ConvModel, ReusedBuffersHoldNothingFromTheLastBatch) {
  const Shape in_shape = {7, 6, 3};
  const char* config = R"({"filters":4,"kernelSize":[3,4],"strides":[2,1],"padding":"same"})";
  BuiltLayer used = build_layer("conv2d", config, {in_shape}, 5);
  BuiltLayer fresh = build_layer("conv2d", config, {in_shape}, 5);
  Conv2dLayer& a = dynamic_cast<Conv2dLayer&>(*used.layer);
  Conv2dLayer& b = dynamic_cast<Conv2dLayer&>(*fresh.layer);
  const std::size_t in_size = a.input_size(0), out_size = a.output_size();

  const int big = 5;
  const std::vector<float> nan_x(big * in_size, std::numeric_limits<float>::quiet_NaN());
  const std::vector<float> nan_d(big * out_size, std::numeric_limits<float>::quiet_NaN());
  std::vector<float> junk_out(big * out_size), junk_d_in(nan_x.size());
  const PassContext ctx_big{false, nullptr, big};
  a.forward(ctx_big, {nan_x.data()}, junk_out.data());
  a.backward(ctx_big, {nan_x.data()}, junk_out.data(), nan_d.data(), {junk_d_in.data()});
  a.kernel_grad().zero();
  a.bias_grad().zero();

  const int n = 2;
  const auto x = random_vector(n * in_size, 41);
  const auto d_out = random_vector(n * out_size, 42);
  const PassContext ctx{false, nullptr, n};
  std::vector<float> out_a(n * out_size), out_b(n * out_size), d_in_a(x.size(), 0.0f), d_in_b(x.size(), 0.0f);
  for (auto [layer, out, d_in] : {std::tuple{&a, &out_a, &d_in_a}, std::tuple{&b, &out_b, &d_in_b}}) {
    layer->forward(ctx, {x.data()}, out->data());
    layer->backward(ctx, {x.data()}, out->data(), d_out.data(), {d_in->data()});
  }
  EXPECT_TRUE(test::expect_near_all(out_a, out_b, 0, 0));
  EXPECT_TRUE(test::expect_near_all(d_in_a, d_in_b, 0, 0));
  EXPECT_TRUE(test::expect_near_all(a.kernel_grad().data(), b.kernel_grad().data(), b.kernel_grad().size(), 0, 0));
  EXPECT_TRUE(test::expect_near_all(a.bias_grad().data(), b.bias_grad().data(), b.bias_grad().size(), 0, 0));
}

// Horizontal vs vertical bars on 8x8 images with noise: one bar of random position and length.
Dataset bars(int n, std::uint64_t seed) {
  Dataset d;
  d.x.resize({n, 64});
  d.y.resize({n, 1});
  Rng rng(seed);
  for (int i = 0; i < n; ++i) {
    float* img = d.x.data() + i * 64;
    for (int p = 0; p < 64; ++p) img[p] = rng.uniform(0.0f, 0.3f);
    const bool vertical = rng.uniform() < 0.5f;
    const int line = static_cast<int>(rng.uniform() * 8) % 8;
    const int start = static_cast<int>(rng.uniform() * 4) % 4;
    for (int t = start; t < start + 4; ++t) img[vertical ? t * 8 + line : line * 8 + t] += 1.0f;
    d.y[static_cast<std::size_t>(i)] = vertical ? 1.0f : 0.0f;
  }
  return d;
}

const char* kBarsSpec =
    R"({"inputShape":[8,8,1],"seed":5,"layers":[
         {"type":"conv2d","filters":4,"kernelSize":3,"activation":"relu"},
         {"type":"maxPooling2d","poolSize":2},
         {"type":"flatten"},
         {"type":"dense","units":2,"activation":"softmax"}]})";

TEST(ConvTraining, LearnsHorizontalVsVerticalBars) {
  Sequential m(parse_graph_spec(kBarsSpec));
  Trainer t(m, parse_compile_spec(R"({"optimizer":{"name":"adam","learningRate":0.01},
                                      "loss":"sparseCategoricalCrossentropy","metrics":["accuracy"]})"));
  const Dataset train = bars(512, 1), test = bars(256, 2);
  const double before = t.evaluate(test, 64).get("acc");
  for (int e = 0; e < 8; ++e) t.train_epoch(train, 32, true);
  const Logs after = t.evaluate(test, 64);
  EXPECT_LT(before, 0.8);  // the task is not solved by the initial weights
  EXPECT_GE(after.get("acc"), 0.95) << "accuracy before training " << before;
  std::printf("bars: accuracy %.3f before, %.3f after 8 epochs (loss %.4f)\n", before, after.get("acc"),
              after.get("loss"));
  EXPECT_LT(after.get("loss"), 0.2);
}

TEST(ConvTraining, Deterministic) {
  auto run = [] {
    Sequential m(parse_graph_spec(kBarsSpec));
    Trainer t(m, parse_compile_spec(R"({"optimizer":"adam","loss":"sparseCategoricalCrossentropy"})"));
    t.train_epoch(bars(128, 3), 16, true);
    std::vector<float> w;
    for (const Variable& p : m.params()) w.insert(w.end(), p.value->data(), p.value->data() + p.value->size());
    return w;
  };
  const std::vector<float> a = run(), b = run();
  EXPECT_EQ(a, b);
  Sequential fresh(parse_graph_spec(kBarsSpec));
  std::vector<float> init;
  for (const Variable& p : fresh.params()) init.insert(init.end(), p.value->data(), p.value->data() + p.value->size());
  EXPECT_NE(a, init);  // training changed the weights
}

}  // namespace
}  // namespace nnplay
