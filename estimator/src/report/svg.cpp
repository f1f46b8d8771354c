#include "traincost/report/svg.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace traincost::report::svg {

namespace {

// Okabe & Ito (2008) colour-blind-safe palette, then greys/purples and Tol's indigo and teal
// for long stacks: a step's 12 time parts (GEMMs ... optimizer) each get their own colour.
constexpr const char* kPalette[] = {"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9",
                                    "#F0E442", "#000000", "#999999", "#882255", "#332288", "#44AA99"};
constexpr std::size_t kPaletteSize = sizeof(kPalette) / sizeof(kPalette[0]);
const char* colour(std::size_t i) { return kPalette[i % kPaletteSize]; }

// Rough advance of one character at the 12 px sans-serif the charts use.
constexpr double kCharPx = 6.6;
double text_px(std::string_view s) { return kCharPx * static_cast<double>(s.size()); }

std::string num(double v) { return fmt::format("{:.1f}", v); }

// Three significant digits, then trimmed by {:g}: 2.28, 46.3, 100, 0.348.
std::string sig3(double v) { return fmt::format("{:.3g}", v); }

std::string si(double x, const char* const suffixes[5], double base = 1000.0) {
  const double a = std::fabs(x);
  // Round first so 999.7 becomes "1K", not "1e+03".
  const double r = std::stod(sig3(a));
  int k = 0;
  double scaled = r;
  while (k < 4 && scaled >= base) {
    scaled /= base;
    ++k;
  }
  return fmt::format("{}{}{}", x < 0 ? "-" : "", sig3(scaled), suffixes[k]);
}

std::string open_svg(const std::string& id, const std::string& title, const std::string& desc, int w, double h) {
  const std::string eid = escape(id);
  return fmt::format(
      "<svg class=\"chart\" id=\"{0}\" role=\"img\" aria-labelledby=\"{0}-title {0}-desc\" viewBox=\"0 0 {1} {2}\" "
      "width=\"{1}\" height=\"{2}\" font-family=\"sans-serif\" font-size=\"12\">\n"
      "<title id=\"{0}-title\">{3}</title>\n<desc id=\"{0}-desc\">{4}</desc>\n",
      eid, w, num(h), escape(title), escape(desc));
}

std::string text(double x, double y, const char* anchor, std::string_view content, const char* extra = "") {
  return fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"{}\"{}>{}</text>\n", num(x), num(y), anchor, extra,
                     escape(content));
}

std::string line(double x1, double y1, double x2, double y2, const char* cls) {
  return fmt::format("<line class=\"{}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>\n", cls, num(x1), num(y1), num(x2),
                     num(y2));
}

bool usable(double v) { return std::isfinite(v) && v >= 0; }

// Cuts a label to `px` pixels, ending in an ellipsis; the full text goes in a <title>.
std::string fit(const std::string& s, double px) {
  const auto max_chars = static_cast<std::size_t>(std::max(px / kCharPx, 2.0));
  if (s.size() <= max_chars) return s;
  return s.substr(0, max_chars - 1) + "\u2026";
}

double max_usable(const std::vector<double>& v, double start) {
  for (double x : v)
    if (usable(x)) start = std::max(start, x);
  return start;
}

// Style shared by every chart, as presentation attributes' CSS twin (inline: the page has no stylesheet link).
const char* kChartStyle =
    "<style>.grid{stroke:#ddd;stroke-width:1}.axis{stroke:#444;stroke-width:1}"
    ".identity{stroke:#555;stroke-width:1.2;stroke-dasharray:5 4}.limit{stroke:#c00;stroke-width:1.5;"
    "stroke-dasharray:4 3}.line{fill:none;stroke:#0072B2;stroke-width:2}</style>\n";

}  // namespace

std::string escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += ch;
    }
  }
  return out;
}

std::string human(double x, NumberStyle style) {
  if (!std::isfinite(x)) return "n/a";
  static const char* const kCount[5] = {"", "K", "M", "B", "T"};
  static const char* const kBytes[5] = {" B", " KB", " MB", " GB", " TB"};
  switch (style) {
    case NumberStyle::usd: {
      const std::string v = si(std::fabs(x), kCount);
      return (x < 0 ? "-$" : "$") + v;
    }
    case NumberStyle::bytes: return si(x, kBytes);
    case NumberStyle::seconds: return sig3(x) + " s";
    case NumberStyle::percent: return sig3(100.0 * x) + "%";
    case NumberStyle::plain: break;
  }
  return si(x, kCount);
}

