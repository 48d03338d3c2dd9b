// Tensor: an owned, 64-byte-aligned float32 buffer with a shape.
//
// Conventions for the whole engine (fixed; every file relies on them):
//  - float32 everywhere; row-major (C order), the last index varies fastest.
//  - A batch of vectors is [n, features]: sample i starts at data + i * features.
//  - Dense kernel is stored [inputs, units] (as Keras / TF.js): y = x · W + b.
//  - Images (when conv layers arrive) are NHWC.
//  - Integer class labels (sparseCategoricalCrossentropy) are stored as floats, shape [n, 1].
//
// What it is not: an autograd tensor. Layers own their parameters, gradients and caches
// as plain Tensors and call the ops/ functions on raw pointers.
#pragma once

#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "core/check.h"

namespace nnplay {

using Shape = std::vector<int>;

inline std::size_t shape_size(const Shape& shape) {
  std::size_t n = 1;
  for (int d : shape) n *= static_cast<std::size_t>(d);
  return n;
}

// Element count in 64 bits: wasm's size_t is 32, so a legal-looking shape such as
// [32768, 32769] wraps shape_size(). Every size a user can choose goes through this first and is
// checked against a memory budget before anything is allocated.
inline std::uint64_t shape_size64(const Shape& shape) {
  std::uint64_t n = 1;
  for (int d : shape) n *= static_cast<std::uint64_t>(d < 0 ? 0 : d);
  return n;
}

std::string shape_to_string(const Shape& shape);

// The most floats one Tensor may hold: bytes (rounded up to the alignment) must fit size_t.
constexpr std::uint64_t kMaxTensorElements =
    (static_cast<std::uint64_t>(SIZE_MAX) - 64) / sizeof(float) < (std::uint64_t{1} << 40)
        ? (static_cast<std::uint64_t>(SIZE_MAX) - 64) / sizeof(float)
        : (std::uint64_t{1} << 40);

// 64 bytes: a cache line, and a multiple of every SIMD width we compile for.
constexpr std::size_t kTensorAlignment = 64;

class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(Shape shape) { resize(std::move(shape)); }

  Tensor(const Tensor& other) { *this = other; }
  Tensor& operator=(const Tensor& other) {
    if (this != &other) {
      resize_for_overwrite(other.shape_);  // every element is copied next
      if (size_) std::memcpy(data_.get(), other.data_.get(), size_ * sizeof(float));
    }
    return *this;
  }
  Tensor(Tensor&&) noexcept = default;
  Tensor& operator=(Tensor&&) noexcept = default;

  // Changes the shape; reallocates only when the element count grows beyond the capacity.
  // New contents are zero.
  void resize(Shape shape) {
    resize_for_overwrite(std::move(shape));
    zero();
  }

  // resize() without the zeroing, for a buffer whose every element is written next (a
  // prediction's input rows, its outputs): zeroing megabytes about to be overwritten cost a
  // large predict() as much as its finite check. Contents are unspecified until written.
  void resize_for_overwrite(Shape shape) {
    // In 64 bits first: on wasm a product of legal dims can wrap size_t and under-allocate.
    const std::uint64_t n64 = shape_size64(shape);
    NNPLAY_CHECK(n64 <= kMaxTensorElements, "tensor of shape " << shape_to_string(shape) << " has " << n64
                                                               << " elements, more than this platform can address ("
                                                               << kMaxTensorElements << ")");
    std::size_t n = static_cast<std::size_t>(n64);
    if (n > capacity_) {
      data_.reset(static_cast<float*>(aligned_alloc_floats(n)));
      capacity_ = n;
    }
    shape_ = std::move(shape);
    size_ = n;
  }

  void zero() {
    if (size_) std::memset(data_.get(), 0, size_ * sizeof(float));
  }

  float* data() { return data_.get(); }
  const float* data() const { return data_.get(); }
  std::size_t size() const { return size_; }
  // Elements the buffer holds without reallocating (resize up to this allocates nothing).
  std::size_t capacity() const { return capacity_; }
  const Shape& shape() const { return shape_; }
  int dim(int i) const { return shape_.at(static_cast<std::size_t>(i)); }
  int rank() const { return static_cast<int>(shape_.size()); }

  float& operator[](std::size_t i) { return data_.get()[i]; }
  float operator[](std::size_t i) const { return data_.get()[i]; }

 private:
  struct FreeDeleter {
    void operator()(float* p) const { std::free(p); }
  };
  static void* aligned_alloc_floats(std::size_t n) {
    std::size_t bytes = (n * sizeof(float) + kTensorAlignment - 1) / kTensorAlignment * kTensorAlignment;
    void* p = std::aligned_alloc(kTensorAlignment, bytes);
    NNPLAY_CHECK(p != nullptr, "out of memory allocating " << n << " floats");
    return p;
  }

  Shape shape_;
  std::unique_ptr<float, FreeDeleter> data_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace nnplay
