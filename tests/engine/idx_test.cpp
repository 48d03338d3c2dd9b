// Tests of the IDX reader and CRC-32: a valid file read back exactly, and every way a damaged
// or foreign file can be wrong getting an Error that names the file and the fault.
#include "data/idx.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/check.h"
#include "core/crc32.h"

namespace nnplay {
namespace {

using Bytes = std::vector<std::uint8_t>;

// An IDX file of type code `type` with dimensions `dims`, then `values` (raw bytes).
Bytes idx_file(std::uint8_t type, const std::vector<std::uint32_t>& dims, const Bytes& values) {
  Bytes out{0, 0, type, static_cast<std::uint8_t>(dims.size())};
  for (std::uint32_t d : dims) {
    for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<std::uint8_t>(d >> s));
  }
  out.insert(out.end(), values.begin(), values.end());
  return out;
}

// n images of h x w whose pixel j of image i is (i * 31 + j * 7) % 256, and labels i % classes.
struct ImageFiles {
  Bytes images, labels;
};
ImageFiles image_files(std::uint32_t n, std::uint32_t h, std::uint32_t w, int classes) {
  Bytes pixels, labels;
  for (std::uint32_t i = 0; i < n; ++i) {
    for (std::uint32_t j = 0; j < h * w; ++j) pixels.push_back(static_cast<std::uint8_t>((i * 31 + j * 7) % 256));
    labels.push_back(static_cast<std::uint8_t>(i % static_cast<std::uint32_t>(classes)));
  }
  return {idx_file(0x08, {n, h, w}, pixels), idx_file(0x08, {n}, labels)};
}

template <typename Fn>
void expect_error(Fn fn, const std::vector<std::string>& fragments) {
  try {
    fn();
    ADD_FAILURE() << "expected an Error containing \"" << fragments.front() << "\"";
  } catch (const Error& e) {
    for (const std::string& f : fragments) EXPECT_NE(std::string(e.what()).find(f), std::string::npos) << e.what();
  }
}

IdxArray parse(const Bytes& b, const std::string& name = "t.idx") { return parse_idx(b.data(), b.size(), name); }

TEST(Crc32, MatchesTheStandardCheckValueAndContinues) {
  const std::string s = "123456789";
  const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
  EXPECT_EQ(crc32(p, s.size()), 0xCBF43926u);
  EXPECT_EQ(crc32(p, 0), 0u);
  // Split anywhere (including inside the 4-byte blocks), continuing gives the same CRC.
  for (std::size_t k = 0; k <= s.size(); ++k) EXPECT_EQ(crc32(p + k, s.size() - k, crc32(p, k)), 0xCBF43926u) << k;
  // A longer input against the byte-at-a-time definition.
  Bytes data;
  for (int i = 0; i < 1031; ++i) data.push_back(static_cast<std::uint8_t>(i * 131 + 7));
  std::uint32_t c = 0xFFFFFFFFu;
  for (std::uint8_t b : data) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
  }
  EXPECT_EQ(crc32(data.data(), data.size()), ~c);
}

TEST(Idx, ReadsAValidFile) {
  const ImageFiles f = image_files(5, 3, 4, 3);
  const IdxArray images = parse(f.images);
  EXPECT_EQ(images.type, IdxType::u8);
  EXPECT_EQ(images.dims, (std::vector<std::uint64_t>{5, 3, 4}));
  EXPECT_EQ(images.count, 60u);
  EXPECT_EQ(images.header_bytes, 16u);
  EXPECT_EQ(images.values, f.images.data() + 16);
  const IdxArray labels = parse(f.labels);
  EXPECT_EQ(labels.dims, (std::vector<std::uint64_t>{5}));

  const IdxImageSet set = make_idx_image_set(images, "i.idx", labels, "l.idx", 3);
  EXPECT_EQ(set.n, 5u);
  EXPECT_EQ(set.height, 3);
  EXPECT_EQ(set.width, 4);
  EXPECT_EQ(set.channels, 1);
  // Rows 1..3 as dataset rows: pixel / 255 and the label as a float.
  std::vector<float> x(3 * 12), y(3);
  idx_image_rows(x.data(), y.data(), set, 1, 3);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(y[i], static_cast<float>((i + 1) % 3));
    for (int j = 0; j < 12; ++j) {
      EXPECT_EQ(x[i * 12 + j], static_cast<float>(((i + 1) * 31 + j * 7) % 256) / 255.0f);
    }
  }
  EXPECT_NO_THROW(check_idx_crc32(f.images.data(), f.images.size(), crc32(f.images.data(), f.images.size()), "i.idx"));
  expect_error([&] { idx_image_rows(x.data(), y.data(), set, 3, 3); }, {"out of range"});
}