std::vector<double> nice_ticks(double lo, double hi, int target) {
  if (!std::isfinite(lo) || !std::isfinite(hi) || hi < lo) return {};
  if (hi == lo) hi = lo + (lo == 0 ? 1.0 : std::fabs(lo));
  auto nicenum = [](double x, bool round) {
    const double e = std::floor(std::log10(x));
    const double f = x / std::pow(10.0, e);
    double nf;
    if (round) nf = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
    else nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
    return nf * std::pow(10.0, e);
  };
  const double range = nicenum(hi - lo, false);
  const double step = nicenum(range / std::max(target - 1, 1), true);
  // Integer multiples of the step, so 0.1 + 0.2 drift never adds a tick.
  const auto first = static_cast<long long>(std::floor(lo / step + 1e-9));
  const auto last = static_cast<long long>(std::ceil(hi / step - 1e-9));
  std::vector<double> t;
  for (long long i = first; i <= last; ++i) t.push_back(static_cast<double>(i) * step);
  return t;
}

std::vector<double> decade_ticks(double lo, double hi) {
  if (!std::isfinite(lo) || !std::isfinite(hi) || lo <= 0 || hi < lo) return {};
  const int a = static_cast<int>(std::floor(std::log10(lo) + 1e-9));
  int b = static_cast<int>(std::ceil(std::log10(hi) - 1e-9));
  if (b <= a) b = a + 1;
  std::vector<double> t;
  for (int k = a; k <= b; ++k) t.push_back(std::pow(10.0, k));
  return t;
}

// ---- bar chart --------------------------------------------------------------

std::string bar_chart(const BarChart& c) {
  const std::size_t n = c.labels.size();
  std::vector<const Series*> series = {&c.first};
  if (c.second) series.push_back(&*c.second);
  const double ns = static_cast<double>(series.size());
  double vmax = 0;
  for (const Series* s : series) vmax = max_usable(s->values, vmax);
  const std::vector<double> ticks = nice_ticks(0, vmax > 0 ? vmax : 1);
  const double dmax = ticks.back();
  auto value_at = [](const Series* s, std::size_t i) {
    return i < s->values.size() ? s->values[i] : std::numeric_limits<double>::quiet_NaN();
  };
  auto tooltip = [&](std::size_t i, const Series* s, double v) {
    std::string t = c.labels[i];
    if (!s->name.empty()) t += " \u2014 " + s->name;
    t += ": " + human(v, c.style);
    if (!c.unit.empty() && c.style != NumberStyle::usd) t += " " + c.unit;
    return t;
  };
  const double legend_h = series.size() > 1 ? 22 : 0;
  std::string body;
  double height = 0;

  if (c.horizontal) {
    double longest = 0;
    for (const auto& l : c.labels) longest = std::max(longest, text_px(l));
    const double label_w = std::clamp(longest + 8, 60.0, 0.4 * c.width);
    const double x0 = label_w + 8, x1 = c.width - 70.0;
    const double bar_h = 16, group_h = ns * bar_h + 10;
    const double top = 8 + legend_h, plot_h = static_cast<double>(n) * group_h;
    height = top + plot_h + 44;
    for (double t : ticks) {
      const double x = x0 + t / dmax * (x1 - x0);
      body += line(x, top, x, top + plot_h, "grid");
      body += text(x, top + plot_h + 16, "middle", human(t, c.style));
    }
    body += line(x0, top, x0, top + plot_h, "axis");
    for (std::size_t i = 0; i < n; ++i) {
      const double y = top + static_cast<double>(i) * group_h + 5;
      body += fmt::format("<g><title>{}</title>", escape(c.labels[i]));
      body += text(label_w, y + ns * bar_h / 2 + 4, "end", fit(c.labels[i], label_w - 4));
      body += "</g>\n";
      for (std::size_t s = 0; s < series.size(); ++s) {
        const double v = value_at(series[s], i);
        const double ys = y + static_cast<double>(s) * bar_h;
        if (!usable(v)) {
          body += text(x0 + 4, ys + bar_h - 4, "start", "n/a", " fill=\"#666\"");
          continue;
        }
        const double w = v / dmax * (x1 - x0);
        body += fmt::format("<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{}</title></rect>\n",
                            num(x0), num(ys), num(w), num(bar_h - 2), colour(s), escape(tooltip(i, series[s], v)));
        body += text(x0 + w + 4, ys + bar_h - 4, "start", human(v, c.style));
      }
    }
    if (!c.unit.empty()) body += text((x0 + x1) / 2, top + plot_h + 34, "middle", c.unit);
  } else {
    const double x0 = 64, x1 = c.width - 10.0, top = 16 + legend_h, plot_h = 220;
    const double slot = n > 0 ? (x1 - x0) / static_cast<double>(n) : (x1 - x0);
    const double bar_w = slot * 0.7 / ns;
    height = top + plot_h + 44;
    for (double t : ticks) {
      const double y = top + plot_h - t / dmax * plot_h;
      body += line(x0, y, x1, y, "grid");
      body += text(x0 - 6, y + 4, "end", human(t, c.style));
    }
    body += line(x0, top + plot_h, x1, top + plot_h, "axis");
    for (std::size_t i = 0; i < n; ++i) {
      const double xs = x0 + static_cast<double>(i) * slot + slot * 0.15;
      body += fmt::format("<g><title>{}</title>", escape(c.labels[i]));
      body += text(x0 + (static_cast<double>(i) + 0.5) * slot, top + plot_h + 16, "middle", fit(c.labels[i], slot - 4));
      body += "</g>\n";
      for (std::size_t s = 0; s < series.size(); ++s) {
        const double v = value_at(series[s], i);
        const double xb = xs + static_cast<double>(s) * bar_w;
        if (!usable(v)) {
          body += text(xb + bar_w / 2, top + plot_h - 4, "middle", "n/a", " fill=\"#666\"");
          continue;
        }
        const double h = v / dmax * plot_h;
        body += fmt::format("<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{}</title></rect>\n",
                            num(xb), num(top + plot_h - h), num(bar_w - 2), num(h), colour(s),
                            escape(tooltip(i, series[s], v)));
        body += text(xb + bar_w / 2, top + plot_h - h - 4, "middle", human(v, c.style));
      }
    }
    if (!c.unit.empty()) body += text(x0, top - 4, "start", c.unit);
  }

  std::string legend;
  if (series.size() > 1) {
    double x = 10;
    for (std::size_t s = 0; s < series.size(); ++s) {
      legend += fmt::format("<rect x=\"{}\" y=\"6\" width=\"12\" height=\"12\" fill=\"{}\"/>\n", num(x), colour(s));
      legend += text(x + 16, 16, "start", series[s]->name);
      x += 16 + text_px(series[s]->name) + 18;
    }
  }
  return open_svg(c.id, c.title, c.desc, c.width, height) + kChartStyle + legend + body + "</svg>\n";
}

