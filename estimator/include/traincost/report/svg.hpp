#pragma once
// A tiny chart library for the HTML report: pure functions from data to SVG
// text meant to be inlined in an HTML5 page (so no xmlns attribute: the HTML
// parser puts <svg> in the SVG namespace, and the page has no URL at all).
// Every string is XML-escaped; non-finite values are dropped, never drawn.
// Each chart is role="img" with <title> and <desc> for screen readers, and
// each mark carries its own <title> (a tooltip in browsers).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace traincost::report::svg {

// How a number is written on axes and labels.
enum class NumberStyle {
  plain,    // 1.2M, 46.3, 0.348
  usd,      // $5.6M
  bytes,    // 72 GB
  seconds,  // 6.19 s
  percent,  // 35% (the value is a fraction)
};

// Three significant digits with an SI-like suffix (K, M, B, T): 2.28M, 46.3,
// $4.55M, 71.5 GB. Non-finite values give "n/a".
std::string human(double x, NumberStyle style = NumberStyle::plain);

// &, <, >, " and ' as entities.
std::string escape(std::string_view text);

// "Nice numbers" (Heckbert, Graphics Gems 1990): about `target` ticks at a
// step of 1, 2 or 5 × 10^k covering [lo, hi]. 0..7.3 → 0, 2, 4, 6, 8.
std::vector<double> nice_ticks(double lo, double hi, int target = 5);
// Powers of ten covering [lo, hi] (both > 0): 1e5..3e7 → 1e5, 1e6, 1e7, 1e8.
std::vector<double> decade_ticks(double lo, double hi);

struct Series {
  std::string name;
  std::vector<double> values;  // one per label; NaN = no value (labelled "n/a", no bar)
};

struct BarChart {
  std::string id = "bars";  // unique in the page: the <title>/<desc> ids derive from it
  std::string title, desc;
  std::vector<std::string> labels;
  Series first;
  std::optional<Series> second;  // drawn beside the first, on the same axis
  NumberStyle style = NumberStyle::plain;
  std::string unit;              // axis caption, e.g. "GPU-hours"
  bool horizontal = true;
  int width = 640;
};
std::string bar_chart(const BarChart& c);

struct StackedBar {
  std::string id = "stacked";
  std::string title, desc;
  std::vector<std::string> bar_labels;          // one per bar
  std::vector<std::string> segment_labels;      // legend, one per segment
  std::vector<std::vector<double>> values;      // values[bar][segment], >= 0 (others dropped)
  NumberStyle style = NumberStyle::plain;
  std::string unit;
  std::optional<double> limit;                  // a marker line, e.g. memory capacity
  std::string limit_label;
  int width = 640;
};
std::string stacked_bar(const StackedBar& c);

struct ScatterPoint {
  double x = 0, y = 0;
  int style = 0;         // index into LogScatter::style_names: 0 circle, 1 diamond
  std::string tooltip;
};

// Log-log scatter on one shared decade range for both axes, with the 1:1 line.
struct LogScatter {
  std::string id = "scatter";
  std::string title, desc, x_label, y_label;
  std::vector<ScatterPoint> points;   // points with x or y <= 0 are dropped
  std::vector<std::string> style_names = {"dense", "MoE"};
  NumberStyle style = NumberStyle::plain;
  bool identity_line = true;
  int width = 520;
};
std::string log_scatter(const LogScatter& c);

// A line through (x, y) points in order, both axes linear from zero.
struct LineChart {
  std::string id = "line";
  std::string title, desc, x_label, y_label;
  std::vector<double> x, y;
  std::vector<std::string> tooltips;  // optional, one per point
  NumberStyle x_style = NumberStyle::plain, y_style = NumberStyle::plain;
  int width = 640;
};
std::string line_chart(const LineChart& c);

}  // namespace traincost::report::svg
