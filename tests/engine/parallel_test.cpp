// The thread pool (core/parallel.h) and what it promises the layers built on it:
//  - parallel_for calls every index exactly once, with a slot below the thread count, for any
//    count and any thread count (1, 2, 3, 5), nested calls included;
//  - with n threads, n tasks really run at the same time on n distinct threads (what the
//    ThreadSanitizer run relies on to see a race);
//  - an exception thrown in a task comes back on the calling thread (the lowest index's when
//    several throw), and the pool keeps working after it;
//  - set_thread_count refuses counts outside [1, kMaxThreads] by name;
//  - the ConvNetJS demo net (conv, pooling, dense; batches of several im2col chunks) trained with
//    1, 2 and 3 threads ends with the same weights, bit for bit.
#include "core/parallel.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "chain.h"
#include "core/rng.h"
#include "test_util.h"
#include "train/trainer.h"

namespace nnplay {
namespace {

// Restores the pool's size when a test ends, so the other suites run as they always did.
struct ThreadCountGuard {
  int before = thread_count();
  ~ThreadCountGuard() { set_thread_count(before); }
};

TEST(ParallelFor, EveryIndexOnceWhateverTheThreadCount) {
  ThreadCountGuard guard;
  for (int threads : {1, 2, 3, 5}) {
    ASSERT_EQ(set_thread_count(threads), threads);
    for (int count : {0, 1, 2, 3, 7, 64, 1000}) {
      std::vector<std::atomic<int>> calls(static_cast<std::size_t>(count));
      std::atomic<int> bad_slot{0};
      parallel_for(count, [&](int i, int slot) {
        calls[static_cast<std::size_t>(i)].fetch_add(1);
        if (slot < 0 || slot >= threads) bad_slot.fetch_add(1);
      });
      for (int i = 0; i < count; ++i)
        ASSERT_EQ(calls[static_cast<std::size_t>(i)].load(), 1)
            << "index " << i << " of " << count << ", " << threads << " threads";
      EXPECT_EQ(bad_slot.load(), 0);
    }
  }
}

TEST(ParallelFor, TasksRunAtTheSameTimeOnDistinctThreads) {
  ThreadCountGuard guard;
  for (int threads : {2, 3}) {
    ASSERT_EQ(set_thread_count(threads), threads);
    // Every task waits until all of them have started: only a pool that runs them at once, on
    // `threads` threads, gets through without the deadline (a serial loop would hit it).
    std::atomic<int> started{0}, timed_out{0};
    std::vector<std::thread::id> ran_on(static_cast<std::size_t>(threads));
    parallel_for(threads, [&](int i, int) {
      ran_on[static_cast<std::size_t>(i)] = std::this_thread::get_id();
      started.fetch_add(1);
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (started.load() < threads) {
        if (std::chrono::steady_clock::now() > deadline) {
          timed_out.fetch_add(1);
          return;
        }
        std::this_thread::yield();
      }
    });
    EXPECT_EQ(timed_out.load(), 0) << threads << " threads";
    for (int i = 0; i < threads; ++i)
      for (int j = 0; j < i; ++j)
        EXPECT_NE(ran_on[static_cast<std::size_t>(i)], ran_on[static_cast<std::size_t>(j)])
            << "tasks " << j << " and " << i << " ran on one thread";
    // The caller is one of the pool's threads (it has threads - 1 workers besides).
    EXPECT_NE(std::find(ran_on.begin(), ran_on.end(), std::this_thread::get_id()), ran_on.end());
  }
}

TEST(ParallelFor, NestedCallsAndRangesCoverEverything) {
  ThreadCountGuard guard;
  set_thread_count(3);
  std::vector<std::atomic<int>> calls(40 * 30);
  parallel_for(40, [&](int i, int) {
    parallel_for(30, [&](int j, int) { calls[static_cast<std::size_t>(i * 30 + j)].fetch_add(1); });
  });
  for (auto& c : calls) ASSERT_EQ(c.load(), 1);
  for (int total : {0, 1, 5, 100, 101}) {
    std::vector<int> seen(static_cast<std::size_t>(total), 0);
    parallel_ranges(total, 4, [&](int b, int e, int) {
      for (int k = b; k < e; ++k) ++seen[static_cast<std::size_t>(k)];  // ranges are disjoint
    });
    for (int v : seen) ASSERT_EQ(v, 1);
  }
}

TEST(ParallelFor, ExceptionsInTasksComeBackToTheCaller) {
  ThreadCountGuard guard;
  for (int threads : {1, 2, 3}) {
    set_thread_count(threads);
    try {
      parallel_for(100, [&](int i, int) {
        if (i == 5 || i == 17 || i == 99) throw std::runtime_error("task " + std::to_string(i) + " failed");
      });
      ADD_FAILURE() << "no exception with " << threads << " threads";
    } catch (const std::runtime_error& e) {
      EXPECT_STREQ(e.what(), "task 5 failed") << threads << " threads";
    }
    std::atomic<int> after{0};  // the pool still runs every task after a failed job
    parallel_for(50, [&](int, int) { after.fetch_add(1); });
    EXPECT_EQ(after.load(), 50);
  }
}

TEST(ParallelFor, ThreadCountOutsideTheRangeIsRefused) {
  ThreadCountGuard guard;
  EXPECT_TRUE(threads_supported());
  for (int n : {0, -1, kMaxThreads + 1}) {
    const std::string message = test::error_of([&] { set_thread_count(n); });
    EXPECT_NE(message.find("from 1 to 16"), std::string::npos) << message;
    EXPECT_NE(message.find(std::to_string(n)), std::string::npos) << message;
  }
  EXPECT_EQ(set_thread_count(2), 2);
  EXPECT_EQ(thread_count(), 2);
}

// bench/workloads.mjs convnetjsDemo's layers on 14x14 images (a quarter of the work of 28x28, for
// the sanitized Debug suite), batch 20: conv1 runs 4 chunks of 6, 6, 6 and 2 samples, conv2 7
// chunks of 3 (the last 2), the pooling layers split the batch; momentum SGD.
const char* kDemoSpec = R"({"inputShape":[14,14,1],"seed":17,"layers":[
  {"type":"conv2d","filters":8,"kernelSize":5,"padding":"same","activation":"relu"},
  {"type":"maxPooling2d","poolSize":2,"strides":2},
  {"type":"conv2d","filters":16,"kernelSize":5,"padding":"same","activation":"relu"},
  {"type":"maxPooling2d","poolSize":3,"strides":3},
  {"type":"flatten"},
  {"type":"dense","units":10,"activation":"softmax"}]})";

