// The regression / margin / distribution losses of the loss table (meanAbsoluteError,
// meanAbsolutePercentageError, huberLoss, hinge, squaredHinge, logCosh, kullbackLeiblerDivergence,
// cosineProximity, poisson, meanSquaredLogarithmicError, categoricalHinge): a finite-difference
// gradient check of each backward (in double, on points away from the kinks), a value worked out
// by hand for each, and the compile spec's loss parameters (huberLoss's delta) and errors. TF.js
// parity is in tests/js/tfjs-losses-parity.test.ts.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "nn/registry.h"
#include "test_util.h"
#include "train/loss.h"

namespace nnplay {
namespace {

using test::error_of;
using test::gradients_match;
using test::numeric_gradient;
using test::random_vector;

Config delta_config(double delta) {
  Config c;
  c.set("delta", ConfigValue::num(delta));
  return c;
}

struct LossCase {
  const char* name;
  std::vector<float> pred, y;
  int n, k;
  double expected;  // by hand
  Config params = Config();
};

// Hand-computed: each comment is the arithmetic.
std::vector<LossCase> hand_cases() {
  return {
      // (|1 − 0.5| + |−2 − 1|) / 2
      {"meanAbsoluteError", {1, -2}, {0.5f, 1}, 1, 2, 1.75},
      // 100·(|(2 − 1)/2| + |(−4 − 3)/4|) / 2
      {"meanAbsolutePercentageError", {1, 3}, {2, -4}, 1, 2, 112.5},
      // a zero target divides by ε = 1e-7 (float32): 100·|0 − 1e-6| / 1e-7f
      {"mape", {1e-6f}, {0}, 1, 1, 100.0 * 1e-6f / 1e-7f},
      // e = 0.5: ½·0.25;  e = 3: ½·1 + 1·2;  mean
      {"huberLoss", {1.5f, 4}, {1, 1}, 1, 2, (0.125 + 2.5) / 2},
      // δ = 2: e = 3: ½·4 + 2·1
      {"huber_loss", {1.5f, 4}, {1, 1}, 2, 1, (0.125 + 4.0) / 2, delta_config(2)},
      // max(0, 1 − 0.3) and max(0, 1 + 0.5), and a sample past the margin (0)
      {"hinge", {0.3f, 0.5f, 2, -3}, {1, -1, 1, -1}, 2, 2, (0.7 + 1.5 + 0 + 0) / 4},
      {"squared_hinge", {0.3f, 0.5f, 2, -3}, {1, -1, 1, -1}, 2, 2, (0.49 + 2.25) / 4},
      // log cosh 1 and log cosh 100 = 100 − log 2 (no overflow)
      {"logcosh", {1, 100}, {0, 0}, 1, 2, (std::log(std::cosh(1.0)) + 100.0 - std::log(2.0)) / 2},
      // per sample Σ y·log(y/p), batch mean: sample 2 has y = 0 where p = 0 (contributes 0)
      {"kullbackLeiblerDivergence",
       {0.5f, 0.5f, 1, 0},
       {0.25f, 0.75f, 1, 0},
       2,
       2,
       (0.25 * std::log(0.5) + 0.75 * std::log(1.5) + 0.0) / 2},
      // −cos(45°) and −cos(180°) = +1
      {"cosineProximity", {1, 1, -2, 0}, {1, 0, 3, 0}, 2, 2, (-1.0 / std::sqrt(2.0) + 1.0) / 2},
      // p − y·log(p + ε)
      {"poisson", {2, 0.5f}, {1, 3}, 1, 2, (2 - std::log(2 + 1e-7) + 0.5 - 3 * std::log(0.5 + 1e-7)) / 2},
      // (log 2 − log 1)² and (log 4 − log 2)²; a negative prediction and a zero target both clip to ε
      {"msle", {1, 3, -1, 0}, {0, 1, 0, 0}, 2, 2, 2 * std::log(2.0) * std::log(2.0) / 4},
      // 1 + max(0.2, 0.3) − 0.5 = 0.8; a sample past the margin: 1 + 0 − 2 < 0 gives 0
      {"categoricalHinge", {0.2f, 0.5f, 0.3f, 2, -1, 0}, {0, 1, 0, 1, 0, 0}, 2, 3, 0.4},
  };
}

TEST(Losses, ValuesByHand) {
  for (const LossCase& c : hand_cases()) {
    Loss loss(c.name, ActivationKind::kLinear, c.params);
    EXPECT_NEAR(loss.forward(c.pred.data(), c.y.data(), c.n, c.k), c.expected,
                1e-6 * std::max(1.0, std::fabs(c.expected)))
        << c.name;
  }
}

// Points for the gradient check: predictions and targets whose difference (and margin) keep
// clear of each loss's kink by more than the finite-difference step.
struct GradCase {
  const char* name;
  std::vector<float> pred, y;
  Config params = Config();
};

std::vector<float> away_from(const std::vector<float>& base, std::uint64_t seed, float gap) {
  std::vector<float> v = random_vector(base.size(), seed, gap, 1.5f);
  Rng rng(seed + 1);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = base[i] + (rng.uniform(0, 1) < 0.5f ? -v[i] : v[i]);
  return v;
}

TEST(Losses, GradientsMatchFiniteDifferences) {
  const int n = 4, k = 3;
  const std::vector<float> y = random_vector(n * k, 51, -2, 2);
  std::vector<float> signs(n * k), probs = random_vector(n * k, 52, 0.05f, 0.9f),
                                   rates = random_vector(n * k, 53, 0, 4);
  for (int i = 0; i < n * k; ++i) signs[i] = i % 3 == 0 ? -1.0f : 1.0f;
  // Margins 1 − y·p in ±[0.1, 1.5]: p = y·(1 − m).
  std::vector<float> margins = away_from(std::vector<float>(n * k, 0.0f), 54, 0.1f), margin_pred(n * k);
  for (int i = 0; i < n * k; ++i) margin_pred[i] = signs[i] * (1.0f - margins[i]);
  std::vector<float> huber_pred = y;  // |e| in [0.1, 0.8] or [1.2, 2.5] for δ = 1
  Rng rng(55);
  for (int i = 0; i < n * k; ++i)
    huber_pred[i] += (i % 2 ? 1.0f : -1.0f) * (i % 4 < 2 ? rng.uniform(0.1f, 0.8f) : rng.uniform(1.2f, 2.5f));
  const std::vector<GradCase> cases = {
      {"meanAbsoluteError", away_from(y, 56, 0.05f), y},
      {"meanAbsolutePercentageError", away_from(y, 57, 0.05f), y},
      {"huberLoss", huber_pred, y},
      {"huberLoss", huber_pred, y, delta_config(0.5)},
      {"hinge", margin_pred, signs},
      {"squaredHinge", margin_pred, signs},
      {"logCosh", random_vector(n * k, 58, -3, 3), y},
      {"kullbackLeiblerDivergence", random_vector(n * k, 59, 0.05f, 0.95f), probs},
      {"cosineProximity", random_vector(n * k, 60, -2, 2), y},
      {"poisson", random_vector(n * k, 61, 0.2f, 3), rates},
      {"meanSquaredLogarithmicError", random_vector(n * k, 62, 0.1f, 3), rates},
      // Margins 0.3, −0.4 (no gradient), 1.9 and 1.6, where the best other score is the true
      // class's 0 (its share of the gradient is (1 − y)·1 = 0).
      {"categoricalHinge",
       {0.2f, 0.9f, -0.4f, 1.5f, -0.3f, 0.1f, -0.5f, -0.2f, 0.7f, -1.2f, -0.8f, -0.6f},
       {0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1}},
  };
  for (const GradCase& c : cases) {
    Loss loss(c.name, ActivationKind::kLinear, c.params);
    std::vector<float> pred = c.pred, d(pred.size());
    loss.backward(d.data(), pred.data(), c.y.data(), n, k);
    auto f = [&]() { return loss.forward(pred.data(), c.y.data(), n, k); };
    EXPECT_TRUE(gradients_match(d.data(), numeric_gradient(pred.data(), pred.size(), 1e-3, f), 2e-3, 1e-6)) << c.name;
  }
}

// Sample weights (TF.js's classWeight): the loss is (1/n)·Σ w_i·loss_i, computed by hand from
// the unweighted per-row losses, and the gradient matches finite differences of that, for a
// row-wise loss of each family (fused and not).
TEST(Losses, SampleWeightsWeighEachSamplesLossAndGradient) {
  const int n = 4, k = 3;
  const std::vector<float> w = {2.0f, 0.0f, 0.5f, 1.0f};
  const std::vector<float> y = random_vector(n * k, 71, -1, 1);
  std::vector<float> probs = random_vector(n * k, 72, 0.1f, 0.9f), onehot(n * k, 0.0f), sparse(n);
  for (int i = 0; i < n; ++i) {
    onehot[static_cast<std::size_t>(i) * k + i % k] = 1.0f;
    sparse[static_cast<std::size_t>(i)] = static_cast<float>((i + 1) % k);
  }
  std::vector<float> binary(n * k);
  for (int i = 0; i < n * k; ++i) binary[i] = i % 2 ? 1.0f : 0.0f;
  const std::vector<GradCase> cases = {
      {"meanSquaredError", random_vector(n * k, 73, -1, 1), y},
      {"binaryCrossentropy", probs, binary},
      {"categoricalCrossentropy", probs, onehot},
      {"sparseCategoricalCrossentropy", probs, sparse},
      {"huberLoss", random_vector(n * k, 74, -3, 3), y},
      {"cosineProximity", random_vector(n * k, 75, -2, 2), y},
  };
  for (const GradCase& c : cases) {
    Loss loss(c.name, ActivationKind::kLinear, c.params);
    const int t = loss.target_size(k);
    double by_hand = 0.0;
    for (int i = 0; i < n; ++i)
      by_hand += w[static_cast<std::size_t>(i)] * loss.forward(c.pred.data() + static_cast<std::size_t>(i) * k,
                                                               c.y.data() + static_cast<std::size_t>(i) * t, 1, k);
    EXPECT_NEAR(loss.forward(c.pred.data(), c.y.data(), n, k, w.data()), by_hand / n, 1e-9) << c.name;
    std::vector<float> pred = c.pred, d(pred.size());
    loss.backward(d.data(), pred.data(), c.y.data(), n, k, w.data());
    auto f = [&]() { return loss.forward(pred.data(), c.y.data(), n, k, w.data()); };
    EXPECT_TRUE(gradients_match(d.data(), numeric_gradient(pred.data(), pred.size(), 1e-3, f), 2e-3, 1e-6)) << c.name;
    for (int j = 0; j < k; ++j)
      EXPECT_EQ(d[static_cast<std::size_t>(k + j)], 0.0f) << c.name << ": weight 0, no gradient";
  }
}

// Where TF.js's gradient rules decide: sign(0) = 0, a clipped prediction gets none, a zero row.
TEST(Losses, GradientsAtTheEdgesFollowTfjs) {
  std::vector<float> d(2);
  const std::vector<float> same = {1, -1};
  Loss("mae", ActivationKind::kLinear).backward(d.data(), same.data(), same.data(), 1, 2);
  EXPECT_EQ(d[0], 0.0f);
  EXPECT_EQ(d[1], 0.0f);
  const std::vector<float> p = {0, 0.5f}, y = {0.5f, 0.5f};
  Loss("kld", ActivationKind::kLinear).backward(d.data(), p.data(), y.data(), 1, 2);
  EXPECT_EQ(d[0], 0.0f);  // p = 0 < ε: clipped
  EXPECT_NEAR(d[1], -1.0f, 1e-6);
  // huber at |e| = δ exactly: the quadratic side's slope e (= δ).
  const std::vector<float> hp = {2}, hy = {1};
  std::vector<float> hd(1);
  Loss("huberLoss", ActivationKind::kLinear).backward(hd.data(), hp.data(), hy.data(), 1, 1);
  EXPECT_FLOAT_EQ(hd[0], 1.0f);
  // cosine of a zero prediction: finite value 0 and a finite gradient −ŷ/sqrt(ε).
  const std::vector<float> zp = {0, 0}, zy = {1, 0};
  Loss cos("cosineProximity", ActivationKind::kLinear);
  EXPECT_EQ(cos.forward(zp.data(), zy.data(), 1, 2), 0.0);
  cos.backward(d.data(), zp.data(), zy.data(), 1, 2);
  EXPECT_NEAR(d[0], -1.0 / std::sqrt(static_cast<double>(1e-7f)), 1.0);
  EXPECT_EQ(d[1], 0.0f);
}

TEST(Losses, SnakeCaseAndTfjsAliasesNameTheRows) {
  const std::vector<std::pair<const char*, const char*>> aliases = {
      {"mae", "meanAbsoluteError"},
      {"mean_absolute_error", "meanAbsoluteError"},
      {"mape", "meanAbsolutePercentageError"},
      {"mean_absolute_percentage_error", "meanAbsolutePercentageError"},
      {"huber", "huberLoss"},
      {"huber_loss", "huberLoss"},
      {"squared_hinge", "squaredHinge"},
      {"logcosh", "logCosh"},
      {"log_cosh", "logCosh"},
      {"kld", "kullbackLeiblerDivergence"},
      {"kl_divergence", "kullbackLeiblerDivergence"},
      {"kullback_leibler_divergence", "kullbackLeiblerDivergence"},
      {"cosine", "cosineProximity"},
      {"cosine_proximity", "cosineProximity"},
      {"poisson", "poisson"},
      {"hinge", "hinge"},
      {"msle", "meanSquaredLogarithmicError"},
      {"mean_squared_logarithmic_error", "meanSquaredLogarithmicError"},
      {"categorical_hinge", "categoricalHinge"},
  };
  for (const auto& [alias, name] : aliases) EXPECT_EQ(find_loss(alias).name, name) << alias;
}

TEST(Losses, CompileSpecCarriesHuberDelta) {
  CompileSpec one = parse_compile_spec(R"({"loss":{"name":"huber_loss","delta":2.5}})");
  EXPECT_EQ(one.loss, "huberLoss");
  EXPECT_FLOAT_EQ(one.loss_config.number("delta"), 2.5f);
  const auto resolved = resolve_compile_spec(one, {"out"});
  EXPECT_FLOAT_EQ(resolved[0].loss_config.number("delta"), 2.5f);
  // Per output, by position and by name; a plain name takes the row's default (1).
  CompileSpec list = parse_compile_spec(R"({"loss":["mse",{"name":"huberLoss","delta":0.5}]})");
  auto r = resolve_compile_spec(list, {"a", "b"});
  EXPECT_EQ(r[1].loss, "huberLoss");
  EXPECT_FLOAT_EQ(r[1].loss_config.number("delta"), 0.5f);
  CompileSpec map = parse_compile_spec(R"({"loss":{"b":"mae","a":{"name":"huberLoss","delta":3}}})");
  r = resolve_compile_spec(map, {"a", "b"});
  EXPECT_EQ(r[0].loss, "huberLoss");
  EXPECT_FLOAT_EQ(r[0].loss_config.number("delta"), 3.0f);
  EXPECT_EQ(r[1].loss, "meanAbsoluteError");
  // The loss uses it: e = 3 with δ = 2.5: ½·6.25 + 2.5·0.5.
  const float p = 4, y = 1;
  EXPECT_NEAR(Loss("huberLoss", ActivationKind::kLinear, one.loss_config).forward(&p, &y, 1, 1), 3.125 + 1.25, 1e-9);
}

TEST(Losses, BadLossParametersAreClearErrors) {
  EXPECT_NE(error_of([] { parse_compile_spec(R"({"loss":{"name":"huberLoss","delta":0}})"); }).find("delta must be"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              parse_compile_spec(R"({"loss":{"name":"huberLoss","detla":1}})");
            }).find("unknown field \"detla\"; allowed fields: delta"),
            std::string::npos);
  EXPECT_NE(
      error_of([] { parse_compile_spec(R"({"loss":{"name":"mae","delta":1}})"); }).find("unknown field \"delta\""),
      std::string::npos);
  const std::string unknown = error_of([] { parse_compile_spec(R"({"loss":"meanAbsoluteErr"})"); });
  EXPECT_NE(unknown.find("unknown loss"), std::string::npos);
  EXPECT_NE(unknown.find("huberLoss"), std::string::npos) << unknown;
}

}  // namespace
}  // namespace nnplay
