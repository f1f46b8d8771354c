#include "test_support.hpp"

#include <sys/wait.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace test_support {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

nlohmann::json read_json(const std::string& rel) {
  std::ifstream in(source_path(rel));
  return nlohmann::json::parse(in);
}

std::size_t occurrences(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto p = s.find(what); p != std::string::npos; p = s.find(what, p + what.size())) ++n;
  return n;
}

nlohmann::json run_json(const std::string& args) {
  INFO("traincost " << args);
  const CliResult r = run_cli(args);
  INFO("stderr: " << r.err);
  REQUIRE(r.status == 0);
  nlohmann::json j;
  REQUIRE_NOTHROW(j = nlohmann::json::parse(r.out));
  REQUIRE(j.is_object());
  return j;
}

void require_usage_error(const std::string& args, const std::string& needle) {
  const CliResult r = run_cli(args);
  INFO(args << "\nstderr: " << r.err);
  CHECK(r.status == 2);
  CHECK(r.out.empty());
  CHECK(r.err.rfind("traincost: error: ", 0) == 0);
  CHECK(r.err.find(needle) != std::string::npos);
}

CliResult run_cli(const std::string& args) {
  static int counter = 0;
  const std::string base = "/tmp/traincost_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
  const std::string cmd = "TRAINCOST_DATA_DIR='" + std::string(TRAINCOST_SOURCE_DIR) + "' '" + TRAINCOST_CLI + "' " + args +
                          " >" + base + ".out 2>" + base + ".err </dev/null";
  const int raw = std::system(cmd.c_str());
  CliResult r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + (WIFSIGNALED(raw) ? WTERMSIG(raw) : 0);
  r.out = slurp(base + ".out");
  r.err = slurp(base + ".err");
  std::remove((base + ".out").c_str());
  std::remove((base + ".err").c_str());
  return r;
}

}  // namespace test_support
