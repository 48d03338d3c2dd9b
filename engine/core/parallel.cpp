#include "core/parallel.h"

#include <string>

#include "core/check.h"

#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
#define NNPLAY_NO_THREADS 1
#endif

#ifndef NNPLAY_NO_THREADS
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>
#endif

namespace nnplay {

namespace {
void check_count(int n) {
  if (n < 1 || n > kMaxThreads)
    throw Error("thread count must be an integer from 1 to " + std::to_string(kMaxThreads) + ", got " +
                std::to_string(n));
}
}  // namespace

#ifdef NNPLAY_NO_THREADS

bool threads_supported() { return false; }
int set_thread_count(int n) {
  check_count(n);
  return 1;
}
int thread_count() { return 1; }
namespace detail {
int current_slot() { return 0; }
void parallel_run(int count, TaskFn fn, void* ctx) {
  for (int i = 0; i < count; ++i) fn(ctx, i, 0);
}
}  // namespace detail

#else

namespace {

thread_local bool t_in_task = false;  // this thread is running a parallel_for task
thread_local int t_slot = 0;          // and its slot (0 outside tasks)

// One job at a time: the caller publishes it under the mutex (a new generation), the workers and
// the caller claim indices from `next` until none are left, and the last one to finish wakes the
// caller. Workers sleep on a condition variable between jobs (after a short spin, since a step's
// jobs come a few microseconds apart), so an idle pool costs nothing.
class Pool {
 public:
  ~Pool() { stop_workers(); }

  int size() const { return static_cast<int>(workers_.size()) + 1; }

  int resize(int n) {
    std::lock_guard<std::mutex> busy(dispatch_);
    stop_workers();
    stopping_ = false;
    // A worker starts waiting from the generation current here, not from the one it reads once
    // it runs: a thread that starts only after the caller has published its next job would
    // otherwise take that job for one it has seen and sleep through it (the job then ran on
    // fewer threads; tests/engine/parallel_test.cpp TasksRunAtTheSameTimeOnDistinctThreads).
    const std::uint32_t seen = generation_.load(std::memory_order_relaxed);
    for (int slot = 1; slot < n; ++slot) {
      try {
        workers_.emplace_back([this, slot, seen] { work(slot, seen); });
      } catch (const std::system_error&) {
        break;  // the platform has no more threads for us (wasm: the pre-started pool is used up)
      }
    }
    size_.store(size(), std::memory_order_relaxed);
    return size();
  }

  int published_size() const { return size_.load(std::memory_order_relaxed); }

  void run(int count, detail::TaskFn fn, void* ctx) {
    std::unique_lock<std::mutex> busy(dispatch_, std::try_to_lock);
    if (!busy.owns_lock()) {  // another thread's job is running: run this one inline
      for (int i = 0; i < count; ++i) fn(ctx, i, 0);
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job_ = Job{fn, ctx, count, generation_.load(std::memory_order_relaxed) + 1};
      unfinished_.store(count, std::memory_order_relaxed);
      failed_.store(false, std::memory_order_relaxed);
      error_ = nullptr;
      error_index_ = count;
      next_.store(static_cast<std::uint64_t>(job_.generation) << 32, std::memory_order_relaxed);
      generation_.store(job_.generation, std::memory_order_release);
    }
    wake_.notify_all();
    claim(job_, 0);
    for (int spin = 0; spin < kSpin && unfinished_.load(std::memory_order_acquire) != 0; ++spin) {
    }
    if (unfinished_.load(std::memory_order_acquire) != 0) {
      std::unique_lock<std::mutex> lock(mutex_);
      done_.wait(lock, [this] { return unfinished_.load(std::memory_order_acquire) == 0; });
    }
    std::exception_ptr error;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      error = error_;
      error_ = nullptr;
    }
    if (error) std::rethrow_exception(error);
  }

 private:
  static constexpr int kSpin = 1 << 14;

  struct Job {
    detail::TaskFn fn = nullptr;
    void* ctx = nullptr;
    int count = 0;
    std::uint32_t generation = 0;
  };

  // Takes the next index of `job` if it is still the current job and has one left. The
  // generation rides in the same word as the index, so a worker late from an earlier job can
  // never take an index of the next one.
  bool take(const Job& job, int& index) {
    std::uint64_t v = next_.load(std::memory_order_relaxed);
    for (;;) {
      if (static_cast<std::uint32_t>(v >> 32) != job.generation) return false;
      const auto i = static_cast<std::uint32_t>(v);
      if (i >= static_cast<std::uint32_t>(job.count)) return false;
      if (next_.compare_exchange_weak(v, v + 1, std::memory_order_relaxed)) {
        index = static_cast<int>(i);
        return true;
      }
    }
  }

  void claim(const Job& job, int slot) {
    int i = 0;
    while (take(job, i)) {
      if (!failed_.load(std::memory_order_relaxed)) {
        try {
          t_in_task = true;
          t_slot = slot;
          job.fn(job.ctx, i, slot);
          t_in_task = false;
        } catch (...) {
          t_in_task = false;
          std::lock_guard<std::mutex> lock(mutex_);
          if (i < error_index_) {
            error_index_ = i;
            error_ = std::current_exception();
          }
          failed_.store(true, std::memory_order_relaxed);
        }
      }
      if (unfinished_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        std::lock_guard<std::mutex> lock(mutex_);  // the caller checks under it before sleeping
        done_.notify_all();
      }
    }
  }

  void work(int slot, std::uint32_t seen) {
    for (;;) {
      Job job;
      for (int spin = 0; spin < kSpin && generation_.load(std::memory_order_acquire) == seen && !stopping_.load();
           ++spin) {
      }
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return stopping_ || generation_.load(std::memory_order_acquire) != seen; });
        if (stopping_) return;
        job = job_;
        seen = job.generation;
      }
      claim(job, slot);
    }
  }

  void stop_workers() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (std::thread& t : workers_) t.join();
    workers_.clear();
    size_.store(1, std::memory_order_relaxed);
  }

  std::mutex dispatch_;  // one job at a time; held by the caller for the whole job
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::vector<std::thread> workers_;
  std::atomic<int> size_{1};
  std::atomic<bool> stopping_{false};

  Job job_;  // written by the caller under mutex_, copied by each worker under it
  std::atomic<std::uint32_t> generation_{0};
  std::atomic<std::uint64_t> next_{0};  // generation << 32 | the next index to take
  std::atomic<int> unfinished_{0};
  std::atomic<bool> failed_{false};
  std::exception_ptr error_;
  int error_index_ = 0;
};

Pool& pool() {
  static Pool p;
  return p;
}

}  // namespace

bool threads_supported() { return true; }

int set_thread_count(int n) {
  check_count(n);
  if (t_in_task) throw Error("set_thread_count called from inside a parallel_for task");
  return pool().resize(n);
}

int thread_count() { return pool().published_size(); }

namespace detail {
int current_slot() { return t_in_task ? t_slot : 0; }
void parallel_run(int count, TaskFn fn, void* ctx) {
  if (t_in_task) {  // nested: run the inner loop on this thread, in order, in its slot
    for (int i = 0; i < count; ++i) fn(ctx, i, t_slot);
    return;
  }
  pool().run(count, fn, ctx);
}
}  // namespace detail

#endif

}  // namespace nnplay
