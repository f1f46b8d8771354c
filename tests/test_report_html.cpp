// The HTML report (`traincost report`): the DeepSeek-V3 report is self-contained,
// well formed and shows the commands' numbers; absent inputs leave their sections
// out; a published run gets its own column; malformed inputs name the field. The
// inputs come from the CLI's own --format json output, each command run once.
#include <cstdlib>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"
#include "traincost/econ/uncertainty.hpp"
#include "traincost/report/format.hpp"
#include "traincost/report/html_report.hpp"
#include "traincost/report/svg.hpp"
#include "traincost/util/error.hpp"
#include "traincost/validation/published.hpp"

using Json = nlohmann::ordered_json;
using namespace traincost;
using namespace traincost::report;
using test_support::run_cli;
using test_support::occurrences;

namespace {

Json cli_json(const std::string& args) {
  const auto r = run_cli(args + " --format json");
  INFO(args << "\nstderr: " << r.err);
  REQUIRE(r.status == 0);
  return Json::parse(r.out);
}

const std::string kRun = "--model deepseek-v3 --hardware h800 --gpus 2048 --tokens 14.8T --precision fp8";

const Json& deepseek_estimate() {
  static const Json e = cli_json("estimate " + kRun + " --samples 2000");
  return e;
}

const Json& deepseek_compare() {
  static const Json c = cli_json("compare --model deepseek-v3 --tokens 14.8T --hardware h800 --gpus 2048");
  return c;
}

// Every command once (ctest runs each TEST_CASE in its own process, so only
// one TEST_CASE uses this: validate is the slow one).
const HtmlReportInputs& deepseek_inputs() {
  static const HtmlReportInputs in = [] {
    HtmlReportInputs r;
    r.estimate = deepseek_estimate();
    r.plan = cli_json("plan " + kRun);
    r.compare = deepseek_compare();
    r.compare_hardware = cli_json(
        "compare-hardware --model deepseek-v3 --tokens 14.8T --hardware h800,h100-sxm,b200,mi300x --gpus 2048 --precision fp8");
    r.validation = cli_json("validate");
    for (double t : cost_curve_token_counts(14.8e12)) {
      const Json e = cli_json(fmt::format("estimate --model deepseek-v3 --hardware h800 --gpus 2048 --tokens {} --precision fp8", t));
      r.cost_vs_tokens.push_back({t, e["cost_usd"].get<double>(), e["gpu_hours"].get<double>()});
    }
    r.version = "traincost 0.1.0";
    r.date = "2026-11-27";
    r.command_line = "traincost report " + kRun + " --out report.html";
    return r;
  }();
  return in;
}

const std::string& deepseek_html() {
  static const std::string html = html_report(deepseek_inputs());
  return html;
}


// The <svg ...>...</svg> whose id is `id` ("" when absent).
std::string svg_by_id(const std::string& html, const std::string& id) {
  const auto at = html.find("<svg class=\"chart\" id=\"" + id + "\"");
  if (at == std::string::npos) return "";
  const auto end = html.find("</svg>", at);
  return end == std::string::npos ? "" : html.substr(at, end + 6 - at);
}

// Tags balance: every element opened is closed in order (void elements and
// "/>" excepted). Text is escaped, so every '<' starts a tag.
std::string unbalanced_tag(const std::string& html) {
  static const std::regex tag(R"(<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>)");
  static const std::vector<std::string> void_elements = {"meta", "br", "hr", "img", "link", "input"};
  std::vector<std::string> stack;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), tag); it != std::sregex_iterator(); ++it) {
    const std::string name = (*it)[2];
    if ((*it)[3] == "/" || std::find(void_elements.begin(), void_elements.end(), name) != void_elements.end()) continue;
    if ((*it)[1] == "/") {
      if (stack.empty() || stack.back() != name) return "</" + name + "> closes " + (stack.empty() ? "nothing" : stack.back());
      stack.pop_back();
    } else {
      stack.push_back(name);
    }
  }
  return stack.empty() ? "" : "<" + stack.back() + "> never closed";
}

}  // namespace
// ---- the HTML report ------------------------------------------------------------

