#include "core/json.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/check.h"

namespace nnplay {

namespace {

using Member = rapidjson::Value::Member;

const rapidjson::Value& null_value() {
  static const rapidjson::Value v;
  return v;
}

// Exact numbers (the nearest double, as JSON.parse reads them; RapidJSON's default is a faster
// approximation), and strings that are valid UTF-8 (the texts come from JS strings).
constexpr unsigned kParseFlags = rapidjson::kParseFullPrecisionFlag | rapidjson::kParseValidateEncodingFlag;

[[noreturn]] void wrong_kind(const char* wanted) {
  throw Error(std::string("engine bug: a JSON reader took a value that is not ") + wanted + " as one");
}

// The first key that appears twice in one object of `v` (or in its values), or nullptr. JSON
// leaves duplicates undefined and RapidJSON keeps both, where a reader would take the first and
// a JS reader the last: a duplicate is rejected instead.
const rapidjson::Value* duplicate_key(const rapidjson::Value& v) {
  if (v.IsArray()) {
    for (const auto& e : v.GetArray())
      if (const rapidjson::Value* d = duplicate_key(e)) return d;
  } else if (v.IsObject()) {
    std::vector<const rapidjson::Value*> names;
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
      names.push_back(&it->name);
      if (const rapidjson::Value* d = duplicate_key(it->value)) return d;
    }
    auto text = [](const rapidjson::Value* n) { return std::string_view(n->GetString(), n->GetStringLength()); };
    std::sort(names.begin(), names.end(), [&](auto* a, auto* b) { return text(a) < text(b); });
    for (std::size_t i = 1; i < names.size(); ++i)
      if (text(names[i]) == text(names[i - 1])) return names[i];
  }
  return nullptr;
}

template <class Writer>
void write_value(Writer& w, const rapidjson::Value& v) {
  v.Accept(w);
}

}  // namespace

// ---- JsonValue -----------------------------------------------------------------------------------

bool JsonValue::is_null() const { return !v_ || v_->IsNull(); }
bool JsonValue::is_boolean() const { return v_ && v_->IsBool(); }
bool JsonValue::is_number() const { return v_ && v_->IsNumber(); }
bool JsonValue::is_number_integer() const { return v_ && (v_->IsInt64() || v_->IsUint64()); }
bool JsonValue::is_number_unsigned() const { return v_ && v_->IsUint64(); }
bool JsonValue::is_number_float() const { return v_ && v_->IsDouble(); }
bool JsonValue::is_string() const { return v_ && v_->IsString(); }
bool JsonValue::is_array() const { return v_ && v_->IsArray(); }
bool JsonValue::is_object() const { return v_ && v_->IsObject(); }

bool JsonValue::as_bool() const {
  if (!is_boolean()) wrong_kind("true or false");
  return v_->GetBool();
}
double JsonValue::as_double() const {
  if (!is_number()) wrong_kind("a number");
  return v_->GetDouble();  // converts an integer too
}
long long JsonValue::as_int64() const {
  if (!is_number()) wrong_kind("a number");
  if (v_->IsInt64()) return v_->GetInt64();
  if (v_->IsUint64()) return static_cast<long long>(v_->GetUint64());
  return static_cast<long long>(v_->GetDouble());
}
std::uint64_t JsonValue::as_uint64() const {
  if (!is_number()) wrong_kind("a number");
  if (v_->IsUint64()) return v_->GetUint64();
  if (v_->IsInt64()) return static_cast<std::uint64_t>(v_->GetInt64());
  return static_cast<std::uint64_t>(v_->GetDouble());
}
std::string JsonValue::as_string() const {
  if (!is_string()) wrong_kind("a string");
  return std::string(v_->GetString(), v_->GetStringLength());
}

std::size_t JsonValue::size() const {
  if (is_array()) return v_->Size();
  if (is_object()) return v_->MemberCount();
  return 0;
}
JsonValue JsonValue::operator[](std::size_t i) const {
  if (!is_array() || i >= v_->Size()) return JsonValue(&null_value());
  return JsonValue(&(*v_)[static_cast<rapidjson::SizeType>(i)]);
}
bool JsonValue::contains(std::string_view key) const {
  if (!is_object()) return false;
  const rapidjson::Value name(rapidjson::StringRef(key.data(), key.size()));
  return v_->FindMember(name) != v_->MemberEnd();
}
JsonValue JsonValue::operator[](std::string_view key) const {
  if (!is_object()) return JsonValue(&null_value());
  const rapidjson::Value name(rapidjson::StringRef(key.data(), key.size()));
  auto it = v_->FindMember(name);
  return JsonValue(it == v_->MemberEnd() ? &null_value() : &it->value);
}

