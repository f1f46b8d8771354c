// The HTML report: a renderer over the commands' JSON objects. Strings from
// the JSON (model names come from user files) are escaped at the one place
// they enter the page: html_table, para, list and the svg:: functions.
#include "traincost/report/html_report.hpp"

#include "html_parts.hpp"

#include <cmath>
#include <string_view>

#include <fmt/format.h>

#include "traincost/report/format.hpp"
#include "traincost/report/published_bound.hpp"
#include "traincost/report/svg.hpp"
#include "traincost/util/error.hpp"
#include "traincost/validation/validate.hpp"

namespace traincost::report {

namespace {

using namespace html;  // the building blocks (html_parts.hpp)

// ---- sections ---------------------------------------------------------------------

std::string inputs_section(const Json& e) {
  Table t{"", {"input", "value"}, {}, {}};
  auto row = [&](std::string name, std::string value) {
    if (!value.empty()) t.rows.push_back({std::move(name), std::move(value)});
  };
  const std::string family = str(e, "model_family");
  row("model", str(e, "model") + (family.empty() ? "" : " (" + family + ")"));
  row("hardware", str(e, "hardware"));
  row("accelerators", or_dash(number(e, "gpus"), [](double g) { return exact(static_cast<std::int64_t>(g)); }));
  row("training tokens", count(*number(e, "tokens")));
  row("sequence length", or_dash(number(e, "seq_len"), [](double v) { return exact(static_cast<std::int64_t>(v)); }));
  row("GEMM precision", str(e, "precision"));
  row("attention FLOPs convention", str(e, "attention_convention"));
  row("activation recomputation", str(e, "recompute"));
  row("total parameters", or_dash(number(e, "total_params"), count));
  row("active parameters per token", or_dash(number(e, "active_params"), count));
  if (const auto p = number(e, "price_usd_per_gpu_hour"))
    row("price per GPU-hour", usd(*p) + (str(e, "price_source").empty() ? "" : " (" + str(e, "price_source") + ")"));
  row("PUE", or_dash(number(e, "pue"), [](double v) { return fmt::format("{:.2f}", v); }));
  row("grid intensity", or_dash(number(e, "grid_kgco2_per_kwh"), [](double v) { return fmt::format("{:.3f} kgCO2e/kWh", v); }));
  return section("inputs", "Inputs", html_table(t));
}

std::string results_section(const Json& e, const std::vector<CostPoint>& curve) {
  const Json* unc = child(e, "uncertainty");
  const Json* pub = child(e, "published");
  Table t{"", {"quantity", "estimate"}, {}, {false, true, true, true}};
  if (unc) t.header.push_back("range (P10\u2013P90)");
  if (pub) t.header.push_back("published");
  auto published = [&](const char* key, std::string (*f)(double)) -> std::string {
    if (!pub) return "";
    const Json* fig = child(*pub, key);
    if (!fig || !number(*fig, "value")) return "";
    const std::string bound = str(*fig, "bound");
    std::string cell = bounded_value(bound, f(*number(*fig, "value")));
    if (const Json* c = child(*fig, "comparison"); c && (bound == "upper" || bound == "lower")) cell += " (" + str(*c, "text") + ")";
    return cell;
  };
  auto row = [&](std::string name, std::optional<double> v, std::string (*f)(double), const char* key = nullptr) {
    if (!v) return;
    std::vector<std::string> r = {std::move(name), f(*v)};
    if (unc) r.push_back(key ? range(unc, key, f) : "");
    if (pub) r.push_back(key ? published(key, f) : "");
    t.rows.push_back(std::move(r));
  };
  row("model FLOPs per token", number(e, "model_flops_per_token"), sci);
  row("training FLOPs", number(e, "training_flops"), sci, "training_flops");
  row("peak FLOP/s per GPU", number(e, "peak_flops_per_gpu_s"), sci);
  row("MFU", number(e, "mfu"), percent, "mfu");
  row("achieved FLOP/s per GPU", number(e, "achieved_flops_per_gpu_s"), sci);
  row("goodput", number(e, "goodput"), percent);
  row("run efficiency", number(e, "run_efficiency"), percent);
  row("GPU-hours", number(e, "gpu_hours"), count, "gpu_hours");
  row("\u00a0\u00a0of which whole-run overheads", number(e, "gpu_hours_goodput_loss"), count);
  row("wall-clock days", number(e, "wall_clock_days"), days, "wall_clock_days");
  row("cost", number(e, "cost_usd"), usd, "cost_usd");
  row("energy", number(e, "energy_mwh"), mwh, "energy_mwh");
  row("CO2", number(e, "co2_tonnes"), tonnes, "co2_tonnes");
  row("model states per GPU (fully sharded)", number(e, "memory_floor_per_gpu_bytes"), bytes);
  std::string body;
  body += para(fmt::format("{} on {}{}: {} training tokens.", str(e, "model"),
                           number(e, "gpus") ? exact(static_cast<std::int64_t>(*number(e, "gpus"))) + " \u00d7 " : "",
                           str(e, "hardware"), count(*number(e, "tokens"))));
  body += html_table(t);
  if (unc)
    body += para(fmt::format("Ranges: {} Monte Carlo samples, seed {} (see Sources & method notes).",
                             or_dash(number(*unc, "samples"), [](double v) { return exact(static_cast<std::int64_t>(v)); }),
                             or_dash(number(*unc, "seed"), [](double v) { return fmt::format("{:.0f}", v); })),
                 "small");
  if (pub) body += para("Published: " + str(*pub, "title") + " (" + str(*pub, "id") + ").", "small");
  std::vector<std::string> notes = strings(e, "warnings");
  for (const auto& n : strings(e, "notes")) notes.push_back(n);
  body += list(notes);

  // Cost (or GPU-hours where there is no price) against training tokens.
  bool have_cost = !curve.empty();
  for (const auto& p : curve) have_cost = have_cost && std::isfinite(p.cost_usd) && p.cost_usd > 0;
  if (!curve.empty()) {
    svg::LineChart c;
    c.id = "cost-vs-tokens";
    c.title = have_cost ? "Cost against training tokens" : "GPU-hours against training tokens";
    c.desc = fmt::format("{} runs of {} on {} at different token counts", curve.size(), str(e, "model"), str(e, "hardware"));
    c.x_label = "training tokens";
    c.y_label = have_cost ? "cost (USD)" : "GPU-hours";
    c.y_style = have_cost ? NumberStyle::usd : NumberStyle::plain;
    for (const auto& p : curve) {
      c.x.push_back(p.tokens);
      c.y.push_back(have_cost ? p.cost_usd : p.gpu_hours);
      c.tooltips.push_back(have_cost ? fmt::format("{} tokens: {}, {} GPU-hours", count(p.tokens), usd(p.cost_usd), count(p.gpu_hours))
                                     : fmt::format("{} tokens: {} GPU-hours", count(p.tokens), count(p.gpu_hours)));
    }
    body += figure(svg::line_chart(c), c.title + " (same model, hardware and cluster; each point is its own estimate).");
  }
  return section("results", "Results", body);
}

const char* time_part_name(const std::string& key) {
  if (key == "gemm") return "GEMMs";
  if (key == "attention") return "attention";
  if (key == "elementwise") return "element-wise (HBM-bound)";
  if (key == "recompute") return "recomputation";
  if (key == "moe_permute") return "MoE token permute (HBM)";
  if (key == "moe_host") return "MoE host-bound (launch, sync)";
  if (key == "tp_comm") return "TP collectives";
  if (key == "ep_comm") return "EP all-to-all (exposed)";
  if (key == "pp_p2p") return "PP send/recv (exposed)";
  if (key == "pp_bubble") return "pipeline bubble";
  if (key == "dp_comm") return "DP gradient sync (exposed)";
  if (key == "optimizer") return "optimizer step";
  return nullptr;
}

std::string plan_section(const Json& p) {
  const Json* best = child(p, "best");
  std::string body;
  body += para(fmt::format("{} plans evaluated, {} fit in memory, on {} \u00d7 {}, {} tokens per step.",
                           or_dash(number(p, "plans_evaluated"), [](double v) { return exact(static_cast<std::int64_t>(v)); }),
                           or_dash(number(p, "plans_feasible"), [](double v) { return exact(static_cast<std::int64_t>(v)); }),
                           or_dash(number(p, "gpus"), [](double v) { return exact(static_cast<std::int64_t>(v)); }),
                           str(p, "hardware"), or_dash(number(p, "global_batch_tokens"), count)));
  if (!best) return section("plan", "Plan", body + para("No plan fits in memory on this cluster."));
  body += para("Best plan: " + str(*best, "plan_string"));
  Table t{"", {"quantity", "best plan"}, {}, {false, true}};
  auto row = [&](const char* name, std::optional<double> v, std::string (*f)(double)) {
    if (v) t.rows.push_back({name, f(*v)});
  };
  row("MFU", number(*best, "mfu"), percent);
  row("step time (s)", number(*best, "step_time_s"), [](double v) { return fmt::format("{:.3f}", v); });
  row("tokens/s (cluster)", number(*best, "tokens_per_s"), count);
  row("memory per GPU", number(*best, "memory_per_gpu_bytes"), bytes);
  row("usable memory per GPU", number(*best, "memory_capacity_bytes"), bytes);
  row("wall-clock days (goodput included)", number(*best, "wall_clock_days"), days);
  row("GPU-hours (goodput included)", number(*best, "gpu_hours"), count);
  body += html_table(t);

  if (const Json* tb = child(*best, "time_breakdown_s")) {
    svg::StackedBar c;
    c.id = "step-time";
    c.title = "Where a training step's time goes";
    c.desc = "Per-GPU critical path of one optimizer step of the best plan, by part, in seconds";
    c.bar_labels = {"step"};
    c.values.emplace_back();
    for (const auto& [key, v] : tb->items()) {
      if (!v.is_number()) continue;
      const char* name = time_part_name(key);
      c.segment_labels.push_back(name ? name : key);
      c.values[0].push_back(v.get<double>());
    }
    c.style = NumberStyle::seconds;
    c.unit = "seconds per step";
    body += figure(svg::stacked_bar(c), "Step time of the best plan by part (exposed communication only).");
  }
  if (const Json* mb = child(*best, "memory_breakdown_bytes")) {
    svg::StackedBar c;
    c.id = "memory";
    c.title = "Memory per GPU";
    c.desc = "Weights, gradients, optimizer states and activations per GPU of the best plan, against the usable capacity";
    c.bar_labels = {"per GPU"};
    c.values.emplace_back();
    for (const auto& [key, v] : mb->items()) {
      if (!v.is_number()) continue;
      c.segment_labels.push_back(key);
      c.values[0].push_back(v.get<double>());
    }
    c.style = NumberStyle::bytes;
    c.unit = "bytes per GPU";
    if (const auto cap = number(*best, "memory_capacity_bytes")) {
      c.limit = *cap;
      c.limit_label = "usable";
    }
    body += figure(svg::stacked_bar(c), "Memory per GPU of the best plan; the red line is the usable capacity.");
  }
  if (const Json* top = child(p, "top", true); top && top->size() > 1) {
    Table tt{"Fastest plans that fit", {"#", "plan", "MFU", "step s", "tokens/s", "memory/GPU"}, {},
             {true, false, true, true, true, true}};
    int i = 0;
    for (const auto& e : *top) {
      tt.rows.push_back({std::to_string(++i), str(e, "plan_string"), or_dash(number(e, "mfu"), percent),
                         or_dash(number(e, "step_time_s"), [](double v) { return fmt::format("{:.2f}", v); }),
                         or_dash(number(e, "tokens_per_s"), count), or_dash(number(e, "memory_per_gpu_bytes"), bytes)});
    }
    body += html_table(tt);
  }
  return section("plan", "Plan", body);
}

std::string compare_section(const Json& c) {
  const Json* moe = child(c, "moe");
  const Json* dense = child(c, "dense_equivalents");
  if (!moe || !dense) return "";
  struct Entry {
    std::string label;
    const Json* j;
  };
  std::vector<Entry> entries = {{"MoE: " + str(*moe, "model"), moe}};
  const std::pair<const char*, const char*> kinds[] = {
      {"same_active", "dense, same active params"}, {"same_total", "dense, same total params"}, {"same_loss", "dense, same loss"}};
  for (const auto& [key, label] : kinds)
    if (const Json* d = child(*dense, key)) entries.push_back({label, d});

  Table t{"", {"model", "params", "training FLOPs", "GPU-hours", "days", "cost", "predicted loss", "cost / MoE"}, {},
          {false, true, true, true, true, true, true, true}};
  bool all_cost = true;
  for (const auto& en : entries) {
    const Json& j = *en.j;
    all_cost = all_cost && number(j, "cost_usd").has_value();
    std::string loss = or_dash(number(j, "predicted_loss"), [](double v) { return fmt::format("{:.3f}", v); });
    if (number(j, "loss_low") && number(j, "loss_high"))
      loss += fmt::format(" ({:.3f}\u2013{:.3f})", *number(j, "loss_low"), *number(j, "loss_high"));
    t.rows.push_back({en.label, or_dash(number(j, "params"), count), or_dash(number(j, "training_flops"), sci),
                      or_dash(number(j, "gpu_hours"), count), or_dash(number(j, "wall_clock_days"), days),
                      or_dash(number(j, "cost_usd"), usd), loss,
                      or_dash(number(j, "cost_ratio_to_moe"), [](double v) { return fmt::format("{:.2f}\u00d7", v); })});
  }
  svg::BarChart b;
  b.id = "moe-vs-dense";
  b.title = all_cost ? "Training cost: MoE against dense equivalents" : "GPU-hours: MoE against dense equivalents";
  b.desc = fmt::format("{} and its dense equivalents trained on the same tokens and hardware", str(*moe, "model"));
  b.first.name = all_cost ? "cost" : "GPU-hours";
  for (const auto& en : entries) {
    b.labels.push_back(en.label);
    b.first.values.push_back(number_or_nan(*en.j, all_cost ? "cost_usd" : "gpu_hours"));
  }
  b.style = all_cost ? NumberStyle::usd : NumberStyle::plain;
  b.unit = all_cost ? "USD" : "GPU-hours";

  std::string body;
  body += para(fmt::format("Scaling-law pair: {}. {}", str(c, "law_pair"), str(c, "law_pair_reason")));
  body += html_table(t);
  body += figure(svg::bar_chart(b), b.title + ". Losses of different laws are not comparable; see notes.");
  std::vector<std::string> notes = strings(c, "notes");
  for (const auto& en : entries)
    for (const auto& n : strings(*en.j, "notes")) notes.push_back(en.label + ": " + n);
  body += list(notes);
  return section("moe-vs-dense-section", "MoE vs dense", body);
}

std::string hardware_section(const Json& h) {
  const Json* rows = child(h, "rows", true);
  if (!rows || rows->empty()) return "";
  Table t{"", {"accelerator", "precision", "GPUs", "fits", "days", "GPU-hours", "cost", "$/GPU-h (basis)", "energy", "MFU", "limit"},
          {}, {false, false, true, false, true, true, true, true, true, true, false}};
  svg::BarChart d, c;
  d.id = "hw-days";
  d.title = "Wall-clock days per accelerator";
  d.first.name = "days";
  d.unit = "days";
  c.id = "hw-cost";
  c.title = "Training cost per accelerator";
  c.first.name = "cost";
  c.style = NumberStyle::usd;
  c.unit = "USD (rental price in each profile, basis in the table)";
  std::vector<std::string> notes;
  for (const auto& r : *rows) {
    const std::string id = str(r, "hardware");
    const bool fits = r.contains("fits") && r["fits"].is_boolean() && r["fits"].get<bool>();
    t.rows.push_back({id, str(r, "precision"),
                      or_dash(number(r, "gpus"), [](double v) { return exact(static_cast<std::int64_t>(v)); }),
                      fits ? "yes" : "no", or_dash(number(r, "days"), days), or_dash(number(r, "gpu_hours"), count),
                      or_dash(number(r, "cost_usd"), usd), or_dash(number(r, "price_usd_per_gpu_hour"),
                              [&](double v) { return usd(v) + (str(r, "price_basis").empty() ? "" : " " + str(r, "price_basis")); }),
                      or_dash(number(r, "energy_mwh"), mwh), or_dash(number(r, "mfu"), percent),
                      str(r, "limit").empty() ? kDash : str(r, "limit")});
    d.labels.push_back(id);
    c.labels.push_back(id);
    d.first.values.push_back(fits ? number_or_nan(r, "days") : std::nan(""));
    c.first.values.push_back(fits ? number_or_nan(r, "cost_usd") : std::nan(""));
    for (const auto& n : strings(r, "notes")) notes.push_back(id + ": " + n);
  }
  d.desc = c.desc = fmt::format("{} on {} accelerator types, {} training tokens", str(h, "model"), rows->size(),
                                or_dash(number(h, "tokens"), count));
  if (const Json* ic = child(h, "interconnect", true))
    for (const auto& i : *ic) notes.push_back(str(i, "text"));
  for (const auto& n : strings(h, "notes")) notes.push_back(n);
  std::string body = html_table(t);
  body += figure(svg::bar_chart(d), "Wall-clock days per accelerator (n/a: does not fit).");
  body += figure(svg::bar_chart(c), "Training cost per accelerator (n/a: no rental price in the profile, or does not fit).");
  body += list(notes);
  return section("hardware", "Hardware", body);
}

std::string metric_value(const std::string& metric, double v) {
  if (metric == "mfu") return percent(v);
  if (metric == "tflops_per_gpu") return fmt::format("{:.0f} TFLOP/s", v);
  if (metric == "energy_mwh") return mwh(v);
  if (metric == "gpu_hours_per_trillion_tokens") return count(v) + " /1T tok";
  return count(v);
}

std::string summary_name(const std::string& key) {
  if (key == "hours_all") return "GPU-hours, all runs";
  if (key == "hours_dense") return "GPU-hours, dense";
  if (key == "hours_moe") return "GPU-hours, MoE";
  if (key == "mfu_all") return "MFU / TFLOPS benchmarks";
  if (key == "energy") return "energy (own power model)";
  if (key.rfind("hours_", 0) == 0) return "GPU-hours, " + key.substr(6);
  if (key.rfind("mfu_", 0) == 0) return "MFU / TFLOPS, " + key.substr(4);
  return key;
}

std::string validation_section(const Json& v) {
  const Json* runs = child(v, "runs", true);
  if (!runs) return "";
  svg::LogScatter s;
  s.id = "validation-scatter";
  s.title = "Predicted against published GPU-hours";
  s.x_label = "published GPU-hours";
  s.y_label = "predicted GPU-hours";
  Table compared{"Compared runs", {"run", "class", "hardware", "metric", "published", "predicted", "error"}, {},
                 {false, false, false, false, true, true, true}};
  Table skipped{"Not compared", {"run", "why not"}, {}, {}};
  for (const auto& r : *runs) {
    const std::string id = str(r, "id"), metric = str(r, "metric");
    if (r.contains("skipped") && r["skipped"].is_boolean() && r["skipped"].get<bool>()) {
      skipped.rows.push_back({id, str(r, "reason")});
      continue;
    }
    const auto pub = number(r, "published"), pred = number(r, "predicted"), err = number(r, "error");
    const bool points = str(r, "error_unit") == "percentage_points";
    compared.rows.push_back({id, str(r, "model_class"), str(r, "hardware"), metric,
                             pub ? metric_value(metric, *pub) : kDash, pred ? metric_value(metric, *pred) : kDash,
                             err ? (points ? fmt::format("{:+.1f} pt", *err) : signed_percent(*err)) : kDash});
    if (is_gpu_hours_metric(metric) && pub && pred)
      s.points.push_back({*pub, *pred, str(r, "model_class") == "moe" ? 1 : 0,
                          fmt::format("{} ({}, {}): published {}, predicted {}{}", id, str(r, "model_class"),
                                      str(r, "hardware"), metric_value(metric, *pub), metric_value(metric, *pred),
                                      err ? ", error " + signed_percent(*err) : "")});
  }
  s.desc = fmt::format("{} published runs, log-log, with the 1:1 line; circles dense, diamonds MoE", s.points.size());
  std::string body;
  if (!s.points.empty())
    body += figure(svg::log_scatter(s),
                   "Predicted against published GPU-hours, one point per run (runs that publish GPU-hours per trillion "
                   "tokens are plotted in those units); on the dashed line prediction equals publication.");
  if (const Json* sum = child(v, "summary")) {
    Table t{"Summary", {"group", "n", "median |error|", "max |error|", "within 10%", "within 25%"}, {},
            {false, true, true, true, true, true}};
    for (const auto& [key, g] : sum->items()) {
      if (!g.is_object()) continue;
      const bool pts = str(g, "unit") == "percentage_points";
      auto err = [&](double e) { return pts ? fmt::format("{:.1f} pt", e) : percent(e); };
      auto cnt = [](std::optional<double> n) { return n ? fmt::format("{:.0f}", *n) : std::string(); };
      t.rows.push_back({summary_name(key), cnt(number(g, "count")), or_dash(number(g, "median_abs_error"), err),
                        or_dash(number(g, "max_abs_error"), err), cnt(number(g, "within_10pct")),
                        cnt(number(g, "within_25pct"))});
    }
    body += html_table(t);
  }
  if (!compared.rows.empty()) body += html_table(compared);
  if (!skipped.rows.empty()) body += html_table(skipped);
  return section("validation", "Validation record", body);
}

const char* kCss = R"(body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111;max-width:62rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}
h2{font-size:1.25rem;border-bottom:1px solid #bbb;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:13px}
th,td{padding:.2rem .6rem;border-bottom:1px solid #e3e3e3;text-align:left;vertical-align:top}
th{border-bottom:1px solid #888}
.num{text-align:right;font-variant-numeric:tabular-nums}
caption{text-align:left;font-weight:600;padding:.3rem 0}
figure{margin:1rem 0}
figcaption{font-size:13px;color:#444}
svg.chart{max-width:100%;height:auto}
code{font-size:12px;word-break:break-all}
.meta,.small{color:#555;font-size:13px}
ul.notes li,ul.sources li{margin:.25rem 0}
@page{size:A4;margin:15mm}
@media print{body{margin:0;max-width:none;font-size:10pt}h2{break-after:avoid}figure{break-inside:avoid}tr{break-inside:avoid}td{overflow-wrap:anywhere}}
)";

}  // namespace

std::vector<double> cost_curve_token_counts(double tokens) {
  return {tokens / 4, tokens / 2, tokens, tokens * 2, tokens * 4};
}

std::string html_report(const HtmlReportInputs& in) {
  const Json& e = in.estimate;
  if (!e.is_object()) throw InputError("report: estimate must be the JSON object of `traincost estimate --format json`");
  if (const std::string s = str(e, "schema"); !s.empty() && s != "traincost.estimate.v1")
    throw InputError(fmt::format("report: estimate: schema is '{}'; expected 'traincost.estimate.v1'", s));
  for (const char* key : {"model", "hardware"})
    if (str(e, key).empty()) throw InputError(fmt::format("report: estimate: '{}' is missing or not a string", key));
  for (const char* key : {"tokens", "training_flops", "gpu_hours"})
    if (!number(e, key) || *number(e, key) <= 0)
      throw InputError(fmt::format("report: estimate: '{}' is missing or not a positive finite number", key));
  const Json* plan = optional_input(in.plan, "plan", "traincost.plan.v1");
  const Json* compare = optional_input(in.compare, "compare", "traincost.compare.v1");
  const Json* hw = optional_input(in.compare_hardware, "compare_hardware", "traincost.compare_hardware.v1");
  const Json* val = optional_input(in.validation, "validation", "traincost.validation.v1");

  const std::string gpus =
      number(e, "gpus") ? exact(static_cast<std::int64_t>(*number(e, "gpus"))) + " \u00d7 " : std::string();
  const std::string title = fmt::format("Training-cost report: {} on {}{}", str(e, "model"), gpus, str(e, "hardware"));
  std::string meta;
  if (!in.version.empty()) meta += "Generated by " + in.version;
  if (!in.date.empty()) meta += (meta.empty() ? "Generated " : ", ") + in.date;
  if (!meta.empty()) meta += ".";

  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += fmt::format("<title>{}</title>\n<style>\n{}</style>\n</head>\n<body>\n", escape(title), kCss);
  out += fmt::format("<header>\n<h1>{}</h1>\n", escape(title));
  out += para(meta, "meta");
  if (!in.command_line.empty()) out += fmt::format("<p class=\"meta\">Command: <code>{}</code></p>\n", escape(in.command_line));
  out += "</header>\n<main>\n";
  out += inputs_section(e);
  out += results_section(e, in.cost_vs_tokens);
  if (plan) out += plan_section(*plan);
  if (compare) out += compare_section(*compare);
  if (hw) out += hardware_section(*hw);
  if (val) out += validation_section(*val);
  out += sources_section(e, plan, compare, hw, val);
  out += "</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace traincost::report
