// Resolving --model: a preset name under models/, or a path to an HF config,
// an own-format spec or a preset wrapper.
#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "traincost/model/loader.hpp"
#include "traincost/util/data_dir.hpp"
#include "traincost/util/error.hpp"
#include "traincost/util/json_fields.hpp"

namespace traincost {

namespace fs = std::filesystem;

namespace {
fs::path models_dir() { return data_dir() / "models"; }

bool looks_like_path(const std::string& s) {
  return s.find('/') != std::string::npos || s.find('\\') != std::string::npos ||
         (s.size() > 5 && s.substr(s.size() - 5) == ".json");
}
}  // namespace

ModelSpec model_from_document(const nlohmann::json& doc, const std::string& where, const std::string& base_dir,
                              const LoadOptions& opt) {
  if (doc.contains("model_type")) return model_from_hf_config(doc, where, opt);
  if (doc.contains("format")) return model_from_spec(doc, where);
  const JsonContext c{doc, where, ""};
  if (c.has("hf_config") || c.has("spec")) {
    ModelSpec s;
    if (c.has("spec")) {
      s = model_from_spec(c.child("spec").obj, where + " (spec)");
    } else if (doc.at("hf_config").is_object()) {
      s = model_from_hf_config(doc.at("hf_config"), where + " (hf_config)", opt);
    } else {
      const fs::path p = fs::path(base_dir) / c.get_string("hf_config");
      s = model_from_hf_config(read_json_object_file(p.string()), p.string(), opt);
    }
    if (auto n = c.opt_string("name")) s.name = *n;
    return s;
  }
  throw InputError(fmt::format(
      "{}: not a model description: expected a Hugging Face config (with 'model_type'), a traincost spec "
      "(with 'format': 'traincost.model.v1') or a preset (with 'hf_config' or 'spec')",
      where));
}

ModelSpec model_from_inline(const nlohmann::json& doc, const std::string& where, const LoadOptions& opt) {
  if (!doc.is_object()) throw InputError(fmt::format("{}: expected a JSON object, got {}", where, doc.type_name()));
  if (!doc.contains("model_type") && !doc.contains("format") && doc.contains("hf_config") && !doc.at("hf_config").is_object())
    throw InputError(fmt::format("{}: hf_config: give the config object itself; a path is not read here", where));
  ModelSpec s = model_from_document(doc, where, "", opt);
  if (s.name.empty()) {
    const auto name = doc.find("name");
    s.name = name != doc.end() && name->is_string() && !name->get<std::string>().empty() ? name->get<std::string>() : where;
  }
  return s;
}

ModelSpec load_model(const std::string& name_or_path, const LoadOptions& opt) {
  if (name_or_path.empty()) throw UsageError("--model: empty; give a preset name or a path to a JSON file");
  fs::path path;
  // A preset name wins over a file or folder of the same name in the working directory.
  const fs::path preset = models_dir() / (name_or_path + ".json");
  std::error_code ec;
  if (!looks_like_path(name_or_path) && fs::is_regular_file(preset, ec)) {
    path = preset;
  } else if (looks_like_path(name_or_path) || fs::exists(name_or_path)) {
    path = name_or_path;
    if (!fs::exists(path)) throw InputError(fmt::format("{}: no such file", name_or_path));
    if (fs::is_directory(path)) {
      if (fs::exists(path / "config.json")) path /= "config.json";
      else throw InputError(fmt::format("{}: is a directory without a config.json", name_or_path));
    }
  } else {
    std::vector<std::string> names;
    for (const auto& p : list_presets()) names.push_back(p.name);
    throw UsageError(fmt::format("--model: unknown preset '{}' (presets: {}; or give a path to a JSON file)",
                                 name_or_path, fmt::join(names, ", ")));
  }
  const auto doc = read_json_object_file(path.string());
  ModelSpec s = model_from_document(doc, path.string(), path.parent_path().string(), opt);
  if (s.name.empty()) s.name = path.stem().string() == "config" ? path.parent_path().filename().string() : path.stem().string();
  return s;
}

std::vector<PresetInfo> list_presets() {
  std::vector<PresetInfo> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(models_dir(), ec)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    try {
      const auto doc = read_json_object_file(entry.path().string());
      if (!doc.contains("hf_config") && !doc.contains("spec")) continue;
      PresetInfo p;
      p.name = entry.path().stem().string();
      p.display_name = doc.value("display_name", p.name);
      p.description = doc.value("description", "");
      p.path = entry.path().string();
      out.push_back(std::move(p));
    } catch (const InputError&) {
      continue;  // a broken preset shows up when it is loaded by name
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

}  // namespace traincost
