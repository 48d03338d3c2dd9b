// The fallible methods of the data-set classes (dataset_bindings.h): in the engine's second
// module with the generators and readers they call. Nothing here may run when the module
// starts (no registration, no static object), and no constructor or destructor lives here.
#include "dataset_bindings.h"

#include <algorithm>
#include <utility>

#include "core/check.h"

namespace nnplay_bindings {

namespace {

// `bytes` resized to `size` (zeroed, at least one byte so data() is a real address); 0 when
// memory is short.
std::uintptr_t byte_buffer(std::vector<std::uint8_t>& bytes, unsigned size) {
  try {
    bytes.assign(std::max(size, 1u), 0);
    bytes.resize(size);
    return reinterpret_cast<std::uintptr_t>(bytes.data());
  } catch (...) {
    return 0;
  }
}

}  // namespace

std::string WasmPlayground::configure(const std::string& config_json) {
  return guarded([&] {
    // Generate everything first: a bad config leaves the current data untouched.
    nnplay::PlaygroundConfig config = nnplay::parse_playground_config(config_json);
    data_ = nnplay::make_playground(config);
  });
}

std::uintptr_t WasmImageSet::imagesBuffer(unsigned size) { return byte_buffer(images_bytes_, size); }
std::uintptr_t WasmImageSet::labelsBuffer(unsigned size) { return byte_buffer(labels_bytes_, size); }

std::string WasmImageSet::read(const std::string& images_name, unsigned images_crc, const std::string& labels_name,
                               unsigned labels_crc, int num_classes) {
  return guarded([&] {
    set_.reset();
    nnplay::check_idx_crc32(images_bytes_.data(), images_bytes_.size(), images_crc, images_name);
    nnplay::check_idx_crc32(labels_bytes_.data(), labels_bytes_.size(), labels_crc, labels_name);
    const nnplay::IdxArray images = nnplay::parse_idx(images_bytes_.data(), images_bytes_.size(), images_name);
    const nnplay::IdxArray labels = nnplay::parse_idx(labels_bytes_.data(), labels_bytes_.size(), labels_name);
    set_ = std::make_unique<nnplay::IdxImageSet>(
        nnplay::make_idx_image_set(images, images_name, labels, labels_name, num_classes));
  });
}

std::string WasmImageSet::fromPixels(int n, int height, int width, int channels, int num_classes) {
  return guarded([&] {
    set_.reset();
    NNPLAY_CHECK(n >= 0 && height > 0 && width > 0 && channels > 0,
                 "an image set needs n >= 0 and height, width, channels >= 1");
    const std::uint64_t pixels = static_cast<std::uint64_t>(n) * static_cast<std::uint64_t>(height) *
                                 static_cast<std::uint64_t>(width) * static_cast<std::uint64_t>(channels);
    NNPLAY_CHECK(pixels == images_bytes_.size() && static_cast<std::uint64_t>(n) == labels_bytes_.size(),
                 n << " images of " << height << " x " << width << " x " << channels << " need " << pixels
                   << " pixel bytes and " << n << " label bytes, got " << images_bytes_.size() << " and "
                   << labels_bytes_.size());
    nnplay::IdxArray images, labels;
    images.dims = {static_cast<std::uint64_t>(n), static_cast<std::uint64_t>(height), static_cast<std::uint64_t>(width),
                   static_cast<std::uint64_t>(channels)};
    images.count = pixels;
    images.values = images_bytes_.data();
    labels.dims = {static_cast<std::uint64_t>(n)};
    labels.count = static_cast<std::uint64_t>(n);
    labels.values = labels_bytes_.data();
    set_ = std::make_unique<nnplay::IdxImageSet>(
        nnplay::make_idx_image_set(images, "images", labels, "labels", num_classes));
  });
}

std::string WasmImageSet::rows(int first, int n) {
  return guarded([&] {
    NNPLAY_CHECK(set_, "rows: read() or fromPixels() first");
    NNPLAY_CHECK(first >= 0 && n >= 0, "rows: first and n must be >= 0");
    x_.resize({std::max(n, 1), static_cast<int>(set_->pixels_per_image())});
    y_.resize({std::max(n, 1)});
    nnplay::idx_image_rows(x_.data(), y_.data(), *set_, static_cast<std::uint64_t>(first),
                           static_cast<std::uint64_t>(n));
  });
}

std::string WasmSequenceSet::configure(const std::string& config_json) {
  return guarded([&] {
    // Generate first: a bad config leaves the current data untouched.
    nnplay::SequenceData data = nnplay::make_sequence_task(nnplay::parse_sequence_task_config(config_json));
    data_ = std::move(data);
  });
}

std::uintptr_t WasmSequenceSet::textBuffer(unsigned size) { return byte_buffer(text_, size); }

std::string WasmSequenceSet::readText(const std::string& name, unsigned crc, const std::string& vocab) {
  return guarded([&] {
    corpus_ = nnplay::TextCorpus{};
    corpus_ = nnplay::make_text_corpus(text_.data(), text_.size(), crc, vocab, name);
    std::vector<std::uint8_t>().swap(text_);
  });
}

std::string WasmSequenceSet::textWindows(const std::string& options_json) {
  return guarded([&] {
    NNPLAY_CHECK(corpus_.vocab_size > 0, "textWindows: readText() first");
    nnplay::SequenceData data = nnplay::make_text_windows(corpus_, nnplay::parse_text_windows_config(options_json));
    data_ = std::move(data);
  });
}

}  // namespace nnplay_bindings
