// IDX files (the MNIST format): a header, then the values, big-endian, row-major.
//
//   bytes 0-1  zero            byte 2  type code (0x08 uint8, 0x09 int8, 0x0B int16,
//                                      0x0C int32, 0x0D float32, 0x0E float64)
//   byte 3     rank (>= 1)     then rank big-endian uint32 dimensions, then the values.
//
// What it is: a reader of a file already in memory (the library fetches or reads the bytes and
// hands them over once), strict about everything a damaged or foreign file can get wrong: the
// magic, the type, the rank, each dimension, a size that does not add up (truncated or with
// trailing bytes), sizes that overflow 64 bits, and, when the caller knows it, the CRC-32 of
// the whole file. Every failure is an Error naming the file and what was wrong.
//
// An image set is the pair the data sets ship: images uint8 [n, height, width] (or
// [n, height, width, channels]) and labels uint8 [n], converted to a training dataset as
// x [n, height·width·channels] = pixel / 255 (NHWC, values in 0..1) and y [n, 1] = the class.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nnplay {

enum class IdxType : std::uint8_t { u8 = 0x08, i8 = 0x09, i16 = 0x0B, i32 = 0x0C, f32 = 0x0D, f64 = 0x0E };

struct IdxArray {
  IdxType type = IdxType::u8;
  std::vector<std::uint64_t> dims;
  std::uint64_t count = 0;               // product of dims
  std::uint64_t header_bytes = 0;        // where the values start: 4 + 4 * rank
  const std::uint8_t* values = nullptr;  // count elements of the type, big-endian; points into the file
};

// Bytes per element of a type code, or 0 for a code IDX does not define.
int idx_element_bytes(std::uint8_t type_code);

// Parses the file's `size` bytes. `name` is how errors name the file (e.g. its file name).
// Throws Error.
IdxArray parse_idx(const std::uint8_t* bytes, std::uint64_t size, const std::string& name);

// Throws Error naming `name` when the CRC-32 of the bytes is not `expected`.
void check_idx_crc32(const std::uint8_t* bytes, std::uint64_t size, std::uint32_t expected, const std::string& name);

struct IdxImageSet {
  IdxArray images, labels;
  std::uint64_t n = 0;
  int height = 0, width = 0, channels = 1;
  std::uint64_t pixels_per_image() const {
    return static_cast<std::uint64_t>(height) * static_cast<std::uint64_t>(width) *
           static_cast<std::uint64_t>(channels);
  }
};

// Checks that a parsed pair is an image set: uint8 images of rank 3 or 4, uint8 labels of rank 1,
// the same count, images of at most 4096 x 4096 x 4, every label below `num_classes` (1..256).
// Throws Error naming the file at fault.
IdxImageSet make_idx_image_set(const IdxArray& images, const std::string& images_name, const IdxArray& labels,
                               const std::string& labels_name, int num_classes);

// Images [first, first + count) of the set as dataset rows: x [count, pixels_per_image()]
// = pixel / 255, and y [count] = label (as float, the engine's sparse-label form).
void idx_image_rows(float* x, float* y, const IdxImageSet& set, std::uint64_t first, std::uint64_t count);

}  // namespace nnplay