std::vector<float> train_demo(int threads) {
  set_thread_count(threads);
  Dataset d;
  const int n = 40;
  d.x.resize({n, 196});
  d.y.resize({n, 1});
  Rng rng(3);
  for (std::size_t i = 0; i < d.x.size(); ++i) d.x[i] = rng.uniform(0.0f, 1.0f);
  for (int i = 0; i < n; ++i) d.y[static_cast<std::size_t>(i)] = static_cast<float>(i % 10);
  Sequential m(parse_graph_spec(kDemoSpec));
  Trainer t(m, parse_compile_spec(R"({"optimizer":{"name":"momentum","learningRate":0.01,"momentum":0.9},
                                      "loss":"sparseCategoricalCrossentropy"})"));
  t.train_epoch(d, 20, true);
  t.train_epoch(d, 20, true);
  std::vector<float> w;
  for (const Variable& p : m.params()) w.insert(w.end(), p.value->data(), p.value->data() + p.value->size());
  return w;
}

TEST(ParallelFor, ConvNetTrainsToTheSameBitsWithOneTwoOrThreeThreads) {
  ThreadCountGuard guard;
  const std::vector<float> one = train_demo(1), two = train_demo(2), three = train_demo(3);
  ASSERT_EQ(one.size(), two.size());
  ASSERT_EQ(one.size(), three.size());
  EXPECT_EQ(0, std::memcmp(one.data(), two.data(), one.size() * sizeof(float))) << "1 vs 2 threads";
  EXPECT_EQ(0, std::memcmp(one.data(), three.data(), one.size() * sizeof(float))) << "1 vs 3 threads";
  Sequential fresh(parse_graph_spec(kDemoSpec));
  std::vector<float> init;
  for (const Variable& p : fresh.params()) init.insert(init.end(), p.value->data(), p.value->data() + p.value->size());
  EXPECT_NE(one, init);  // training changed the weights
}

}  // namespace
}  // namespace nnplay
