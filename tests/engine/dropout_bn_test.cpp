// dropout, gaussianNoise / gaussianDropout and batchNormalization (Layer v2): the layers whose
// behaviour depends on ctx.training.
//
// dropout: identity at inference and with rate 0; in training every value is 0 or x/(1−rate);
// mean preserved; the same ctx stream gives the same mask, another step another; a seed changes
// the mask deterministically; noiseShape broadcasts its size-1 axes; gradients (the mask is fixed
// by re-seeding the stream) in training and inference; bad configs.
// batchNormalization: a forward case by hand in training and inference; the moving statistics
// after one training step equal the hand-computed TF.js update (biased variance); inference uses
// them; weights in Keras order with their trainable flags; gradients in training (through the
// batch statistics) and inference (affine), also with center/scale off and on image inputs;
// bad configs.
//
// TF.js 4.22 parity cases for the library helper (run in tests/js/tfjs-parity.test.ts once the
// layers are wired; tf = @tensorflow/tfjs 4.22, compare with rel 1e-5 / abs 1e-6 unless said):
//
//  D1 dropout, inference. tf.layers.dropout({rate: 0.5}).apply(x, {training: false}) with
//     x = tf.tensor2d([[1, -2, 3], [4, 5, -6]]): equals x exactly; nnplay predict likewise.
//  D2 dropout, training. The masks cannot match (different generators), so compare the law:
//     x = ones [2000, 8], rate 0.25, training: true, in both libraries every output is 0 or
//     4/3 (exactly 1/(1−rate) in float32), the kept fraction is 0.75 ± 0.01 and the mean
//     1 ± 0.015. With noiseShape [null, 1] (nnplay [-1, 1]) each row is all-0 or all-4/3.
//  D3 dropout gradient, training: for a fixed nnplay mask m, d(sum(w·dropout(x)))/dx = w·m; in
//     TF.js with tf.grad on the same law: every gradient entry is 0 or w·4/3.
//  B1 batchNormalization, training, defaults (momentum 0.99, epsilon 1e-3). x = [[1, 2], [3, 4],
//     [5, 6], [7, 8]] ([4, 2]). TF.js: layer.apply(x, {training: true}) (or one fit step with
//     lr 0 / model.trainOnBatch under sgd(0)). Compare the output ((x − [4, 5]) / sqrt(5.001))
//     and then layer.getWeights(): gamma [1, 1], beta [0, 0], moving_mean [0.04, 0.05],
//     moving_variance [1.04, 1.04] (TF.js uses the biased batch variance 5, not 20/3).
//  B2 batchNormalization, inference after B1: layer.apply(x, {training: false}) =
//     (x − moving_mean) / sqrt(moving_variance + 1e-3) · gamma + beta, with B1's moving stats.
//  B3 batchNormalization, training on an image input [2, 2, 2, 3] (random, seed 1, values
//     in [-1, 1]), gamma/beta set by setWeights to [0.5, 1, 2] / [0.1, 0, −0.1], momentum 0.9,
//     epsilon 1e-2: output, and moving stats after one step; tolerance 1e-5.
//  B4 batchNormalization gradients: tf.grad of sum(r · bn(x, training)) w.r.t. x, gamma, beta
//     (tf.variableGrads) for B3's data and r = random [2, 2, 2, 3] seed 2; the same at inference
//     (where d/dx = r · gamma / sqrt(moving_variance + eps)); tolerance 1e-4.
//  Not comparable: TF.js 4.22 throws in training when center or scale is false (it reads the
//  missing beta/gamma); nnplay uses 0 and 1 there.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "layer_v2_check.h"
#include "nn/batch_normalization_layer.h"
#include "nn/dropout_layer.h"
#include "nn/gaussian_noise_layers.h"
#include "ops/dropout.h"
#include "test_util.h"

