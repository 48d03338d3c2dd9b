// The engine's tables as JSON (layer types with their keys and defaults, activations,
// initializers, losses, metrics, optimizers, schedules) in a module of their own, for the build:
// scripts/engine-tables-json.mjs writes build/wasm/engine-tables.json from it, and the library
// embeds that file (web/lib/engine-tables.ts: names are known before the engine loads). The
// shipped engine (nnplay_bindings.cpp) has no engineTables(): no page calls it, and its JSON
// writer was 5 KB of the gzipped wasm. Linked from the same engine library, so the two cannot
// drift; tests/js/lazy-engine.test.ts compares the embedded tables with this module's.
#include <emscripten/bind.h>

#include <string>

#include "nn/registry.h"

namespace {

std::string engineTables() { return nnplay::engine_tables_json(); }

}  // namespace

EMSCRIPTEN_BINDINGS(nnplay_tables) { emscripten::function("engineTables", &engineTables); }
