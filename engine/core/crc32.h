// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320): the checksum zlib, gzip and PNG use,
// so a value written by any of them (or by scripts/build-data.mjs) can be checked here.
// crc32("123456789") == 0xCBF43926.
#pragma once

#include <cstdint>

namespace nnplay {

// The CRC of `size` bytes; pass a previous result as `crc` to continue over several pieces.
std::uint32_t crc32(const std::uint8_t* data, std::uint64_t size, std::uint32_t crc = 0);

}  // namespace nnplay
