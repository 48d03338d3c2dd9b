// A guard run on JSON text before core/json.h parses it.
//
// Why: the parser (RapidJSON's reader) and the writer recurse once per nesting level, so a spec
// nested 100,000 deep overflows the C++ stack (in wasm: a trap that kills the module for every
// model on the page) before any field check can say what is wrong. Real specs nest a few levels.
#pragma once

#include <string>

namespace nnplay {

// The nesting the engine's JSON inputs (model, compile and playground specs) may use.
constexpr int kMaxJsonDepth = 32;

// Throws nnplay::Error naming `what` when arrays/objects in `text` nest deeper than
// `max_depth`. A linear scan that skips string contents; it does not validate the JSON.
void check_json_depth(const std::string& text, int max_depth, const std::string& what);

}  // namespace nnplay
