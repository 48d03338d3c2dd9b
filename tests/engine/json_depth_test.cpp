// check_json_depth: nesting beyond the bound is an Error before core/json.h parses (its reader
// and writer recurse per level and would overflow the stack on 100,000 levels).
#include "core/json_depth.h"

#include <gtest/gtest.h>

#include <string>

#include "data/playground.h"
#include "nn/graph.h"
#include "nn/registry.h"
#include "test_util.h"

namespace nnplay {
namespace {

std::string nested_array(int depth) { return std::string(depth, '[') + "1" + std::string(depth, ']'); }

TEST(JsonDepth, CountsArraysAndObjectsUpToTheBound) {
  EXPECT_NO_THROW(check_json_depth(nested_array(3), 3, "x"));
  EXPECT_ERROR_CONTAINS(check_json_depth(nested_array(4), 3, "x"), "x nests arrays/objects deeper than 3 levels");
  EXPECT_NO_THROW(check_json_depth(R"({"a":{"b":[1]}})", 3, "x"));
  EXPECT_ERROR_CONTAINS(check_json_depth(R"({"a":{"b":[{}]}})", 3, "x"), "deeper than 3");
  // Siblings do not add up: depth is the deepest path, not the number of brackets.
  EXPECT_NO_THROW(check_json_depth("[[1],[2],[3],[4],[5]]", 2, "x"));
}

TEST(JsonDepth, IgnoresBracketsInsideStrings) {
  EXPECT_NO_THROW(check_json_depth(R"({"name":"[[[[[[{{{{"})", 1, "x"));
  // An escaped quote does not end the string.
  EXPECT_NO_THROW(check_json_depth(R"({"name":"a\"[[[[[["})", 1, "x"));
  EXPECT_ERROR_CONTAINS(check_json_depth(R"({"name":"a\\",[[["x"]]]})", 2, "x"), "deeper than 2");
}

TEST(JsonDepth, SpecParsersRejectDeepNestingWithAMessage) {
  const std::string deep = nested_array(100000);
  EXPECT_ERROR_CONTAINS(parse_graph_spec(R"({"inputShape":)" + deep + "}"),
                        "model spec nests arrays/objects deeper than");
  EXPECT_ERROR_CONTAINS(parse_graph_spec(deep), "model spec nests");
  EXPECT_ERROR_CONTAINS(parse_compile_spec(R"({"optimizer":)" + deep + "}"), "compile spec nests");
  EXPECT_ERROR_CONTAINS(parse_playground_config(R"({"features":)" + deep + "}"), "playground config nests");
  // Ordinary specs are far below the bound.
  EXPECT_NO_THROW(parse_graph_spec(R"({"inputShape":[2],"layers":[{"type":"dense","units":1}]})"));
}

}  // namespace
}  // namespace nnplay
