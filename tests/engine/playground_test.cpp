// Tests of the TensorFlow Playground datasets: determinism, split sizes, geometry of each
// dataset, features on a hand case, grid corners, and the errors bad configs get.
#include "data/playground.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace nnplay {
namespace {

PlaygroundConfig config_of(const std::string& dataset, int n = 500, float noise = 0.0f, std::uint64_t seed = 7) {
  PlaygroundConfig c;
  c.dataset = dataset;
  c.num_points = n;
  c.noise = noise;
  c.seed = seed;
  c.grid_size = 10;
  return c;
}

// Runs fn, expects an nnplay::Error whose message contains every given fragment.
template <typename Fn>
void expect_error(Fn fn, const std::vector<std::string>& fragments) {
  try {
    fn();
    ADD_FAILURE() << "expected an Error containing \"" << fragments.front() << "\"";
  } catch (const Error& e) {
    for (const auto& f : fragments)
      EXPECT_NE(std::string(e.what()).find(f), std::string::npos)
          << "message \"" << e.what() << "\" lacks \"" << f << "\"";
  }
}

int count_ones(const std::vector<float>& labels) {
  return static_cast<int>(std::count(labels.begin(), labels.end(), 1.0f));
}

TEST(Playground, SameSeedSameDataDifferentSeedDifferentData) {
  for (const auto& name : playground_dataset_names()) {
    PlaygroundData a = make_playground(config_of(name, 200, 10.0f, 3));
    PlaygroundData b = make_playground(config_of(name, 200, 10.0f, 3));
    PlaygroundData c = make_playground(config_of(name, 200, 10.0f, 4));
    EXPECT_EQ(a.points, b.points) << name;
    EXPECT_EQ(a.labels, b.labels) << name;
    ASSERT_EQ(a.train.x.size(), b.train.x.size());
    for (std::size_t i = 0; i < a.train.x.size(); ++i) ASSERT_EQ(a.train.x[i], b.train.x[i]);
    EXPECT_NE(a.points, c.points) << name;
  }
}

TEST(Playground, SplitSizesFollowTrainRatio) {
  struct Case {
    int n;
    float ratio;
    int train;
  };
  for (Case k : {Case{500, 50, 250}, Case{500, 10, 50}, Case{500, 90, 450}, Case{101, 33, 33}, Case{7, 50, 3}}) {
    PlaygroundConfig c = config_of("xor", k.n);
    c.train_ratio = k.ratio;
    c.features = {"x1", "x2", "x1x2"};
    PlaygroundData d = make_playground(c);
    EXPECT_EQ(d.num_train, k.train);
    EXPECT_EQ(d.num_test, k.n - k.train);
    EXPECT_EQ(d.train.x.shape(), (Shape{k.train, 3}));
    EXPECT_EQ(d.train.y.shape(), (Shape{k.train, 1}));
    EXPECT_EQ(d.test.x.shape(), (Shape{k.n - k.train, 3}));
    EXPECT_EQ(d.test.y.shape(), (Shape{k.n - k.train, 1}));
    EXPECT_EQ(d.points.size(), 2u * k.n);
    EXPECT_EQ(d.labels.size(), static_cast<std::size_t>(k.n));
    EXPECT_EQ(d.grid.x.shape(), (Shape{100, 3}));
  }
}

TEST(Playground, TrainRatioMovesTheCutNotThePoints) {
  PlaygroundConfig c = config_of("spiral", 300, 20.0f);
  c.train_ratio = 20;
  PlaygroundData a = make_playground(c);
  c.train_ratio = 80;
  PlaygroundData b = make_playground(c);
  EXPECT_EQ(a.points, b.points);
  EXPECT_EQ(a.labels, b.labels);
  // The datasets hold the same points as the drawing buffer, train first then test.
  for (int i = 0; i < b.num_test; ++i) {
    EXPECT_EQ(b.test.x[2 * i], b.points[2 * (b.num_train + i)]);
    EXPECT_EQ(b.test.x[2 * i + 1], b.points[2 * (b.num_train + i) + 1]);
    EXPECT_EQ(b.test.y[i], b.labels[b.num_train + i]);
  }
}

TEST(Playground, SplitIsAShuffledPermutationOfTheGeneratedPoints) {
  PlaygroundConfig c = config_of("gauss", 400, 30.0f);
  PlaygroundData d = make_playground(c);
  Rng rng(c.seed);
  PlaygroundPoints raw = generate_playground_points("gauss", 400, 30.0f, rng);
  std::vector<std::pair<float, float>> a, b;
  for (int i = 0; i < 400; ++i) {
    a.emplace_back(raw.xy[2 * i], raw.xy[2 * i + 1]);
    b.emplace_back(d.points[2 * i], d.points[2 * i + 1]);
  }
  EXPECT_NE(a, b);  // shuffled: gauss generates all positives first
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  EXPECT_EQ(a, b);
  // Both classes reach both splits.
  auto ones_in = [&](int from, int to) {
    int k = 0;
    for (int i = from; i < to; ++i) k += d.labels[i] == 1.0f;
    return k;
  };
  EXPECT_GT(ones_in(0, d.num_train), 50);
  EXPECT_LT(ones_in(0, d.num_train), 150);
}

TEST(Playground, CircleGeometry) {
  Rng rng(1);
  PlaygroundPoints p = generate_playground_points("circle", 501, 0.0f, rng);
  ASSERT_EQ(p.size(), 501);
  EXPECT_EQ(count_ones(p.label), 251);
  for (int i = 0; i < p.size(); ++i) {
    float r = std::hypot(p.xy[2 * i], p.xy[2 * i + 1]);
    if (p.label[i] == 1.0f) {
      EXPECT_LT(r, 2.5f);
    } else {
      EXPECT_EQ(p.label[i], 0.0f);
      EXPECT_GE(r, 3.5f - 1e-5f);
      EXPECT_LE(r, 5.0f + 1e-5f);
    }
  }
  // With noise the label is read at a jittered position: some points near the ring flip,
  // but the drawn positions keep the same radii.
  Rng noisy_rng(1);
  PlaygroundPoints q = generate_playground_points("circle", 500, 50.0f, noisy_rng);
  int flipped = 0;
  for (int i = 0; i < q.size(); ++i) {
    float r = std::hypot(q.xy[2 * i], q.xy[2 * i + 1]);
    EXPECT_TRUE(r < 2.5f || (r >= 3.5f - 1e-5f && r <= 5.0f + 1e-5f));
    flipped += (r < 2.5f) != (q.label[i] == 1.0f);
  }
  EXPECT_GT(flipped, 10);
  EXPECT_LT(flipped, 250);
}

TEST(Playground, XorGeometry) {
  Rng rng(2);
  PlaygroundPoints p = generate_playground_points("xor", 1000, 0.0f, rng);
  for (int i = 0; i < p.size(); ++i) {
    float x = p.xy[2 * i], y = p.xy[2 * i + 1];
    EXPECT_GE(std::fabs(x), 0.3f - 1e-6f);
    EXPECT_GE(std::fabs(y), 0.3f - 1e-6f);
    EXPECT_LE(std::fabs(x), 5.3f + 1e-5f);
    EXPECT_LE(std::fabs(y), 5.3f + 1e-5f);
    EXPECT_EQ(p.label[i], x * y >= 0 ? 1.0f : 0.0f);
  }
  int ones = count_ones(p.label);
  EXPECT_GT(ones, 400);
  EXPECT_LT(ones, 600);
}

TEST(Playground, GaussGeometry) {
  Rng rng(3);
  PlaygroundPoints p = generate_playground_points("gauss", 2000, 0.0f, rng);
  EXPECT_EQ(count_ones(p.label), 1000);
  double sum[2][2] = {{0, 0}, {0, 0}};
  for (int i = 0; i < p.size(); ++i) {
    int c = p.label[i] == 1.0f ? 1 : 0;
    sum[c][0] += p.xy[2 * i];
    sum[c][1] += p.xy[2 * i + 1];
  }
  // Means within ~5 standard errors (stddev sqrt(0.5), 1000 points each).
  EXPECT_NEAR(sum[1][0] / 1000, 2.0, 0.12);
  EXPECT_NEAR(sum[1][1] / 1000, 2.0, 0.12);
  EXPECT_NEAR(sum[0][0] / 1000, -2.0, 0.12);
  EXPECT_NEAR(sum[0][1] / 1000, -2.0, 0.12);
}

TEST(Playground, SpiralGeometry) {
  Rng rng(4);
  PlaygroundPoints p = generate_playground_points("spiral", 400, 0.0f, rng);
  EXPECT_EQ(count_ones(p.label), 200);
  // Without noise the arms are exact: point i of an arm has radius 5·i/200.
  for (int i = 0; i < 200; ++i) {
    EXPECT_NEAR(std::hypot(p.xy[2 * i], p.xy[2 * i + 1]), 5.0 * i / 200, 1e-4);
    EXPECT_NEAR(std::hypot(p.xy[2 * (200 + i)], p.xy[2 * (200 + i) + 1]), 5.0 * i / 200, 1e-4);
    // The negative arm is the positive one turned by pi.
    EXPECT_NEAR(p.xy[2 * (200 + i)], -p.xy[2 * i], 1e-4);
    EXPECT_NEAR(p.xy[2 * (200 + i) + 1], -p.xy[2 * i + 1], 1e-4);
  }
}

TEST(Playground, RegressionTargets) {
  Rng rng(5);
  PlaygroundPoints plane = generate_playground_points("reg-plane", 500, 0.0f, rng);
  for (int i = 0; i < plane.size(); ++i) {
    float x = plane.xy[2 * i], y = plane.xy[2 * i + 1];
    EXPECT_LE(std::fabs(x), 6.0f);
    EXPECT_LE(std::fabs(y), 6.0f);
    EXPECT_NEAR(plane.label[i], std::min(1.0f, std::max(-1.0f, (x + y) / 10.0f)), 1e-5f);
  }
  PlaygroundPoints bumps = generate_playground_points("reg-gauss", 2000, 0.0f, rng);
  int positive_near_left_top = 0, near = 0;
  for (int i = 0; i < bumps.size(); ++i) {
    float x = bumps.xy[2 * i], y = bumps.xy[2 * i + 1], t = bumps.label[i];
    EXPECT_GE(t, -1.0f);
    EXPECT_LE(t, 1.0f);
    // Near the centre of the (-4, 2.5, +1) bump the target is close to +1.
    float d = std::hypot(x + 4.0f, y - 2.5f);
    if (d < 0.5f) {
      ++near;
      positive_near_left_top += t > 0.74f;
    }
    // Far from every bump the target is 0.
    if (std::fabs(y) > 5.0f) {
      EXPECT_EQ(t, 0.0f);
    }
  }
  EXPECT_GT(near, 5);
  EXPECT_EQ(positive_near_left_top, near);
  // Noise can push the plane beyond the corners: targets stay clamped to [-1, 1].
  PlaygroundPoints noisy = generate_playground_points("reg-plane", 500, 50.0f, rng);
  for (float t : noisy.label) {
    EXPECT_GE(t, -1.0f);
    EXPECT_LE(t, 1.0f);
  }
}

TEST(Playground, FeaturesOnAHandCase) {
  std::vector<int> all = parse_playground_features(playground_feature_names());
  float out[7];
  compute_playground_features(out, all, 2.0f, -3.0f);
  EXPECT_EQ(out[0], 2.0f);
  EXPECT_EQ(out[1], -3.0f);
  EXPECT_EQ(out[2], 4.0f);
  EXPECT_EQ(out[3], 9.0f);
  EXPECT_EQ(out[4], -6.0f);
  EXPECT_FLOAT_EQ(out[5], 0.9092974f);
  EXPECT_FLOAT_EQ(out[6], -0.14112f);
  // Order follows the request, not the list of names.
  std::vector<int> some = parse_playground_features({"sinX2", "x1Squared", "x1"});
  float three[3];
  compute_playground_features(three, some, 2.0f, -3.0f);
  EXPECT_FLOAT_EQ(three[0], -0.14112f);
  EXPECT_EQ(three[1], 4.0f);
  EXPECT_EQ(three[2], 2.0f);
  // make_feature_dataset maps each point and copies the labels.
  float xy[4] = {2.0f, -3.0f, 0.5f, 1.0f};
  float labels[2] = {1.0f, 0.0f};
  Dataset d = make_feature_dataset(xy, labels, 2, parse_playground_features({"x1x2", "x2Squared"}));
  EXPECT_EQ(d.x.shape(), (Shape{2, 2}));
  EXPECT_EQ(d.x[0], -6.0f);
  EXPECT_EQ(d.x[1], 9.0f);
  EXPECT_EQ(d.x[2], 0.5f);
  EXPECT_EQ(d.x[3], 1.0f);
  EXPECT_EQ(d.y[0], 1.0f);
  EXPECT_EQ(d.y[1], 0.0f);
}

TEST(Playground, GridCornersAndOrder) {
  std::vector<int> f = parse_playground_features({"x1", "x2"});
  Dataset g = make_playground_grid(3, f);
  ASSERT_EQ(g.x.shape(), (Shape{9, 2}));
  const float expected[9][2] = {{-6, 6}, {0, 6}, {6, 6}, {-6, 0}, {0, 0}, {6, 0}, {-6, -6}, {0, -6}, {6, -6}};
  for (int i = 0; i < 9; ++i) {
    EXPECT_EQ(g.x[2 * i], expected[i][0]) << "row " << i;
    EXPECT_EQ(g.x[2 * i + 1], expected[i][1]) << "row " << i;
  }
  Dataset big = make_playground_grid(100, parse_playground_features({"x2", "x1", "x1Squared"}));
  ASSERT_EQ(big.x.shape(), (Shape{10000, 3}));
  auto at = [&](int r, int c, int k) { return big.x[(r * 100 + c) * 3 + k]; };
  EXPECT_EQ(at(0, 0, 1), -6.0f);  // top-left: x1 = -6, x2 = +6
  EXPECT_EQ(at(0, 0, 0), 6.0f);
  EXPECT_EQ(at(0, 0, 2), 36.0f);
  EXPECT_EQ(at(0, 99, 1), 6.0f);   // top-right
  EXPECT_EQ(at(99, 0, 0), -6.0f);  // bottom-left
  EXPECT_EQ(at(99, 99, 1), 6.0f);  // bottom-right
  EXPECT_EQ(at(99, 99, 0), -6.0f);
  EXPECT_NEAR(at(0, 1, 1) - at(0, 0, 1), 12.0f / 99, 1e-5f);
}

TEST(Playground, ParsesConfigJson) {
  PlaygroundConfig c =
      parse_playground_config(R"({"dataset":"spiral","numPoints":300,"noise":25,"trainRatio":70,"seed":12,)"
                              R"("features":["x1","sinX2"],"gridSize":50})");
  EXPECT_EQ(c.dataset, "spiral");
  EXPECT_EQ(c.num_points, 300);
  EXPECT_EQ(c.noise, 25.0f);
  EXPECT_EQ(c.train_ratio, 70.0f);
  EXPECT_EQ(c.seed, 12u);
  EXPECT_EQ(c.features, (std::vector<std::string>{"x1", "sinX2"}));
  EXPECT_EQ(c.grid_size, 50);
  PlaygroundConfig defaults = parse_playground_config("{}");
  EXPECT_EQ(defaults.dataset, "circle");
  EXPECT_EQ(defaults.num_points, 500);
  EXPECT_EQ(defaults.grid_size, 100);
  EXPECT_EQ(parse_playground_config(R"({"numPoints":40.0})").num_points, 40);
}

TEST(Playground, BadConfigsSayWhatIsAllowed) {
  auto parse = [](const std::string& json) { return [json] { parse_playground_config(json); }; };
  expect_error(parse(R"({"dataset":"moon"})"),
               {"unknown dataset \"moon\"", "circle, xor, gauss, spiral, reg-plane, reg-gauss, moons, blobs"});
  expect_error(parse(R"({"dataset":"blobs","classes":1})"), {"classes", "[2, 8]", "got 1"});
  expect_error(parse(R"({"dataset":"blobs","classes":9})"), {"classes", "[2, 8]"});
  expect_error(parse(R"({"classes":2.5})"), {"classes", "integer"});
  expect_error(parse(R"({"noise":51})"), {"noise", "[0, 50]"});
  expect_error(parse(R"({"noise":-1})"), {"noise", "[0, 50]"});
  expect_error(parse(R"({"trainRatio":5})"), {"trainRatio", "[10, 90]"});
  expect_error(parse(R"({"trainRatio":95})"), {"trainRatio", "[10, 90]"});
  expect_error(parse(R"({"numPoints":0})"), {"numPoints", "got 0"});
  expect_error(parse(R"({"numPoints":-3})"), {"numPoints", "got -3"});
  expect_error(parse(R"({"numPoints":12.5})"), {"numPoints", "integer"});
  expect_error(parse(R"({"features":[]})"), {"at least one", "x1, x2, x1Squared"});
  expect_error(parse(R"({"features":["x3"]})"), {"unknown feature \"x3\"", "sinX2"});
  expect_error(parse(R"({"features":["x1","x1"]})"), {"twice"});
  expect_error(parse(R"({"features":"x1"})"), {"features must be an array"});
  expect_error(parse(R"({"gridSize":1})"), {"gridSize", "[2, 512]"});
  expect_error(parse(R"({"gridSize":513})"), {"gridSize", "[2, 512]"});
  expect_error(parse(R"({"seed":-1})"), {"seed"});
  expect_error(parse(R"({"datset":"xor"})"), {"unknown playground config key \"datset\""});
  expect_error(parse("{\"dataset\":"), {"not valid JSON"});
  expect_error(parse("[1,2]"), {"JSON object"});
  // A split that would leave one side empty.
  expect_error([] { make_playground(config_of("xor", 1)); }, {"empty"});
  // Direct API calls check too.
  Rng rng(1);
  expect_error([&] { generate_playground_points("xor", 0, 0.0f, rng); }, {"numPoints"});
  expect_error([&] { generate_playground_points("xor", 10, 60.0f, rng); }, {"noise"});
  expect_error([&] { make_playground_grid(600, {0}); }, {"gridSize"});
  expect_error([&] { playground_is_classification("nope"); }, {"allowed are"});
  EXPECT_TRUE(playground_is_classification("spiral"));
  EXPECT_FALSE(playground_is_classification("reg-gauss"));
  expect_error([&] { generate_playground_points("blobs", 10, 0.0f, rng, 0); }, {"classes"});
}

// ---- the lessons' datasets ----------------------------------------------------------------

TEST(Playground, LessonDatasetsKnowTheirKindAndClassCount) {
  EXPECT_EQ(playground_num_classes("moons", 5), 2);
  EXPECT_EQ(playground_num_classes("blobs", 5), 5);
  EXPECT_EQ(playground_num_classes("spirals", 4), 4);
  EXPECT_EQ(playground_num_classes("circle", 5), 2);
  EXPECT_EQ(playground_num_classes("line", 5), 0);
  EXPECT_EQ(playground_num_classes("wave", 5), 0);
  EXPECT_FALSE(playground_is_classification("line"));
  EXPECT_TRUE(playground_is_classification("blobs"));
}

TEST(Playground, MoonsGeometry) {
  Rng rng(8);
  PlaygroundPoints p = generate_playground_points("moons", 201, 0.0f, rng);
  ASSERT_EQ(p.size(), 201);
  EXPECT_EQ(count_ones(p.label), 100);
  // Without noise each point lies on its arc: upper arc centred at (-1.5, -0.75), radius 3, in
  // y >= -0.75; lower arc centred at (1.5, 0.75), radius 3, in y <= 0.75.
  for (int i = 0; i < p.size(); ++i) {
    float x = p.xy[2 * i], y = p.xy[2 * i + 1];
    bool upper = p.label[i] == 0.0f;
    float cx = upper ? -1.5f : 1.5f, cy = upper ? -0.75f : 0.75f;
    EXPECT_NEAR(std::hypot(x - cx, y - cy), 3.0, 1e-4) << i;
    if (upper)
      EXPECT_GE(y, -0.75f - 1e-4f);
    else
      EXPECT_LE(y, 0.75f + 1e-4f);
  }
  // The arcs end where they should: the upper one from (1.5, -0.75) to (-4.5, -0.75).
  EXPECT_NEAR(p.xy[0], 1.5f, 1e-4f);
  EXPECT_NEAR(p.xy[2 * 100], -4.5f, 1e-4f);
  // Noise moves points off the arcs.
  Rng noisy_rng(8);
  PlaygroundPoints q = generate_playground_points("moons", 201, 20.0f, noisy_rng);
  double off = 0;
  for (int i = 0; i < 101; ++i) off += std::fabs(std::hypot(q.xy[2 * i] + 1.5, q.xy[2 * i + 1] + 0.75) - 3.0);
  EXPECT_GT(off / 101, 0.3);
}

TEST(Playground, BlobsAreBalancedClustersAroundACircle) {
  for (int classes : {3, 5}) {
    Rng rng(9);
    const int n = 3000;
    PlaygroundPoints p = generate_playground_points("blobs", n, 0.0f, rng, classes);
    std::vector<double> sx(classes), sy(classes);
    std::vector<int> count(classes);
    for (int i = 0; i < n; ++i) {
      int k = static_cast<int>(p.label[i]);
      ASSERT_EQ(static_cast<float>(k), p.label[i]);
      ASSERT_GE(k, 0);
      ASSERT_LT(k, classes);
      count[k]++;
      sx[k] += p.xy[2 * i];
      sy[k] += p.xy[2 * i + 1];
    }
    for (int k = 0; k < classes; ++k) {
      EXPECT_EQ(count[k], n / classes + (k < n % classes ? 1 : 0));
      double angle = 3.14159265358979 / 2 + 2 * 3.14159265358979 * k / classes;
      // Mean of ~600-1000 samples of spread 0.6: within 0.1 of the centre (> 4 standard errors).
      EXPECT_NEAR(sx[k] / count[k], 3.5 * std::cos(angle), 0.1) << classes << " " << k;
      EXPECT_NEAR(sy[k] / count[k], 3.5 * std::sin(angle), 0.1) << classes << " " << k;
    }
  }
}

TEST(Playground, SpiralsArmsAreTurnedCopies) {
  Rng rng(10);
  const int classes = 3, n = 300;
  PlaygroundPoints p = generate_playground_points("spirals", n, 0.0f, rng, classes);
  for (int i = 0; i < n; ++i) EXPECT_EQ(p.label[i], static_cast<float>(i % classes));
  // Point j of arm k is point j of arm 0 turned by 2·pi·k/3 (same radius 5·j/100).
  for (int j = 0; j < n / classes; ++j) {
    float x0 = p.xy[2 * (j * classes)], y0 = p.xy[2 * (j * classes) + 1];
    EXPECT_NEAR(std::hypot(x0, y0), 5.0 * j / 100, 1e-4);
    for (int k = 1; k < classes; ++k) {
      double a = 2 * 3.14159265358979 * k / classes;
      // x = r sin(t), y = r cos(t): adding a to t turns (x, y) clockwise by a.
      float xk = p.xy[2 * (j * classes + k)], yk = p.xy[2 * (j * classes + k) + 1];
      EXPECT_NEAR(xk, x0 * std::cos(a) + y0 * std::sin(a), 1e-4);
      EXPECT_NEAR(yk, -x0 * std::sin(a) + y0 * std::cos(a), 1e-4);
    }
  }
}

TEST(Playground, LineAndWaveAreOneDimensionalCurvesWithGaussianNoise) {
  Rng rng(11);
  PlaygroundPoints clean = generate_playground_points("line", 500, 0.0f, rng);
  for (int i = 0; i < clean.size(); ++i) {
    float x = clean.xy[2 * i];
    EXPECT_LE(std::fabs(x), 1.0f);
    EXPECT_EQ(clean.xy[2 * i + 1], 0.0f);
    EXPECT_NEAR(clean.label[i], 2.0f * x + 1.0f, 1e-5f);
  }
  Rng wave_rng(11);
  PlaygroundPoints wave = generate_playground_points("wave", 500, 0.0f, wave_rng);
  for (int i = 0; i < wave.size(); ++i) {
    EXPECT_LE(std::fabs(wave.xy[2 * i]), 3.0f);
    EXPECT_NEAR(wave.label[i], std::sin(wave.xy[2 * i]), 1e-5f);
  }
  // Noise 25 % is a standard deviation of 0.5 around the line (4000 samples: within 0.03).
  Rng noisy_rng(12);
  PlaygroundPoints noisy = generate_playground_points("line", 4000, 25.0f, noisy_rng);
  double sum = 0, sum_sq = 0;
  for (int i = 0; i < noisy.size(); ++i) {
    double r = noisy.label[i] - (2.0 * noisy.xy[2 * i] + 1.0);
    sum += r;
    sum_sq += r * r;
  }
  double mean = sum / noisy.size();
  EXPECT_NEAR(mean, 0.0, 0.03);
  EXPECT_NEAR(std::sqrt(sum_sq / noisy.size() - mean * mean), 0.5, 0.03);
}

TEST(Playground, ClassesReachTheSplitAndLabels) {
  PlaygroundConfig c =
      parse_playground_config(R"({"dataset":"blobs","numPoints":400,"classes":4,"seed":3,"gridSize":4})");
  EXPECT_EQ(c.classes, 4);
  PlaygroundData d = make_playground(c);
  float top = *std::max_element(d.labels.begin(), d.labels.end());
  EXPECT_EQ(top, 3.0f);
  EXPECT_EQ(d.train.y.size() + d.test.y.size(), 400u);
}

}  // namespace
}  // namespace nnplay