TEST_CASE("report: the DeepSeek-V3 report is self-contained, well formed and shows the commands' numbers", "[report]") {
  const std::string& html = deepseek_html();
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("<script") == std::string::npos);
  // No URL at all: the inputs carry none, and the page links nothing.
  CHECK(html.find("http://") == std::string::npos);
  CHECK(html.find("https://") == std::string::npos);
  CHECK(html.find("href=") == std::string::npos);
  CHECK(html.find("src=") == std::string::npos);
  CHECK(html.find("url(") == std::string::npos);
  CHECK_FALSE(std::regex_search(html, std::regex(R"(\b(nan|NaN|inf|Infinity)\b)")));
  CHECK(occurrences(html, "<svg") == occurrences(html, "</svg>"));
  CHECK(occurrences(html, "<section") == occurrences(html, "</section>"));
  INFO(unbalanced_tag(html));
  CHECK(unbalanced_tag(html).empty());
  // Every heading, in order.
  std::size_t at = 0;
  for (const char* h : {"<h2>Inputs</h2>", "<h2>Results</h2>", "<h2>Plan</h2>", "<h2>MoE vs dense</h2>",
                        "<h2>Hardware</h2>", "<h2>Validation record</h2>", "<h2>Sources &amp; method notes</h2>"}) {
    INFO(h);
    const auto p = html.find(h, at);
    REQUIRE(p != std::string::npos);
    at = p;
  }
  CHECK(html.find("<code>traincost report --model deepseek-v3") != std::string::npos);

  // ---- the commands' numbers
  const HtmlReportInputs& in = deepseek_inputs();
  const Json& e = in.estimate;
  const double hours = e["gpu_hours"].get<double>();
  // The estimate's GPU-hours as the table shows them (e.g. 2.27M), with the P10-P90 range.
  REQUIRE(count(hours).back() == 'M');
  const auto& u = e["uncertainty"]["gpu_hours"];
  CHECK(html.find(fmt::format("<td>GPU-hours</td><td class=\"num\">{}</td><td class=\"num\">{} \u2013 {}</td>",
                              count(hours), count(u["p10"].get<double>()), count(u["p90"].get<double>()))) !=
        std::string::npos);
  CHECK(html.find("<td>cost</td><td class=\"num\">" + usd(e["cost_usd"].get<double>()) + "</td>") != std::string::npos);
  CHECK(html.find("range (P10\u2013P90)") != std::string::npos);

  // The method note's formula is the one the estimate used.
  const double rebuilt = e["training_flops"].get<double>() /
                         (e["peak_flops_per_gpu_s"].get<double>() * e["mfu"].get<double>()) / 3600.0 /
                         (e["goodput"].get<double>() * e["run_efficiency"].get<double>());
  CHECK(rebuilt == Approx(hours).epsilon(1e-9));
  CHECK(html.find("GPU-hours = training FLOPs / (dense fp8 peak per GPU \u00d7 MFU) / 3600 / (goodput \u00d7 run efficiency)") !=
        std::string::npos);
  CHECK(e["wall_clock_days"].get<double>() == Approx(hours / 2048 / 24).epsilon(1e-9));
  CHECK(e["cost_usd"].get<double>() == Approx(hours * e["price_usd_per_gpu_hour"].get<double>()).epsilon(1e-9));
  CHECK(e["energy_mwh"].get<double>() == Approx(hours * e["power_per_gpu_w"].get<double>() / 1e6).epsilon(1e-9));

  // MoE vs dense: the MoE and its three dense equivalents.
  const std::string moe = svg_by_id(html, "moe-vs-dense");
  REQUIRE_FALSE(moe.empty());
  CHECK(occurrences(moe, "class=\"bar\"") == 4);
  CHECK(moe.find(human(in.compare->at("dense_equivalents").at("same_total").at("cost_usd").get<double>(),
                       svg::NumberStyle::usd)) != std::string::npos);

  // Validation: one point per compared GPU-hours row, and the 1:1 line.
  std::size_t hours_rows = 0, moe_rows = 0;
  for (const auto& r : in.validation->at("runs")) {
    const std::string m = r.value("metric", "");
    if (r.value("skipped", false) || (m != "gpu_hours" && m != "gpu_hours_per_trillion_tokens")) continue;
    ++hours_rows;
    moe_rows += r.value("model_class", "") == "moe";
  }
  CHECK(hours_rows == in.validation->at("summary").at("hours_all").at("count").get<std::size_t>());
  const std::string scatter = svg_by_id(html, "validation-scatter");
  REQUIRE_FALSE(scatter.empty());
  CHECK(occurrences(scatter, "class=\"point") == hours_rows);
  CHECK(occurrences(scatter, "<path class=\"point s1\"") == moe_rows);  // MoE runs are diamonds
  CHECK(occurrences(scatter, "<line class=\"identity\"") == 1);

  // Plan: the step-time stack has one segment per non-zero part; memory shows the capacity.
  std::size_t parts = 0;
  for (const auto& [k, v] : in.plan->at("best").at("time_breakdown_s").items()) parts += v.get<double>() > 0;
  CHECK(occurrences(svg_by_id(html, "step-time"), "class=\"segment\"") == parts);
  const std::string memory = svg_by_id(html, "memory");
  CHECK(occurrences(memory, "class=\"segment\"") == 4);
  CHECK(occurrences(memory, "class=\"limit\"") == 1);

  // Hardware: one bar per accelerator that fits, for days and for dollars (all four have a price).
  CHECK(occurrences(svg_by_id(html, "hw-days"), "class=\"bar\"") == 4);
  CHECK(occurrences(svg_by_id(html, "hw-cost"), "class=\"bar\"") == 4);

  // Cost against tokens: five points, the middle one the estimate's cost.
  CHECK(occurrences(svg_by_id(html, "cost-vs-tokens"), "<circle class=\"point\"") == 5);
  CHECK(in.cost_vs_tokens[2].cost_usd == Approx(e["cost_usd"].get<double>()));
}

