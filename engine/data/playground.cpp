// The TensorFlow Playground datasets, features, split and grid (see playground.h for the
// contract and for where we differ from tensorflow/playground on purpose).
#include "data/playground.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/check.h"
#include "core/json.h"
#include "core/json_depth.h"
#include "core/strings.h"

namespace nnplay {
namespace {

constexpr double kPi = 3.14159265358979323846;

int dataset_index(const std::string& name) {
  const auto& names = playground_dataset_names();
  auto it = std::find(names.begin(), names.end(), name);
  NNPLAY_CHECK(it != names.end(), "unknown dataset \"" << name << "\": allowed are " << join_names(names));
  return static_cast<int>(it - names.begin());
}

float clamp_unit(double v) { return static_cast<float>(std::min(1.0, std::max(-1.0, v))); }

// Each generator appends n points. `noise` is a fraction (percent / 100) as in dataset.ts.
// Classification generators put the positive class first; make_playground shuffles later.

void gen_circle(PlaygroundPoints& p, int n, double noise, Rng& rng) {
  const double radius = 5.0;
  // The label comes from the noisy position but the point is drawn at the clean one, as in
  // TF Playground: noise flips labels near the boundary instead of blurring the picture.
  auto add = [&](double r_lo, double r_hi) {
    double r = rng.uniform(static_cast<float>(r_lo), static_cast<float>(r_hi));
    double angle = rng.uniform(0.0f, static_cast<float>(2.0 * kPi));
    double x = r * std::sin(angle);
    double y = r * std::cos(angle);
    double nx = rng.uniform(-5.0f, 5.0f) * noise;
    double ny = rng.uniform(-5.0f, 5.0f) * noise;
    bool inside = std::sqrt((x + nx) * (x + nx) + (y + ny) * (y + ny)) < radius * 0.5;
    p.xy.push_back(static_cast<float>(x));
    p.xy.push_back(static_cast<float>(y));
    p.label.push_back(inside ? 1.0f : 0.0f);
  };
  int positive = (n + 1) / 2;
  for (int i = 0; i < positive; ++i) add(0.0, radius * 0.5);
  for (int i = positive; i < n; ++i) add(radius * 0.7, radius);
}

void gen_xor(PlaygroundPoints& p, int n, double noise, Rng& rng) {
  // The 0.3 padding keeps clean points off the axes, where the label flips.
  const double padding = 0.3;
  for (int i = 0; i < n; ++i) {
    double x = rng.uniform(-5.0f, 5.0f);
    x += x > 0 ? padding : -padding;
    double y = rng.uniform(-5.0f, 5.0f);
    y += y > 0 ? padding : -padding;
    double nx = rng.uniform(-5.0f, 5.0f) * noise;
    double ny = rng.uniform(-5.0f, 5.0f) * noise;
    p.xy.push_back(static_cast<float>(x));
    p.xy.push_back(static_cast<float>(y));
    p.label.push_back((x + nx) * (y + ny) >= 0 ? 1.0f : 0.0f);
  }
}

void gen_gauss(PlaygroundPoints& p, int n, double noise, Rng& rng) {
  // Variance grows linearly from 0.5 (no noise) to 4 (noise 50 %), as TF's d3 scale does.
  double variance = 0.5 + (4.0 - 0.5) * (noise / 0.5);
  double stddev = std::sqrt(variance);
  auto add = [&](double cx, double cy, float label) {
    double x = cx + stddev * rng.normal();
    double y = cy + stddev * rng.normal();
    p.xy.push_back(static_cast<float>(x));
    p.xy.push_back(static_cast<float>(y));
    p.label.push_back(label);
  };
  int positive = (n + 1) / 2;
  for (int i = 0; i < positive; ++i) add(2.0, 2.0, 1.0f);
  for (int i = positive; i < n; ++i) add(-2.0, -2.0, 0.0f);
}

void gen_spiral(PlaygroundPoints& p, int n, double noise, Rng& rng) {
  // Two interleaved arms, 1.75 turns each, radius growing to 5.
  auto arm = [&](int count, double delta_t, float label) {
    for (int i = 0; i < count; ++i) {
      double frac = static_cast<double>(i) / count;
      double r = frac * 5.0;
      double t = 1.75 * frac * 2.0 * kPi + delta_t;
      double x = r * std::sin(t) + rng.uniform(-1.0f, 1.0f) * noise;
      double y = r * std::cos(t) + rng.uniform(-1.0f, 1.0f) * noise;
      p.xy.push_back(static_cast<float>(x));
      p.xy.push_back(static_cast<float>(y));
      p.label.push_back(label);
    }
  };
  int positive = (n + 1) / 2;
  arm(positive, 0.0, 1.0f);
  arm(n - positive, kPi, 0.0f);
}

// Regression: the target is read at a noisy position, the point is drawn at the clean one.
template <typename TargetFn>
void gen_regression(PlaygroundPoints& p, int n, double noise, Rng& rng, TargetFn target) {
  const float radius = kPlaygroundDomain;
  for (int i = 0; i < n; ++i) {
    double x = rng.uniform(-radius, radius);
    double y = rng.uniform(-radius, radius);
    double nx = rng.uniform(-radius, radius) * noise;
    double ny = rng.uniform(-radius, radius) * noise;
    p.xy.push_back(static_cast<float>(x));
    p.xy.push_back(static_cast<float>(y));
    p.label.push_back(clamp_unit(target(x + nx, y + ny)));
  }
}

double plane_target(double x, double y) { return (x + y) / 10.0; }

// ---- lesson datasets (beyond TF Playground) -------------------------------------------------

void gen_moons(PlaygroundPoints& p, int n, double noise, Rng& rng) {
  // scikit-learn's make_moons geometry (upper arc at the origin, lower arc shifted by (1, 0.5)),
  // centred and scaled by 3 to fill the drawing domain; Gaussian jitter of 6·noise (noise 10 %
  // is scikit-learn's noise=0.2 at this scale).
  const double scale = 3.0;
  const double jitter = 6.0 * noise;
  int upper = (n + 1) / 2;
  for (int i = 0; i < n; ++i) {
    bool is_upper = i < upper;
    int count = is_upper ? upper : n - upper;
    int k = is_upper ? i : i - upper;
    double t = count > 1 ? kPi * k / (count - 1) : 0.0;
    double x = is_upper ? std::cos(t) : 1.0 - std::cos(t);
    double y = is_upper ? std::sin(t) : 0.5 - std::sin(t);
    p.xy.push_back(static_cast<float>(scale * (x - 0.5) + jitter * rng.normal()));
    p.xy.push_back(static_cast<float>(scale * (y - 0.25) + jitter * rng.normal()));
    p.label.push_back(is_upper ? 0.0f : 1.0f);
  }
}

void gen_blobs(PlaygroundPoints& p, int n, double noise, int classes, Rng& rng) {
  // `classes` Gaussian clusters on a circle of radius 3.5, class k at angle pi/2 + 2·pi·k/K;
  // the spread grows from 0.6 (no noise) to 2.1 (50 %), where neighbours overlap.
  const double stddev = 0.6 + 3.0 * noise;
  for (int i = 0; i < n; ++i) {
    int k = i % classes;
    double angle = kPi / 2 + 2.0 * kPi * k / classes;
    p.xy.push_back(static_cast<float>(3.5 * std::cos(angle) + stddev * rng.normal()));
    p.xy.push_back(static_cast<float>(3.5 * std::sin(angle) + stddev * rng.normal()));
    p.label.push_back(static_cast<float>(k));
  }
}

void gen_spirals(PlaygroundPoints& p, int n, double noise, int classes, Rng& rng) {
  // TF Playground's spiral arm (1.75 turns, radius to 5), `classes` arms turned by 2·pi/K.
  for (int i = 0; i < n; ++i) {
    int k = i % classes;
    int in_arm = i / classes;
    int arm_size = (n - k + classes - 1) / classes;
    double frac = static_cast<double>(in_arm) / arm_size;
    double r = frac * 5.0;
    double t = 1.75 * frac * 2.0 * kPi + 2.0 * kPi * k / classes;
    p.xy.push_back(static_cast<float>(r * std::sin(t) + rng.uniform(-1.0f, 1.0f) * noise));
    p.xy.push_back(static_cast<float>(r * std::cos(t) + rng.uniform(-1.0f, 1.0f) * noise));
    p.label.push_back(static_cast<float>(k));
  }
}

// 1-D regression: x uniform in [-half_width, half_width], drawn at (x, 0), the target is
// fn(x) plus Gaussian noise of standard deviation noise · 2 (noise 50 % gives 1.0).
template <typename TargetFn>
void gen_curve(PlaygroundPoints& p, int n, double noise, double half_width, Rng& rng, TargetFn fn) {
  for (int i = 0; i < n; ++i) {
    double x = rng.uniform(static_cast<float>(-half_width), static_cast<float>(half_width));
    double y = fn(x) + 2.0 * noise * rng.normal();
    p.xy.push_back(static_cast<float>(x));
    p.xy.push_back(0.0f);
    p.label.push_back(static_cast<float>(y));
  }
}

enum DatasetId { kCircle, kXor, kGauss, kSpiral, kRegPlane, kRegGauss, kMoons, kBlobs, kSpirals, kLine, kWave };

double gauss_mixture_target(double x, double y) {
  // Six bumps of radius 2 with alternating signs; the strongest one (in |value|) wins.
  static const double kBumps[6][3] = {{-4, 2.5, 1},   {0, 2.5, -1}, {4, 2.5, 1},
                                      {-4, -2.5, -1}, {0, -2.5, 1}, {4, -2.5, -1}};
  double label = 0.0;
  for (const auto& b : kBumps) {
    double d = std::sqrt((x - b[0]) * (x - b[0]) + (y - b[1]) * (y - b[1]));
    double v = b[2] * std::min(1.0, std::max(0.0, 1.0 - d / 2.0));
    if (std::fabs(v) > std::fabs(label)) label = v;
  }
  return label;
}

}  // namespace

const std::vector<std::string>& playground_dataset_names() {
  // In DatasetId order.
  static const std::vector<std::string> names = {"circle", "xor",   "gauss",   "spiral", "reg-plane", "reg-gauss",
                                                 "moons",  "blobs", "spirals", "line",   "wave"};
  return names;
}

const std::vector<std::string>& playground_feature_names() {
  static const std::vector<std::string> names = {"x1", "x2", "x1Squared", "x2Squared", "x1x2", "sinX1", "sinX2"};
  return names;
}

bool playground_is_classification(const std::string& dataset) {
  int id = dataset_index(dataset);
  return id != kRegPlane && id != kRegGauss && id != kLine && id != kWave;
}

int playground_num_classes(const std::string& dataset, int classes) {
  int id = dataset_index(dataset);
  if (!playground_is_classification(dataset)) return 0;
  return id == kBlobs || id == kSpirals ? classes : 2;
}

PlaygroundPoints generate_playground_points(const std::string& dataset, int num_points, float noise_percent, Rng& rng,
                                            int classes) {
  int which = dataset_index(dataset);
  NNPLAY_CHECK(num_points > 0 && num_points <= kPlaygroundMaxPoints,
               "numPoints must be an integer in [1, " << kPlaygroundMaxPoints << "], got " << num_points);
  NNPLAY_CHECK(std::isfinite(noise_percent) && noise_percent >= 0.0f && noise_percent <= 50.0f,
               "noise must be a percentage in [0, 50], got " << noise_percent);
  NNPLAY_CHECK(classes >= kPlaygroundMinClasses && classes <= kPlaygroundMaxClasses,
               "classes must be an integer in [" << kPlaygroundMinClasses << ", " << kPlaygroundMaxClasses << "], got "
                                                 << classes);
  double noise = noise_percent / 100.0;
  PlaygroundPoints p;
  p.xy.reserve(2 * static_cast<std::size_t>(num_points));
  p.label.reserve(static_cast<std::size_t>(num_points));
  switch (which) {
    case kCircle: gen_circle(p, num_points, noise, rng); break;
    case kXor: gen_xor(p, num_points, noise, rng); break;
    case kGauss: gen_gauss(p, num_points, noise, rng); break;
    case kSpiral: gen_spiral(p, num_points, noise, rng); break;
    case kRegPlane: gen_regression(p, num_points, noise, rng, plane_target); break;
    case kRegGauss: gen_regression(p, num_points, noise, rng, gauss_mixture_target); break;
    case kMoons: gen_moons(p, num_points, noise, rng); break;
    case kBlobs: gen_blobs(p, num_points, noise, classes, rng); break;
    case kSpirals: gen_spirals(p, num_points, noise, classes, rng); break;
    case kLine: gen_curve(p, num_points, noise, 1.0, rng, [](double x) { return 2.0 * x + 1.0; }); break;
    default: gen_curve(p, num_points, noise, 3.0, rng, [](double x) { return std::sin(x); }); break;
  }
  return p;
}

std::vector<int> parse_playground_features(const std::vector<std::string>& names) {
  const auto& allowed = playground_feature_names();
  NNPLAY_CHECK(!names.empty(), "features must name at least one input feature: allowed are " << join_names(allowed));
  std::vector<int> out;
  for (const auto& name : names) {
    auto it = std::find(allowed.begin(), allowed.end(), name);
    NNPLAY_CHECK(it != allowed.end(), "unknown feature \"" << name << "\": allowed are " << join_names(allowed));
    int idx = static_cast<int>(it - allowed.begin());
    NNPLAY_CHECK(std::find(out.begin(), out.end(), idx) == out.end(),
                 "feature \"" << name << "\" is listed twice: name each feature at most once");
    out.push_back(idx);
  }
  return out;
}

void compute_playground_features(float* out, const std::vector<int>& features, float x1, float x2) {
  for (std::size_t i = 0; i < features.size(); ++i) {
    float v = 0.0f;
    switch (features[i]) {
      case 0: v = x1; break;
      case 1: v = x2; break;
      case 2: v = x1 * x1; break;
      case 3: v = x2 * x2; break;
      case 4: v = x1 * x2; break;
      case 5: v = std::sin(x1); break;
      case 6: v = std::sin(x2); break;
      default: NNPLAY_CHECK(false, "feature index " << features[i] << " is out of range [0, 6]");
    }
    out[i] = v;
  }
}

Dataset make_feature_dataset(const float* xy, const float* labels, int n, const std::vector<int>& features) {
  NNPLAY_CHECK(n >= 0, "point count must be >= 0, got " << n);
  NNPLAY_CHECK(!features.empty(), "features must name at least one input feature");
  const int f = static_cast<int>(features.size());
  Dataset d;
  d.x.resize({n, f});
  d.y.resize({n, 1});
  for (int i = 0; i < n; ++i) {
    compute_playground_features(d.x.data() + static_cast<std::size_t>(i) * f, features, xy[2 * i], xy[2 * i + 1]);
    d.y[static_cast<std::size_t>(i)] = labels[i];
  }
  return d;
}

Dataset make_playground_grid(int grid_size, const std::vector<int>& features) {
  NNPLAY_CHECK(
      grid_size >= kPlaygroundMinGrid && grid_size <= kPlaygroundMaxGrid,
      "gridSize must be an integer in [" << kPlaygroundMinGrid << ", " << kPlaygroundMaxGrid << "], got " << grid_size);
  NNPLAY_CHECK(!features.empty(), "features must name at least one input feature");
  const int f = static_cast<int>(features.size());
  const int n = grid_size * grid_size;
  Dataset d;
  d.x.resize({n, f});
  d.y.resize({n, 1});
  // Computed in double from the index so the edge rows and columns land exactly on ±6.
  const double step = 2.0 * kPlaygroundDomain / (grid_size - 1);
  for (int r = 0; r < grid_size; ++r) {
    float x2 = static_cast<float>(kPlaygroundDomain - step * r);
    for (int c = 0; c < grid_size; ++c) {
      float x1 = static_cast<float>(-kPlaygroundDomain + step * c);
      std::size_t row = static_cast<std::size_t>(r) * grid_size + c;
      compute_playground_features(d.x.data() + row * f, features, x1, x2);
    }
  }
  return d;
}

// ---- config -------------------------------------------------------------------------------

namespace {

// JSON numbers from JS arrive as integers or doubles; accept a double only when integral.
bool json_integer(JsonValue v, double lo, double hi, double* out) {
  if (!v.is_number()) return false;
  double d = v.as_double();
  if (!std::isfinite(d) || d != std::floor(d) || d < lo || d > hi) return false;
  *out = d;
  return true;
}

}  // namespace

PlaygroundConfig parse_playground_config(const std::string& text) {
  check_json_depth(text, kMaxJsonDepth, "playground config");
  const JsonDocument doc = parse_json(text, "playground config is not valid JSON: ");
  const JsonValue j = doc.root();
  NNPLAY_CHECK(j.is_object(),
               "playground config must be a JSON object like "
               "{\"dataset\":\"circle\",\"numPoints\":500,...}");
  static const std::vector<std::string> keys = {"dataset", "numPoints", "noise",    "trainRatio",
                                                "seed",    "features",  "gridSize", "classes"};
  for (auto it = j.begin(); it != j.end(); ++it) {
    NNPLAY_CHECK(std::find(keys.begin(), keys.end(), it.key()) != keys.end(),
                 "unknown playground config key \"" << it.key() << "\": allowed are " << join_names(keys));
  }
  PlaygroundConfig c;
  double d = 0;
  if (j.contains("dataset")) {
    NNPLAY_CHECK(j["dataset"].is_string(),
                 "dataset must be a string: one of " << join_names(playground_dataset_names()));
    c.dataset = j["dataset"].as_string();
  }
  if (j.contains("numPoints")) {
    NNPLAY_CHECK(json_integer(j["numPoints"], 1, kPlaygroundMaxPoints, &d),
                 "numPoints must be an integer in [1, " << kPlaygroundMaxPoints << "], got " << j["numPoints"].dump());
    c.num_points = static_cast<int>(d);
  }
  if (j.contains("noise")) {
    JsonValue v = j["noise"];
    NNPLAY_CHECK(v.is_number() && v.as_double() >= 0 && v.as_double() <= 50,
                 "noise must be a percentage in [0, 50], got " << v.dump());
    c.noise = v.as_float();
  }
  if (j.contains("trainRatio")) {
    JsonValue v = j["trainRatio"];
    NNPLAY_CHECK(v.is_number() && v.as_double() >= 10 && v.as_double() <= 90,
                 "trainRatio must be a percentage in [10, 90], got " << v.dump());
    c.train_ratio = v.as_float();
  }
  if (j.contains("seed")) {
    // 2^53: the largest integer a JS number carries exactly.
    NNPLAY_CHECK(json_integer(j["seed"], 0, 9007199254740992.0, &d),
                 "seed must be an integer in [0, 2^53], got " << j["seed"].dump());
    c.seed = static_cast<std::uint64_t>(d);
  }
  if (j.contains("features")) {
    JsonValue v = j["features"];
    NNPLAY_CHECK(v.is_array(), "features must be an array of names from " << join_names(playground_feature_names()));
    c.features.clear();
    for (const auto& name : v) {
      NNPLAY_CHECK(name.is_string(), "features must be an array of names from "
                                         << join_names(playground_feature_names()) << ", got " << name.dump());
      c.features.push_back(name.as_string());
    }
  }
  if (j.contains("gridSize")) {
    NNPLAY_CHECK(json_integer(j["gridSize"], kPlaygroundMinGrid, kPlaygroundMaxGrid, &d),
                 "gridSize must be an integer in [" << kPlaygroundMinGrid << ", " << kPlaygroundMaxGrid << "], got "
                                                    << j["gridSize"].dump());
    c.grid_size = static_cast<int>(d);
  }
  if (j.contains("classes")) {
    NNPLAY_CHECK(json_integer(j["classes"], kPlaygroundMinClasses, kPlaygroundMaxClasses, &d),
                 "classes must be an integer in [" << kPlaygroundMinClasses << ", " << kPlaygroundMaxClasses
                                                   << "], got " << j["classes"].dump());
    c.classes = static_cast<int>(d);
  }
  validate_playground_config(c);
  return c;
}

void validate_playground_config(const PlaygroundConfig& c) {
  dataset_index(c.dataset);
  NNPLAY_CHECK(c.num_points > 0 && c.num_points <= kPlaygroundMaxPoints,
               "numPoints must be an integer in [1, " << kPlaygroundMaxPoints << "], got " << c.num_points);
  NNPLAY_CHECK(std::isfinite(c.noise) && c.noise >= 0.0f && c.noise <= 50.0f,
               "noise must be a percentage in [0, 50], got " << c.noise);
  NNPLAY_CHECK(std::isfinite(c.train_ratio) && c.train_ratio >= 10.0f && c.train_ratio <= 90.0f,
               "trainRatio must be a percentage in [10, 90], got " << c.train_ratio);
  parse_playground_features(c.features);
  NNPLAY_CHECK(c.grid_size >= kPlaygroundMinGrid && c.grid_size <= kPlaygroundMaxGrid,
               "gridSize must be an integer in [" << kPlaygroundMinGrid << ", " << kPlaygroundMaxGrid << "], got "
                                                  << c.grid_size);
  NNPLAY_CHECK(c.classes >= kPlaygroundMinClasses && c.classes <= kPlaygroundMaxClasses,
               "classes must be an integer in [" << kPlaygroundMinClasses << ", " << kPlaygroundMaxClasses << "], got "
                                                 << c.classes);
}

PlaygroundData make_playground(const PlaygroundConfig& config) {
  validate_playground_config(config);
  const std::vector<int> features = parse_playground_features(config.features);
  Rng rng(config.seed);
  PlaygroundPoints pts =
      generate_playground_points(config.dataset, config.num_points, config.noise, rng, config.classes);
  const int n = pts.size();
  const int num_train = static_cast<int>(std::floor(static_cast<double>(n) * config.train_ratio / 100.0));
  NNPLAY_CHECK(num_train > 0 && num_train < n, "numPoints "
                                                   << n << " with trainRatio " << config.train_ratio
                                                   << "% leaves the train or the test set empty: use more points");

  // Fisher-Yates with the same generator: the order depends only on the seed and the
  // points, so changing trainRatio moves the cut, not the points.
  std::vector<int> order(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) order[static_cast<std::size_t>(i)] = i;
  for (int i = n - 1; i > 0; --i) {
    int k = static_cast<int>(rng.below(static_cast<std::uint32_t>(i + 1)));
    std::swap(order[static_cast<std::size_t>(i)], order[static_cast<std::size_t>(k)]);
  }

  PlaygroundData out;
  out.num_train = num_train;
  out.num_test = n - num_train;
  out.points.resize(2 * static_cast<std::size_t>(n));
  out.labels.resize(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    std::size_t src = static_cast<std::size_t>(order[static_cast<std::size_t>(i)]);
    out.points[2 * static_cast<std::size_t>(i)] = pts.xy[2 * src];
    out.points[2 * static_cast<std::size_t>(i) + 1] = pts.xy[2 * src + 1];
    out.labels[static_cast<std::size_t>(i)] = pts.label[src];
  }
  out.train = make_feature_dataset(out.points.data(), out.labels.data(), num_train, features);
  out.test = make_feature_dataset(out.points.data() + 2 * static_cast<std::size_t>(num_train),
                                  out.labels.data() + num_train, out.num_test, features);
  out.grid = make_playground_grid(config.grid_size, features);
  return out;
}

}  // namespace nnplay
