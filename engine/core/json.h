// The engine's JSON: the few operations its spec readers and writers use, on RapidJSON
// (rapidjson-dev, header-only). Engine-internal; the readers and writers name only these types.
//
// Why RapidJSON behind this header and not nlohmann-json: nlohmann's parser and serializer were
// about 28 KB of the gzipped wasm and pulled printf and long-double strtod in (docs/BUILDING.md);
// RapidJSON has its own exact strtod and shortest-round-trip dtoa (Grisu2) and no printf.
// Why one header: the library's types (and its allocator) stay in core/json.cpp.
#pragma once

#include <rapidjson/fwd.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "core/json_text.h"

namespace nnplay {

// A read-only view of one value of a JsonDocument (valid while the document lives). A default
// view, and a missing key's view, is null.
class JsonValue {
 public:
  JsonValue() = default;
  explicit JsonValue(const rapidjson::Value* v) : v_(v) {}

  bool is_null() const;
  bool is_boolean() const;
  bool is_number() const;
  bool is_number_integer() const;   // written without fraction or exponent, within 64 bits
  bool is_number_unsigned() const;  // such an integer that is >= 0
  bool is_number_float() const;     // any other number
  bool is_string() const;
  bool is_array() const;
  bool is_object() const;

  // Values: each is for a value of its kind (numbers convert between each other); any other
  // kind throws nnplay::Error (a reader checks the kind first, with its own message).
  bool as_bool() const;
  double as_double() const;
  long long as_int64() const;
  std::uint64_t as_uint64() const;
  std::string as_string() const;
  float as_float() const { return static_cast<float>(as_double()); }
  int as_int() const { return static_cast<int>(as_int64()); }

  // Arrays and objects: the element or member count (0 for other kinds).
  std::size_t size() const;
  bool empty() const { return size() == 0; }
  JsonValue operator[](std::size_t i) const;  // an array's element i < size() (else null)
  JsonValue operator[](int i) const { return (*this)[static_cast<std::size_t>(i)]; }  // v[0] is not a key
  bool contains(std::string_view key) const;                                          // an object with that key
  JsonValue operator[](std::string_view key) const;  // the key's value, or null when missing
  JsonValue operator[](const char* key) const { return (*this)[std::string_view(key)]; }
  JsonValue operator[](const std::string& key) const { return (*this)[std::string_view(key)]; }
  JsonValue at(std::string_view key) const;  // a key the reader checked is there (else Error)

  // Iteration: an array's elements, or an object's members (key() and value(); *it is value()).
  class Iterator {
   public:
    Iterator(const rapidjson::Value* element, const void* member) : element_(element), member_(member) {}
    JsonValue operator*() const { return value(); }
    JsonValue value() const;
    std::string key() const;  // objects only
    Iterator& operator++();
    bool operator!=(const Iterator& o) const { return element_ != o.element_ || member_ != o.member_; }

   private:
    const rapidjson::Value* element_;
    const void* member_;  // a rapidjson object member: its type is the library's
  };
  Iterator begin() const;
  Iterator end() const;

  // Compact JSON text of the value (for messages).
  std::string dump() const;

  const rapidjson::Value* raw() const { return v_; }

 private:
  const rapidjson::Value* v_ = nullptr;
};

// A parsed JSON text, or a small object made for a reader.
class JsonDocument {
 public:
  JsonDocument();
  ~JsonDocument();
  JsonDocument(JsonDocument&&) noexcept;
  JsonDocument& operator=(JsonDocument&&) noexcept;

  // Parses `text` (one JSON value, UTF-8, nothing but whitespace after it). On bad JSON returns
  // false and sets *error to what was wrong and where, e.g. "missing a comma or '}' after an
  // object member at character 12 (line 1, column 13)"; a key twice in one object is an error
  // too. Numbers parse exactly (the nearest double). Check core/json_depth first: the parser
  // recurses once per nesting level.
  bool parse(const std::string& text, std::string* error);

  // An object holding copies of `object`'s members but `drop_keys` (an initializer's
  // parameters without its name); and an object of one member {key: copy of value}.
  static JsonDocument object_without(JsonValue object, std::initializer_list<std::string_view> drop_keys);
  static JsonDocument object_of(std::string_view key, JsonValue value);

  JsonValue root() const;

 private:
  std::unique_ptr<rapidjson::Document> doc_;
};

// Parses `text` as JsonDocument::parse does; bad JSON throws nnplay::Error
// "<prefix><what was wrong and where>", e.g. prefix "compile spec is not valid JSON: ".
JsonDocument parse_json(const std::string& text, const std::string& error_prefix);

// Writes compact JSON text, one value after another in document order (keys are written in the
// order given: the engine's writers give them sorted, the order its texts always had).
class JsonWriter {
 public:
  JsonWriter();
  ~JsonWriter();
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view name);
  JsonWriter& string(std::string_view s);
  JsonWriter& boolean(bool b);
  JsonWriter& null();
  // The shortest text that reads back as the same double (1.0 is written "1.0"); NaN and
  // infinities, which JSON cannot hold, are written null.
  JsonWriter& number(double x);
  JsonWriter& integer(long long i);
  JsonWriter& unsigned_integer(std::uint64_t i);
  // A value given as JSON text this engine wrote (e.g. an initializer's object), copied as is.
  JsonWriter& raw(std::string_view json_text);
  // `v` written out (a parsed value copied into the output).
  JsonWriter& value(JsonValue v);

  // The text written so far (complete once every begin_* has its end_*).
  std::string str() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nnplay
