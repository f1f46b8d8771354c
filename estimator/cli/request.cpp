#include "request.hpp"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "traincost/util/data_dir.hpp"

namespace traincost::cli {

namespace {

std::vector<std::string> allowed_keys(const RequestShape& s) {
  std::vector<std::string> keys;
  for (const auto& o : s.options) {
    keys.push_back(json_key(o.name));
    if (o.name == std::string("model") && s.takes_model_config) keys.push_back("model_config");
  }
  return keys;
}

// The text the CLI would have been given for this value.
std::string value_text(const std::string& key, const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  // fmt's "{}" is the shortest text that reads back as the same double.
  if (v.is_number_integer()) return fmt::format("{}", v.get<std::int64_t>());
  if (v.is_number_unsigned()) return fmt::format("{}", v.get<std::uint64_t>());
  if (v.is_number_float()) return fmt::format("{}", v.get<double>());
  throw RequestError(key, fmt::format("{}: expected a string or a number, got {}", key, v.type_name()));
}

}  // namespace

namespace {
bool is_preset(const std::string& name) {
  std::error_code ec;
  return !name.empty() && name != "." && name != ".." &&
         std::filesystem::is_regular_file(data_dir() / "models" / (name + ".json"), ec);
}
}  // namespace

bool looks_like_path(const std::string& s) {
  return s.find('/') != std::string::npos || s.find('\\') != std::string::npos ||
         (s.size() >= 5 && s.compare(s.size() - 5, 5, ".json") == 0);
}

std::string json_key(const std::string& option_name) {
  std::string k = option_name;
  std::replace(k.begin(), k.end(), '-', '_');
  return k;
}

RequestKeys check_request(const RequestShape& shape, const nlohmann::json& body) {
  if (!body.is_object())
    throw RequestError("", fmt::format("the request body must be a JSON object, got {}", body.type_name()));
  RequestKeys out;
  for (const auto& [key, v] : body.items()) {
    if (key == "model_config" && shape.takes_model_config) {
      if (v.is_null()) continue;
      if (!v.is_object())
        throw RequestError(key, "model_config: expected a JSON object (a Hugging Face config.json or a "
                                "traincost.model.v1 spec), got " + std::string(v.type_name()));
      out.model_config = v;
      continue;
    }
    const auto o = std::find_if(shape.options.begin(), shape.options.end(),
                                // An init-capture: clang 14 cannot capture a structured binding itself.
                                [&k = key](const OptionInfo& x) { return json_key(x.name) == k; });
    if (o == shape.options.end())
      throw RequestError(key, fmt::format("unknown field '{}' for {} (allowed: {})", key, shape.command,
                                          fmt::join(allowed_keys(shape), ", ")));
    if (v.is_null()) continue;
    if (o->flag) {
      if (!v.is_boolean()) throw RequestError(key, fmt::format("{}: expected true or false, got {}", key, v.type_name()));
      out.flags[o->name] = v.get<bool>();
      continue;
    }
    std::string text = value_text(key, v);
    // An optional field given as "" is a mistake, never "not given" (a required one's parser says what it expects).
    if (text.empty() && !o->required)
      throw RequestError(key, fmt::format("{}: empty; give a value or leave the field out", key));
    if (o->local_path && looks_like_path(text))
      throw RequestError(key, fmt::format("{}: '{}' looks like a file path; the web API reads no files: give a {}", key,
                                          text,
                                          key == "model" ? "preset name (GET /api/models) or an inline model_config"
                                                         : "hardware id (GET /api/hardware)"));
    out.values[o->name] = std::move(text);
  }
  // The web API reads no files: a model is a preset by name, never a file or folder of
  // that name in the server's working directory (checked last: other fields' errors first).
  for (const auto& o : shape.options)
    if (o.local_path && o.name == "model")
      if (auto it = out.values.find("model"); it != out.values.end() && !is_preset(it->second))
        throw RequestError("model", fmt::format("model: unknown preset '{}' (GET /api/models lists them; or give an "
                                                "inline model_config)", it->second));
  if (out.model_config && out.values.count("model"))
    throw RequestError("model_config", "give either model (a preset name) or model_config (an inline config), not both");
  // A command that also takes a model by its counts (model_input.hpp) needs --model, model_config or the counts.
  const bool takes_counts = std::any_of(shape.options.begin(), shape.options.end(),
                                        [](const OptionInfo& x) { return x.name == std::string("total-params"); });
  for (const auto& o : shape.options) {
    const bool needed = o.required || (takes_counts && o.name == std::string("model"));
    if (!needed || out.values.count(o.name) || out.flags.count(o.name)) continue;
    if (o.name == "model" && out.model_config) continue;
    if (o.name == "model" && takes_counts && (out.values.count("total-params") || out.values.count("active-params"))) continue;
    throw RequestError(json_key(o.name),
                       fmt::format("missing field '{}' for {}{}", json_key(o.name), shape.command,
                                   o.name != std::string("model") ? ""
                                   : takes_counts ? " (or give model_config, or total_params and active_params)"
                                   : shape.takes_model_config ? " (or give model_config)" : ""));
  }
  return out;
}

std::string field_of(const std::string& message) {
  if (message.rfind("model_config", 0) == 0) return "model_config";
  if (message.rfind("--", 0) != 0) return "";
  const auto end = message.find_first_of(": ", 2);
  return json_key(message.substr(2, end == std::string::npos ? std::string::npos : end - 2));
}

}  // namespace traincost::cli
