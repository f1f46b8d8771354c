#include "traincost/util/json_fields.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <vector>

#include <fmt/format.h>

#include "traincost/util/error.hpp"

namespace traincost {

using nlohmann::json;

void JsonContext::fail(const std::string& key, const std::string& what) const {
  throw InputError(fmt::format("{}: field '{}' {}", where, field_name(key), what));
}

void JsonContext::only_keys(std::initializer_list<const char*> known) const {
  for (const auto& [key, _] : obj.items()) {
    bool ok = false;
    for (const char* k : known) ok = ok || key == k;
    if (!ok) {
      std::string list;
      for (const char* k : known) list += std::string(list.empty() ? "" : ", ") + k;
      fail(key, fmt::format("is not a known key here (known: {})", list));
    }
  }
}

bool JsonContext::has(const std::string& key) const {
  auto it = obj.find(key);
  return it != obj.end() && !it->is_null();
}

JsonContext JsonContext::child(const std::string& key) const {
  if (!has(key)) fail(key, "is required (an object)");
  const json& c = obj.at(key);
  if (!c.is_object()) fail(key, "must be a JSON object");
  return JsonContext{c, where, field_name(key)};
}

namespace {
std::string type_name(const json& v) { return v.type_name(); }
}  // namespace

std::optional<std::int64_t> JsonContext::opt_int(const std::string& key, std::int64_t min,
                                                 std::int64_t max) const {
  if (!has(key)) return std::nullopt;
  const json& v = obj.at(key);
  std::int64_t value = 0;
  if (v.is_number_integer()) {
    if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(max))
      fail(key, fmt::format("= {} is out of range; allowed {}..{}", v.dump(), min, max));
    value = v.get<std::int64_t>();
  } else if (v.is_number_float()) {
    double d = v.get<double>();
    if (!std::isfinite(d) || std::floor(d) != d || d < static_cast<double>(min) ||
        d > static_cast<double>(max))
      fail(key, fmt::format("= {} must be a whole number in {}..{}", v.dump(), min, max));
    value = static_cast<std::int64_t>(d);
  } else {
    fail(key, fmt::format("must be a whole number in {}..{} (got {})", min, max, type_name(v)));
  }
  if (value < min || value > max)
    fail(key, fmt::format("= {} is out of range; allowed {}..{}", value, min, max));
  return value;
}

std::int64_t JsonContext::get_int(const std::string& key, std::int64_t min, std::int64_t max) const {
  auto v = opt_int(key, min, max);
  if (!v) fail(key, fmt::format("is required (a whole number in {}..{})", min, max));
  return *v;
}

std::int64_t JsonContext::get_int_or(const std::string& key, std::int64_t fallback, std::int64_t min,
                                     std::int64_t max) const {
  return opt_int(key, min, max).value_or(fallback);
}

std::optional<double> JsonContext::opt_real(const std::string& key, double min, double max) const {
  if (!has(key)) return std::nullopt;
  const json& v = obj.at(key);
  if (!v.is_number())
    fail(key, fmt::format("must be a number in [{}, {}] (got {})", min, max, type_name(v)));
  double d = v.get<double>();
  if (!std::isfinite(d) || d < min || d > max)
    fail(key, fmt::format("= {} is out of range; allowed [{}, {}]", v.dump(), min, max));
  return d;
}

double JsonContext::get_real(const std::string& key, double min, double max) const {
  auto v = opt_real(key, min, max);
  if (!v) fail(key, fmt::format("is required (a number in [{}, {}])", min, max));
  return *v;
}

bool JsonContext::get_bool_or(const std::string& key, bool fallback) const {
  if (!has(key)) return fallback;
  const json& v = obj.at(key);
  if (!v.is_boolean()) fail(key, fmt::format("must be true or false (got {})", type_name(v)));
  return v.get<bool>();
}

std::optional<std::string> JsonContext::opt_string(const std::string& key) const {
  if (!has(key)) return std::nullopt;
  const json& v = obj.at(key);
  if (!v.is_string()) fail(key, fmt::format("must be a string (got {})", type_name(v)));
  return v.get<std::string>();
}

std::string JsonContext::get_string(const std::string& key) const {
  auto v = opt_string(key);
  if (!v) fail(key, "is required (a string)");
  return *v;
}

