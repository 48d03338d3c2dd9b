// The autoencoder layers of issue 9 (nn/autoencoder_layers.h): upSampling2d and conv2dTranspose
// against plain-loop references and by finite differences (strides 1 and 2, both paddings, odd
// sizes); gaussianSampling (noise from the pass's stream, the mean at inference) and
// klDivergence (a value by hand, its gradient, β live) by finite differences with the noise
// fixed, alone and as the whole sampling path of a graph; the Trainer's logs of a VAE; errors.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "chain.h"  // build_layer, after the headers it uses
#include "core/rng.h"
#include "data/dataset.h"
#include "kernels/im2col.h"
#include "layer_v2_check.h"
#include "nn/autoencoder_layers.h"
#include "nn/graph.h"
#include "nn/registry.h"
#include "ops/conv2d_transpose.h"
#include "test_util.h"
#include "train/trainer.h"

namespace nnplay {
namespace {

using test::check_layer_gradients;
using test::expect_near_all;
using test::gradients_match;
using test::LayerDriver;
using test::numeric_gradient;
using test::project;
using test::random_vector;

// ---- upSampling2d

TEST(UpSampling2d, RepeatsEveryPixelByHand) {
  BuiltLayer b = build_layer("upSampling2d", R"({"size":[2,3]})", {{2, 2, 1}});
  ASSERT_EQ(b.output_shape, (Shape{4, 6, 1}));
  LayerDriver drv{*b.layer, 1, false};
  drv.inputs = {{1, 2, 3, 4}};
  const std::vector<float> want = {1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4};
  EXPECT_TRUE(expect_near_all(drv.forward(), want, 0, 0));
  // The gradient of a pixel is the sum over its block.
  std::vector<float> d_out(24);
  for (std::size_t i = 0; i < 24; ++i) d_out[i] = static_cast<float>(i);
  const auto d_in = drv.backward(d_out);
  EXPECT_TRUE(expect_near_all(d_in[0],
                              std::vector<float>{0 + 1 + 2 + 6 + 7 + 8, 3 + 4 + 5 + 9 + 10 + 11,
                                                 12 + 13 + 14 + 18 + 19 + 20, 15 + 16 + 17 + 21 + 22 + 23},
                              0, 0));
}

TEST(UpSampling2d, GradientsMatchFiniteDifferences) {
  for (const char* size : {"[2,2]", "[3,1]", "[1,2]"}) {
    BuiltLayer b = build_layer("upSampling2d", std::string(R"({"size":)") + size + "}", {{3, 5, 2}});
    LayerDriver drv{*b.layer, 2, true};
    drv.inputs = {random_vector(2 * 30, 3)};
    check_layer_gradients(std::string("upSampling2d size ") + size, drv, 1e-2, 1e-3, 1e-4);
  }
}

// Bilinear, TF.js 4.22's rule: output row y reads input row y / size (its fraction between that
// row and the next, the last row clamped), the columns likewise.
TEST(UpSampling2d, BilinearInterpolatesAtIOverSizeByHand) {
  BuiltLayer b = build_layer("upSampling2d", R"({"size":[2,2],"interpolation":"bilinear"})", {{2, 2, 1}});
  ASSERT_EQ(b.output_shape, (Shape{4, 4, 1}));
  LayerDriver drv{*b.layer, 1, false};
  drv.inputs = {{1, 2, 3, 4}};
  // Rows 0..3 read input rows 0, 0.5, 1, 1.5 → 1 (clamped); the columns the same.
  const std::vector<float> want = {1, 1.5f, 2, 2, 2, 2.5f, 3, 3, 3, 3.5f, 4, 4, 3, 3.5f, 4, 4};
  EXPECT_TRUE(expect_near_all(drv.forward(), want, 0, 0));
  // All-ones d_out: each input pixel gets the sum of its weights, 1.5 along an axis for index
  // 0 (1 + 0.5) and 2.5 for index 1 (0.5 + 1 + 1).
  const auto d_in = drv.backward(std::vector<float>(16, 1.0f));
  EXPECT_TRUE(expect_near_all(d_in[0], std::vector<float>{2.25f, 3.75f, 3.75f, 6.25f}, 1e-6, 0));
}

TEST(UpSampling2d, BilinearGradientsMatchFiniteDifferences) {
  for (const char* size : {"[2,2]", "[3,1]", "[1,2]", "[3,2]"}) {
    BuiltLayer b =
        build_layer("upSampling2d", std::string(R"({"interpolation":"bilinear","size":)") + size + "}", {{3, 5, 2}});
    LayerDriver drv{*b.layer, 2, true};
    drv.inputs = {random_vector(2 * 30, 5)};
    check_layer_gradients(std::string("bilinear upSampling2d size ") + size, drv, 1e-2, 1e-3, 1e-4);
  }
}

// ---- conv2dTranspose

struct TransposeCase {
  int h, w, c, filters, kh, kw, sh, sw;
  const char* padding;
};

std::string transpose_config(const TransposeCase& t, bool bias = true) {
  return "{\"filters\":" + std::to_string(t.filters) + ",\"kernelSize\":[" + std::to_string(t.kh) + "," +
         std::to_string(t.kw) + "],\"strides\":[" + std::to_string(t.sh) + "," + std::to_string(t.sw) +
         "],\"padding\":\"" + t.padding +
         "\",\"biasInitializer\":\"glorotUniform\",\"useBias\":" + (bias ? "true" : "false") + "}";
}

// The definition, in double: every input pixel scatters in · kernel onto the output window it
// came from in the convolution this one transposes (TF's padding split, via its geometry).
std::vector<double> transpose_reference(const std::vector<float>& in, const Tensor& kernel, const Tensor* bias,
                                        const TransposeCase& t, const Shape& out_shape, int n) {
  const ConvGeometry g = make_conv_geometry(out_shape[0], out_shape[1], t.filters, t.kh, t.kw, t.sh, t.sw,
                                            std::string(t.padding) == "same");
  const int oh = out_shape[0], ow = out_shape[1], f = t.filters;
  std::vector<double> out(static_cast<std::size_t>(n) * oh * ow * f, 0.0);
  for (int b = 0; b < n; ++b)
    for (int iy = 0; iy < t.h; ++iy)
      for (int ix = 0; ix < t.w; ++ix)
        for (int ky = 0; ky < t.kh; ++ky)
          for (int kx = 0; kx < t.kw; ++kx) {
            const int y = iy * t.sh - g.pad_top + ky, x = ix * t.sw - g.pad_left + kx;
            if (y < 0 || y >= oh || x < 0 || x >= ow) continue;
            for (int fo = 0; fo < f; ++fo)
              for (int ci = 0; ci < t.c; ++ci)
                out[((static_cast<std::size_t>(b) * oh + y) * ow + x) * f + fo] +=
                    static_cast<double>(in[((static_cast<std::size_t>(b) * t.h + iy) * t.w + ix) * t.c + ci]) *
                    kernel[((static_cast<std::size_t>(ky) * t.kw + kx) * f + fo) * t.c + ci];
          }
  if (bias)
    for (std::size_t i = 0; i < out.size(); ++i) out[i] += (*bias)[i % static_cast<std::size_t>(f)];
  return out;
}

const std::vector<TransposeCase> kTransposeCases = {
    {3, 3, 2, 3, 3, 3, 1, 1, "valid"}, {3, 3, 2, 3, 3, 3, 1, 1, "same"},  {3, 5, 2, 2, 3, 3, 2, 2, "valid"},
    {3, 5, 2, 2, 3, 3, 2, 2, "same"},  {2, 3, 1, 2, 2, 3, 2, 1, "valid"}, {4, 3, 3, 1, 4, 2, 2, 3, "same"},
    {3, 2, 2, 2, 1, 1, 2, 2, "valid"}, {5, 5, 1, 1, 5, 5, 2, 2, "same"},
};

TEST(Conv2dTranspose, OutputShapesFollowKeras) {
  // Keras deconv_output_length: valid in·s + max(k − s, 0), same in·s.
  EXPECT_EQ(build_layer("conv2dTranspose", transpose_config(kTransposeCases[2]), {{3, 5, 2}}).output_shape,
            (Shape{7, 11, 2}));
  EXPECT_EQ(build_layer("conv2dTranspose", transpose_config(kTransposeCases[3]), {{3, 5, 2}}).output_shape,
            (Shape{6, 10, 2}));
  EXPECT_EQ(build_layer("conv2dTranspose", transpose_config(kTransposeCases[0]), {{3, 3, 2}}).output_shape,
            (Shape{5, 5, 3}));
  EXPECT_EQ(build_layer("conv2dTranspose", transpose_config(kTransposeCases[6]), {{3, 2, 2}}).output_shape,
            (Shape{6, 4, 2}));  // kernel smaller than the stride: gaps stay bias only
  BuiltLayer b = build_layer("conv2dTranspose", transpose_config(kTransposeCases[2]), {{3, 5, 2}});
  EXPECT_EQ(b.variables[0].value->shape(), (Shape{3, 3, 2, 2}));  // [kh, kw, filters, inChannels]
  EXPECT_EQ(b.variables[1].value->shape(), (Shape{2}));
}

TEST(Conv2dTranspose, ForwardMatchesTheScatterDefinition) {
  for (const TransposeCase& t : kTransposeCases) {
    for (bool bias : {true, false}) {
      const std::string cfg = transpose_config(t, bias);
      BuiltLayer b = build_layer("conv2dTranspose", cfg, {{t.h, t.w, t.c}});
      const int n = 2;
      LayerDriver drv{*b.layer, n, false};
      drv.inputs = {random_vector(static_cast<std::size_t>(n) * t.h * t.w * t.c, 5)};
      const std::vector<float>& out = drv.forward();
      const std::vector<double> want = transpose_reference(
          drv.inputs[0], *b.variables[0].value, bias ? b.variables[1].value.get() : nullptr, t, b.output_shape, n);
      ASSERT_EQ(out.size(), want.size()) << cfg;
      for (std::size_t i = 0; i < want.size(); ++i) ASSERT_NEAR(out[i], want[i], 1e-5) << cfg << " index " << i;
    }
  }
}

TEST(Conv2dTranspose, GradientsMatchFiniteDifferences) {
  for (const TransposeCase& t : kTransposeCases) {
    const std::string cfg = transpose_config(t);
    BuiltLayer b = build_layer("conv2dTranspose", cfg, {{t.h, t.w, t.c}});
    LayerDriver drv{*b.layer, 2, true};
    drv.inputs = {random_vector(static_cast<std::size_t>(2) * t.h * t.w * t.c, 9)};
    check_layer_gradients("conv2dTranspose " + cfg, drv, 1e-2, 2e-3, 2e-4);
  }
}

TEST(Conv2dTranspose, LargeBatchesRunInChunksWithTheSameNumbers) {
  // A col of more than kColBudget floats is processed in chunks of samples.
  const TransposeCase t{6, 6, 2, 4, 3, 3, 2, 2, "same"};
  BuiltLayer b = build_layer("conv2dTranspose", transpose_config(t), {{6, 6, 2}});
  const int per_sample = 36 * 3 * 3 * 4;
  const int n = static_cast<int>(Conv2dTransposeLayer::kColBudget / per_sample) + 3;
  LayerDriver drv{*b.layer, n, false};
  drv.inputs = {random_vector(static_cast<std::size_t>(n) * 72, 2)};
  const std::vector<float> out = drv.forward();
  LayerDriver last{*b.layer, 1, false};
  last.inputs = {std::vector<float>(drv.inputs[0].end() - 72, drv.inputs[0].end())};
  const std::vector<float>& one = last.forward();
  EXPECT_TRUE(
      expect_near_all(std::vector<float>(out.end() - static_cast<std::ptrdiff_t>(one.size()), out.end()), one, 0, 0));
}

// ---- gaussianSampling

TEST(GaussianSampling, DrawsFromThePassStreamInTrainingAndReturnsTheMeanAtInference) {
  BuiltLayer b = build_layer("gaussianSampling", "{}", {{3}, {3}});
  ASSERT_EQ(b.output_shape, (Shape{3}));
  LayerDriver drv{*b.layer, 2, true};
  drv.inputs = {{0.5f, -1.0f, 2.0f, 0.0f, 0.25f, -0.5f}, {0.0f, std::log(4.0f), -2.0f, 1.0f, 0.0f, -0.5f}};
  const std::vector<float> z = drv.forward();
  Rng rng(drv.rng_seed);
  for (std::size_t i = 0; i < 6; ++i) {
    const float eps = rng.normal();
    EXPECT_FLOAT_EQ(z[i], drv.inputs[0][i] + std::exp(0.5f * drv.inputs[1][i]) * eps) << i;
  }
  EXPECT_EQ(drv.forward(), z);  // the same stream, the same bits
  drv.rng_seed = 100;
  EXPECT_NE(drv.forward(), z);
  drv.training = false;
  EXPECT_EQ(drv.forward(), drv.inputs[0]);  // inference: the mean
}

TEST(GaussianSampling, SamplesAtInferenceWhenAskedFromItsOwnSeededStream) {
  BuiltLayer a = build_layer("gaussianSampling", R"({"sampleAtInference":true,"seed":7})", {{4}, {4}});
  BuiltLayer b = build_layer("gaussianSampling", R"({"sampleAtInference":true,"seed":7})", {{4}, {4}});
  LayerDriver da{*a.layer, 3, false}, db{*b.layer, 3, false};
  da.inputs = db.inputs = {random_vector(12, 1), random_vector(12, 2)};
  const std::vector<float> first = da.forward();
  EXPECT_EQ(db.forward(), first);  // same seed, same bits
  EXPECT_NE(da.forward(), first);  // the stream goes on: a new sample per call
  EXPECT_NE(first, da.inputs[0]);
}

TEST(GaussianSampling, GradientsMatchFiniteDifferencesWithTheNoiseFixed) {
  for (const char* cfg : {"{}", R"({"seed":3})"}) {
    BuiltLayer b = build_layer("gaussianSampling", cfg, {{2, 3}, {2, 3}});
    LayerDriver drv{*b.layer, 3, true};  // the driver re-seeds the pass's Rng every forward: ε is fixed
    drv.inputs = {random_vector(18, 4), random_vector(18, 5, -1.5f, 1.5f)};
    check_layer_gradients(std::string("gaussianSampling ") + cfg, drv, 1e-2, 2e-3, 2e-4);
  }
}

// ---- klDivergence

TEST(KlDivergence, ValueByHandAndThePassThrough) {
  BuiltLayer b = build_layer("klDivergence", R"({"beta":0.5})", {{2}, {2}});
  LayerDriver drv{*b.layer, 2, true};
  // Sample 0: mean [1, 0], logVar [0, ln 2]: −0.5·((1 + 0 − 1 − 1) + (1 + ln 2 − 0 − 2)) = 1 − 0.5·ln 2.
  // Sample 1: N(0, 1) exactly: 0.
  drv.inputs = {{1.0f, 0.0f, 0.0f, 0.0f}, {0.0f, std::log(2.0f), 0.0f, 0.0f}};
  EXPECT_EQ(drv.forward(), drv.inputs[0]);
  const double kl = (1.0 - 0.5 * std::log(2.0)) / 2.0;  // the batch mean
  EXPECT_NEAR(b.layer->log_figure(), kl, 1e-6);
  EXPECT_NEAR(b.layer->added_loss(), 0.5 * kl, 1e-6);
  EXPECT_TRUE(b.layer->set_live_number("beta", 2.0));
  EXPECT_NEAR(b.layer->added_loss(), 2.0 * kl, 1e-6);
  EXPECT_FALSE(b.layer->set_live_number("gamma", 2.0));
  EXPECT_ERROR_CONTAINS(b.layer->set_live_number("beta", -1.0), "beta must be a finite number >= 0", "-1");
  EXPECT_ERROR_CONTAINS(b.layer->set_live_number("beta", NAN), "beta must be a finite number >= 0");
}

TEST(KlDivergence, GradientsMatchFiniteDifferences) {
  for (const char* cfg : {R"({"beta":1})", R"({"beta":0.3})", R"({"beta":0})"}) {
    BuiltLayer b = build_layer("klDivergence", cfg, {{5}, {5}});
    LayerDriver drv{*b.layer, 4, true};
    drv.inputs = {random_vector(20, 6, -2.0f, 2.0f), random_vector(20, 7, -2.0f, 2.0f)};
    check_layer_gradients(std::string("klDivergence ") + cfg, drv, 1e-2, 2e-3, 2e-4);
  }
}

// x [4] -> mean (dense 2), logVar (dense 2) -> kl -> sampling -> out (dense 4, sigmoid)
std::string vae_spec(double beta = 1.0) {
  return R"({"format":"nnplay-graph","seed":5,"layers":[
    {"name":"x","type":"input","config":{"shape":[4]}},
    {"name":"h","type":"dense","config":{"units":3,"activation":"tanh"},"inbound":[["x"]]},
    {"name":"mean","type":"dense","config":{"units":2},"inbound":[["h"]]},
    {"name":"logVar","type":"dense","config":{"units":2,"biasInitializer":"glorotUniform"},"inbound":[["h"]]},
    {"name":"kl","type":"klDivergence","config":{"beta":)" +
         std::to_string(beta) + R"(},"inbound":[["mean","logVar"]]},
    {"name":"z","type":"sampling","inbound":[["kl","logVar"]]},
    {"name":"out","type":"dense","config":{"units":4,"activation":"sigmoid"},"inbound":[["z"]]}],
    "inputs":["x"],"outputs":["out"]})";
}

