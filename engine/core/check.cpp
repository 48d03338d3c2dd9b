#include "core/check.h"

#include <cmath>

#include "core/json_text.h"

namespace nnplay {

void throw_error(const Message& message) { throw Error(message.str()); }

Message& Message::operator<<(const std::string& s) {
  text_ += s;
  return *this;
}
Message& Message::operator<<(const char* s) {
  text_ += s;
  return *this;
}
Message& Message::operator<<(std::string_view s) {
  text_ += s;
  return *this;
}
Message& Message::operator<<(char c) {
  text_ += c;
  return *this;
}

void Message::append_signed(long long i) { text_ += std::to_string(i); }
void Message::append_unsigned(unsigned long long i) { text_ += std::to_string(i); }

void Message::append_number(double x) {
  if (std::isnan(x)) {
    text_ += "NaN";
  } else if (std::isinf(x)) {
    text_ += x > 0 ? "Infinity" : "-Infinity";
  } else {
    // %g's text (6 significant digits), what std::ostream printed before, kept for messages;
    // without printf (core/json_text.h).
    text_ += short_number_text(x);
  }
}

}  // namespace nnplay
