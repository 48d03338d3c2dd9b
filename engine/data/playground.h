// The TensorFlow Playground problem: six seeded 2-D datasets, a train/test split, the input
// features computed from each point, and a grid over the domain for decision heatmaps.
//
// Geometry follows tensorflow/playground's src/dataset.ts (circle, xor, gauss, spiral,
// reg-plane, reg-gauss), with three deliberate differences:
//  - classification labels are 0/1 (TF Playground uses -1/+1) so they fit sigmoid +
//    binaryCrossentropy directly;
//  - randomness comes from a seeded nnplay::Rng, so the same config gives the same points
//    on every platform;
//  - regression targets are clamped to [-1, 1] (TF's reg-plane slightly exceeds it in the
//    corners and with noise), so a tanh output can always reach them.
// Noise is a percentage 0..50 as on the TF Playground slider (the generators use noise/100).
//
// Beyond TF Playground, for the lessons (web/app/lessons): "moons" (two interleaved half
// circles, labels 0/1), "blobs" and "spirals" (`classes` Gaussian clusters or spiral arms,
// labels 0 .. classes-1, for softmax), and two 1-D regression sets whose points are (x, 0)
// with the target as label: "line" (y = 2x + 1 + noise, x in [-1, 1]) and "wave"
// (y = sin(x) + noise, x in [-3, 3]).
//
// What it is not: a general dataset loader. It produces nnplay::Dataset values that the
// trainer consumes like any other.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/rng.h"
#include "data/dataset.h"

namespace nnplay {

// The drawing and grid domain: both coordinates in [-kPlaygroundDomain, +kPlaygroundDomain].
// Generated points stay inside it, except gauss points with much noise (as in TF Playground,
// whose Gaussians are not truncated either).
constexpr float kPlaygroundDomain = 6.0f;

// "circle" "xor" "gauss" "spiral" "reg-plane" "reg-gauss" "moons" "blobs" "spirals" "line" "wave".
const std::vector<std::string>& playground_dataset_names();
// "x1" "x2" "x1Squared" "x2Squared" "x1x2" "sinX1" "sinX2".
const std::vector<std::string>& playground_feature_names();
// True for circle/xor/gauss/spiral/moons/blobs/spirals. Throws Error for an unknown name
// (listing the allowed ones).
bool playground_is_classification(const std::string& dataset);
// Number of label values: 0 for regression sets, `classes` for blobs and spirals, else 2.
int playground_num_classes(const std::string& dataset, int classes);

// Class count limits of blobs and spirals (the `classes` config key).
constexpr int kPlaygroundMinClasses = 2;
constexpr int kPlaygroundMaxClasses = 8;

// Raw points before features: coordinates [n, 2] (x1, x2) and one label per point.
struct PlaygroundPoints {
  std::vector<float> xy;
  std::vector<float> label;
  int size() const { return static_cast<int>(label.size()); }
};

// Generates num_points points of the named dataset. noise_percent in [0, 50]; classes (blobs
// and spirals only, ignored by the others) in [2, 8].
// Throws Error for an unknown name, num_points <= 0, noise or classes out of range.
PlaygroundPoints generate_playground_points(const std::string& dataset, int num_points, float noise_percent, Rng& rng,
                                            int classes = 3);

// Feature names resolved once to indices into playground_feature_names(). Throws Error for
// an empty list, an unknown name or a repeated name.
std::vector<int> parse_playground_features(const std::vector<std::string>& names);
// Writes the selected features of one point to out[0 .. features.size()).
void compute_playground_features(float* out, const std::vector<int>& features, float x1, float x2);

// x = features of each point [n, features.size()], y = labels [n, 1].
Dataset make_feature_dataset(const float* xy, const float* labels, int n, const std::vector<int>& features);
// grid_size² points, row-major from the top-left (x1 = -6, x2 = +6) to the bottom-right
// (x1 = +6, x2 = -6): row r has x2 = 6 - 12·r/(g-1), column c has x1 = -6 + 12·c/(g-1).
// x = features [g², features.size()], y = zeros [g², 1]. grid_size in [2, 512].
Dataset make_playground_grid(int grid_size, const std::vector<int>& features);

struct PlaygroundConfig {
  std::string dataset = "circle";
  int num_points = 500;
  float noise = 0.0f;         // percent, 0..50
  float train_ratio = 50.0f;  // percent of points used for training, 10..90
  std::uint64_t seed = 0;
  std::vector<std::string> features = {"x1", "x2"};
  int grid_size = 100;
  int classes = 3;  // blobs and spirals: number of classes, 2..8
};

// Limits, named in error messages.
constexpr int kPlaygroundMaxPoints = 1000000;
constexpr int kPlaygroundMinGrid = 2;
constexpr int kPlaygroundMaxGrid = 512;

// Parses {"dataset":"circle","numPoints":500,"noise":0,"trainRatio":50,"seed":1,
// "features":["x1","x2"],"gridSize":100,"classes":3}; missing fields keep the defaults above, unknown
// keys are rejected (a typo would otherwise be silently ignored). Validates. Throws Error.
PlaygroundConfig parse_playground_config(const std::string& json);
void validate_playground_config(const PlaygroundConfig& config);

// Everything the playground page needs for one configuration.
struct PlaygroundData {
  Dataset train;  // features + labels of the training points
  Dataset test;
  Dataset grid;
  // Raw coordinates [num_train + num_test, 2] and labels, train points first, for drawing.
  std::vector<float> points;
  std::vector<float> labels;
  int num_train = 0;
  int num_test = 0;
};

// Generates the points from config.seed, shuffles them (seeded) and splits the first
// floor(n · trainRatio / 100) into train, the rest into test, as TF Playground does.
// Throws Error for an invalid config or a split that would leave train or test empty.
PlaygroundData make_playground(const PlaygroundConfig& config);

}  // namespace nnplay