TEST(KlDivergence, TheWholeSamplingPathMatchesFiniteDifferencesWithTheNoiseFixed) {
  Graph g(parse_graph_spec(vae_spec(0.7)));
  const int n = 3;
  const std::vector<float> x = random_vector(n * 4, 8);
  const std::vector<float> r = random_vector(static_cast<std::size_t>(n) * 4, 77);
  Rng rng(0);
  auto loss = [&] {
    rng = Rng(123);  // the same ε in every evaluation
    g.forward(PassContext{true, &rng, n}, {x.data()});
    return project(g.output(0).data(), r) + g.added_loss();
  };
  const double at = loss();
  EXPECT_GT(g.added_loss(), 0.0);
  EXPECT_NEAR(at, project(g.output(0).data(), r) + g.added_loss(), 0);
  g.backward(PassContext{true, &rng, n}, 0, r.data());
  std::vector<std::vector<float>> grads;
  for (const Variable& v : g.variables()) grads.emplace_back(v.grad->data(), v.grad->data() + v.grad->size());
  for (std::size_t k = 0; k < grads.size(); ++k) {
    Variable& v = g.variables()[k];
    EXPECT_TRUE(
        gradients_match(grads[k].data(), numeric_gradient(v.value->data(), v.value->size(), 1e-2, loss), 2e-2, 3e-4))
        << v.name;
  }
}