// ---- stacked bar ------------------------------------------------------------

std::string stacked_bar(const StackedBar& c) {
  const std::size_t n = c.bar_labels.size();
  double longest = 0;
  for (const auto& l : c.bar_labels) longest = std::max(longest, text_px(l));
  const double label_w = std::clamp(longest + 8, 40.0, 0.35 * c.width);
  const double x0 = label_w + 8, x1 = c.width - 20.0;
  const double bar_h = 26, gap = 12, top = c.limit ? 22 : 8;
  const double plot_h = static_cast<double>(n) * (bar_h + gap);
  std::vector<double> totals(n, 0.0);
  for (std::size_t b = 0; b < n && b < c.values.size(); ++b)
    for (double v : c.values[b])
      if (usable(v)) totals[b] += v;
  double dmax = max_usable(totals, 0);
  if (c.limit && usable(*c.limit)) dmax = std::max(dmax, *c.limit);
  const std::vector<double> ticks = nice_ticks(0, dmax > 0 ? dmax : 1);
  const double scale = (x1 - x0) / ticks.back();

  std::string body;
  for (double t : ticks) {
    const double x = x0 + t * scale;
    body += line(x, top, x, top + plot_h, "grid");
    body += text(x, top + plot_h + 16, "middle", human(t, c.style));
  }
  body += line(x0, top, x0, top + plot_h, "axis");
  for (std::size_t b = 0; b < n; ++b) {
    const double y = top + static_cast<double>(b) * (bar_h + gap) + gap / 2;
    body += fmt::format("<g><title>{}</title>", escape(c.bar_labels[b]));
    body += text(label_w, y + bar_h / 2 + 4, "end", fit(c.bar_labels[b], label_w - 4));
    body += "</g>\n";
    double x = x0;
    if (b >= c.values.size()) continue;
    for (std::size_t s = 0; s < c.values[b].size(); ++s) {
      const double v = c.values[b][s];
      if (!usable(v) || v == 0) continue;
      const double w = v * scale;
      const std::string name = s < c.segment_labels.size() ? c.segment_labels[s] : fmt::format("part {}", s + 1);
      const std::string tip = fmt::format("{}: {} {} ({} of {})", c.bar_labels[b], name, human(v, c.style),
                                          human(totals[b] > 0 ? v / totals[b] : 0, NumberStyle::percent),
                                          human(totals[b], c.style));
      body += fmt::format("<rect class=\"segment\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{}</title></rect>\n",
                          num(x), num(y), num(w), num(bar_h), colour(s), escape(tip));
      x += w;
    }
  }
  if (c.limit && usable(*c.limit)) {
    const double x = x0 + *c.limit * scale;
    body += fmt::format("<g><title>{}</title>", escape(fmt::format("{}: {}", c.limit_label, human(*c.limit, c.style))));
    body += line(x, top - 4, x, top + plot_h, "limit");
    const std::string label = fmt::format("{} {}", c.limit_label, human(*c.limit, c.style));
    const bool right_room = x + 4 + text_px(label) < c.width;
    body += text(right_room ? x + 4 : x - 4, top - 8, right_room ? "start" : "end", label, " fill=\"#c00\"");
    body += "</g>\n";
  }
  double y_axis_end = top + plot_h + 16;
  if (!c.unit.empty()) {
    body += text((x0 + x1) / 2, top + plot_h + 34, "middle", c.unit);
    y_axis_end += 18;
  }
  // Legend: swatch + name (+ value and share when there is one bar), wrapped to the width.
  std::string legend;
  double lx = 10, ly = y_axis_end + 14;
  for (std::size_t s = 0; s < c.segment_labels.size(); ++s) {
    bool any = false;
    for (const auto& row : c.values) any = any || (s < row.size() && usable(row[s]) && row[s] > 0);
    if (!any) continue;  // a part that is zero everywhere is not drawn, so not explained
    std::string label = c.segment_labels[s];
    if (n == 1 && s < c.values[0].size() && totals[0] > 0)
      label += fmt::format(": {} ({})", human(c.values[0][s], c.style), human(c.values[0][s] / totals[0], NumberStyle::percent));
    const double w = 16 + text_px(label) + 14;
    if (lx + w > c.width && lx > 10) {
      lx = 10;
      ly += 18;
    }
    legend += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/>\n", num(lx), num(ly - 10),
                          colour(s));
    legend += text(lx + 16, ly, "start", label);
    lx += w;
  }
  const double height = ly + 10;
  return open_svg(c.id, c.title, c.desc, c.width, height) + kChartStyle + body + legend + "</svg>\n";
}

