// The report's SVG building blocks (estimator/src/report/svg.cpp): nice and decade
// ticks for hand-checked ranges, human numbers, XML escaping, and the bar, stacked,
// scatter and line charts.
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "test_support.hpp"
#include "traincost/report/svg.hpp"

using namespace traincost;
using namespace traincost::report;
using test_support::occurrences;

// ---- svg ------------------------------------------------------------------------

TEST_CASE("report: nice ticks and decade ticks for hand-checked ranges", "[report]") {
  using Catch::Matchers::Approx;
  // range 7.3 → nice 10; step 10/4 = 2.5 → 2 (Heckbert's rounding: < 3 → 2)
  CHECK_THAT(svg::nice_ticks(0, 7.3), Approx(std::vector<double>{0, 2, 4, 6, 8}));
  // range 2.28e6 → 5e6; step 1.25e6 → 1e6
  CHECK_THAT(svg::nice_ticks(0, 2.28e6), Approx(std::vector<double>{0, 1e6, 2e6, 3e6}));
  // range 1 → 1; step 0.25 → 0.2
  CHECK_THAT(svg::nice_ticks(0, 1), Approx(std::vector<double>{0, 0.2, 0.4, 0.6, 0.8, 1.0}));
  // range 0.9 → 1; step 0.25 → 0.2; the ticks start below lo
  CHECK_THAT(svg::nice_ticks(0.35, 1.25), Approx(std::vector<double>{0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 1.4}));
  CHECK(svg::nice_ticks(1, 0).empty());
  CHECK(svg::nice_ticks(0, std::nan("")).empty());
  CHECK_THAT(svg::decade_ticks(1e5, 3e7), Approx(std::vector<double>{1e5, 1e6, 1e7, 1e8}));
  CHECK_THAT(svg::decade_ticks(2e5, 2e5), Approx(std::vector<double>{1e5, 1e6}));
  CHECK_THAT(svg::decade_ticks(1e5, 1e6), Approx(std::vector<double>{1e5, 1e6}));
  CHECK(svg::decade_ticks(0, 10).empty());
}

TEST_CASE("report: human numbers and XML escaping", "[report]") {
  using svg::NumberStyle;
  CHECK(svg::human(2276162.07) == "2.28M");
  CHECK(svg::human(999700) == "1M");  // rounds before picking the suffix
  CHECK(svg::human(4552324.1, NumberStyle::usd) == "$4.55M");
  CHECK(svg::human(71.5e9, NumberStyle::bytes) == "71.5 GB");
  CHECK(svg::human(0.348328, NumberStyle::percent) == "34.8%");
  CHECK(svg::human(6.1948, NumberStyle::seconds) == "6.19 s");
  CHECK(svg::human(14.8e12) == "14.8T");
  CHECK(svg::human(0) == "0");
  CHECK(svg::human(-1234) == "-1.23K");
  CHECK(svg::human(std::nan("")) == "n/a");
  CHECK(svg::escape(R"(<a b="c">&'x')") == "&lt;a b=&quot;c&quot;&gt;&amp;&#39;x&#39;");
}

TEST_CASE("report: bar, stacked, scatter and line charts draw what they are given", "[report]") {
  svg::BarChart b;
  b.id = "t";
  b.title = "cost <by> model";
  b.labels = {"a", "b&c", "d"};
  b.first.values = {1.0, std::nan(""), 3.0};
  const std::string bars = svg::bar_chart(b);
  CHECK(occurrences(bars, "class=\"bar\"") == 2);  // the NaN gets "n/a", not a bar
  CHECK(occurrences(bars, ">n/a<") == 1);
  CHECK(bars.find("b&amp;c") != std::string::npos);
  CHECK(bars.find("<title id=\"t-title\">cost &lt;by&gt; model</title>") != std::string::npos);
  CHECK(bars.find("role=\"img\"") != std::string::npos);
  b.second = svg::Series{"other", {2.0, 2.0, 2.0}};
  b.horizontal = false;
  CHECK(occurrences(svg::bar_chart(b), "class=\"bar\"") == 5);

  svg::StackedBar s;
  s.bar_labels = {"step"};
  s.segment_labels = {"x", "zero", "y"};
  s.values = {{3.0, 0.0, 1.0}};
  s.limit = 5.0;
  s.limit_label = "cap";
  const std::string stacked = svg::stacked_bar(s);
  CHECK(occurrences(stacked, "class=\"segment\"") == 2);  // the zero part is neither drawn nor in the legend
  CHECK(stacked.find(">zero") == std::string::npos);
  CHECK(stacked.find("x: 3 (75%)") != std::string::npos);  // one bar: the legend carries value and share
  CHECK(occurrences(stacked, "class=\"limit\"") == 1);
  // A step's 12 time parts (GEMMs ... optimizer, perf::TimeBreakdown) get 12 different colours.
  svg::StackedBar parts;
  parts.bar_labels = {"step"};
  parts.values.emplace_back();
  for (int i = 0; i < 12; ++i) {
    parts.segment_labels.push_back(fmt::format("part{}", i));
    parts.values[0].push_back(1.0);
  }
  const std::string twelve = svg::stacked_bar(parts);
  std::set<std::string> fills;
  for (std::size_t at = twelve.find("class=\"segment\""); at != std::string::npos; at = twelve.find("class=\"segment\"", at + 1)) {
    const std::size_t f = twelve.find("fill=\"", at);
    fills.insert(twelve.substr(f + 6, 7));
  }
  CHECK(fills.size() == 12);

  svg::LogScatter sc;
  sc.points = {{1e5, 2e5, 0, "p1"}, {3e6, 2e6, 1, "p2"}, {0, 1e6, 0, "dropped"}, {1e6, std::nan(""), 0, "dropped"}};
  const std::string scatter = svg::log_scatter(sc);
  CHECK(occurrences(scatter, "class=\"point") == 2);
  CHECK(occurrences(scatter, "<circle class=\"point") == 1);
  CHECK(occurrences(scatter, "<path class=\"point") == 1);
  CHECK(occurrences(scatter, "<line class=\"identity\"") == 1);
  CHECK(scatter.find(">1M<") != std::string::npos);  // decade ticks 100K..10M
  CHECK(scatter.find(">10M<") != std::string::npos);
  CHECK(scatter.find("dropped") == std::string::npos);

  svg::LineChart l;
  l.x = {1, 2, 4};
  l.y = {10, 20, 40};
  const std::string line = svg::line_chart(l);
  CHECK(occurrences(line, "<circle class=\"point\"") == 3);
  CHECK(line.find("<polyline class=\"line\"") != std::string::npos);
}
