#pragma once
// The web API's request bodies: a JSON object whose keys are a command's long
// options without dashes, '-' written '_' ({"seq_len": 4096}). Strings pass
// through; numbers become the text the CLI parsers read (shortest round-trip
// form, so no precision is lost); flags are booleans; null means "not given".
// Anything else is a RequestError naming the key.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "traincost/util/error.hpp"

namespace traincost::cli {

struct OptionInfo {
  std::string name, help;
  bool required = false, flag = false, positional = false, local_path = false;
};

// What check_request needs to know about a command.
struct RequestShape {
  std::string command;
  std::vector<OptionInfo> options;
  bool takes_model_config = false;
};

// A bad request body; `field` is the JSON key at fault ("" when none is).
class RequestError : public UsageError {
 public:
  RequestError(std::string field, const std::string& message) : UsageError(message), field_(std::move(field)) {}
  const std::string& field() const { return field_; }

 private:
  std::string field_;
};

struct RequestKeys {
  std::map<std::string, std::string> values;  // by option name ("seq-len")
  std::map<std::string, bool> flags;
  std::optional<nlohmann::json> model_config;
};

// Checks every key and value of `body` against the command's options.
RequestKeys check_request(const RequestShape& shape, const nlohmann::json& body);

// A --model or --hardware value that names a file rather than a preset or id
// (the web API refuses these; `report` reads such a model into model_config).
bool looks_like_path(const std::string& s);

// "seq-len" -> "seq_len"
std::string json_key(const std::string& option_name);

// The JSON key an error message is about: "--gpus: ..." -> "gpus",
// "model_config: ..." -> "model_config"; "" when the message names none.
std::string field_of(const std::string& message);

}  // namespace traincost::cli