Dataset vae_data(int n) {
  Dataset d;
  d.x.resize({n, 4});
  Rng rng(3);
  for (std::size_t i = 0; i < d.x.size(); ++i) d.x[i] = rng.uniform() < 0.5f ? 0.0f : 1.0f;
  d.y = d.x;
  return d;
}

TEST(KlDivergence, TrainerLogsTheReconstructionAndTheKlApartAndBetaChangesLive) {
  Graph g(parse_graph_spec(vae_spec(1.0)));
  CompileSpec c =
      parse_compile_spec(R"({"optimizer":{"name":"adam","learningRate":0.01},"loss":"binaryCrossentropy"})");
  Trainer t(g, c);
  EXPECT_EQ(t.log_names(), (std::vector<std::string>{"loss", "out_loss", "kl"}));
  const Dataset data = vae_data(64);
  Logs one = t.train_steps(data, 1, 16, false);
  EXPECT_GT(one.get("kl"), 0.0);
  EXPECT_NEAR(one.get("loss"), one.get("out_loss") + 1.0 * one.get("kl"), 1e-9);
  g.set_layer_number("kl", "beta", 0.25);
  one = t.train_steps(data, 1, 16, false);
  EXPECT_NEAR(one.get("loss"), one.get("out_loss") + 0.25 * one.get("kl"), 1e-9);
  EXPECT_NE(graph_spec_to_json(g.spec()).find("\"beta\":0.25"), std::string::npos);
  Logs ev = t.evaluate(data, 16);
  EXPECT_GT(ev.get("kl"), 0.0);
  EXPECT_NEAR(ev.get("loss"), ev.get("out_loss") + 0.25 * ev.get("kl"), 1e-6);
  EXPECT_ERROR_CONTAINS(g.set_layer_number("out", "beta", 1), "layer \"out\" (dense) has no parameter \"beta\"");
  EXPECT_ERROR_CONTAINS(g.set_layer_number("nope", "beta", 1), "no layer named \"nope\"");
  EXPECT_ERROR_CONTAINS(g.set_layer_number("kl", "beta", -2), "beta must be a finite number >= 0");
}

