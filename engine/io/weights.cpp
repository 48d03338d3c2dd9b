#include "io/weights.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/check.h"

namespace nnplay {
namespace {

void put_u32(std::string& out, std::uint32_t v) { out.append(reinterpret_cast<const char*>(&v), 4); }

// Reads from bytes with bounds checks; every failure names what was being read.
class Reader {
 public:
  explicit Reader(const std::string& bytes) : bytes_(bytes) {}
  void read(void* dst, std::size_t n, const char* what) {
    NNPLAY_CHECK(n <= bytes_.size() - pos_, "weights data is truncated while reading " << what << " (at byte "
                                                                                       << pos_ << " of "
                                                                                       << bytes_.size() << ")");
    std::memcpy(dst, bytes_.data() + pos_, n);
    pos_ += n;
  }
  std::uint32_t u32(const char* what) {
    std::uint32_t v;
    read(&v, 4, what);
    return v;
  }
  bool done() const { return pos_ == bytes_.size(); }

 private:
  const std::string& bytes_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string save_weights(Graph& model) {
  std::string out = "NNPW";
  put_u32(out, kWeightsFormatVersion);
  put_u32(out, static_cast<std::uint32_t>(model.variables().size()));
  for (const Variable& p : model.variables()) {
    put_u32(out, static_cast<std::uint32_t>(p.name.size()));
    out += p.name;
    put_u32(out, static_cast<std::uint32_t>(p.value->rank()));
    for (int d : p.value->shape()) put_u32(out, static_cast<std::uint32_t>(d));
    out.append(reinterpret_cast<const char*>(p.value->data()), p.value->size() * sizeof(float));
  }
  return out;
}

void load_weights(Graph& model, const std::string& bytes) {
  Reader r(bytes);
  char magic[4];
  r.read(magic, 4, "the header");
  NNPLAY_CHECK(std::memcmp(magic, "NNPW", 4) == 0, "not an nnplay weights file (the header does not start with NNPW)");
  std::uint32_t version = r.u32("the version");
  NNPLAY_CHECK(version == kWeightsFormatVersion, "weights format version " << version << " is not supported; this "
                                                                              "build reads version "
                                                                           << kWeightsFormatVersion);
  std::vector<Variable>& params = model.variables();
  std::uint32_t count = r.u32("the tensor count");
  NNPLAY_CHECK(count == params.size(), "weights file holds " << count << " tensors but the model has "
                                                             << params.size());
  // Parse into staging buffers first: a bad file must leave the model as it was.
  std::vector<std::vector<float>> staged(params.size());
  for (std::size_t i = 0; i < params.size(); ++i) {
    const Variable& p = params[i];
    std::uint32_t len = r.u32("a tensor name length");
    NNPLAY_CHECK(len <= 4096, "weights file: tensor " << i << " has an implausible name length " << len);
    std::string name(len, '\0');
    r.read(&name[0], len, "a tensor name");
    NNPLAY_CHECK(name == p.name, "weights file: tensor " << i << " is \"" << name << "\" but the model expects \""
                                                         << p.name << "\"");
    std::uint32_t rank = r.u32("a tensor rank");
    NNPLAY_CHECK(rank == static_cast<std::uint32_t>(p.value->rank()),
                 "weights file: " << name << " has rank " << rank << ", the model expects "
                                  << shape_to_string(p.value->shape()));
    Shape shape(rank);
    for (auto& d : shape) d = static_cast<int>(r.u32("a tensor shape"));
    NNPLAY_CHECK(shape == p.value->shape(), "weights file: " << name << " has shape " << shape_to_string(shape)
                                                             << ", the model expects "
                                                             << shape_to_string(p.value->shape()));
    staged[i].resize(p.value->size());
    r.read(staged[i].data(), staged[i].size() * sizeof(float), "tensor values");
    for (std::size_t j = 0; j < staged[i].size(); ++j)
      NNPLAY_CHECK(std::isfinite(staged[i][j]), "weights file: " << name << " holds a non-finite value at index "
                                                                 << j);
  }
  NNPLAY_CHECK(r.done(), "weights file has extra bytes after the last tensor");
  for (std::size_t i = 0; i < params.size(); ++i)
    std::memcpy(params[i].value->data(), staged[i].data(), staged[i].size() * sizeof(float));
}

}  // namespace nnplay
