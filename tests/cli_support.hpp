#pragma once
// Helpers shared by the command-line tests (test_cli_*.cpp): a scratch directory,
// shell quoting, two preset configs to edit, and the line count of an error.
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

namespace test_support {

// A scratch directory removed at the end of the test case.
class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("traincost_cli_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // Writes `content` to `name` inside the directory; returns the full path.
  std::string write(const std::string& name, const std::string& content) const {
    const std::filesystem::path p = path_ / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary);
    out << content;
    return p.string();
  }
  std::string write_json(const std::string& name, const nlohmann::json& j) const { return write(name, j.dump(2)); }
  std::string mkdir(const std::string& name) const {
    std::filesystem::create_directories(path_ / name);
    return (path_ / name).string();
  }
  std::string path(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Single-quotes a path for the shell (the temp paths hold no quotes).
inline std::string q(const std::string& s) { return "'" + s + "'"; }

// Two Hugging Face configs of models/hf, for a test to edit.
inline nlohmann::json llama_config() { return read_json("models/hf/meta-llama-3.1-8b.json"); }
inline nlohmann::json mixtral_config() { return read_json("models/hf/mixtral-8x7b-v0.1.json"); }

// The lines of a message (an error is exactly one).
inline std::size_t count_lines(const std::string& s) {
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

// The start of a cheap estimate command, for a test to finish.
inline const std::string kSmallEstimate = "estimate --model llama-3.1-8b --hardware h100-sxm ";

}  // namespace test_support