namespace nnplay {
namespace {

using test::check_layer_gradients;
using test::expect_near_all;
using test::LayerDriver;
using test::random_vector;

// ---------------------------------------------------------------- dropout

TEST(DropoutLayer, IsTheIdentityAtInferenceAndWithRateZero) {
  DropoutLayer layer({3}, {0.5f, {}, std::nullopt}, "dropout_1");
  EXPECT_EQ(layer.output_shape(), (Shape{3}));
  EXPECT_TRUE(layer.variables().empty());
  const std::vector<float> x{1, -2, 3, 4, 5, -6};
  LayerDriver drv{layer, 2, false, 1, {x}};
  EXPECT_EQ(drv.forward(), x);
  EXPECT_EQ(drv.backward({1, 2, 3, 4, 5, 6}), (std::vector<std::vector<float>>{{1, 2, 3, 4, 5, 6}}));
  DropoutLayer none({3}, {0.0f, {}, std::nullopt}, "d");
  LayerDriver train{none, 2, true, 1, {x}};
  EXPECT_EQ(train.forward(), x);
}

TEST(DropoutLayer, TrainingKeepsWithProbabilityOneMinusRateAndPreservesTheMean) {
  const int n = 1000, k = 100;
  DropoutLayer layer({k}, {0.25f, {}, std::nullopt}, "d");
  LayerDriver drv{layer, n, true, 3, {std::vector<float>(n * k, 1.0f)}};
  const std::vector<float>& out = drv.forward();
  double sum = 0.0;
  std::size_t kept = 0;
  for (float v : out) {
    ASSERT_TRUE(v == 0.0f || v == 1.0f / 0.75f) << v;
    kept += v != 0.0f;
    sum += v;
  }
  EXPECT_NEAR(static_cast<double>(kept) / out.size(), 0.75, 0.01);
  EXPECT_NEAR(sum / out.size(), 1.0, 0.01);
  // The mask is what multiplied the input.
  EXPECT_EQ(layer.mask(), out);
}

TEST(DropoutLayer, MaskComesOnlyFromTheStream) {
  DropoutLayer a({50}, {0.5f, {}, std::nullopt}, "a");
  DropoutLayer b({50}, {0.5f, {}, std::nullopt}, "b");
  const std::vector<float> x = random_vector(200, 1);
  LayerDriver da{a, 4, true, 7, {x}}, db{b, 4, true, 7, {x}};
  EXPECT_EQ(da.forward(), db.forward());  // same stream seed: same mask, whatever the layer
  db.rng_seed = 8;                        // another step's stream
  EXPECT_NE(da.forward(), db.forward());
  // Two forwards on one stream (two steps) differ.
  Rng rng(5);
  PassContext ctx{true, &rng, 4};
  std::vector<float> o1(200), o2(200);
  a.forward(ctx, {x.data()}, o1.data());
  a.forward(ctx, {x.data()}, o2.data());
  EXPECT_NE(o1, o2);
}

TEST(DropoutLayer, SeedKeysTheMaskDeterministically) {
  const std::vector<float> x = random_vector(200, 2);
  DropoutLayer s1({50}, {0.5f, {}, 1234u}, "s1"), s1b({50}, {0.5f, {}, 1234u}, "s1b"), s2({50}, {0.5f, {}, 99u}, "s2");
  DropoutLayer plain({50}, {0.5f, {}, std::nullopt}, "p");
  LayerDriver d1{s1, 4, true, 7, {x}}, d1b{s1b, 4, true, 7, {x}}, d2{s2, 4, true, 7, {x}}, dp{plain, 4, true, 7, {x}};
  EXPECT_EQ(d1.forward(), d1b.forward());
  EXPECT_NE(d1.forward(), d2.forward());
  EXPECT_NE(d1.forward(), dp.forward());
  d1b.rng_seed = 8;
  EXPECT_NE(d1.forward(), d1b.forward());  // another step, another mask
  // With a seed the model's stream advances by two draws, whatever the mask size.
  Rng rng(7), ref(7);
  PassContext ctx{true, &rng, 4};
  std::vector<float> o(200);
  s1.forward(ctx, {x.data()}, o.data());
  ref.next_u32();
  ref.next_u32();
  EXPECT_EQ(rng.next_u32(), ref.next_u32());
}

TEST(DropoutLayer, NoiseShapeBroadcastsItsSizeOneAxes) {
  // Input [4, 3] per sample; noiseShape [-1, 1, -1]: one mask value per (sample, feature),
  // shared by the 4 rows.
  DropoutLayer layer({4, 3}, {0.5f, {-1, 1, -1}, std::nullopt}, "d");
  const int n = 6;
  LayerDriver drv{layer, n, true, 11, {std::vector<float>(n * 12, 1.0f)}};
  const std::vector<float>& out = drv.forward();
  int zeros = 0;
  for (int s = 0; s < n; ++s)
    for (int r = 0; r < 4; ++r)
      for (int c = 0; c < 3; ++c) {
        EXPECT_EQ(out[s * 12 + r * 3 + c], out[s * 12 + c]) << s << " " << r << " " << c;
        zeros += out[s * 12 + r * 3 + c] == 0.0f;
      }
  EXPECT_GT(zeros, 0);
  EXPECT_LT(zeros, n * 12);
  // noiseShape [1, -1, -1]: one mask for the whole batch.
  DropoutLayer batch({4, 3}, {0.5f, {1, 4, 3}, std::nullopt}, "d");
  LayerDriver db{batch, n, true, 11, {std::vector<float>(n * 12, 1.0f)}};
  const std::vector<float>& ob = db.forward();
  for (int s = 1; s < n; ++s) EXPECT_TRUE(std::equal(ob.begin() + s * 12, ob.begin() + (s + 1) * 12, ob.begin())) << s;
}

TEST(DropoutLayer, BroadcastToExpandsEverySizeOneAxis) {
  // small [2, 1, 3] -> full [2, 2, 3]; small [1, 2, 1] -> [2, 2, 3].
  std::vector<float> full(12);
  broadcast_to(full.data(), std::vector<float>{1, 2, 3, 4, 5, 6}.data(), {2, 2, 3}, {2, 1, 3});
  EXPECT_EQ(full, (std::vector<float>{1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6}));
  broadcast_to(full.data(), std::vector<float>{7, 8}.data(), {2, 2, 3}, {1, 2, 1});
  EXPECT_EQ(full, (std::vector<float>{7, 7, 7, 8, 8, 8, 7, 7, 7, 8, 8, 8}));
}

TEST(DropoutLayer, GradientsMatchFiniteDifferences) {
  for (bool training : {true, false}) {
    DropoutLayer layer({3, 4}, {0.4f, {-1, 3, 1}, std::nullopt}, "d");
    LayerDriver drv{layer, 3, training, 21, {random_vector(36, 3)}};
    check_layer_gradients(training ? "dropout training" : "dropout inference", drv, 1e-2, 1e-4, 1e-5);
  }
}

TEST(DropoutLayer, BadConfigsAreErrors) {
  EXPECT_ERROR_CONTAINS(dropout_output_shape({{3}}, {1.0f, {}, std::nullopt}), "rate", "[0, 1)", "got 1");
  EXPECT_ERROR_CONTAINS(dropout_output_shape({{3}}, {-0.1f, {}, std::nullopt}), "rate", "[0, 1)", "-0.1");
  EXPECT_ERROR_CONTAINS(dropout_output_shape({{3}}, {NAN, {}, std::nullopt}), "rate", "NaN");
  EXPECT_ERROR_CONTAINS(dropout_output_shape({{4, 3}}, {0.5f, {1, 3}, std::nullopt}), "noiseShape must have 3 entries",
                        "the batch", "[4, 3]");
  EXPECT_ERROR_CONTAINS(dropout_output_shape({{4, 3}}, {0.5f, {-1, 2, 3}, std::nullopt}), "noiseShape[1]",
                        "null, 1 or 4", "got 2");
  EXPECT_ERROR_CONTAINS(dropout_output_shape({{4, 3}}, {0.5f, {32, 4, 3}, std::nullopt}), "noiseShape[0]", "null or 1",
                        "got 32");
  EXPECT_ERROR_CONTAINS(dropout_output_shape({{3}, {3}}, {}), "exactly 1 input");
}

// ---------------------------------------------------------------- batchNormalization

std::vector<float> values_of(const Variable& v) {
  return std::vector<float>(v.value->data(), v.value->data() + v.value->size());
}

TEST(BatchNormalizationLayer, WeightsInKerasOrderWithTrainableFlags) {
  BatchNormalizationLayer layer({4, 4, 3}, {}, "batch_normalization_1");
  EXPECT_EQ(layer.output_shape(), (Shape{4, 4, 3}));
  auto& v = layer.variables();
  ASSERT_EQ(v.size(), 4u);
  const char* names[] = {"batch_normalization_1/gamma", "batch_normalization_1/beta",
                         "batch_normalization_1/moving_mean", "batch_normalization_1/moving_variance"};
  const float fills[] = {1, 0, 0, 1};
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(v[i].name, names[i]);
    EXPECT_EQ(v[i].value->shape(), (Shape{3}));
    EXPECT_EQ(values_of(v[i]), std::vector<float>(3, fills[i])) << names[i];
    EXPECT_EQ(v[i].trainable, i < 2) << names[i];
    EXPECT_EQ(static_cast<bool>(v[i].grad), i < 2) << names[i];
  }
  // The declared list is the same, for inspect(spec).
  const auto info = batch_normalization_variables({{4, 4, 3}}, {});
  ASSERT_EQ(info.size(), 4u);
  EXPECT_EQ(info[2].name, "moving_mean");
  EXPECT_FALSE(info[3].trainable);
  // center / scale off drop beta / gamma.
  BatchNormalizationConfig no_center;
  no_center.center = false;
  const auto nc = batch_normalization_variables({{5}}, no_center);
  ASSERT_EQ(nc.size(), 3u);
  EXPECT_EQ(nc[0].name, "gamma");
  EXPECT_EQ(nc[1].name, "moving_mean");
  BatchNormalizationConfig no_scale;
  no_scale.scale = false;
  BatchNormalizationLayer ns({5}, no_scale, "bn");
  ASSERT_EQ(ns.variables().size(), 3u);
  EXPECT_EQ(ns.variables()[0].name, "bn/beta");
}

TEST(BatchNormalizationLayer, TrainingStepByHand) {
  // x [4, 2]: channel 0 = 1, 3, 5, 7 (mean 4, population variance 5), channel 1 = 2, 4, 6, 8
  // (mean 5, variance 5).
  BatchNormalizationLayer layer({2}, {}, "bn");
  auto& v = layer.variables();
  (*v[0].value)[0] = 2.0f, (*v[0].value)[1] = 0.5f;   // gamma
  (*v[1].value)[0] = 1.0f, (*v[1].value)[1] = -1.0f;  // beta
  const std::vector<float> x{1, 2, 3, 4, 5, 6, 7, 8};
  LayerDriver drv{layer, 4, true, 1, {x}};
  const std::vector<float>& out = drv.forward();
  const double s = 1.0 / std::sqrt(5.0 + 1e-3);
  std::vector<float> want(8);
  for (int r = 0; r < 4; ++r) {
    want[r * 2] = static_cast<float>(2.0 * (x[r * 2] - 4.0) * s + 1.0);
    want[r * 2 + 1] = static_cast<float>(0.5 * (x[r * 2 + 1] - 5.0) * s - 1.0);
  }
  EXPECT_TRUE(expect_near_all(out, want, 1e-6, 1e-6));
  EXPECT_TRUE(expect_near_all(layer.batch_mean(), {4, 5}, 1e-7, 0));
  EXPECT_TRUE(expect_near_all(layer.batch_variance(), {5, 5}, 1e-7, 0));
  // TF.js update with momentum 0.99 and the biased variance:
  // moving_mean 0 − (0 − 4)·0.01 = 0.04, 0.05; moving_variance 1 − (1 − 5)·0.01 = 1.04.
  EXPECT_TRUE(expect_near_all(values_of(v[2]), {0.04f, 0.05f}, 1e-6, 0));
  EXPECT_TRUE(expect_near_all(values_of(v[3]), {1.04f, 1.04f}, 1e-6, 0));
  // A second step on the same batch: 0.04 − (0.04 − 4)·0.01 = 0.0796; 1.04 − (1.04 − 5)·0.01 = 1.0796.
  drv.forward();
  EXPECT_TRUE(expect_near_all(values_of(v[2]), {0.0796f, 0.0995f}, 1e-6, 0));
  EXPECT_TRUE(expect_near_all(values_of(v[3]), {1.0796f, 1.0796f}, 1e-6, 0));

  // Inference uses the moving statistics and leaves them alone.
  drv.training = false;
  const std::vector<float>& inf = drv.forward();
  for (int r = 0; r < 4; ++r) {
    want[r * 2] = static_cast<float>(2.0 * (x[r * 2] - 0.0796) / std::sqrt(1.0796 + 1e-3) + 1.0);
    want[r * 2 + 1] = static_cast<float>(0.5 * (x[r * 2 + 1] - 0.0995) / std::sqrt(1.0796 + 1e-3) - 1.0);
  }
  EXPECT_TRUE(expect_near_all(inf, want, 1e-5, 1e-6));
  EXPECT_TRUE(expect_near_all(values_of(v[2]), {0.0796f, 0.0995f}, 1e-6, 0));
}

TEST(BatchNormalizationLayer, StatisticsAreOverEveryAxisButTheLast) {
  // [n=2, 2, 1, 2]: channel c is the mean over 4 positions.
  BatchNormalizationConfig cfg;
  cfg.momentum = 0.0f;  // moving stats := batch stats
  BatchNormalizationLayer layer({2, 1, 2}, cfg, "bn");
  LayerDriver drv{layer, 2, true, 1, {{1, 10, 2, 20, 3, 30, 6, 40}}};
  drv.forward();
  EXPECT_TRUE(expect_near_all(values_of(layer.variables()[2]), {3.0f, 25.0f}, 1e-7, 0));
  EXPECT_TRUE(expect_near_all(values_of(layer.variables()[3]), {3.5f, 125.0f}, 1e-6, 0));
}

TEST(BatchNormalizationLayer, GradientsMatchFiniteDifferences) {
  for (bool training : {true, false}) {
    for (int variant = 0; variant < 3; ++variant) {
      BatchNormalizationConfig cfg;
      cfg.epsilon = 1e-2f;
      if (variant == 1) cfg.center = false;
      if (variant == 2) cfg.scale = false;
      const Shape shape = variant == 0 ? Shape{2, 2, 3} : Shape{3};
      BatchNormalizationLayer layer(shape, cfg, "bn");
      // Non-trivial weights and moving statistics.
      Rng rng(31);
      for (Variable& v : layer.variables())
        for (std::size_t i = 0; i < v.value->size(); ++i)
          (*v.value)[i] = v.name == "bn/moving_variance" ? rng.uniform(0.5f, 2.0f) : rng.uniform(-1.0f, 1.0f);
      const int n = 5;
      LayerDriver drv{layer, n, training, 1, {random_vector(n * shape_size(shape), 32 + variant, -2, 2)}};
      check_layer_gradients(std::string(training ? "training" : "inference") + " variant " + std::to_string(variant),
                            drv, 1e-2, 5e-3, 5e-4);
    }
  }
}

TEST(BatchNormalizationLayer, EmptyBatchChangesNothing) {
  BatchNormalizationLayer layer({2}, {}, "bn");
  LayerDriver drv{layer, 0, true, 1, {{}}};
  drv.forward();
  EXPECT_EQ(values_of(layer.variables()[2]), (std::vector<float>{0, 0}));
  EXPECT_EQ(values_of(layer.variables()[3]), (std::vector<float>{1, 1}));
}

TEST(BatchNormalizationLayer, BadConfigsAreErrors) {
  BatchNormalizationConfig axis1;
  axis1.axis = 1;
  EXPECT_ERROR_CONTAINS(batch_normalization_output_shape({{4, 4, 3}}, axis1), "only axis -1", "got axis 1",
                        "[4, 4, 3]");
  BatchNormalizationConfig axis3;
  axis3.axis = 3;  // the last axis counted with the batch: allowed
  EXPECT_EQ(batch_normalization_output_shape({{4, 4, 3}}, axis3), (Shape{4, 4, 3}));
  BatchNormalizationConfig momentum;
  momentum.momentum = 1.5f;
  EXPECT_ERROR_CONTAINS(batch_normalization_output_shape({{3}}, momentum), "momentum", "[0, 1]", "1.5");
  BatchNormalizationConfig epsilon;
  epsilon.epsilon = 0.0f;
  EXPECT_ERROR_CONTAINS(BatchNormalizationLayer({3}, epsilon, "bn"), "epsilon", "> 0", "got 0");
  EXPECT_ERROR_CONTAINS(batch_normalization_output_shape({{3}, {3}}, {}), "exactly 1 input");
}

// ---------------------------------------------------------------- gaussianNoise, gaussianDropout

TEST(GaussianNoiseLayer, IdentityAtInferenceNoiseWithTheRightMomentsInTraining) {
  const int n = 2000, k = 50;
  for (GaussianNoiseKind kind : {GaussianNoiseKind::kAdditive, GaussianNoiseKind::kMultiplicative}) {
    const bool additive = kind == GaussianNoiseKind::kAdditive;
    GaussianNoiseLayer layer({k}, kind, additive ? 0.5f : 0.2f);
    const std::vector<float> x(n * k, 2.0f);
    LayerDriver inference{layer, n, false, 3, {x}};
    EXPECT_EQ(inference.forward(), x);
    LayerDriver training{layer, n, true, 3, {x}};
    const std::vector<float>& out = training.forward();
    double sum = 0.0, sq = 0.0;
    for (float v : out) {
      sum += v;
      sq += static_cast<double>(v) * v;
    }
    const double mean = sum / out.size(), var = sq / out.size() - mean * mean;
    // additive: 2 + N(0, 0.25); multiplicative: 2·N(1, 0.2 / 0.8) has variance 4·0.25 = 1.
    EXPECT_NEAR(mean, 2.0, 0.01);
    EXPECT_NEAR(var, additive ? 0.25 : 1.0, 0.02);
    LayerDriver again{layer, n, true, 3, {x}};
    EXPECT_EQ(again.forward(), out) << "the same stream gives the same noise";
  }
}

TEST(GaussianNoiseLayer, GradientsMatchFiniteDifferencesWithTheNoiseFixed) {
  for (GaussianNoiseKind kind : {GaussianNoiseKind::kAdditive, GaussianNoiseKind::kMultiplicative})
    for (bool training : {true, false}) {
      GaussianNoiseLayer layer({2, 3}, kind, 0.3f);
      LayerDriver drv{layer, 2, training, 5, {random_vector(12, 4)}};
      check_layer_gradients("gaussian noise", drv, 1e-2, 1e-3, 1e-5);
    }
}

TEST(GaussianNoiseLayer, BadAmountsAreErrors) {
  EXPECT_ERROR_CONTAINS(gaussian_noise_output_shape({{3}}, GaussianNoiseKind::kAdditive, -1, "layer 1 (gaussianNoise)"),
                        "stddev must be a finite number >= 0", "-1");
  EXPECT_ERROR_CONTAINS(
      gaussian_noise_output_shape({{3}}, GaussianNoiseKind::kMultiplicative, 1, "layer 1 (gaussianDropout)"),
      "rate must be a number in [0, 1)");
}

}  // namespace
}  // namespace nnplay