// ---- log-log scatter --------------------------------------------------------

std::string log_scatter(const LogScatter& c) {
  const double left = 72, top = 30, side = c.width - left - 20.0;
  const double height = top + side + 48;
  std::vector<const ScatterPoint*> pts;
  double lo = std::numeric_limits<double>::infinity(), hi = 0;
  for (const auto& p : c.points) {
    if (!(std::isfinite(p.x) && std::isfinite(p.y) && p.x > 0 && p.y > 0)) continue;
    pts.push_back(&p);
    lo = std::min({lo, p.x, p.y});
    hi = std::max({hi, p.x, p.y});
  }
  std::string body;
  if (pts.empty()) {
    body += text(left + side / 2, top + side / 2, "middle", "no data");
    return open_svg(c.id, c.title, c.desc, c.width, height) + kChartStyle + body + "</svg>\n";
  }
  const std::vector<double> ticks = decade_ticks(lo, hi);
  const double l0 = std::log10(ticks.front()), l1 = std::log10(ticks.back());
  auto px = [&](double v) { return left + (std::log10(v) - l0) / (l1 - l0) * side; };
  auto py = [&](double v) { return top + side - (std::log10(v) - l0) / (l1 - l0) * side; };
  for (double t : ticks) {
    body += line(px(t), top, px(t), top + side, "grid");
    body += line(left, py(t), left + side, py(t), "grid");
    body += text(px(t), top + side + 16, "middle", human(t, c.style));
    body += text(left - 6, py(t) + 4, "end", human(t, c.style));
  }
  body += line(left, top + side, left + side, top + side, "axis");
  body += line(left, top, left, top + side, "axis");
  body += text(left + side / 2, top + side + 36, "middle", c.x_label);
  body += fmt::format("<text x=\"0\" y=\"0\" text-anchor=\"middle\" transform=\"translate(14 {}) rotate(-90)\">{}</text>\n",
                      num(top + side / 2), escape(c.y_label));
  if (c.identity_line)
    body += fmt::format("<line class=\"identity\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"><title>1:1 (equal values)</title></line>\n",
                        num(left), num(top + side), num(left + side), num(top));
  for (const ScatterPoint* p : pts) {
    const double x = px(p->x), y = py(p->y);
    const std::string fill = colour(static_cast<std::size_t>(std::max(p->style, 0)));
    if (p->style == 1)
      body += fmt::format("<path class=\"point s1\" d=\"M{0} {1}L{2} {3}L{0} {4}L{5} {3}Z\" fill=\"{6}\" fill-opacity=\"0.8\"><title>{7}</title></path>\n",
                          num(x), num(y - 6), num(x + 6), num(y), num(y + 6), num(x - 6), fill, escape(p->tooltip));
    else
      body += fmt::format("<circle class=\"point s{}\" cx=\"{}\" cy=\"{}\" r=\"4.5\" fill=\"{}\" fill-opacity=\"0.8\"><title>{}</title></circle>\n",
                          std::max(p->style, 0), num(x), num(y), fill, escape(p->tooltip));
  }
  // Legend: one entry per marker style present, then the 1:1 line.
  std::string legend;
  double lx = left;
  for (std::size_t s = 0; s < c.style_names.size() && s < 2; ++s) {
    const bool present = std::any_of(pts.begin(), pts.end(), [&](const ScatterPoint* p) { return p->style == static_cast<int>(s); });
    if (!present) continue;
    if (s == 1)
      legend += fmt::format("<path d=\"M{0} 6L{1} 12L{0} 18L{2} 12Z\" fill=\"{3}\"/>\n", num(lx + 6), num(lx + 12), num(lx),
                            colour(1));
    else
      legend += fmt::format("<circle cx=\"{}\" cy=\"12\" r=\"4.5\" fill=\"{}\"/>\n", num(lx + 6), colour(0));
    legend += text(lx + 16, 16, "start", c.style_names[s]);
    lx += 16 + text_px(c.style_names[s]) + 18;
  }
  if (c.identity_line) {
    legend += line(lx, 12, lx + 22, 12, "identity key");
    legend += text(lx + 26, 16, "start", "1:1");
  }
  return open_svg(c.id, c.title, c.desc, c.width, height) + kChartStyle + legend + body + "</svg>\n";
}

