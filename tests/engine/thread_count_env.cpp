// NNPLAY_TEST_THREADS=n runs the suite with the engine's pool at n threads (core/parallel.h)
// instead of the one thread a program gets until it calls set_thread_count. With it, every test
// of a layer that splits its work over the pool (conv2d's chunks, the pooling layers' images)
// and every training test runs that split on real threads, which is what the ThreadSanitizer
// build (scripts/test.sh, build/native-tsan) needs to see a race. Tests that set the count
// themselves (parallel_test.cpp) put it back when they end.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "core/parallel.h"

namespace nnplay {
namespace {

class PoolSizeFromEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    const char* text = std::getenv("NNPLAY_TEST_THREADS");
    if (text == nullptr || *text == '\0') return;
    char* end = nullptr;
    const long n = std::strtol(text, &end, 10);
    ASSERT_TRUE(*end == '\0' && n >= 1 && n <= kMaxThreads)
        << "NNPLAY_TEST_THREADS must be an integer from 1 to " << kMaxThreads << ", got \"" << text << "\"";
    ASSERT_EQ(set_thread_count(static_cast<int>(n)), n) << "the pool could not start " << n << " threads";
  }
};

// Registered before main (gtest_main) runs the tests; GoogleTest owns the object.
[[maybe_unused]] ::testing::Environment* const kRegistered =
    ::testing::AddGlobalTestEnvironment(new PoolSizeFromEnvironment);

}  // namespace
}  // namespace nnplay
