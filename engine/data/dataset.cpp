#include "data/dataset.h"

#include <cmath>

#include "kernels/vec.h"

namespace nnplay {
namespace {

// Names the first non-finite value of t ([n, cols]) as "sample i, column j", or throws nothing.
void check_finite(const Tensor& t, const char* what) {
  const std::size_t i = vec_find_non_finite(t.data(), t.size());
  if (i == t.size()) return;
  const std::size_t cols = t.rank() && t.dim(0) > 0 ? t.size() / static_cast<std::size_t>(t.dim(0)) : 1;
  throw Error(std::string("dataset ") + what + " holds " + (std::isnan(t[i]) ? "NaN" : "Infinity") + " at sample " +
              std::to_string(i / cols) + ", column " + std::to_string(i % cols) +
              "; every value must be a finite number");
}

}  // namespace

void validate_dataset(const Dataset& data) { validate_training_data(TrainingData(data)); }

void validate_training_data(const TrainingData& data) {
  const bool single = data.xs.size() == 1 && data.ys.size() <= 1;
  auto name = [&](const char* base, std::size_t i) {
    return single ? std::string(base) : std::string(base) + "[" + std::to_string(i) + "]";
  };
  NNPLAY_CHECK(!data.xs.empty(), "dataset needs inputs x [n, features]");
  for (std::size_t i = 0; i < data.xs.size(); ++i) {
    const Tensor& x = *data.xs[i];
    for (std::size_t j = 0; j < data.ys.size(); ++j) {
      const Tensor& y = *data.ys[j];
      NNPLAY_CHECK(x.rank() >= 1 && y.rank() >= 1,
                   "dataset needs inputs x [n, features] and targets y [n, outputs]; got "
                       << name("x", i) << " " << shape_to_string(x.shape()) << ", " << name("y", j) << " "
                       << shape_to_string(y.shape()));
      NNPLAY_CHECK(x.dim(0) == y.dim(0), "dataset " << name("x", i) << " has " << x.dim(0) << " samples but "
                                                    << name("y", j) << " has " << y.dim(0) << "; they must match");
    }
    NNPLAY_CHECK(x.rank() >= 1 && x.dim(0) == data.xs[0]->dim(0),
                 "dataset " << name("x", i) << " has " << (x.rank() ? x.dim(0) : 0) << " samples but x[0] has "
                            << data.xs[0]->dim(0) << "; they must match");
  }
  for (std::size_t i = 0; i < data.xs.size(); ++i) check_finite(*data.xs[i], name("x", i).c_str());
  for (std::size_t j = 0; j < data.ys.size(); ++j) check_finite(*data.ys[j], name("y", j).c_str());
}

}  // namespace nnplay
