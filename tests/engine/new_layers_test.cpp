// Layer v2 layers without randomness or state: activation, reshape, concatenate, add,
// multiply / average / maximum / minimum, averagePooling2d, globalAveragePooling2d,
// globalMaxPooling2d / 1d, zeroPadding2d, cropping2D, permute. (dropout
// and batchNormalization: dropout_bn_test.cpp.)
//
// For each: a forward case worked out by hand, a finite-difference gradient check in double with
// respect to every input (layer_v2_check.h), the shape function's result and its errors for bad
// configurations. The layers are driven directly, as the graph will drive them.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "layer_v2_check.h"
#include "nn/activation_layer.h"
#include "nn/average_pooling2d_layer.h"
#include "nn/elementwise_merge_layers.h"
#include "nn/global_max_pooling_layers.h"
#include "nn/image_margin_layers.h"
#include "nn/merge_layers.h"
#include "nn/permute_layer.h"
#include "nn/registry.h"
#include "nn/reshape_layer.h"
#include "test_util.h"

namespace nnplay {
namespace {

using test::check_layer_gradients;
using test::expect_near_all;
using test::LayerDriver;
using test::random_vector;

std::vector<float> away_from_zero(std::size_t n, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<float> v(n);
  for (float& x : v) x = (rng.uniform() < 0.5f ? -1.0f : 1.0f) * rng.uniform(0.1f, 2.0f);
  return v;
}

// ---------------------------------------------------------------- activation

// The activation layer is the graph's own (nn/activation_layer.h): built here from LayerArgs as the
// registry builds it; alpha checks live in its table row.
LayerArgs activation_args(const Shape& shape) { return LayerArgs{{shape}, shape, nullptr, {}}; }

TEST(ActivationLayer, SoftmaxNormalisesTheLastAxisOfEachSample) {
  ActivationLayer layer(activation_args({2, 2}), ActivationKind::kSoftmax, 0.0f);
  EXPECT_EQ(layer.output_shape(), (Shape{2, 2}));
  EXPECT_TRUE(layer.variables().empty());
  LayerDriver drv{layer, 1, false, 1, {{0.0f, std::log(3.0f), 1.0f, 1.0f}}};
  EXPECT_TRUE(expect_near_all(drv.forward(), {0.25f, 0.75f, 0.5f, 0.5f}, 1e-6, 1e-7));
}

TEST(ActivationLayer, LeakyReluUsesAlpha) {
  ActivationLayer layer(activation_args({3}), ActivationKind::kLeakyRelu, 0.1f);
  LayerDriver drv{layer, 2, true, 1, {{-2.0f, 0.5f, 3.0f, -1.0f, -0.5f, 0.0f}}};
  EXPECT_TRUE(expect_near_all(drv.forward(), {-0.2f, 0.5f, 3.0f, -0.1f, -0.05f, 0.0f}, 1e-6, 1e-7));
}

TEST(ActivationLayer, GradientsMatchFiniteDifferences) {
  const struct {
    ActivationKind kind;
    float alpha;
  } cases[] = {{ActivationKind::kSoftmax, 0.0f},   {ActivationKind::kTanh, 0.0f}, {ActivationKind::kSigmoid, 0.0f},
               {ActivationKind::kLeakyRelu, 0.3f}, {ActivationKind::kElu, 1.0f},  {ActivationKind::kRelu, 0.0f}};
  for (const auto& c : cases) {
    ActivationLayer layer(activation_args({3, 4}), c.kind, c.alpha);
    LayerDriver drv{layer, 2, true, 1, {away_from_zero(24, 5)}};
    check_layer_gradients(activation_name(c.kind), drv, 1e-2, 3e-3, 3e-4);
  }
}

// ---------------------------------------------------------------- reshape

TEST(ReshapeLayer, KeepsValuesInOrderAndInfersMinusOne) {
  ReshapeLayer layer({2, 3}, {{3, -1}}, "reshape_1");
  EXPECT_EQ(layer.output_shape(), (Shape{3, 2}));
  std::vector<float> x = random_vector(12, 3);
  LayerDriver drv{layer, 2, false, 1, {x}};
  EXPECT_EQ(drv.forward(), x);
  EXPECT_EQ(reshape_output_shape({{28, 28}}, {{-1}}), (Shape{784}));  // flatten as a reshape
  EXPECT_EQ(reshape_output_shape({{4, 4, 3}}, {{2, 8, 3}}), (Shape{2, 8, 3}));
}

TEST(ReshapeLayer, GradientPassesThrough) {
  ReshapeLayer layer({2, 3}, {{6}}, "r");
  LayerDriver drv{layer, 3, true, 1, {random_vector(18, 4)}};
  check_layer_gradients("reshape", drv, 1e-2, 1e-4, 1e-5);
}

TEST(ReshapeLayer, BadTargetShapesAreErrors) {
  EXPECT_ERROR_CONTAINS(reshape_output_shape({{4, 4}}, {{-1, -1}}), "at most one -1", "[-1, -1]");
  EXPECT_ERROR_CONTAINS(reshape_output_shape({{4, 4}}, {{3, 5}}), "[3, 5] has 15 values", "[4, 4] has 16", "unchanged");
  EXPECT_ERROR_CONTAINS(reshape_output_shape({{4, 4}}, {{3, -1}}), "cannot infer", "16", "multiple of 3");
  EXPECT_ERROR_CONTAINS(reshape_output_shape({{4, 4}}, {{0, 16}}), ">= 1", "got 0");
  EXPECT_ERROR_CONTAINS(reshape_output_shape({{4, 4}}, {{-2, 8}}), ">= 1", "got -2");
  EXPECT_ERROR_CONTAINS(reshape_output_shape({{4, 4}}, {{}}), "at least one entry");
}

// ---------------------------------------------------------------- concatenate

TEST(ConcatenateLayer, JoinsTheLastAxis) {
  ConcatenateLayer layer({{1}, {2}}, {}, "concatenate_1");
  EXPECT_EQ(layer.output_shape(), (Shape{3}));
  LayerDriver drv{layer, 2, false, 1, {{1, 2}, {3, 4, 5, 6}}};
  EXPECT_EQ(drv.forward(), (std::vector<float>{1, 3, 4, 2, 5, 6}));
}

TEST(ConcatenateLayer, JoinsAnInnerAxis) {
  // Per sample a [1, 2] and b [2, 2] along axis 1 (the first per-sample axis) -> [3, 2].
  ConcatenateLayer layer({{1, 2}, {2, 2}}, {1}, "c");
  EXPECT_EQ(layer.output_shape(), (Shape{3, 2}));
  LayerDriver drv{layer, 2, false, 1, {{1, 2, 10, 20}, {3, 4, 5, 6, 30, 40, 50, 60}}};
  EXPECT_EQ(drv.forward(), (std::vector<float>{1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 50, 60}));
  EXPECT_EQ(concatenate_output_shape({{2, 3}, {2, 3}}, {-2}), (Shape{4, 3}));
}

TEST(ConcatenateLayer, GradientsMatchFiniteDifferencesAndSkipNullInputs) {
  for (int axis : {-1, 1, 2}) {
    const std::vector<Shape> shapes =
        axis == 1 ? std::vector<Shape>{{1, 3}, {2, 3}, {3, 3}} : std::vector<Shape>{{2, 1}, {2, 3}, {2, 2}};
    ConcatenateLayer layer(shapes, {axis}, "c");
    LayerDriver drv{layer, 2, true, 1, {}};
    for (std::size_t i = 0; i < shapes.size(); ++i)
      drv.inputs.push_back(random_vector(2 * shape_size(shapes[i]), 10 + i));
    check_layer_gradients("concatenate axis " + std::to_string(axis), drv, 1e-2, 1e-4, 1e-5);
  }
  // An input that needs no gradient (null) is skipped; the others still get theirs.
  ConcatenateLayer layer({{1}, {2}}, {}, "c");
  LayerDriver drv{layer, 1, true, 1, {{1}, {2, 3}}};
  drv.forward();
  std::vector<float> d_out{1, 2, 3}, d1(2, 0.0f);
  layer.backward(drv.context(), drv.input_ptrs(), drv.out.data(), d_out.data(), {nullptr, d1.data()});
  EXPECT_EQ(d1, (std::vector<float>{2, 3}));
}

TEST(ConcatenateLayer, BadInputsAreErrors) {
  EXPECT_ERROR_CONTAINS(concatenate_output_shape({{3}}, {}), "at least 2 inputs", "got 1");
  EXPECT_ERROR_CONTAINS(concatenate_output_shape({{3}, {3, 1}}, {}), "same rank", "[3], [3, 1]");
  EXPECT_ERROR_CONTAINS(concatenate_output_shape({{2, 3}, {3, 3}}, {-1}), "match on every axis but axis -1",
                        "[2, 3], [3, 3]");
  EXPECT_ERROR_CONTAINS(concatenate_output_shape({{2, 3}, {2, 3}}, {0}), "batch axis", "1 … 2");
  EXPECT_ERROR_CONTAINS(concatenate_output_shape({{2, 3}, {2, 3}}, {-3}), "batch axis");
  EXPECT_ERROR_CONTAINS(concatenate_output_shape({{2, 3}, {2, 3}}, {3}), "out of range", "rank 2");
  EXPECT_ERROR_CONTAINS(concatenate_output_shape({{2, 3}, {2, 3}}, {-4}), "out of range");
}

// ---------------------------------------------------------------- add

TEST(AddLayer, SumsItsInputs) {
  AddLayer layer({{2}, {2}, {2}}, {}, "add_1");
  EXPECT_EQ(layer.output_shape(), (Shape{2}));
  EXPECT_EQ(layer.num_inputs(), 3);
  LayerDriver drv{layer, 2, false, 1, {{1, 2, 3, 4}, {10, 20, 30, 40}, {100, 200, 300, 400}}};
  EXPECT_EQ(drv.forward(), (std::vector<float>{111, 222, 333, 444}));
}

TEST(AddLayer, GradientsMatchFiniteDifferences) {
  AddLayer layer({{2, 3}, {2, 3}}, {}, "add");
  LayerDriver drv{layer, 2, true, 1, {random_vector(12, 1), random_vector(12, 2)}};
  check_layer_gradients("add", drv, 1e-2, 1e-4, 1e-5);
}

TEST(AddLayer, BadInputsAreErrors) {
  EXPECT_ERROR_CONTAINS(add_output_shape({{3}}, {}), "at least 2 inputs", "got 1");
  EXPECT_ERROR_CONTAINS(add_output_shape({{3}, {4}}, {}), "same shape", "[3], [4]");
}

// ---------------------------------------------------------------- multiply, average, maximum, minimum

std::vector<float> merge_forward(ElementwiseMerge op, const std::vector<std::vector<float>>& ins) {
  std::vector<Shape> shapes(ins.size(), Shape{static_cast<int>(ins[0].size())});
  ElementwiseMergeLayer layer(shapes, op, "m");
  LayerDriver drv{layer, 1, false, 1, ins};
  return drv.forward();
}

TEST(ElementwiseMergeLayer, EachOpWorkedOutByHand) {
  const std::vector<std::vector<float>> ins = {{1, -2, 3, 0}, {4, 5, -6, 2}, {-0.5f, 5, 2, 0}};
  EXPECT_EQ(merge_forward(ElementwiseMerge::kMultiply, ins), (std::vector<float>{-2, -50, -36, 0}));
  EXPECT_TRUE(expect_near_all(merge_forward(ElementwiseMerge::kAverage, ins), {1.5f, 8.0f / 3, -1.0f / 3, 2.0f / 3},
                              1e-6, 1e-7));
  EXPECT_EQ(merge_forward(ElementwiseMerge::kMaximum, ins), (std::vector<float>{4, 5, 3, 2}));
  EXPECT_EQ(merge_forward(ElementwiseMerge::kMinimum, ins), (std::vector<float>{-0.5f, -2, -6, 0}));
}

TEST(ElementwiseMergeLayer, GradientsMatchFiniteDifferences) {
  // Inputs apart from each other, so that no maximum or minimum is within the step of a tie.
  for (ElementwiseMerge op : {ElementwiseMerge::kMultiply, ElementwiseMerge::kAverage, ElementwiseMerge::kMaximum,
                              ElementwiseMerge::kMinimum}) {
    ElementwiseMergeLayer layer({{2, 3}, {2, 3}, {2, 3}}, op, "m");
    std::vector<float> a(12), b(12), c(12);
    for (int i = 0; i < 12; ++i) {
      a[i] = 0.3f * static_cast<float>(i % 5) - 0.6f;
      b[i] = 0.3f * static_cast<float>((i + 2) % 5) - 0.55f;
      c[i] = 0.3f * static_cast<float>((i + 4) % 5) - 0.5f;
    }
    LayerDriver drv{layer, 2, true, 1, {a, b, c}};
    check_layer_gradients(elementwise_merge_name(op), drv, 1e-2, 1e-3, 1e-4);
  }
}

TEST(ElementwiseMergeLayer, TiesSendTheGradientToTheFirstInputAsTfjs) {
  // TF.js chains pairwise tf.maximum / tf.minimum, whose gradient goes to the left operand on a tie.
  for (ElementwiseMerge op : {ElementwiseMerge::kMaximum, ElementwiseMerge::kMinimum}) {
    ElementwiseMergeLayer layer({{1}, {1}, {1}}, op, "m");
    std::vector<float> x0{2}, x1{2}, x2{2}, out(1), d0{0}, d1{0}, d2{0}, dy{1};
    PassContext ctx;
    ctx.n = 1;
    layer.forward(ctx, {x0.data(), x1.data(), x2.data()}, out.data());
    layer.backward(ctx, {x0.data(), x1.data(), x2.data()}, out.data(), dy.data(), {d0.data(), d1.data(), d2.data()});
    EXPECT_EQ(out[0], 2);
    EXPECT_EQ(d0[0], 1);
    EXPECT_EQ(d1[0], 0);
    EXPECT_EQ(d2[0], 0);
  }
}

TEST(ElementwiseMergeLayer, BadInputsAreErrors) {
  EXPECT_ERROR_CONTAINS(elementwise_merge_output_shape({{3}}, ElementwiseMerge::kMultiply),
                        "multiply needs at least 2 inputs", "got 1");
  EXPECT_ERROR_CONTAINS(elementwise_merge_output_shape({{3}, {3}, {4}}, ElementwiseMerge::kMaximum),
                        "maximum: all inputs", "same shape", "[3], [3], [4]");
}

// ---------------------------------------------------------------- averagePooling2d

TEST(AveragePooling2dLayer, ValidPaddingAveragesEachWindow) {
  AveragePooling2dLayer layer({4, 4, 1}, {}, "average_pooling2d_1");  // poolSize 2, strides 2
  EXPECT_EQ(layer.output_shape(), (Shape{2, 2, 1}));
  std::vector<float> x(16);
  for (int i = 0; i < 16; ++i) x[i] = static_cast<float>(i);
  LayerDriver drv{layer, 1, false, 1, {x}};
  EXPECT_EQ(drv.forward(), (std::vector<float>{2.5f, 4.5f, 10.5f, 12.5f}));
}

TEST(AveragePooling2dLayer, SamePaddingCountsOnlyCellsInsideTheImage) {
  // 3x3 image 1..9, pool 2, stride 2, "same": 2x2 outputs, the extra padding row/column at the
  // bottom/right. Windows {1,2,4,5} {3,6} {7,8} {9}, as tf.avgPool gives [3, 4.5, 7.5, 9].
  AveragePooling2dLayer layer({3, 3, 1}, {2, 2, 0, 0, true}, "p");
  EXPECT_EQ(layer.output_shape(), (Shape{2, 2, 1}));
  LayerDriver drv{layer, 1, false, 1, {{1, 2, 3, 4, 5, 6, 7, 8, 9}}};
  EXPECT_EQ(drv.forward(), (std::vector<float>{3.0f, 4.5f, 7.5f, 9.0f}));
  // Two channels are pooled independently.
  AveragePooling2dLayer two({2, 2, 2}, {2, 2, 1, 1, false}, "p2");
  LayerDriver drv2{two, 1, false, 1, {{1, 10, 2, 20, 3, 30, 4, 40}}};
  EXPECT_EQ(drv2.forward(), (std::vector<float>{2.5f, 25.0f}));
}

TEST(AveragePooling2dLayer, GradientsMatchFiniteDifferences) {
  const AveragePooling2dConfig cases[] = {
      {2, 2, 1, 1, false}, {3, 3, 2, 2, true}, {2, 3, 0, 0, true}, {3, 2, 1, 2, false}};
  for (const auto& cfg : cases) {
    AveragePooling2dLayer layer({5, 5, 2}, cfg, "p");
    LayerDriver drv{layer, 2, true, 1, {random_vector(100, 7)}};
    check_layer_gradients("averagePooling2d", drv, 1e-2, 1e-3, 1e-5);
  }
}

TEST(AveragePooling2dLayer, BadConfigsAreErrors) {
  EXPECT_ERROR_CONTAINS(average_pooling2d_output_shape({{4, 4}}, {}), "averagePooling2d", "[height, width, channels]",
                        "[4, 4]");
  EXPECT_ERROR_CONTAINS(average_pooling2d_output_shape({{4, 4, 1}}, {0, 2}), "poolSize", ">= 1");
  EXPECT_ERROR_CONTAINS(average_pooling2d_output_shape({{4, 4, 1}}, {2, 2, -1, 1}), "strides", ">= 1");
  EXPECT_ERROR_CONTAINS(average_pooling2d_output_shape({{2, 2, 1}}, {3, 3}), "does not fit", "[2, 2, 1]", "\"same\"");
  EXPECT_EQ(average_pooling2d_output_shape({{2, 2, 1}}, {3, 3, 0, 0, true}), (Shape{1, 1, 1}));
}

// ---------------------------------------------------------------- globalAveragePooling2d

TEST(GlobalAveragePooling2dLayer, AveragesEveryPixelPerChannel) {
  GlobalAveragePooling2dLayer layer({2, 2, 2}, {}, "global_average_pooling2d_1");
  EXPECT_EQ(layer.output_shape(), (Shape{2}));
  LayerDriver drv{layer, 2, false, 1, {{1, 10, 2, 20, 3, 30, 4, 40, 0, 0, 0, 0, 0, 0, 4, -8}}};
  EXPECT_EQ(drv.forward(), (std::vector<float>{2.5f, 25.0f, 1.0f, -2.0f}));
}

TEST(GlobalAveragePooling2dLayer, GradientsMatchFiniteDifferences) {
  GlobalAveragePooling2dLayer layer({3, 4, 2}, {}, "g");
  LayerDriver drv{layer, 2, true, 1, {random_vector(48, 8)}};
  check_layer_gradients("globalAveragePooling2d", drv, 1e-2, 1e-3, 1e-5);
}

TEST(GlobalAveragePooling2dLayer, NonImageInputIsAnError) {
  EXPECT_ERROR_CONTAINS(global_average_pooling2d_output_shape({{4, 3}}, {}), "globalAveragePooling2d",
                        "[height, width, channels]", "[4, 3]");
}

// ---------------------------------------------------------------- globalMaxPooling2d, globalMaxPooling1d

TEST(GlobalMaxPoolingLayer, TakesEachChannelsLargestValue) {
  GlobalMaxPoolingLayer image({2, 2, 2}, "global_max_pooling2d_1");
  EXPECT_EQ(image.output_shape(), (Shape{2}));
  LayerDriver drv{image, 2, false, 1, {{1, 10, 2, 20, 3, 30, 4, -40, -5, -1, -2, -3, -4, -6, -3, -8}}};
  EXPECT_EQ(drv.forward(), (std::vector<float>{4, 30, -2, -1}));
  GlobalMaxPoolingLayer sequence({3, 1}, "global_max_pooling1d_1");
  LayerDriver seq{sequence, 1, false, 1, {{-1, 7, 2}}};
  EXPECT_EQ(seq.forward(), (std::vector<float>{7}));
}

TEST(GlobalMaxPoolingLayer, GradientsMatchFiniteDifferences) {
  // Values 0.1 apart at least, so no maximum changes within the step.
  std::vector<float> x(48);
  for (int i = 0; i < 48; ++i) x[i] = 0.1f * static_cast<float>((i * 17) % 48) - 2.0f;
  GlobalMaxPoolingLayer image({3, 4, 2}, "g");
  LayerDriver drv{image, 2, true, 1, {x}};
  check_layer_gradients("globalMaxPooling2d", drv, 1e-2, 1e-3, 1e-5);
  GlobalMaxPoolingLayer sequence({6, 4}, "s");
  LayerDriver seq{sequence, 2, true, 1, {x}};
  check_layer_gradients("globalMaxPooling1d", seq, 1e-2, 1e-3, 1e-5);
}

TEST(GlobalMaxPoolingLayer, EveryTiedPositionGetsTheGradientAsTfjs) {
  GlobalMaxPoolingLayer layer({3, 1}, "g");
  std::vector<float> x{2, 5, 5}, out(1), d(3, 0.0f), dy{1.5f};
  PassContext ctx;
  ctx.n = 1;
  layer.forward(ctx, {x.data()}, out.data());
  layer.backward(ctx, {x.data()}, out.data(), dy.data(), {d.data()});
  EXPECT_EQ(d, (std::vector<float>{0, 1.5f, 1.5f}));
}

TEST(GlobalMaxPoolingLayer, WrongInputRankIsAnError) {
  EXPECT_ERROR_CONTAINS(global_max_pooling_output_shape({{4, 3}}, 3, "layer 1 (globalMaxPooling2d)", "its input"),
                        "globalMaxPooling2d", "[height, width, channels]", "[4, 3]");
  EXPECT_ERROR_CONTAINS(global_max_pooling_output_shape({{4, 3, 2}}, 2, "layer 1 (globalMaxPooling1d)", "its input"),
                        "[steps, features]", "[4, 3, 2]");
}

// ---------------------------------------------------------------- zeroPadding2d, cropping2D

TEST(ImageMarginLayer, PadsWithZerosAndCropsByHand) {
  // One 2 × 2 image with 1 channel: 1 2 / 3 4.
  ImageMarginLayer pad({2, 2, 1}, ImageMarginKind::kZeroPadding, {1, 0, 0, 2});
  EXPECT_EQ(pad.output_shape(), (Shape{3, 4, 1}));
  LayerDriver p{pad, 1, false, 1, {{1, 2, 3, 4}}};
  EXPECT_EQ(p.forward(), (std::vector<float>{0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0}));
  ImageMarginLayer crop({3, 4, 1}, ImageMarginKind::kCropping, {1, 0, 1, 1});
  EXPECT_EQ(crop.output_shape(), (Shape{2, 2, 1}));
  LayerDriver c{crop, 1, false, 1, {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}}};
  EXPECT_EQ(c.forward(), (std::vector<float>{5, 6, 9, 10}));
}

TEST(ImageMarginLayer, GradientsMatchFiniteDifferences) {
  ImageMarginLayer pad({3, 2, 2}, ImageMarginKind::kZeroPadding, {2, 1, 0, 3});
  LayerDriver p{pad, 2, true, 1, {random_vector(24, 6)}};
  check_layer_gradients("zeroPadding2d", p, 1e-2, 1e-3, 1e-5);
  ImageMarginLayer crop({4, 5, 2}, ImageMarginKind::kCropping, {1, 2, 0, 3});
  LayerDriver c{crop, 2, true, 1, {random_vector(80, 7)}};
  check_layer_gradients("cropping2D", c, 1e-2, 1e-3, 1e-5);
}

TEST(ImageMarginLayer, BadInputsAreErrors) {
  EXPECT_ERROR_CONTAINS(
      image_margin_output_shape({{4, 3}}, ImageMarginKind::kZeroPadding, {1, 1, 1, 1}, "layer 1 (zeroPadding2d)", "x"),
      "needs an image input [height, width, channels]", "[4, 3]");
  EXPECT_ERROR_CONTAINS(
      image_margin_output_shape({{4, 3, 1}}, ImageMarginKind::kCropping, {2, 2, 0, 0}, "layer 1 (cropping2D)", "x"),
      "leaves nothing");
}

// ---------------------------------------------------------------- permute

TEST(PermuteLayer, ReordersEachSamplesAxesByHand) {
  PermuteLayer swap({2, 3}, {2, 1});
  EXPECT_EQ(swap.output_shape(), (Shape{3, 2}));
  LayerDriver s{swap, 1, false, 1, {{1, 2, 3, 4, 5, 6}}};
  EXPECT_EQ(s.forward(), (std::vector<float>{1, 4, 2, 5, 3, 6}));
  PermuteLayer rotate({2, 1, 3}, {3, 1, 2});  // [a, b, c] → [c, a, b]
  EXPECT_EQ(rotate.output_shape(), (Shape{3, 2, 1}));
  LayerDriver r{rotate, 1, false, 1, {{1, 2, 3, 4, 5, 6}}};
  EXPECT_EQ(r.forward(), (std::vector<float>{1, 4, 2, 5, 3, 6}));
}

TEST(PermuteLayer, GradientsMatchFiniteDifferences) {
  PermuteLayer layer({2, 3, 4}, {3, 1, 2});
  LayerDriver drv{layer, 2, true, 1, {random_vector(48, 9)}};
  check_layer_gradients("permute", drv, 1e-2, 1e-3, 1e-5);
}

TEST(PermuteLayer, DimsMustBeAPermutation) {
  EXPECT_ERROR_CONTAINS(permute_output_shape({{2, 3}}, {1, 1}, "layer 1 (permute)", "x"), "a permutation of 1 … 2",
                        "[1, 1]");
  EXPECT_ERROR_CONTAINS(permute_output_shape({{2, 3}}, {0, 1}, "layer 1 (permute)", "x"), "batch is not counted");
  EXPECT_ERROR_CONTAINS(permute_output_shape({{2, 3}}, {1, 2, 3}, "layer 1 (permute)", "x"), "got [1, 2, 3]");
}

}  // namespace
}  // namespace nnplay
