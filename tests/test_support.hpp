#pragma once
// Helpers shared by the tests: paths into the source tree and a way to run the CLI.
#include <cstddef>
#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

namespace test_support {

inline std::string source_path(const std::string& rel) { return std::string(TRAINCOST_SOURCE_DIR) + "/" + rel; }

struct CliResult {
  int status = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs `traincost <args>` with the data dir pointed at the source tree.
// `args` is passed to the shell as is: quote anything unusual.
CliResult run_cli(const std::string& args);

// Runs a command that must succeed with a JSON object on stdout (REQUIREs both).
nlohmann::json run_json(const std::string& args);

// A usage error: exit 2, nothing on stdout, "traincost: error: ..." on stderr containing `needle`.
void require_usage_error(const std::string& args, const std::string& needle);

// The bytes of a file ("" when it cannot be read).
std::string slurp(const std::string& path);

// A JSON file of the source tree, by its path from the repository root.
nlohmann::json read_json(const std::string& rel);

// Non-overlapping occurrences of `what` in `s`.
std::size_t occurrences(const std::string& s, const std::string& what);

}  // namespace test_support