TEST(KlDivergence, SameSeedSameBits) {
  auto train = [] {
    Graph g(parse_graph_spec(vae_spec(1.0)));
    Trainer t(g, parse_compile_spec(R"({"optimizer":"adam","loss":"binaryCrossentropy"})"));
    t.train_steps(vae_data(64), 20, 8, true);
    std::vector<float> w;
    for (const Variable& v : g.variables()) w.insert(w.end(), v.value->data(), v.value->data() + v.value->size());
    return w;
  };
  EXPECT_EQ(train(), train());
}

// ---- errors

TEST(AutoencoderLayers, BadInputsNameTheLayerAndWhatIsAllowed) {
  auto spec_with = [](const std::string& layer, const std::string& inputs) {
    return R"({"format":"nnplay-graph","layers":[
      {"name":"a","type":"input","config":{"shape":[2]}},
      {"name":"b","type":"input","config":{"shape":[3]}},
      {"name":"img","type":"input","config":{"shape":[4,4,1]}},)" +
           layer + R"(],"inputs":[)" + inputs + R"(],"outputs":["l"]})";
  };
  EXPECT_ERROR_CONTAINS(
      Graph(parse_graph_spec(spec_with(R"({"name":"l","type":"sampling","inbound":[["a","b"]]})", R"("a","b","img")"))),
      "layer \"l\" (gaussianSampling)", "zMean and zLogVar of the same shape", "[2] and [3]");
  EXPECT_ERROR_CONTAINS(Graph(parse_graph_spec(spec_with(R"({"name":"l","type":"gaussianSampling","inbound":[["a"]]})",
                                                         R"("a","b","img")"))),
                        "gaussianSampling");
  EXPECT_ERROR_CONTAINS(Graph(parse_graph_spec(spec_with(R"({"name":"l","type":"klDivergence","inbound":[["a","b"]]})",
                                                         R"("a","b","img")"))),
                        "layer \"l\" (klDivergence)", "same shape");
  EXPECT_ERROR_CONTAINS(
      Graph(parse_graph_spec(spec_with(R"({"name":"l","type":"upSampling2d","inbound":[["a"]]})", R"("a","b","img")"))),
      "layer \"l\" (upSampling2d)", "needs an image input [height, width, channels]", "[2]");
  EXPECT_ERROR_CONTAINS(
      Graph(parse_graph_spec(
          spec_with(R"({"name":"l","type":"upSampling2d","config":{"interpolation":"bicubic"},"inbound":[["img"]]})",
                    R"("a","b","img")"))),
      "interpolation", "bicubic", "bilinear");
  EXPECT_ERROR_CONTAINS(
      Graph(parse_graph_spec(
          spec_with(R"({"name":"l","type":"conv2dTranspose","config":{"filters":2,"kernelSize":3},"inbound":[["b"]]})",
                    R"("a","b","img")"))),
      "layer \"l\" (conv2dTranspose)", "needs an image input", "[3]");
  EXPECT_ERROR_CONTAINS(Graph(parse_graph_spec(spec_with(
                            R"({"name":"l","type":"conv2dTranspose","config":{"kernelSize":3},"inbound":[["img"]]})",
                            R"("a","b","img")"))),
                        "filters");
  EXPECT_ERROR_CONTAINS(
      Graph(parse_graph_spec(spec_with(
          R"({"name":"l","type":"klDivergence","config":{"beta":-1},"inbound":[["a","a"]]})", R"("a","b","img")"))),
      "beta");
}

}  // namespace
}  // namespace nnplay