// ---- line chart -------------------------------------------------------------

std::string line_chart(const LineChart& c) {
  const double left = 72, right = 20, top = 12, plot_h = 240;
  const double x1 = c.width - right, plot_w = x1 - left, height = top + plot_h + 48;
  std::vector<std::size_t> idx;
  double xmax = 0, ymax = 0;
  for (std::size_t i = 0; i < c.x.size() && i < c.y.size(); ++i) {
    if (!usable(c.x[i]) || !usable(c.y[i])) continue;
    idx.push_back(i);
    xmax = std::max(xmax, c.x[i]);
    ymax = std::max(ymax, c.y[i]);
  }
  const std::vector<double> xt = nice_ticks(0, xmax > 0 ? xmax : 1), yt = nice_ticks(0, ymax > 0 ? ymax : 1);
  auto px = [&](double v) { return left + v / xt.back() * plot_w; };
  auto py = [&](double v) { return top + plot_h - v / yt.back() * plot_h; };
  std::string body;
  for (double t : xt) {
    body += line(px(t), top, px(t), top + plot_h, "grid");
    body += text(px(t), top + plot_h + 16, "middle", human(t, c.x_style));
  }
  for (double t : yt) {
    body += line(left, py(t), x1, py(t), "grid");
    body += text(left - 6, py(t) + 4, "end", human(t, c.y_style));
  }
  body += line(left, top + plot_h, x1, top + plot_h, "axis");
  body += line(left, top, left, top + plot_h, "axis");
  body += text(left + plot_w / 2, top + plot_h + 36, "middle", c.x_label);
  body += fmt::format("<text x=\"0\" y=\"0\" text-anchor=\"middle\" transform=\"translate(14 {}) rotate(-90)\">{}</text>\n",
                      num(top + plot_h / 2), escape(c.y_label));
  if (idx.empty()) {
    body += text(left + plot_w / 2, top + plot_h / 2, "middle", "no data");
  } else {
    std::string pts;
    for (std::size_t i : idx) pts += fmt::format("{}{},{}", pts.empty() ? "" : " ", num(px(c.x[i])), num(py(c.y[i])));
    body += fmt::format("<polyline class=\"line\" points=\"{}\"/>\n", pts);
    for (std::size_t i : idx) {
      const std::string tip = i < c.tooltips.size() && !c.tooltips[i].empty()
                                  ? c.tooltips[i]
                                  : fmt::format("{}: {}", human(c.x[i], c.x_style), human(c.y[i], c.y_style));
      body += fmt::format("<circle class=\"point\" cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"{}\"><title>{}</title></circle>\n",
                          num(px(c.x[i])), num(py(c.y[i])), colour(0), escape(tip));
    }
  }
  return open_svg(c.id, c.title, c.desc, c.width, height) + kChartStyle + body + "</svg>\n";
}

}  // namespace traincost::report::svg