TEST(Idx, ReadsOtherTypesAndAZeroCount) {
  const IdxArray f = parse(idx_file(0x0D, {2, 2}, Bytes(16, 0)));
  EXPECT_EQ(f.type, IdxType::f32);
  EXPECT_EQ(f.count, 4u);
  EXPECT_EQ(parse(idx_file(0x08, {0, 28, 28}, {})).count, 0u);
}

TEST(Idx, WrongMagic) {
  Bytes b = image_files(2, 2, 2, 2).images;
  b[0] = 0x1f;
  b[1] = 0x8b;  // a gzip header
  expect_error([&] { parse(b, "train-images.idx3-ubyte"); },
               {"IDX file train-images.idx3-ubyte", "wrong magic", "31, 139", "gzipped"});
  Bytes t = image_files(2, 2, 2, 2).images;
  t[2] = 0x07;
  expect_error([&] { parse(t); }, {"t.idx", "unknown type code 7"});
  expect_error([&] { parse(idx_file(0x08, {}, {})); }, {"rank 0"});
}

TEST(Idx, Truncated) {
  const Bytes full = image_files(3, 2, 2, 2).images;
  expect_error([&] { parse(Bytes(full.begin(), full.begin() + 3)); },
               {"t.idx", "truncated", "3 bytes", "4-byte header"});
  expect_error([&] { parse(Bytes(full.begin(), full.begin() + 10)); }, {"truncated", "rank 3 needs 16"});
  expect_error([&] { parse(Bytes(full.begin(), full.end() - 1)); },
               {"t.idx", "truncated", "[3, 2, 2] of uint8 need 28 bytes, the file has 27"});
  Bytes longer = full;
  longer.push_back(0);
  longer.push_back(0);
  expect_error([&] { parse(longer); }, {"t.idx", "oversized", "2 trailing bytes"});
}

TEST(Idx, DimensionsThatOverflow64BitsAreRefused) {
  // 2^32-1 cubed overflows 64 bits; wrapped, the product could match a tiny file.
  expect_error(
      [&] {
        parse(idx_file(0x08, {0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu}, {}));
      },
      {"t.idx", "[4294967295, 4294967295, 4294967295]", "overflow 64 bits"});
  // Fits 64 bits as a count but not as bytes of float64 (count * 8).
  expect_error([&] { parse(idx_file(0x0E, {0xFFFFFFFFu, 0xFFFFFFFFu}, {})); }, {"overflow 64 bits"});
  // Huge but representable: an honest "truncated", with the size in 64 bits.
  expect_error([&] { parse(idx_file(0x08, {60000u, 28u, 28u, 4000u}, {})); }, {"truncated", "need 188160000020 bytes"});
}

TEST(Idx, ImageAndLabelCountsMustMatch) {
  const ImageFiles a = image_files(4, 2, 2, 2);
  const ImageFiles b = image_files(3, 2, 2, 2);
  const IdxArray images = parse(a.images), labels = parse(b.labels);
  expect_error([&] { make_idx_image_set(images, "train-images", labels, "train-labels", 2); },
               {"train-images holds 4 images but train-labels holds 3 labels"});
  // Swapped files (labels given as images) are named too.
  expect_error([&] { make_idx_image_set(labels, "i", images, "l", 2); }, {"IDX file i", "[n, height, width]"});
  const IdxArray floats = parse(idx_file(0x0D, {4, 2, 2}, Bytes(64, 0)));
  expect_error([&] { make_idx_image_set(floats, "i", parse(a.labels), "l", 2); }, {"uint8", "float32"});
  // A label outside the classes.
  expect_error([&] { make_idx_image_set(images, "i", parse(a.labels), "train-labels", 1); },
               {"IDX file train-labels", "label 1 at index 1", "0..0"});
}

TEST(Idx, ChecksumMismatch) {
  ImageFiles f = image_files(4, 2, 2, 2);
  const std::uint32_t good = crc32(f.images.data(), f.images.size());
  f.images.back() ^= 0x01;  // one flipped bit in the last pixel: still a well-formed file
  EXPECT_NO_THROW(parse(f.images));
  expect_error([&] { check_idx_crc32(f.images.data(), f.images.size(), good, "mnist-train-images"); },
               {"IDX file mnist-train-images", "checksum mismatch", std::to_string(good)});
}

}  // namespace
}  // namespace nnplay
