// The README's examples are generated (scripts/update-readme.sh), never pasted:
// every example is the output of the command shown above it, and every figure the
// prose quotes from traincost's output is in a generated block.
#include <cstddef>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "test_support.hpp"

using test_support::CliResult;
using test_support::run_cli;

// ---- the README's examples are generated (scripts/update-readme.sh), never pasted

namespace {

struct ReadmeExample {
  std::string name, args, output;
};

// Every block "<!-- BEGIN name -->\n```\n$ build/estimator/traincost ARGS\n```\n```text\nOUTPUT```\n<!-- END name -->";
// "\\\n" continues ARGS on the next line.
std::vector<ReadmeExample> readme_examples() {
  std::ifstream in(test_support::source_path("README.md"));
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string readme = ss.str();
  const std::string cmd_open = "```\n$ build/estimator/traincost ", cmd_close = "\n```\n```text\n";
  std::vector<ReadmeExample> out;
  for (std::size_t at = readme.find("<!-- BEGIN "); at != std::string::npos; at = readme.find("<!-- BEGIN ", at + 1)) {
    const std::size_t name_end = readme.find(" -->\n", at);
    REQUIRE(name_end != std::string::npos);
    ReadmeExample x;
    x.name = readme.substr(at + 11, name_end - at - 11);
    const std::size_t body = name_end + 5;
    if (readme.compare(body, cmd_open.size(), cmd_open) != 0) continue;  // output only (validate, leave-one-out)
    const std::size_t args_end = readme.find(cmd_close, body);
    const std::size_t end = readme.find("```\n<!-- END " + x.name + " -->", body);
    REQUIRE(args_end != std::string::npos);
    REQUIRE(end != std::string::npos);
    REQUIRE(args_end < end);
    x.args = std::regex_replace(readme.substr(body + cmd_open.size(), args_end - body - cmd_open.size()),
                                std::regex("\\\\\n\\s*"), " ");
    x.output = readme.substr(args_end + cmd_close.size(), end - args_end - cmd_close.size());
    out.push_back(x);
  }
  return out;
}

// `plan` prints the time its search took: the one number that changes between runs.
std::string without_timing(const std::string& s) {
  return std::regex_replace(s, std::regex("plans evaluated, ([0-9]+) fit in memory, [0-9.]+ ms"),
                            "plans evaluated, $1 fit in memory, (time) ms");
}

}  // namespace

TEST_CASE("cli: every README example is the output of the command shown above it", "[cli][readme]") {
  const std::vector<ReadmeExample> examples = readme_examples();
  std::set<std::string> names;
  for (const auto& x : examples) names.insert(x.name);
  // One example per command, the cheapest-hardware question included.
  for (const char* n : {"main-job", "plan", "check", "export", "compare", "uncertainty", "budget", "budget-cheapest",
                        "compare-hardware"})
    CHECK(names.count(n) == 1);
  for (const auto& x : examples) {
    INFO("README block " << x.name << ": traincost " << x.args << "\nregenerate with scripts/update-readme.sh");
    CHECK(x.args.find('\\') == std::string::npos);
    const CliResult r = run_cli(x.args);
    REQUIRE(r.status == 0);
    CHECK(without_timing(x.output) == without_timing(r.out));
  }
}

TEST_CASE("cli: figures the README's prose quotes from traincost's output are in its generated blocks", "[cli][readme]") {
  // Prose outside the code blocks may restate what a generated block prints, but then the
  // figure must be in one (so regenerating the blocks cannot leave the prose stale): plan
  // strings (tp=..,pp=.. or TPn, PPn), signed errors (+1.7%), and days and GPU-hours with
  // a decimal point. Inline code (a command, a --plan given as input) is not output and is
  // skipped; published and sourced figures are written without these forms.
  std::ifstream in(test_support::source_path("README.md"));
  std::string line, prose, blocks;
  bool inside = false;
  int number = 0;
  std::vector<std::pair<int, std::string>> prose_lines;
  while (std::getline(in, line)) {
    ++number;
    if (line.rfind("```", 0) == 0) {
      inside = !inside;
      continue;
    }
    if (inside) blocks += line + "\n";
    else prose_lines.emplace_back(number, std::regex_replace(line, std::regex("`[^`]*`"), "`code`"));
  }
  const std::regex figure(R"((tp=\d+,pp=\d+[^\s`]*|\bTP\s?\d+,? PP\s?\d+|[+\x2d]\d+\.\d+%|\d+\.\d+ (days|GPU-hours)))");
  for (const auto& [n, text] : prose_lines)
    for (auto it = std::sregex_iterator(text.begin(), text.end(), figure); it != std::sregex_iterator(); ++it) {
      const std::string f = it->str();
      INFO("README.md:" << n << ": '" << f << "' is in no generated block (regenerate, or rewrite the prose)");
      CHECK(blocks.find(f) != std::string::npos);
    }
  // The rule has teeth: a stale figure is caught (the check runs over real lines above).
  const std::string stale = "costs DeepSeek-V3's run 16% (46.3 days against 39.9)";
  CHECK(std::regex_search(stale, figure));
  CHECK(blocks.find("46.3 days") == std::string::npos);
}
