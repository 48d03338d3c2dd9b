// The data-set classes of the Embind facade (Playground, ImageSet, SequenceSet), declared here
// and registered with the rest in nnplay_bindings.cpp; the bodies of their fallible methods are
// in dataset_bindings.cpp.
//
// Why the split: the generators and readers behind these classes (engine/data/playground,
// sequences, idx) go to the engine's second module, nnplay-extra.wasm (CMakeLists.txt
// NNPLAY_EXTRA_PART_REGEX), with dataset_bindings.cpp, so an app that never makes a data set
// never downloads them. What must stay in the first module stays out of that file: the
// registration (it runs when the module starts) and the constructors and destructors (a JS
// object made before the second module loaded must still be freed). The getters here are a
// few instructions each and stay too. Rules as in nnplay_bindings.cpp: fallible methods return
// "" or the failure, getters never fail, pointers are byte offsets into wasm memory.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/tensor.h"
#include "data/idx.h"
#include "data/playground.h"
#include "data/sequences.h"
#include "glue.h"

namespace nnplay_bindings {

// The TensorFlow-Playground data generator (data/playground.h).
class WasmPlayground {
 public:
  std::string configure(const std::string& config_json);

  // Features [n, features] and labels [n, 1] of the train and test points, and the grid's
  // features [gridSize², features]: the worker copies them into its session's datasets.
  std::uintptr_t trainXPtr() const { return address_of(data_.train.x.data()); }
  std::uintptr_t trainYPtr() const { return address_of(data_.train.y.data()); }
  std::uintptr_t testXPtr() const { return address_of(data_.test.x.data()); }
  std::uintptr_t testYPtr() const { return address_of(data_.test.y.data()); }
  std::uintptr_t gridXPtr() const { return address_of(data_.grid.x.data()); }
  int numTrain() const { return data_.num_train; }
  int numTest() const { return data_.num_test; }
  std::uintptr_t pointsPtr() const { return data_.points.empty() ? 0 : address_of(data_.points.data()); }
  std::uintptr_t labelsPtr() const { return data_.labels.empty() ? 0 : address_of(data_.labels.data()); }

 private:
  nnplay::PlaygroundData data_;
};

// An image set for the library's data sets (data/idx.h): the bytes of two IDX files (images,
// labels) or of raw pixels and labels are written into buffers here once, read() / fromPixels()
// validate them in the engine, then rows() converts any range to dataset rows (x in 0..1, y the
// class) for a JS tensor, or Session.loadImageSet() puts the whole set into a session dataset.
class WasmImageSet {
 public:
  // Buffers of `size` bytes for the images / labels file; 0 when memory is short.
  std::uintptr_t imagesBuffer(unsigned size);
  std::uintptr_t labelsBuffer(unsigned size);

  // Both buffers as IDX files, checked against their CRC-32 first. "" or the failure.
  std::string read(const std::string& images_name, unsigned images_crc, const std::string& labels_name,
                   unsigned labels_crc, int num_classes);
  // Both buffers as bare values: pixels uint8 [n, height, width, channels], labels uint8 [n].
  std::string fromPixels(int n, int height, int width, int channels, int num_classes);

  int count() const { return set_ ? static_cast<int>(set_->n) : 0; }
  int height() const { return set_ ? set_->height : 0; }
  int width() const { return set_ ? set_->width : 0; }
  int channels() const { return set_ ? set_->channels : 0; }
  // Where the pixels / labels start in their buffers (the IDX header's length; 0 for fromPixels).
  unsigned imagesOffset() const { return set_ ? static_cast<unsigned>(set_->images.values - images_bytes_.data()) : 0; }
  unsigned labelsOffset() const { return set_ ? static_cast<unsigned>(set_->labels.values - labels_bytes_.data()) : 0; }

  // Rows [first, first + n) as floats at rowsXPtr() [n, pixels] and rowsYPtr() [n].
  std::string rows(int first, int n);
  std::uintptr_t rowsXPtr() const { return address_of(x_.data()); }
  std::uintptr_t rowsYPtr() const { return address_of(y_.data()); }

  const nnplay::IdxImageSet* set() const { return set_.get(); }

 private:
  std::vector<std::uint8_t> images_bytes_, labels_bytes_;
  std::unique_ptr<nnplay::IdxImageSet> set_;  // points into the buffers
  nnplay::Tensor x_, y_;
};

// Sequence data sets (data/sequences.h): a generated task (configure) or windows over a text
// corpus (textBuffer, readText, textWindows). Both splits stay here until the next call; JS
// copies them into tensors.
class WasmSequenceSet {
 public:
  std::string configure(const std::string& config_json);

  // A buffer of `size` bytes for the text file; 0 when memory is short.
  std::uintptr_t textBuffer(unsigned size);
  // The buffer as a corpus of `vocab` characters, checked against its CRC-32 first.
  std::string readText(const std::string& name, unsigned crc, const std::string& vocab);
  std::string textWindows(const std::string& options_json);

  std::uintptr_t trainXPtr() const { return address_of(data_.train.x.data()); }
  std::uintptr_t trainYPtr() const { return address_of(data_.train.y.data()); }
  std::uintptr_t testXPtr() const { return address_of(data_.test.x.data()); }
  std::uintptr_t testYPtr() const { return address_of(data_.test.y.data()); }
  int numTrain() const { return data_.train.size(); }
  int numTest() const { return data_.test.size(); }
  int steps() const { return data_.steps; }
  int features() const { return data_.features; }
  int outputs() const { return data_.outputs; }

 private:
  std::vector<std::uint8_t> text_;
  nnplay::TextCorpus corpus_;
  nnplay::SequenceData data_;
};

}  // namespace nnplay_bindings