TEST_CASE("report: absent inputs leave their sections out, and strings from the JSON are escaped", "[report]") {
  HtmlReportInputs in;
  in.estimate = deepseek_estimate();
  in.estimate["wall_clock_days"] = nullptr;
  in.estimate["cost_usd"] = nullptr;
  in.estimate["uncertainty"] = nullptr;
  in.estimate["model"] = "<evil & \"co\">";
  in.plan = Json(nullptr);  // null, as a command that was not run
  const std::string html = html_report(in);
  for (const char* gone : {"<h2>Plan", "<h2>MoE vs dense", "<h2>Hardware", "<h2>Validation", "wall-clock days",
                           "<td>cost</td>", "P10", "<svg", "Command:", "Generated"}) {
    INFO(gone);
    CHECK(html.find(gone) == std::string::npos);
  }
  CHECK(html.find("<h2>Inputs</h2>") != std::string::npos);
  CHECK(html.find("<h2>Sources &amp; method notes</h2>") != std::string::npos);
  CHECK_FALSE(std::regex_search(html, std::regex(R"(\b(nan|NaN|inf)\b)")));
  CHECK(html.find("<evil") == std::string::npos);
  CHECK(html.find("<title>Training-cost report: &lt;evil &amp; &quot;co&quot;&gt; on 2,048 \u00d7 h800</title>") !=
        std::string::npos);
  CHECK(unbalanced_tag(html).empty());

  // The name inside a chart, a table and a tooltip.
  in.compare = deepseek_compare();
  (*in.compare)["moe"]["model"] = "<evil & \"co\">";
  const std::string with_compare = html_report(in);
  CHECK(with_compare.find("<evil") == std::string::npos);
  CHECK(occurrences(with_compare, "MoE: &lt;evil &amp; &quot;co&quot;&gt;") >= 3);
  CHECK(unbalanced_tag(with_compare).empty());
}

TEST_CASE("report: a published run gets its own column, and its citation as text", "[report]") {
  HtmlReportInputs in;
  in.estimate = cli_json("estimate " + kRun + " --published deepseek-v3");
  const std::string html = html_report(in);
  const double published = in.estimate["published"]["gpu_hours"]["value"].get<double>();
  CHECK(published == 2664000.0);  // DeepSeek-V3 report, Table 1: 2,664K pre-training GPU-hours
  CHECK(html.find(fmt::format("<td>GPU-hours</td><td class=\"num\">{}</td><td class=\"num\">2.66M</td>",
                              count(in.estimate["gpu_hours"].get<double>()))) != std::string::npos);
  CHECK(html.find("<li>Published GPU-hours (deepseek-v3): ") != std::string::npos);
  // "Less than two months" (bound "upper"): shown as a bound with its verdict, not as a point.
  const auto at = html.find("<td>wall-clock days</td>");
  REQUIRE(at != std::string::npos);
  const std::string row = html.substr(at, html.find("</tr>", at) - at);
  INFO(row);
  CHECK(row.find("&lt; 60") != std::string::npos);
  CHECK(row.find(in.estimate["wall_clock_days"].get<double>() <= 60.0 ? "(within bound)" : "(exceeds bound by ") !=
        std::string::npos);
  CHECK(html.find("arXiv:2412.19437") != std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("href=") == std::string::npos);
  INFO(unbalanced_tag(html));
  CHECK(unbalanced_tag(html).empty());
}

TEST_CASE("report: malformed inputs name the field", "[report]") {
  HtmlReportInputs in;
  in.estimate = deepseek_estimate();
  in.estimate.erase("gpu_hours");
  CHECK_THROWS_WITH(html_report(in), Catch::Contains("'gpu_hours'"));
  in.estimate = deepseek_estimate();
  in.plan = deepseek_compare();
  CHECK_THROWS_AS(html_report(in), InputError);
  CHECK_THROWS_WITH(html_report(in), Catch::Contains("plan: schema is 'traincost.compare.v1'"));
  in.plan.reset();
  in.estimate = Json::array();
  CHECK_THROWS_AS(html_report(in), InputError);
}

// Hidden (run with "[report-file]"): writes the DeepSeek-V3 report to
// $TRAINCOST_REPORT_OUT (default /tmp/traincost_report.html) to look at.
TEST_CASE("report: write the DeepSeek-V3 report to a file", "[.][report-file]") {
  const char* env = std::getenv("TRAINCOST_REPORT_OUT");
  const std::string path = env && *env ? env : "/tmp/traincost_report.html";
  std::ofstream(path) << deepseek_html();
  CHECK(std::ifstream(path).good());
}
