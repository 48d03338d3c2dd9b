// Numbers and strings as text without printf, on the JSON library's number writer (Grisu2, in
// core/json.cpp). Free of the library's headers, so the bindings can use it.
//
// Why not snprintf: printf's formatter (with long-double and soft-float support) was about
// 4.6 KB of the gzipped wasm, kept in only by these few numbers once the JSON library had its own.
#pragma once

#include <string>
#include <string_view>

namespace nnplay {

// A JSON number: the shortest text that reads back as the same double (1.0 is "1.0", 0.1 is
// "0.1"); NaN and infinities, which JSON cannot hold, are "null".
std::string json_number_text(double x);
// A JSON string literal: quotes, with \" \\ and control characters escaped.
std::string json_string_text(std::string_view s);
// A finite number for a message, as printf's "%g" writes it: 6 significant digits, trailing
// zeros dropped, an exponent below 1e-4 and from 1e6 (0.001, 123457, 1e+06, 1.5e-05). Rounds
// the shortest round-trip digits half up, so a value within an ulp of a 6-digit tie (1234565)
// may end in the other digit than printf's, and a subnormal (< 2.2e-308) shows its shortest
// digits (5e-324, not 4.94066e-324): messages only, never parsed back.
std::string short_number_text(double x);

}  // namespace nnplay