JsonValue JsonValue::at(std::string_view key) const {
  if (!contains(key)) throw Error("engine bug: a JSON reader took the missing key \"" + std::string(key) + "\"");
  return (*this)[key];
}

JsonValue JsonValue::Iterator::value() const {
  return JsonValue(element_ ? element_ : &static_cast<const Member*>(member_)->value);
}
std::string JsonValue::Iterator::key() const {
  const rapidjson::Value& name = static_cast<const Member*>(member_)->name;
  return std::string(name.GetString(), name.GetStringLength());
}
JsonValue::Iterator& JsonValue::Iterator::operator++() {
  if (element_)
    ++element_;
  else
    member_ = static_cast<const Member*>(member_) + 1;
  return *this;
}
JsonValue::Iterator JsonValue::begin() const {
  if (is_array()) return Iterator(v_->Begin(), nullptr);
  // operator-> gives the member pointer without dereferencing it (null for an empty object).
  if (is_object()) return Iterator(nullptr, v_->MemberBegin().operator->());
  return Iterator(nullptr, nullptr);
}
JsonValue::Iterator JsonValue::end() const {
  if (is_array()) return Iterator(v_->End(), nullptr);
  if (is_object()) return Iterator(nullptr, v_->MemberEnd().operator->());
  return Iterator(nullptr, nullptr);
}

std::string JsonValue::dump() const {
  JsonWriter w;
  w.value(*this);
  return w.str();
}

// ---- JsonDocument --------------------------------------------------------------------------------

JsonDocument::JsonDocument() : doc_(std::make_unique<rapidjson::Document>()) {}
JsonDocument::~JsonDocument() = default;
JsonDocument::JsonDocument(JsonDocument&&) noexcept = default;
JsonDocument& JsonDocument::operator=(JsonDocument&&) noexcept = default;

bool JsonDocument::parse(const std::string& text, std::string* error) {
  doc_->Parse<kParseFlags>(text.data(), text.size());
  if (!doc_->HasParseError()) {
    const rapidjson::Value* d = duplicate_key(*doc_);
    if (!d) return true;
    std::string name(d->GetString(), d->GetStringLength());
    if (name.size() > 40) name = name.substr(0, 40) + "...";
    *error = "the key \"" + name + "\" appears twice in one object (each key may appear once)";
    doc_->SetNull();
    return false;
  }
  // RapidJSON's message ("Missing a comma or '}' after an object member."), then where: the
  // character offset, its line and column, and the text just before it.
  const std::size_t at = doc_->GetErrorOffset();
  std::string what = rapidjson::GetParseError_En(doc_->GetParseError());
  if (!what.empty() && what.back() == '.') what.pop_back();
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < at && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  const std::size_t from = at > 20 ? at - 20 : 0;
  std::string before = text.substr(from, at - from);
  for (char& c : before)
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  *error = what + " at character " + std::to_string(at) + " (line " + std::to_string(line) + ", column " +
           std::to_string(column) + ")" +
           (before.empty() ? "" : ", after \"" + std::string(from ? "..." : "") + before + "\"");
  doc_->SetNull();
  return false;
}

JsonDocument JsonDocument::object_without(JsonValue object, std::initializer_list<std::string_view> drop_keys) {
  JsonDocument out;
  out.doc_->SetObject();
  if (!object.is_object()) return out;
  auto& alloc = out.doc_->GetAllocator();
  for (auto it = object.raw()->MemberBegin(); it != object.raw()->MemberEnd(); ++it) {
    const std::string_view name(it->name.GetString(), it->name.GetStringLength());
    bool drop = false;
    for (std::string_view k : drop_keys) drop = drop || k == name;
    if (drop) continue;
    out.doc_->AddMember(rapidjson::Value(it->name, alloc), rapidjson::Value(it->value, alloc), alloc);
  }
  return out;
}

JsonDocument JsonDocument::object_of(std::string_view key, JsonValue value) {
  JsonDocument out;
  out.doc_->SetObject();
  auto& alloc = out.doc_->GetAllocator();
  rapidjson::Value copy;
  if (value.raw()) copy.CopyFrom(*value.raw(), alloc);
  out.doc_->AddMember(rapidjson::Value(key.data(), static_cast<rapidjson::SizeType>(key.size()), alloc), copy, alloc);
  return out;
}

JsonValue JsonDocument::root() const { return JsonValue(doc_.get()); }

