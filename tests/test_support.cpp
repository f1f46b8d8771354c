#include "test_support.hpp"

#include <sys/wait.h>

#include <array>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace test_support {

namespace {
std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

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
