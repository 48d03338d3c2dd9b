// core/json.h (the engine's JSON on RapidJSON) and core/json_text.h (numbers and strings as text
// without printf): parse errors say what and where, numbers round-trip exactly, the writer's
// output is what the spec readers read back, and messages' numbers read as printf's "%g" did.
#include "core/json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <string>

#include "core/check.h"
#include "test_util.h"

namespace nnplay {
namespace {

TEST(Json, ParseErrorsSayWhatAndWhere) {
  JsonDocument doc;
  std::string error;
  EXPECT_FALSE(doc.parse("{\"a\": 1,\n \"b\" 2}", &error));
  EXPECT_EQ(
      error,
      R"(Missing a colon after a name of object member at character 14 (line 2, column 6), after "{"a": 1,  "b" ")");
  EXPECT_FALSE(doc.parse("", &error));
  EXPECT_EQ(error, "The document is empty at character 0 (line 1, column 1)");
  EXPECT_FALSE(doc.parse("[1, 2] 3", &error));
  EXPECT_NE(error.find("must not be followed by other values at character 7"), std::string::npos) << error;
  // Invalid UTF-8 is bad JSON (the texts come from JS strings), as before.
  EXPECT_FALSE(doc.parse("\"\xff\"", &error));
  EXPECT_NE(error.find("Invalid encoding in string"), std::string::npos) << error;
  EXPECT_FALSE(doc.parse(R"({"a":[{"units":3,"b":1,"units":5}]})", &error));
  EXPECT_EQ(error, "the key \"units\" appears twice in one object (each key may appear once)");
  EXPECT_TRUE(doc.parse(R"({"a":{"k":1},"b":{"k":2}})", &error));  // the same key in two objects
  // A number beyond the doubles is an error, as it was (nlohmann: "number overflow").
  EXPECT_FALSE(doc.parse("[1e400]", &error));
  EXPECT_NE(error.find("Number too big to be stored in double at character 1"), std::string::npos) << error;
  EXPECT_ERROR_CONTAINS(parse_json("{oops", "the spec is not valid JSON: "),
                        "the spec is not valid JSON: Missing a name for object member at character 1");
}

TEST(Json, ReadsKindsAndNumbersAsNlohmannDid) {
  const JsonDocument doc = parse_json(R"({"i":3,"n":-3,"f":3.0,"e":1e2,"u":18446744073709551615,
      "s":"a\u00e9\"","t":true,"z":null,"a":[1,"x",[2]],"o":{}})",
                                      "");
  const JsonValue j = doc.root();
  EXPECT_TRUE(j["i"].is_number_integer() && j["i"].is_number_unsigned());
  EXPECT_TRUE(j["n"].is_number_integer() && !j["n"].is_number_unsigned());
  EXPECT_EQ(j["n"].as_int64(), -3);
  EXPECT_TRUE(j["f"].is_number_float() && !j["f"].is_number_integer());
  EXPECT_TRUE(j["e"].is_number_float());
  EXPECT_EQ(j["u"].as_uint64(), 18446744073709551615ull);
  EXPECT_EQ(j["s"].as_string(), "a\xc3\xa9\"");
  EXPECT_TRUE(j["t"].as_bool());
  EXPECT_TRUE(j["z"].is_null());
  EXPECT_TRUE(j["missing"].is_null());
  EXPECT_FALSE(j.contains("missing"));
  EXPECT_EQ(j["a"].size(), 3u);
  EXPECT_EQ(j["a"][1].as_string(), "x");
  EXPECT_TRUE(j["a"][7].is_null());
  EXPECT_TRUE(j["o"].is_object() && j["o"].empty());
  std::string keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys += it.key() + ",";
  EXPECT_EQ(keys, "i,n,f,e,u,s,t,z,a,o,");  // the text's order
  EXPECT_ERROR_CONTAINS(j["s"].as_double(), "engine bug");
  EXPECT_ERROR_CONTAINS(j.at("missing"), "missing key \"missing\"");
}

TEST(Json, NumbersRoundTripExactly) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 20000; ++i) {
    double x;
    const std::uint64_t bits = rng();
    std::memcpy(&x, &bits, sizeof x);
    if (!std::isfinite(x)) continue;
    const std::string text = json_number_text(x);
    const JsonDocument doc = parse_json("[" + text + "]", "");
    ASSERT_EQ(doc.root()[0].as_double(), x) << text;
    ASSERT_EQ(std::strtod(text.c_str(), nullptr), x) << text;  // as JSON.parse reads it
  }
  EXPECT_EQ(json_number_text(0.1), "0.1");
  EXPECT_EQ(json_number_text(1.0), "1.0");
  EXPECT_EQ(json_number_text(std::nan("")), "null");
  EXPECT_EQ(json_number_text(-std::numeric_limits<double>::infinity()), "null");
}

TEST(Json, WriterEscapesAndNests) {
  JsonWriter w;
  w.begin_object().key("a").begin_array().integer(-1).unsigned_integer(18446744073709551615ull).number(0.5);
  w.boolean(false).null().raw(R"({"x":1})").end_array().key("s").string(std::string("q\"\\\n\x01", 5));
  w.end_object();
  EXPECT_EQ(w.str(), R"({"a":[-1,18446744073709551615,0.5,false,null,{"x":1}],"s":"q\"\\\n\u0001"})");
  EXPECT_EQ(json_string_text("tab\there"), R"("tab\there")");
  const JsonDocument doc = parse_json(w.str(), "");
  EXPECT_EQ(doc.root().dump(), w.str());
  const JsonDocument without = JsonDocument::object_without(doc.root(), {"s"});
  EXPECT_EQ(without.root().dump(), R"({"a":[-1,18446744073709551615,0.5,false,null,{"x":1}]})");
  EXPECT_EQ(JsonDocument::object_of("k", doc.root()["s"]).root().dump(), R"({"k":"q\"\\\n\u0001"})");
}

// Messages print numbers through short_number_text: the same text as printf's "%g".
TEST(Json, ShortNumberTextIsPrintfsG) {
  auto printf_g = [](double x) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g", x);
    return std::string(buf);
  };
  for (double x : {0.0,
                   -0.0,
                   1.0,
                   -1.0,
                   0.5,
                   0.001,
                   0.0001,
                   0.00001,
                   1e-7,
                   123456.0,
                   1234567.0,
                   999999.0,
                   9999995.0,
                   999999.5,
                   1e6,
                   1e300,
                   0.1f * 1.0,
                   16777216.0,
                   3.14159265358979,
                   1e-300,
                   2.5e-5,
                   100.0})
    EXPECT_EQ(short_number_text(x), printf_g(x)) << x;
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> mantissa(1.0, 10.0);
  std::uniform_int_distribution<int> exponent(-30, 30);
  int differ = 0;
  for (int i = 0; i < 20000; ++i) {
    const double x = mantissa(rng) * std::pow(10.0, exponent(rng)) * (i % 2 ? -1 : 1);
    if (short_number_text(x) != printf_g(x)) ++differ;
  }
  // Only a value within an ulp of a 6-digit tie may round the other way (core/json_text.h).
  EXPECT_EQ(differ, 0);
  Message m;
  m << 0.25 << " " << 1e-5f << " " << std::nan("") << " " << -std::numeric_limits<double>::infinity();
  EXPECT_EQ(m.str(), "0.25 1e-05 NaN -Infinity");
}

}  // namespace
}  // namespace nnplay
