#include "data/idx.h"

#include "core/check.h"
#include "core/crc32.h"

namespace nnplay {
namespace {

std::uint32_t read_be32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) << 24 | static_cast<std::uint32_t>(p[1]) << 16 |
         static_cast<std::uint32_t>(p[2]) << 8 | static_cast<std::uint32_t>(p[3]);
}

const char* type_name(IdxType t) {
  switch (t) {
    case IdxType::u8: return "uint8";
    case IdxType::i8: return "int8";
    case IdxType::i16: return "int16";
    case IdxType::i32: return "int32";
    case IdxType::f32: return "float32";
    case IdxType::f64: return "float64";
  }
  return "unknown";
}

std::string dims_string(const std::vector<std::uint64_t>& dims) {
  std::string out = "[";
  for (std::size_t i = 0; i < dims.size(); ++i) out += (i ? ", " : "") + std::to_string(dims[i]);
  return out + "]";
}

// A single table from byte to float keeps the conversion exact and identical everywhere
// (v / 255 computed in float, once per value 0..255).
struct UnitTable {
  float v[256];
  UnitTable() {
    for (int i = 0; i < 256; ++i) v[i] = static_cast<float>(i) / 255.0f;
  }
};

}  // namespace

int idx_element_bytes(std::uint8_t type_code) {
  switch (type_code) {
    case 0x08:
    case 0x09: return 1;
    case 0x0B: return 2;
    case 0x0C:
    case 0x0D: return 4;
    case 0x0E: return 8;
    default: return 0;
  }
}

IdxArray parse_idx(const std::uint8_t* bytes, std::uint64_t size, const std::string& name) {
  const std::string file = "IDX file " + name + ": ";
  NNPLAY_CHECK(size >= 4, file << "truncated: " << size << " bytes, shorter than the 4-byte header");
  NNPLAY_CHECK(bytes[0] == 0 && bytes[1] == 0,
               file << "wrong magic: the first two bytes are " << int{bytes[0]} << ", " << int{bytes[1]}
                    << " but an IDX file starts with 0, 0 (is it still gzipped, or not an IDX file?)");
  const int element = idx_element_bytes(bytes[2]);
  NNPLAY_CHECK(element > 0,
               file << "unknown type code " << int{bytes[2]}
                    << "; IDX defines 8 (uint8), 9 (int8), 11 (int16), 12 (int32), 13 (float32), 14 (float64)");
  const int rank = bytes[3];
  NNPLAY_CHECK(rank >= 1, file << "rank 0; an IDX file has at least one dimension");
  IdxArray out;
  out.type = static_cast<IdxType>(bytes[2]);
  out.header_bytes = 4 + 4 * static_cast<std::uint64_t>(rank);
  NNPLAY_CHECK(size >= out.header_bytes, file << "truncated: " << size << " bytes, but its header of rank " << rank
                                              << " needs " << out.header_bytes);
  std::uint64_t count = 1;
  bool overflow = false;
  for (int i = 0; i < rank; ++i) {
    const std::uint64_t d = read_be32(bytes + 4 + 4 * i);
    out.dims.push_back(d);
    // count * d overflows 64 bits exactly when d > max / count (count >= 1 until a 0 arrives).
    if (d != 0 && count > UINT64_MAX / d) overflow = true;
    if (!overflow) count *= d;
  }
  const std::uint64_t max_bytes = UINT64_MAX - out.header_bytes;
  NNPLAY_CHECK(!overflow && count <= max_bytes / static_cast<std::uint64_t>(element),
               file << "dimensions " << dims_string(out.dims) << " of " << type_name(out.type)
                    << " overflow 64 bits: the header is corrupt");
  const std::uint64_t expected = out.header_bytes + count * static_cast<std::uint64_t>(element);
  NNPLAY_CHECK(size >= expected, file << "truncated: dimensions " << dims_string(out.dims) << " of "
                                      << type_name(out.type) << " need " << expected << " bytes, the file has "
                                      << size);
  NNPLAY_CHECK(size == expected, file << "oversized: dimensions " << dims_string(out.dims) << " of "
                                      << type_name(out.type) << " need " << expected << " bytes, the file has " << size
                                      << " (" << (size - expected) << " trailing bytes)");
  out.count = count;
  out.values = bytes + out.header_bytes;
  return out;
}

