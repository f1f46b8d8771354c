// End-to-end tests of what the `traincost` command line reads: a model directory, an
// unknown model_type, and the inputs it must refuse or escape rather than misread
// (fractions, duplicate keys, devices and FIFOs, overlong names, control characters).
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "test_support.hpp"

using nlohmann::json;
using test_support::CliResult;
using test_support::count_lines;
using test_support::llama_config;
using test_support::q;
using test_support::run_cli;
using test_support::run_json;
using test_support::TempDir;

TEST_CASE("cli: a model directory with a config.json loads under the directory's name", "[cli]") {
  TempDir dir;
  dir.write_json("my-llama/config.json", llama_config());
  const json j = run_json("params --model " + q(dir.path("my-llama")) + " --format json");
  CHECK(j.at("model").get<std::string>() == "my-llama");
  const json preset = run_json("params --model llama-3.1-8b --format json");
  CHECK(j.at("total_params") == preset.at("total_params"));
}

TEST_CASE("cli: an unknown model_type with the standard keys loads with a warning", "[cli]") {
  TempDir dir;
  json cfg = llama_config();
  cfg["model_type"] = "frobnet";
  const std::string path = dir.write_json("frobnet.json", cfg);
  const CliResult r = run_cli("params --model " + q(path) + " --format json");
  INFO("stderr: " << r.err);
  REQUIRE(r.status == 0);
  CHECK(r.err.rfind("traincost: warning: ", 0) == 0);
  CHECK(r.err.find("frobnet") != std::string::npos);
  CHECK(count_lines(r.err) == 1);
  const json j = json::parse(r.out);
  // Counted as the generic llama-style decoder: same numbers as Llama 3.1 8B.
  const json preset = run_json("params --model llama-3.1-8b --format json");
  CHECK(j.at("total_params") == preset.at("total_params"));
}

TEST_CASE("cli: no silent truncation, duplicate plan keys, unwritten files or negative zero", "[cli]") {
  // A fraction of a token per step is refused, not truncated.
  const CliResult frac = run_cli("plan --model llama-3.1-8b --hardware h100-sxm --gpus 64 --tokens 1T --global-batch-tokens 4194304.5");
  CHECK(frac.status == 2);
  CHECK(frac.err.find("--global-batch-tokens: 4194304.5 is not a whole number") != std::string::npos);
  // Suffixes still work for whole counts: 4M = 4,000,000 tokens is 976.5625 sequences of 4096, a usage error of its own.
  CHECK(run_cli("plan --model llama-3.1-8b --hardware h100-sxm --gpus 64 --tokens 1T --global-batch-tokens 4M").err.find(
            "must be a multiple of --seq-len") != std::string::npos);
  // A key given twice in --plan is an error, not "the last one wins".
  const CliResult dup = run_cli("plan --model llama-3.1-8b --hardware h100-sxm --gpus 64 --tokens 1T --plan tp=2,pp=1,tp=4");
  CHECK(dup.status == 2);
  CHECK(dup.err.find("--plan: 'tp' is given twice") != std::string::npos);
  CHECK(run_cli("plan --model llama-3.1-8b --hardware h100-sxm --gpus 64 --tokens 1T --plan mb=1,micro_batch=2").status == 2);
  // calibrate reports a write it could not make.
  const CliResult out = run_cli("calibrate --no-loo --out /nonexistent-dir/calibrated.json");
  CHECK(out.status == 2);
  CHECK(out.err.find("--out: could not write /nonexistent-dir/calibrated.json") != std::string::npos);
  // -0 dollars print as $0.00.
  const CliResult zero = run_cli("estimate --model llama-3.1-8b --hardware h100-sxm --tokens 1T --mfu 0.4 --price-per-gpu-hour -0");
  REQUIRE(zero.status == 0);
  CHECK(zero.out.find("$-0") == std::string::npos);
  CHECK(zero.out.find("$0.00/GPU-hour") != std::string::npos);
}

TEST_CASE("cli: a device or FIFO as --model or --hardware is refused, not read forever", "[cli]") {
  for (const char* args : {"estimate --model /dev/zero --hardware h100-sxm --tokens 1T",
                           "estimate --model llama-3.1-8b --hardware /dev/zero --tokens 1T --mfu 0.4"}) {
    const CliResult r = run_cli(args);
    INFO(args << ": " << r.err);
    CHECK(r.status == 1);
    CHECK(r.err.find("/dev/zero: not a regular file") != std::string::npos);
  }
}

TEST_CASE("cli: overlong names and control characters never reach the filesystem", "[cli]") {
  const std::string long_name(5000, 'a');
  const std::string long_component = std::string(300, 'b') + ".json";
  struct Case { std::string args, expect; };
  const std::vector<Case> cases = {
      {"params --model " + long_name, "--model: 5000 bytes long"},
      {"params --model models/" + long_component, "--model: a path component of 305 bytes"},
      {"estimate --model llama-3.1-8b --tokens 1T --mfu 0.4 --hardware " + long_component, "--hardware: a path component"},
      {"hardware show " + long_name, "5000 bytes long"},
  };
  for (const auto& c : cases) {
    const CliResult r = run_cli(c.args);
    INFO(c.args.substr(0, 60) << ": " << r.err);
    CHECK(r.status == 2);
    CHECK(r.err.find(c.expect) != std::string::npos);
    CHECK(r.err.find("internal error") == std::string::npos);
  }
}

TEST_CASE("cli: serve with an empty --host is a usage error, not http://:PORT/", "[cli]") {
  const CliResult r = run_cli("serve --host '' --port 0");
  CHECK(r.status == 2);
  CHECK(r.err.find("--host: empty") != std::string::npos);
}

TEST_CASE("cli: control characters from a config print escaped, never raw to the terminal", "[cli]") {
  const std::string path = "/tmp/traincost_escape_" + std::to_string(::getpid()) + ".json";
  {
    std::ofstream f(path);
    f << R"({"model_type": "llama\u001b[31mRED", "hidden_size": 64})";
  }
  const CliResult r = run_cli("params --model " + path);
  std::remove(path.c_str());
  CHECK(r.status == 1);
  CHECK(r.err.find('\x1b') == std::string::npos);
  CHECK(r.err.find("llama\\x1b[31mRED") != std::string::npos);
}

TEST_CASE("cli: a key given twice in a JSON file is an error, not the last one silently", "[cli]") {
  const std::string path = "/tmp/traincost_dup_" + std::to_string(::getpid()) + ".json";
  {
    std::ofstream f(path);
    f << R"({"model_type": "llama", "hidden_size": 64, "num_hidden_layers": 2, "hidden_size": 128})";
  }
  const CliResult r = run_cli("params --model " + path);
  std::remove(path.c_str());
  CHECK(r.status == 1);
  CHECK(r.err.find("key 'hidden_size' appears twice in one object") != std::string::npos);
}
