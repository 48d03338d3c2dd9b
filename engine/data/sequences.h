// Sequence data sets for recurrent networks: seeded generators of the tasks a teacher explains
// in a sentence (sine-wave forecasting, the adding problem, parity and counting of bit strings)
// and next-character windows over a text corpus. Every sample is x [steps, features] (an RNN
// reads [batch, steps, features]) and y [outputs].
//
// Why in the engine and not in the library: this is the one generator, used by nn.datasets in
// Node, browsers and workers alike. Compiled into the wasm, its sin() and the PCG32 stream are
// the same code everywhere, so a seed gives the same bits in every browser (JS's Math.sin is
// implementation-approximated and differs between engines). It is data, not model math.
//
//   sine      x [n, steps, 1]: a window of sum_k a_k sin(2π f_k t + φ_k) (waves components;
//             f_k uniform in [1/32, 1/8] cycles per step, a_k uniform in [0.5, 1] / waves,
//             φ_k uniform in [0, 2π), drawn per sample), plus Gaussian noise of `noise`
//             stddev on x only; y [n, horizon]: the next `horizon` clean values. |y| <= 1.
//   adding    x [n, steps, 2]: channel 0 uniform in [0, 1), channel 1 a marker that is 1 at
//             exactly two steps (one in each half); y [n, 1]: the sum of the two marked
//             values, in [0, 2). (Hochreiter & Schmidhuber 1997; Le, Jaitly & Hinton 2015.)
//   parity    x [n, steps, 1]: bits 0/1; y [n, 1]: 1 when the count of ones is odd.
//   counting  x [n, steps, 1]: bits 0/1; y [n, 1]: the count of ones, a class in 0..steps.
//             Both with everyStep: y [n, steps], the parity / count of the bits so far (a
//             target at every step, for a returnSequences model: parity becomes learnable
//             in a few epochs, where the last step alone gives gradient descent a long
//             plateau).
//
// Train and test come from two streams of one seed (streams 1 and 2), so changing numTest
// does not change the training samples and vice versa.
//
// Text: the corpus is bytes whose every byte is one character of a vocabulary string (ids are
// positions in it), checked against the CRC-32 the build wrote. Windows of seqLength ids are
// x [n, seqLength, vocab] one-hot or [n, seqLength] ids (for an embedding), y [n, 1] the id of
// the character that follows. The first 1 - testFraction of the text is train, the rest test.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/dataset.h"

namespace nnplay {

// "sine" "adding" "parity" "counting".
const std::vector<std::string>& sequence_task_names();

struct SequenceTaskConfig {
  std::string task = "sine";
  int num_train = 1000;
  int num_test = 200;
  int steps = 0;  // 0: the task's default (sine 40, adding 50, parity and counting 12)
  int horizon = 1;
  int waves = 1;
  float noise = 0.0f;
  std::uint64_t seed = 0;
  bool every_step = false;  // parity, counting: y [n, steps], the answer after each bit
};

// Limits, named in error messages.
constexpr int kSequenceMaxSamples = 1000000;
constexpr int kSequenceMaxSteps = 100000;
constexpr int kSequenceMaxWaves = 16;
constexpr int kSequenceMaxHorizon = 1000;
// Values per split (x): 2^26 floats = 256 MB, well inside the wasm heap's 2 GB.
constexpr std::uint64_t kSequenceMaxValues = std::uint64_t{1} << 26;

struct SequenceData {
  Dataset train;  // x [num_train, steps, features], y [num_train, outputs]
  Dataset test;
  int steps = 0;
  int features = 0;
  int outputs = 0;
};

// Parses {"task":"sine","numTrain":1000,"numTest":200,"steps":40,"horizon":1,"waves":1,
// "noise":0,"seed":0,"everyStep":false}; a key the task does not take is rejected by name
// (horizon, waves and noise belong to sine only, everyStep to parity and counting). Validates. Throws Error naming the
// option and its allowed range.
SequenceTaskConfig parse_sequence_task_config(const std::string& json);
void validate_sequence_task_config(SequenceTaskConfig& config);  // fills in the default steps

// Generates both splits. Throws Error for an invalid config.
SequenceData make_sequence_task(SequenceTaskConfig config);

// ---- text

struct TextCorpus {
  std::vector<std::uint8_t> ids;  // one per character, < vocab_size
  int vocab_size = 0;
};

// Checks the CRC-32 of `size` bytes, then maps each byte to its position in `vocab` (at most
// 256 distinct single-byte characters). `name` is how errors name the file. Throws Error.
TextCorpus make_text_corpus(const std::uint8_t* bytes, std::uint64_t size, std::uint32_t crc, const std::string& vocab,
                            const std::string& name);

struct TextWindowsConfig {
  int seq_length = 40;
  int stride = 0;  // 0: seq_length (windows that do not overlap)
  bool one_hot = true;
  float test_fraction = 0.1f;
};

// Parses {"seqLength":40,"stride":40,"encoding":"oneHot"|"ids","testFraction":0.1}. Throws Error.
TextWindowsConfig parse_text_windows_config(const std::string& json);

// Windows of both splits. Throws Error when a split is shorter than one window or x would
// exceed kSequenceMaxValues (naming a larger stride or "ids" as the way out).
SequenceData make_text_windows(const TextCorpus& corpus, TextWindowsConfig config);

}  // namespace nnplay
