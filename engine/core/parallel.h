// The engine's thread pool: one primitive, parallel_for, over a small fixed set of threads.
//
// Determinism is the contract: callers split work only over independent outputs (one sample's
// im2col, one chunk's product, one image's pooling), never a reduction, so every value is
// computed by the same instructions in the same order whichever thread runs it and however many
// threads there are. Same seed, same bits with 1, 2 or N threads.
//
// Builds: natively, and in the wasm build linked with -pthread (Emscripten defines
// __EMSCRIPTEN_PTHREADS__), the pool has up to kMaxThreads threads; the caller is one of them.
// In the plain wasm build there are no threads: thread_count() is 1 and parallel_for is the loop
// it replaces. With one thread, or one index, parallel_for is that same loop in every build.
//
// Nested calls (a task calling parallel_for) and calls from a second thread while the pool is busy
// run their loop on the calling thread, in order.
#pragma once

#include <algorithm>
#include <type_traits>
#include <utility>

namespace nnplay {

constexpr int kMaxThreads = 16;

// Whether this build can run more than one thread at all (false in the plain wasm build).
bool threads_supported();
// Sets the pool's size, the calling thread included: n in [1, kMaxThreads], otherwise an
// Error naming the range. Returns the count in effect, which is smaller when the
// platform refused a thread (a wasm build whose pre-started worker pool is smaller) and 1 in a
// build without threads. Must not be called from inside a task.
int set_thread_count(int n);
int thread_count();

namespace detail {
using TaskFn = void (*)(void* ctx, int index, int slot);
void parallel_run(int count, TaskFn fn, void* ctx);
int current_slot();  // the slot of the task this thread is running, 0 outside tasks
}  // namespace detail

// Calls task(index, slot) once for every index in [0, count), spread over the pool, and returns
// when all have finished. slot in [0, thread_count()) names the thread running the call, so a
// task can use per-thread scratch memory that the caller sized beforehand (tasks must not grow
// the wasm memory: see docs/BUILDING.md, threads). Indices go to whichever thread is free, so a
// task must not depend on its slot for anything but scratch space.
// An exception thrown by a task is rethrown here, on the calling thread, after every task has
// finished or been skipped (after the first exception, indices not yet started are skipped); when
// several tasks throw, the one with the lowest index is rethrown.
template <class Task>
void parallel_for(int count, Task&& task) {
  if (count <= 0) return;
  if (count == 1 || thread_count() == 1) {
    const int slot = detail::current_slot();
    for (int i = 0; i < count; ++i) task(i, slot);
    return;
  }
  using T = std::remove_reference_t<Task>;
  detail::parallel_run(
      count, [](void* ctx, int index, int slot) { (*static_cast<T*>(ctx))(index, slot); },
      const_cast<void*>(static_cast<const void*>(&task)));
}

// Splits [0, total) into contiguous ranges of at least min_per_range items (one range per
// thread at most, so small work stays one call on the calling thread) and calls
// task(begin, end, slot) for each through parallel_for. For loops whose items are independent
// outputs (one image each), where how the range is cut cannot change a bit.
template <class Task>
void parallel_ranges(int total, int min_per_range, Task&& task) {
  if (total <= 0) return;
  const int by_size = total / (min_per_range < 1 ? 1 : min_per_range);
  const int ranges = std::max(1, std::min(thread_count(), by_size));
  parallel_for(ranges, [&](int r, int slot) {
    const int begin = static_cast<int>(static_cast<long long>(total) * r / ranges);
    const int end = static_cast<int>(static_cast<long long>(total) * (r + 1) / ranges);
    task(begin, end, slot);
  });
}

}  // namespace nnplay
