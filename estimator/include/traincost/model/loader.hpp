#pragma once
// Turning files into ModelSpecs. Three inputs are accepted:
//   * a Hugging Face config.json (has "model_type");
//   * the project's own spec ("format": "traincost.model.v1"), see models/README.md;
//   * a preset wrapper from models/ ("hf_config" path/object or inline "spec").
// `--model` takes a preset name (models/<name>.json) or a path to any of these.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "traincost/model/spec.hpp"

namespace traincost {

// Supported Hugging Face model_type values (generic fallback aside).
const std::vector<std::string>& supported_hf_families();

// How to read a config. `assume_family` (CLI --assume-family) names a
// supported model_type whose adapter reads the config whatever its own
// model_type says; empty = dispatch on model_type.
struct LoadOptions {
  std::string assume_family;
};

// Maps one HF config object onto a ModelSpec. An unknown model_type is read by
// the generic dense decoder (with a warning) only when the config carries no
// keys that reader cannot interpret (experts, MLA, SSM / linear-attention or
// hybrid layer keys, unknown layer types); otherwise it is an InputError naming
// those keys, unless `opt.assume_family` says which adapter to use.
ModelSpec model_from_hf_config(const nlohmann::json& config, const std::string& where, const LoadOptions& opt = {});

// The project's own format ("traincost.model.v1").
ModelSpec model_from_spec(const nlohmann::json& spec, const std::string& where);

// Any of the three document kinds; `base_dir` resolves a preset's relative paths.
ModelSpec model_from_document(const nlohmann::json& doc, const std::string& where, const std::string& base_dir,
                              const LoadOptions& opt = {});

// An in-memory model (the web API's model_config): an HF config, a traincost
// spec, or a preset wrapper whose hf_config is an object. Same validation as a
// file; nothing is read from disk, so an hf_config path is an InputError. The
// name is the document's "name", else `where`.
ModelSpec model_from_inline(const nlohmann::json& doc, const std::string& where, const LoadOptions& opt = {});

// A preset name or a file path. Throws UsageError for an unknown name, InputError for bad files.
ModelSpec load_model(const std::string& name_or_path, const LoadOptions& opt = {});

struct PresetInfo {
  std::string name;
  std::string display_name;
  std::string description;
  std::string path;
};
std::vector<PresetInfo> list_presets();

}  // namespace traincost