void check_idx_crc32(const std::uint8_t* bytes, std::uint64_t size, std::uint32_t expected, const std::string& name) {
  const std::uint32_t got = crc32(bytes, size);
  NNPLAY_CHECK(got == expected, "IDX file " << name << ": checksum mismatch: its CRC-32 is " << got
                                            << " but the manifest says " << expected
                                            << "; the file is corrupt or from another build (rebuild the assets)");
}

IdxImageSet make_idx_image_set(const IdxArray& images, const std::string& images_name, const IdxArray& labels,
                               const std::string& labels_name, int num_classes) {
  NNPLAY_CHECK(num_classes >= 1 && num_classes <= 256, "an image set has 1 to 256 classes, got " << num_classes);
  const std::string ifile = "IDX file " + images_name + ": ";
  const std::string lfile = "IDX file " + labels_name + ": ";
  NNPLAY_CHECK(images.type == IdxType::u8, ifile << "images must be uint8, got " << type_name(images.type));
  NNPLAY_CHECK(images.dims.size() == 3 || images.dims.size() == 4,
               ifile << "images must have shape [n, height, width] or [n, height, width, channels], got "
                     << dims_string(images.dims));
  NNPLAY_CHECK(labels.type == IdxType::u8, lfile << "labels must be uint8, got " << type_name(labels.type));
  NNPLAY_CHECK(labels.dims.size() == 1, lfile << "labels must have shape [n], got " << dims_string(labels.dims));
  IdxImageSet set;
  set.images = images;
  set.labels = labels;
  const std::uint64_t h = images.dims[1], w = images.dims[2], c = images.dims.size() == 4 ? images.dims[3] : 1;
  NNPLAY_CHECK(h >= 1 && h <= 4096 && w >= 1 && w <= 4096 && c >= 1 && c <= 4,
               ifile << "images of " << h << " x " << w << " x " << c
                     << " are out of range; height and width must be 1..4096, channels 1..4");
  NNPLAY_CHECK(images.dims[0] == labels.dims[0], "image set: " << images_name << " holds " << images.dims[0]
                                                               << " images but " << labels_name << " holds "
                                                               << labels.dims[0] << " labels; they must match");
  NNPLAY_CHECK(images.dims[0] <= 0x7FFFFFFFu,
               ifile << images.dims[0] << " images are more than a dataset can hold (2^31 - 1)");
  set.n = images.dims[0];
  set.height = static_cast<int>(h);
  set.width = static_cast<int>(w);
  set.channels = static_cast<int>(c);
  for (std::uint64_t i = 0; i < set.n; ++i) {
    NNPLAY_CHECK(labels.values[i] < num_classes, lfile << "label " << int{labels.values[i]} << " at index " << i
                                                       << " is not a class; labels must be 0.." << (num_classes - 1));
  }
  return set;
}

void idx_image_rows(float* x, float* y, const IdxImageSet& set, std::uint64_t first, std::uint64_t count) {
  NNPLAY_CHECK(first <= set.n && count <= set.n - first,
               "image set rows " << first << ".." << first + count << " are out of range (it holds " << set.n << ")");
  static const UnitTable unit;
  const std::uint64_t per = set.pixels_per_image();
  const std::uint8_t* pixels = set.images.values + first * per;
  for (std::uint64_t i = 0; i < count * per; ++i) x[i] = unit.v[pixels[i]];
  for (std::uint64_t i = 0; i < count; ++i) y[i] = static_cast<float>(set.labels.values[first + i]);
}

}  // namespace nnplay