json parse_json_noting_duplicates(const std::string& text, std::optional<std::string>* duplicate) {
  // One parse: the parser's events keep one set of keys per open object, so the first
  // key that repeats within an object is noted while the document is built.
  std::vector<std::set<std::string>> open;
  return json::parse(text, [&](int, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start: open.emplace_back(); break;
      case json::parse_event_t::object_end: if (!open.empty()) open.pop_back(); break;
      case json::parse_event_t::key:
        if (!open.empty() && !open.back().insert(parsed.get<std::string>()).second && !*duplicate)
          *duplicate = parsed.get<std::string>();
        break;
      default: break;
    }
    return true;
  });
}

namespace {
// Python's json module writes the non-standard tokens Infinity and -Infinity, and
// Hugging Face configs carry them (Nemotron-H: "time_step_limit": [0.0, Infinity]).
// Outside strings they become 1e308 and -1e308, so such a file reads; no architecture
// field is infinite, and a field read as a number still meets its range. NaN stays
// an error: no config needs it.
std::optional<std::string> with_python_constants_replaced(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false, changed = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (in_string) {
      out += ch;
      if (ch == '\\' && i + 1 < text.size()) out += text[++i];
      else if (ch == '"') in_string = false;
      continue;
    }
    if (ch == '"') in_string = true;
    if (text.compare(i, 8, "Infinity") == 0) {
      out += "1e308";
      i += 7;
      changed = true;
    } else {
      out += ch;
    }
  }
  if (!changed) return std::nullopt;
  return out;
}
}  // namespace

json parse_json_object(const std::string& text, const std::string& where) {
  json doc;
  std::optional<std::string> dup;
  try {
    try {
      doc = parse_json_noting_duplicates(text, &dup);
    } catch (const json::parse_error&) {
      const auto replaced = with_python_constants_replaced(text);
      if (!replaced) throw;
      dup.reset();
      doc = parse_json_noting_duplicates(*replaced, &dup);
    }
  } catch (const json::parse_error& e) {
    if (text.find_first_not_of(" \t\r\n") == std::string::npos)
      throw InputError(fmt::format("{}: empty file; expected a JSON object", where));
    // e.what() reads "[json.exception.parse_error.101] parse error at line 3, column 1: ..."
    std::string msg = e.what();
    auto pos = msg.find("parse error");
    throw InputError(fmt::format("{}: not valid JSON ({})", where,
                                 pos == std::string::npos ? msg : msg.substr(pos)));
  } catch (const json::exception& e) {
    // e.g. out_of_range.406 for a number such as 1e400 that overflows a double:
    // "[json.exception.out_of_range.406] number overflow parsing '1e400'".
    std::string msg = e.what();
    auto pos = msg.find("] ");
    throw InputError(fmt::format("{}: not valid JSON ({})", where,
                                 pos == std::string::npos ? msg : msg.substr(pos + 2)));
  }
  if (!doc.is_object())
    throw InputError(fmt::format("{}: top level must be a JSON object (got {})", where,
                                 doc.type_name()));
  // A repeated key would silently keep its last value.
  if (dup) throw InputError(fmt::format("{}: key '{}' appears twice in one object", where, *dup));
  return doc;
}

namespace {
// The largest data file in the tree (validation/megatron-bridge/rows.json) is ~0.1 MiB;
// 64 MiB leaves room for any real config or profile and bounds what a bad path can cost.
constexpr std::uintmax_t kMaxJsonFileBytes = std::uintmax_t{64} << 20;
}  // namespace

json read_json_object_file(const std::string& path) {
  // An ifstream opens a directory without complaint and reads nothing; a device such as
  // /dev/zero or a FIFO never ends. Only regular files of bounded size are read.
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw InputError(fmt::format("{}: is a directory; expected a JSON file", path));
  if (std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec))
    throw InputError(fmt::format("{}: not a regular file; expected a JSON file", path));
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > kMaxJsonFileBytes)
    throw InputError(fmt::format("{}: {} bytes, over the {} MiB a JSON input may have", path, size, kMaxJsonFileBytes >> 20));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("{}: cannot open file", path));
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_json_object(ss.str(), path);
}

}  // namespace traincost
