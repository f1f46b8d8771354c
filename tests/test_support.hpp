#pragma once
// Helpers shared by the tests: paths into the source tree and a way to run the CLI.
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

}  // namespace test_support