JsonDocument parse_json(const std::string& text, const std::string& error_prefix) {
  JsonDocument doc;
  std::string error;
  if (!doc.parse(text, &error)) throw Error(error_prefix + error);
  return doc;
}

// ---- JsonWriter ----------------------------------------------------------------------------------

struct JsonWriter::Impl {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer{buffer};
};

JsonWriter::JsonWriter() : impl_(std::make_unique<Impl>()) {}
JsonWriter::~JsonWriter() = default;

JsonWriter& JsonWriter::begin_object() {
  impl_->writer.StartObject();
  return *this;
}
JsonWriter& JsonWriter::end_object() {
  impl_->writer.EndObject();
  return *this;
}
JsonWriter& JsonWriter::begin_array() {
  impl_->writer.StartArray();
  return *this;
}
JsonWriter& JsonWriter::end_array() {
  impl_->writer.EndArray();
  return *this;
}
JsonWriter& JsonWriter::key(std::string_view name) {
  impl_->writer.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
  return *this;
}
JsonWriter& JsonWriter::string(std::string_view s) {
  impl_->writer.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  return *this;
}
JsonWriter& JsonWriter::boolean(bool b) {
  impl_->writer.Bool(b);
  return *this;
}
JsonWriter& JsonWriter::null() {
  impl_->writer.Null();
  return *this;
}
JsonWriter& JsonWriter::number(double x) {
  if (std::isfinite(x))
    impl_->writer.Double(x);
  else
    impl_->writer.Null();
  return *this;
}
JsonWriter& JsonWriter::integer(long long i) {
  impl_->writer.Int64(i);
  return *this;
}
JsonWriter& JsonWriter::unsigned_integer(std::uint64_t i) {
  impl_->writer.Uint64(i);
  return *this;
}
JsonWriter& JsonWriter::raw(std::string_view json_text) {
  // The type only tells the writer that a value (not a key) was written.
  impl_->writer.RawValue(json_text.data(), json_text.size(), rapidjson::kObjectType);
  return *this;
}
JsonWriter& JsonWriter::value(JsonValue v) {
  if (v.raw())
    write_value(impl_->writer, *v.raw());
  else
    impl_->writer.Null();
  return *this;
}

std::string JsonWriter::str() const { return std::string(impl_->buffer.GetString(), impl_->buffer.GetSize()); }

std::string json_number_text(double x) {
  JsonWriter w;
  w.number(x);
  return w.str();
}
std::string json_string_text(std::string_view s) {
  JsonWriter w;
  w.string(s);
  return w.str();
}

std::string short_number_text(double x) {
  if (x == 0) return std::signbit(x) ? "-0" : "0";
  std::string out;
  if (x < 0) {
    out += '-';
    x = -x;
  }
  // The value is digits[0..n) * 10^k: RapidJSON's Grisu2, the digits its writer prints.
  char digits[32];
  int n = 0, k = 0;
  rapidjson::internal::Grisu2(x, digits, &n, &k);
  int exp10 = n + k - 1;  // the power of ten of the first digit
  if (n > 6) {
    bool carry = digits[6] >= '5';
    n = 6;
    for (int i = 5; carry && i >= 0; --i) {
      if (digits[i] == '9') {
        digits[i] = '0';
      } else {
        ++digits[i];
        carry = false;
      }
    }
    if (carry) {  // 999999|5 -> 1000000: one digit more, dropped again below
      digits[0] = '1';
      ++exp10;
    }
  }
  while (n > 1 && digits[n - 1] == '0') --n;
  if (exp10 < -4 || exp10 >= 6) {
    out += digits[0];
    if (n > 1) out.append(1, '.').append(digits + 1, static_cast<std::size_t>(n - 1));
    out += exp10 < 0 ? "e-" : "e+";
    const int e = exp10 < 0 ? -exp10 : exp10;
    if (e < 10) out += '0';
    out += std::to_string(e);
  } else if (exp10 < 0) {
    out.append("0.").append(static_cast<std::size_t>(-exp10 - 1), '0').append(digits, static_cast<std::size_t>(n));
  } else if (n <= exp10 + 1) {
    out.append(digits, static_cast<std::size_t>(n)).append(static_cast<std::size_t>(exp10 + 1 - n), '0');
  } else {
    out.append(digits, static_cast<std::size_t>(exp10 + 1))
        .append(1, '.')
        .append(digits + exp10 + 1, static_cast<std::size_t>(n - exp10 - 1));
  }
  return out;
}

}  // namespace nnplay
