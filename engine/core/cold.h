// NNPLAY_COLD: a function that runs once per model build or compile, never per training step
// (a layer's constructor, its output-shape and variable rules, its config reader), in a file
// that is otherwise hot (NNPLAY_HOT_REGEX in CMakeLists.txt: built -O3 in the wasm build).
//
// Why: the download size. -O3 unrolls, vectorises and inlines the shape checks and their
// messages as eagerly as the kernels; clang's `minsize` makes the optimiser treat this one
// function as the cold files are built (-Oz), so the forward and backward next to it keep -O3
// and stay in the same file. Where a file's setup is large and self-contained it moves to a
// cold file instead (train/trainer_setup.cpp). Only clang has `minsize`; elsewhere (the native
// g++ build, where size does not matter) the mark is empty. It never changes results: minsize
// changes what is inlined and unrolled, not the arithmetic.
#pragma once

#if defined(__clang__)
#define NNPLAY_COLD __attribute__((minsize))
#else
#define NNPLAY_COLD
#endif
