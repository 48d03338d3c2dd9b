// Errors and checks.
//
// NNPLAY_CHECK is for things a user can get wrong (a spec, a shape, a number): it throws
// nnplay::Error with a message that says what was wrong and what is allowed. Shapes are
// checked once where a layer is built; after that, kernels only NNPLAY_ASSERT (programming
// errors, compiled out of release builds).
//
// Why Message and not std::ostringstream: iostreams pull locale, num_get/num_put and
// codecvt into the wasm module (about 60 KB of code); messages only need strings and numbers.
#pragma once

#include <cassert>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

namespace nnplay {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// Builds an error message with <<, for strings, booleans and numbers only.
class Message {
 public:
  // Out of line (check.cpp): every NNPLAY_CHECK builds its message at its call site, so inline
  // appends would be copied into each of them.
  Message& operator<<(const std::string& s);
  Message& operator<<(const char* s);
  Message& operator<<(std::string_view s);  // the tables' names (nn/registry.h)
  Message& operator<<(char c);
  Message& operator<<(bool b) {
    text_ += b ? "true" : "false";
    return *this;
  }
  Message& operator<<(double x) {
    append_number(x);
    return *this;
  }
  Message& operator<<(float x) {
    append_number(static_cast<double>(x));
    return *this;
  }
  template <typename Int, typename = std::enable_if_t<std::is_integral<Int>::value>>
  Message& operator<<(Int i) {
    if (std::is_signed<Int>::value)
      append_signed(static_cast<long long>(i));
    else
      append_unsigned(static_cast<unsigned long long>(i));
    return *this;
  }
  const std::string& str() const { return text_; }

 private:
  void append_number(double x);
  void append_signed(long long i);             // std::to_string's digits, out of line
  void append_unsigned(unsigned long long i);  // shortest "%g"-style form, e.g. 0.001, 1e+06, NaN
  std::string text_;
};

// Throws Error(message.str()). Out of line and shared by every NNPLAY_CHECK: the exception's
// allocation, construction and throw are emitted once, not at each of the engine's ~350 checks
// (the wasm's size; a failing check is never on a hot path).
[[noreturn]] void throw_error(const Message& message);

}  // namespace nnplay

#define NNPLAY_CHECK(cond, message_stream)          \
  do {                                              \
    if (!(cond)) {                                  \
      ::nnplay::Message nnplay_check_message_;      \
      nnplay_check_message_ << message_stream;      \
      ::nnplay::throw_error(nnplay_check_message_); \
    }                                               \
  } while (0)

#define NNPLAY_ASSERT(cond) assert(cond)
