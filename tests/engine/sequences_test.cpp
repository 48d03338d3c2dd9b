// Tests of the sequence data sets: shapes, determinism per seed, independent train/test
// streams, each task's targets recomputed from its inputs, text windows on a hand case, the
// CRC check, and the errors bad options get.
#include "data/sequences.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "core/check.h"
#include "core/crc32.h"

namespace nnplay {
namespace {

template <typename Fn>
void expect_error(Fn fn, const std::vector<std::string>& fragments) {
  try {
    fn();
    ADD_FAILURE() << "expected an Error containing \"" << fragments.front() << "\"";
  } catch (const Error& e) {
    for (const auto& f : fragments)
      EXPECT_NE(std::string(e.what()).find(f), std::string::npos)
          << "message \"" << e.what() << "\" lacks \"" << f << "\"";
  }
}

bool same_bits(const Tensor& a, const Tensor& b) {
  return a.shape() == b.shape() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

TEST(SequenceTasks, ShapesFollowTheTask) {
  struct Case {
    const char* json;
    Shape x_train, y_train, x_test;
  };
  const Case cases[] = {
      {R"({"task":"sine"})", {1000, 40, 1}, {1000, 1}, {200, 40, 1}},
      {R"({"task":"sine","numTrain":7,"numTest":3,"steps":9,"horizon":4,"waves":3})", {7, 9, 1}, {7, 4}, {3, 9, 1}},
      {R"({"task":"adding","numTrain":5,"numTest":0})", {5, 50, 2}, {5, 1}, {0, 50, 2}},
      {R"({"task":"parity","numTrain":5,"numTest":2})", {5, 12, 1}, {5, 1}, {2, 12, 1}},
      {R"({"task":"counting","numTrain":5,"numTest":2,"steps":30})", {5, 30, 1}, {5, 1}, {2, 30, 1}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.json);
    const SequenceData d = make_sequence_task(parse_sequence_task_config(c.json));
    EXPECT_EQ(d.train.x.shape(), c.x_train);
    EXPECT_EQ(d.train.y.shape(), c.y_train);
    EXPECT_EQ(d.test.x.shape(), c.x_test);
    EXPECT_EQ(d.steps, c.x_train[1]);
    EXPECT_EQ(d.features, c.x_train[2]);
    EXPECT_EQ(d.outputs, c.y_train[1]);
  }
}

TEST(SequenceTasks, SameSeedSameBitsOtherSeedOtherData) {
  for (const char* task : {"sine", "adding", "parity", "counting"}) {
    SCOPED_TRACE(task);
    const std::string base = std::string(R"({"task":")") + task + R"(","numTrain":50,"numTest":20)";
    const SequenceData a = make_sequence_task(parse_sequence_task_config(base + R"(,"seed":3})"));
    const SequenceData b = make_sequence_task(parse_sequence_task_config(base + R"(,"seed":3})"));
    const SequenceData c = make_sequence_task(parse_sequence_task_config(base + R"(,"seed":4})"));
    EXPECT_TRUE(same_bits(a.train.x, b.train.x));
    EXPECT_TRUE(same_bits(a.test.y, b.test.y));
    EXPECT_FALSE(same_bits(a.train.x, c.train.x));
    // The test split is its own stream: more test samples leave the training ones as they were.
    const SequenceData more = make_sequence_task(
        parse_sequence_task_config(std::string(R"({"task":")") + task + R"(","numTrain":50,"numTest":90,"seed":3})"));
    EXPECT_TRUE(same_bits(a.train.x, more.train.x));
    EXPECT_EQ(0, std::memcmp(a.test.x.data(), more.test.x.data(), a.test.x.size() * sizeof(float)));
  }
}

TEST(SequenceTasks, SineTargetsContinueTheWave) {
  // One wave without noise: x_t = a sin(w t + p). Three consecutive samples fix the wave's
  // recurrence s_{t+1} = 2 cos(w) s_t - s_{t-1}, which must also give the targets.
  const SequenceData d = make_sequence_task(
      parse_sequence_task_config(R"({"task":"sine","numTrain":20,"numTest":0,"steps":10,"horizon":3})"));
  for (int i = 0; i < 20; ++i) {
    const float* x = d.train.x.data() + i * 10;
    const float* y = d.train.y.data() + i * 3;
    std::vector<double> s(x, x + 10);
    s.insert(s.end(), y, y + 3);
    // 2cos(w) from a well-conditioned triple.
    int t = 1;
    while (t < 9 && std::fabs(s[t]) < 0.2) ++t;
    const double two_cos = (s[t + 1] + s[t - 1]) / s[t];
    EXPECT_GE(two_cos, 2 * std::cos(6.2831853 / 8) - 1e-3);  // frequency in [1/32, 1/8]
    EXPECT_LE(two_cos, 2 * std::cos(6.2831853 / 32) + 1e-3);
    for (int k = 10; k < 13; ++k) EXPECT_NEAR(s[k], two_cos * s[k - 1] - s[k - 2], 2e-4) << "sample " << i;
    for (double v : s) EXPECT_LE(std::fabs(v), 1.0);
  }
}

TEST(SequenceTasks, AddingSumsTheTwoMarkedValues) {
  const SequenceData d =
      make_sequence_task(parse_sequence_task_config(R"({"task":"adding","numTrain":200,"steps":20})"));
  for (int i = 0; i < 200; ++i) {
    const float* x = d.train.x.data() + i * 40;
    int marks = 0, first_half = 0;
    double sum = 0;
    for (int t = 0; t < 20; ++t) {
      EXPECT_GE(x[2 * t], 0.0f);
      EXPECT_LT(x[2 * t], 1.0f);
      if (x[2 * t + 1] == 1.0f) {
        ++marks;
        sum += x[2 * t];
        if (t < 10) ++first_half;
      } else {
        EXPECT_EQ(x[2 * t + 1], 0.0f);
      }
    }
    EXPECT_EQ(marks, 2);
    EXPECT_EQ(first_half, 1);
    EXPECT_FLOAT_EQ(d.train.y.data()[i], static_cast<float>(sum));
  }
}

TEST(SequenceTasks, ParityAndCountingReadTheBits) {
  for (const char* task : {"parity", "counting"}) {
    const SequenceData d = make_sequence_task(
        parse_sequence_task_config(std::string(R"({"task":")") + task + R"(","numTrain":300,"steps":9})"));
    int odd = 0;
    for (int i = 0; i < 300; ++i) {
      int ones = 0;
      for (int t = 0; t < 9; ++t) {
        const float b = d.train.x.data()[i * 9 + t];
        EXPECT_TRUE(b == 0.0f || b == 1.0f);
        ones += static_cast<int>(b);
      }
      const float want = std::string(task) == "parity" ? static_cast<float>(ones % 2) : static_cast<float>(ones);
      EXPECT_EQ(d.train.y.data()[i], want);
      odd += ones % 2;
    }
    EXPECT_GT(odd, 100);  // the bits are fair coins, not all one value
    EXPECT_LT(odd, 200);
  }
}

TEST(SequenceTasks, EveryStepGivesTheRunningAnswer) {
  for (const char* task : {"parity", "counting"}) {
    SCOPED_TRACE(task);
    const std::string base = std::string(R"({"task":")") + task + R"(","numTrain":50,"numTest":0,"steps":6)";
    const SequenceData d = make_sequence_task(parse_sequence_task_config(base + R"(,"everyStep":true})"));
    const SequenceData last = make_sequence_task(parse_sequence_task_config(base + "}"));
    ASSERT_EQ(d.train.y.shape(), (Shape{50, 6}));
    EXPECT_EQ(d.outputs, 6);
    EXPECT_TRUE(same_bits(d.train.x, last.train.x));  // the same bits, more targets
    for (int i = 0; i < 50; ++i) {
      int ones = 0;
      for (int t = 0; t < 6; ++t) {
        ones += static_cast<int>(d.train.x.data()[i * 6 + t]);
        const float want = std::string(task) == "parity" ? static_cast<float>(ones % 2) : static_cast<float>(ones);
        EXPECT_EQ(d.train.y.data()[i * 6 + t], want);
      }
      EXPECT_EQ(last.train.y.data()[i], d.train.y.data()[i * 6 + 5]);
    }
  }
  expect_error([] { parse_sequence_task_config(R"({"task":"sine","everyStep":true})"); },
               {"\"everyStep\" belongs to the parity and counting tasks, not sine"});
  expect_error([] { parse_sequence_task_config(R"({"task":"parity","everyStep":1})"); },
               {"everyStep must be true or false"});
}

TEST(SequenceTasks, BadOptionsAreNamed) {
  expect_error([] { parse_sequence_task_config(R"({"task":"sinus"})"); },
               {"unknown sequence task \"sinus\"", "sine, adding"});
  expect_error([] { parse_sequence_task_config(R"({"task":"adding","waves":2})"); },
               {"\"waves\" belongs to the sine task"});
  expect_error([] { parse_sequence_task_config(R"({"task":"adding","steps":1})"); },
               {"adding needs steps in [2, 100000]"});
  expect_error([] { parse_sequence_task_config(R"({"numTrain":0})"); },
               {"numTrain must be an integer in [1, 1000000]"});
  expect_error([] { parse_sequence_task_config(R"({"steps":2.5})"); }, {"steps must be an integer"});
  expect_error([] { parse_sequence_task_config(R"({"noise":-1})"); }, {"noise must be a number in [0, 10]"});
  expect_error([] { parse_sequence_task_config(R"({"numTrain":1,"colour":1})"); }, {"unknown option \"colour\""});
  expect_error([] { parse_sequence_task_config(R"({"numTrain":1000000,"steps":100000})"); },
               {"would hold 100000000000 values", "use fewer samples or steps"});
}

TextCorpus corpus_of(const std::string& text, const std::string& vocab) {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
  return make_text_corpus(bytes, text.size(), crc32(bytes, text.size()), vocab, "t.txt");
}

TEST(TextWindows, HandCase) {
  // "abcab\ncab" (9 chars), vocab "\nabc": ids 1 2 3 1 2 0 3 1 2. testFraction 0.3: train the
  // first 6 chars (floor(9 · 0.7)), test the last 3. seqLength 2, stride 1: train windows at
  // 0..3 (each needs 3 chars), test at 0.
  const TextCorpus corpus = corpus_of("abcab\ncab", "\nabc");
  TextWindowsConfig c = parse_text_windows_config(R"({"seqLength":2,"stride":1,"encoding":"ids","testFraction":0.3})");
  const SequenceData d = make_text_windows(corpus, c);
  ASSERT_EQ(d.train.x.shape(), (Shape{4, 2}));
  ASSERT_EQ(d.test.x.shape(), (Shape{1, 2}));
  const std::vector<float> x(d.train.x.data(), d.train.x.data() + 8), y(d.train.y.data(), d.train.y.data() + 4);
  EXPECT_EQ(x, (std::vector<float>{1, 2, 2, 3, 3, 1, 1, 2}));
  EXPECT_EQ(y, (std::vector<float>{3, 1, 2, 0}));
  EXPECT_EQ(d.test.x.data()[0], 3.0f);
  EXPECT_EQ(d.test.y.data()[0], 2.0f);

  c.one_hot = true;
  c.stride = 0;  // = seqLength: windows at 0 and 2
  const SequenceData h = make_text_windows(corpus, c);
  ASSERT_EQ(h.train.x.shape(), (Shape{2, 2, 4}));
  const std::vector<float> oh(h.train.x.data(), h.train.x.data() + 16);
  EXPECT_EQ(oh, (std::vector<float>{0, 1, 0, 0, 0, 0, 1, 0, /**/ 0, 0, 0, 1, 0, 1, 0, 0}));
  EXPECT_EQ(h.features, 4);
}

TEST(TextWindows, ChecksumVocabularyAndSizes) {
  const std::string text = "hello";
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
  expect_error([&] { make_text_corpus(bytes, 5, crc32(bytes, 5) ^ 1u, "ehlo", "f.txt"); },
               {"f.txt: CRC-32 is", "corrupt"});
  expect_error([&] { make_text_corpus(bytes, 5, crc32(bytes, 5), "elo", "f.txt"); },
               {"byte 104 at offset 0 is not in the vocabulary"});
  const TextCorpus corpus = corpus_of(text, "ehlo");
  expect_error([&] { make_text_windows(corpus, parse_text_windows_config(R"({"seqLength":5})")); },
               {"too few for one window", "smaller seqLength"});
  expect_error([] { parse_text_windows_config(R"({"encoding":"utf8"})"); }, {"encoding must be \"oneHot\""});
  expect_error([] { parse_text_windows_config(R"({"seqLength":0})"); },
               {"seqLength must be an integer in [1, 100000]"});
  expect_error([] { parse_text_windows_config(R"({"testFraction":0.9})"); },
               {"testFraction must be a number in [0, 0.5]"});
}

}  // namespace
}  // namespace nnplay
