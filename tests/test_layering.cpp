// The layering of issue 13 ("One engine, thin questions"), checked on the source tree:
// the engine (model/, perf/, econ/) computes and never renders, so none of its files
// includes a header of the report layer (traincost/report/) or of the command layer
// (traincost/cli/, the CLI's own headers). A violation names the file and the line.
#include <cstddef>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "test_support.hpp"

namespace {

// The header an `#include "..."` or `#include <...>` line names ("" for any other line).
std::string layering_included_path(const std::string& line) {
  std::size_t i = line.find_first_not_of(" \t");
  if (i == std::string::npos || line[i] != '#') return "";
  i = line.find_first_not_of(" \t", i + 1);
  if (i == std::string::npos || line.compare(i, 7, "include") != 0) return "";
  i = line.find_first_not_of(" \t", i + 7);
  if (i == std::string::npos || (line[i] != '"' && line[i] != '<')) return "";
  const char close = line[i] == '"' ? '"' : '>';
  const std::size_t end = line.find(close, i + 1);
  if (end == std::string::npos) return "";
  return line.substr(i + 1, end - i - 1);
}

// "path:line: text" for every include in `text` of a header under one of `forbidden`.
std::vector<std::string> layering_violations_in(const std::string& text, const std::string& path,
                                                const std::vector<std::string>& forbidden) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  for (std::size_t n = 1; std::getline(in, line); ++n) {
    const std::string inc = layering_included_path(line);
    for (const auto& f : forbidden)
      if (!inc.empty() && inc.rfind(f, 0) == 0) out.push_back(path + ":" + std::to_string(n) + ": " + line);
  }
  return out;
}

struct LayeringScan {
  std::size_t files = 0;
  std::vector<std::string> violations;
};

// Every C++ file under the repository directories `dirs` (relative to the root).
LayeringScan layering_scan(const std::vector<std::string>& dirs, const std::vector<std::string>& forbidden) {
  LayeringScan s;
  for (const auto& d : dirs) {
    const std::filesystem::path root = test_support::source_path(d);
    REQUIRE(std::filesystem::is_directory(root));
    for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
      if (!e.is_regular_file()) continue;
      const std::string ext = e.path().extension().string();
      if (ext != ".cpp" && ext != ".hpp" && ext != ".h") continue;
      ++s.files;
      const std::string rel = d + "/" + std::filesystem::relative(e.path(), root).generic_string();
      for (auto& v : layering_violations_in(test_support::slurp(e.path().string()), rel, forbidden))
        s.violations.push_back(std::move(v));
    }
  }
  return s;
}

std::string layering_list(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += "  " + s + "\n";
  return out;
}

}  // namespace

TEST_CASE("layering: the include scanner finds what it must and nothing else", "[layering]") {
  const std::string text =
      "#include \"traincost/econ/budget.hpp\"\n"
      "// #include \"traincost/report/format.hpp\" in a comment is no include\n"
      "#include \"traincost/report/format.hpp\"\n"
      "  #  include <traincost/cli/command.hpp>\n"
      "#include \"traincost/util/number_format.hpp\"\n";
  const auto v = layering_violations_in(text, "x.cpp", {"traincost/report/", "traincost/cli/"});
  REQUIRE(v.size() == 2);
  CHECK(v[0] == "x.cpp:3: #include \"traincost/report/format.hpp\"");
  CHECK(v[1] == "x.cpp:4:   #  include <traincost/cli/command.hpp>");
  CHECK(layering_violations_in(text, "x.cpp", {"traincost/report/"}).size() == 1);
}

TEST_CASE("layering: no file of econ/ includes a report/ header", "[layering]") {
  const LayeringScan s =
      layering_scan({"estimator/src/econ", "estimator/include/traincost/econ"}, {"traincost/report/"});
  CHECK(s.files >= 10);
  INFO("econ/ must not render; these includes of the report layer break the layering:\n" << layering_list(s.violations));
  CHECK(s.violations.empty());
}

TEST_CASE("layering: model/, perf/ and econ/ include neither report/ nor cli/ headers", "[layering]") {
  const LayeringScan s = layering_scan({"estimator/src/model", "estimator/src/perf", "estimator/src/econ",
                                        "estimator/include/traincost/model", "estimator/include/traincost/perf",
                                        "estimator/include/traincost/econ"},
                                       {"traincost/report/", "traincost/cli/", "commands.hpp", "command.hpp",
                                        "options.hpp", "request.hpp", "model_input.hpp"});
  CHECK(s.files >= 40);
  INFO("the engine must not depend on the report or command layers:\n" << layering_list(s.violations));
  CHECK(s.violations.empty());
}

TEST_CASE("layering: model/, perf/ and econ/ build no output JSON (report/ renders)", "[layering]") {
  // Output documents are nlohmann::ordered_json (key order is part of each schema); the
  // engine reads JSON (nlohmann::json) but writes none. The one exception builds an
  // input: compare writes the dense equivalent as a model spec (kept in the result, as the
  // spec a user can reuse) and loads it.
  std::vector<std::string> found;
  for (const std::string d : {"estimator/src/model", "estimator/src/perf", "estimator/src/econ",
                              "estimator/include/traincost/model", "estimator/include/traincost/perf",
                              "estimator/include/traincost/econ"}) {
    const std::filesystem::path root = test_support::source_path(d);
    REQUIRE(std::filesystem::is_directory(root));
    for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
      if (!e.is_regular_file()) continue;
      const std::string rel = d + "/" + std::filesystem::relative(e.path(), root).generic_string();
      if (rel == "estimator/src/econ/compare.cpp" || rel == "estimator/include/traincost/econ/compare.hpp")
        continue;  // dense_spec_json: a model spec, an input document
      std::istringstream in(test_support::slurp(e.path().string()));
      std::string line;
      for (std::size_t n = 1; std::getline(in, line); ++n)
        if (line.find("ordered_json") != std::string::npos) found.push_back(rel + ":" + std::to_string(n) + ": " + line);
    }
  }
  INFO("output JSON belongs in report/ (one renderer per result type):\n" << layering_list(found));
  CHECK(found.empty());
}
