// What every Embind source of the engine (nnplay_bindings.cpp, dataset_bindings.cpp) shares: the
// one way a fallible method turns an engine exception into a returned message, and the one way a
// pointer crosses to JS (a byte offset into wasm memory).
#pragma once

#include <cstdint>
#include <exception>
#include <new>
#include <string>

namespace nnplay_bindings {

// Runs fn; returns "" or the message of whatever it threw.
template <typename Fn>
std::string guarded(Fn&& fn) {
  try {
    fn();
    return "";
  } catch (const std::bad_alloc&) {
    return "out of memory: the wasm heap cannot grow enough (use fewer samples or units)";
  } catch (const std::exception& e) {
    std::string message = e.what();
    return message.empty() ? "unknown engine error" : message;
  } catch (...) {
    return "unknown engine error";
  }
}

inline std::uintptr_t address_of(const float* p) { return reinterpret_cast<std::uintptr_t>(p); }

}  // namespace nnplay_bindings
