// Golden JSON outputs (issue 13): every command of tests/golden/commands.txt, run with
// --format json, must give exactly the stored JSON (tests/golden/<name>.json, written by
// scripts/update-golden.sh), so a refactor that moves a figure fails here and a model
// change that moves one shows the move in the diff of its commit.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

#include <unistd.h>

namespace {

struct GoldenCommand {
  std::string name, args;
};

std::vector<GoldenCommand> golden_commands() {
  std::ifstream in(test_support::source_path("tests/golden/commands.txt"));
  REQUIRE(in.good());
  std::vector<GoldenCommand> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const std::size_t bar = line.find(" | ");
    REQUIRE(bar != std::string::npos);
    out.push_back({line.substr(0, bar), line.substr(bar + 3)});
  }
  return out;
}

// The one figure that changes between runs: the plan search's wall time.
void drop_timing(nlohmann::json& j) {
  if (j.is_object()) {
    j.erase("search_seconds");
    for (auto& [k, v] : j.items()) drop_timing(v);
  } else if (j.is_array()) {
    for (auto& v : j) drop_timing(v);
  }
}

// Paths where `got` differs from `want`: numbers may differ by 1e-12 relative (the
// sanitizer build runs at -O0, where a constant folded at compile time can differ in the
// last bit), everything else exactly. At most `limit` paths.
void differences(const nlohmann::json& want, const nlohmann::json& got, const std::string& path,
                 std::vector<std::string>& out, std::size_t limit = 5) {
  if (out.size() >= limit) return;
  if (want.is_number() && got.is_number()) {
    const double a = want.get<double>(), b = got.get<double>();
    if (std::fabs(a - b) > 1e-12 * std::max(std::fabs(a), std::fabs(b)))
      out.push_back(path + ": " + want.dump() + " -> " + got.dump());
    return;
  }
  if (want.type() != got.type() || (!want.is_structured() && want != got)) {
    out.push_back(path + ": " + want.dump().substr(0, 120) + " -> " + got.dump().substr(0, 120));
    return;
  }
  if (want.is_object()) {
    for (auto it = want.begin(); it != want.end(); ++it) {
      if (!got.contains(it.key())) out.push_back(path + "/" + it.key() + ": missing");
      else differences(*it, got.at(it.key()), path + "/" + it.key(), out, limit);
    }
    for (auto it = got.begin(); it != got.end(); ++it)
      if (!want.contains(it.key())) out.push_back(path + "/" + it.key() + ": new");
  } else if (want.is_array()) {
    if (want.size() != got.size()) out.push_back(path + ": " + std::to_string(want.size()) + " -> " + std::to_string(got.size()) + " items");
    for (std::size_t i = 0; i < std::min(want.size(), got.size()); ++i) differences(want[i], got[i], path + "/" + std::to_string(i), out, limit);
  }
}

}  // namespace

TEST_CASE("golden: every command's JSON equals its stored output", "[golden]") {
  const std::vector<GoldenCommand> commands = golden_commands();
  CHECK(commands.size() >= 10);
  for (const GoldenCommand& c : commands) {
    INFO("tests/golden/" << c.name << ".json: traincost " << c.args
                         << " --format json\nregenerate with scripts/update-golden.sh and explain the change");
    const test_support::CliResult r = test_support::run_cli(c.args + " --format json");
    REQUIRE(r.status == 0);
    // Data files are named by absolute path; the stored outputs name them under "<data>".
    std::string out = r.out;
    const std::string root = std::string(TRAINCOST_SOURCE_DIR) + "/";
    for (std::size_t at = out.find("\"" + root); at != std::string::npos; at = out.find("\"" + root, at))
      out.replace(at + 1, root.size(), "<data>/");
    nlohmann::json got = nlohmann::json::parse(out);
    nlohmann::json want = test_support::read_json("tests/golden/" + c.name + ".json");
    drop_timing(got);
    drop_timing(want);
    std::vector<std::string> diff;
    differences(want, got, "", diff);
    std::string first;
    for (const std::string& d : diff) first += d + "\n";
    INFO("first differences (stored -> now):\n" << first);
    CHECK(diff.empty());
  }
}

TEST_CASE("golden: the HTML report equals its stored page", "[golden]") {
  // The report's renderer spans several files (report/html_*.cpp); the page, its
  // generation-time line aside, must not move unless a figure does.
  const std::string out = "/tmp/traincost_golden_report_" + std::to_string(::getpid()) + ".html";
  const test_support::CliResult r = test_support::run_cli(
      "report --model deepseek-v3 --hardware h800 --gpus 2048 --tokens 14.8T --precision fp8 --no-validation --out " + out);
  REQUIRE(r.status == 0);
  auto lines = [](const std::string& path) {
    std::ifstream in(path);
    std::string line, kept;
    while (std::getline(in, line))
      if (line.rfind("<p class=\"meta\">Generated by traincost", 0) != 0) kept += line + "\n";
    return kept;
  };
  const std::string got = lines(out), want = lines(test_support::source_path("tests/golden/report-deepseek-v3.html"));
  std::remove(out.c_str());
  INFO("regenerate with scripts/update-golden.sh and explain the change");
  CHECK(got.size() > 10000);
  CHECK(got == want);
}

TEST_CASE("golden: the comparison sees a changed figure", "[golden]") {
  // The check has teeth: a figure moved in its 10th digit is one difference, named by path;
  // the search time and a last-bit change are not.
  nlohmann::json a = {{"best", {{"mfu", 0.25}, {"step_s", 3.0}, {"search_seconds", 0.001}}}, {"plan", "tp=1"}};
  nlohmann::json b = {{"best", {{"mfu", 0.2500000001}, {"step_s", 3.0 * (1 + 1e-15)}, {"search_seconds", 0.002}}}, {"plan", "tp=1"}};
  drop_timing(a);
  drop_timing(b);
  std::vector<std::string> diff;
  differences(a, b, "", diff);
  REQUIRE(diff.size() == 1);
  CHECK(diff[0].rfind("/best/mfu: ", 0) == 0);
  b["plan"] = "tp=2";
  diff.clear();
  differences(a, b, "", diff);
  CHECK(diff.size() == 2);
}
