#pragma once
// Typed, range-checked access to JSON fields. Every failure names the source
// (file), the field and the allowed range; nothing is silently defaulted
// unless the caller passes a default.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace traincost {

// Where a JSON object came from, used as the prefix of error messages.
struct JsonContext {
  const nlohmann::json& obj;
  std::string where;  // e.g. "models/hf/bloom.json" or "hwprofiles/h100-sxm.json"
  std::string prefix; // dotted path of obj inside the document, "" at top level

  std::string field_name(const std::string& key) const {
    return prefix.empty() ? key : prefix + "." + key;
  }
  bool has(const std::string& key) const;  // present and not null
  JsonContext child(const std::string& key) const;  // requires an object

  // Integers: must be whole numbers in [min, max].
  std::int64_t get_int(const std::string& key, std::int64_t min, std::int64_t max) const;
  std::optional<std::int64_t> opt_int(const std::string& key, std::int64_t min, std::int64_t max) const;
  std::int64_t get_int_or(const std::string& key, std::int64_t fallback, std::int64_t min,
                          std::int64_t max) const;

  // Reals: must be finite numbers in [min, max].
  double get_real(const std::string& key, double min, double max) const;
  std::optional<double> opt_real(const std::string& key, double min, double max) const;

  bool get_bool_or(const std::string& key, bool fallback) const;
  std::string get_string(const std::string& key) const;
  std::optional<std::string> opt_string(const std::string& key) const;

  [[noreturn]] void fail(const std::string& key, const std::string& what) const;
  // Typos must not silently fall back to a default: any key not in `known` is an error
  // naming it and listing the known ones.
  void only_keys(std::initializer_list<const char*> known) const;
};

// Parses a whole file as JSON; errors name the file and the parse position.
// Requires the top level to be an object.
nlohmann::json read_json_object_file(const std::string& path);
nlohmann::json parse_json_object(const std::string& text, const std::string& where);  // refuses duplicate keys
// json::parse (throwing as it does), noting in *duplicate the first key that appears twice
// in one object, which json::parse would silently keep the last value of.
nlohmann::json parse_json_noting_duplicates(const std::string& text, std::optional<std::string>* duplicate);

}  // namespace traincost
