// traincost report --model M --hardware H --gpus N --tokens T [...] --out FILE:
// one self-contained HTML file (inline SVG charts, no script) with the
// estimate, the best plan, MoE vs dense, a hardware comparison, the cost
// against the token budget and the validation record. Every section is the
// JSON another command prints for the same inputs (run through the same
// command table the web API uses), rendered by report/html_report.hpp.
#include <cmath>
#include <cstring>
#include <ctime>
#include <fstream>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "commands.hpp"
#include "traincost/report/html_report.hpp"
#include "traincost/util/error.hpp"
#include "traincost/util/json_fields.hpp"

namespace traincost::cli {

namespace {

struct ReportArgs {
  std::string model;
  std::optional<nlohmann::json> model_config;
  std::string assume_family;
  std::string hardware, gpus, tokens, seq_len = "4096", precision = "bf16", price, pue, grid;
  std::string compare_hardware = "h100-sxm,h800,h20,b200,mi300x";
  std::string samples = "2000", out;
  bool no_validation = false;
  std::string format = "table";
};

// Another command's --format json output for a JSON body, exactly as the web API runs it.
nlohmann::ordered_json run_command(const std::string& name, const nlohmann::json& body) {
  const Command* c = find_command("", name);
  if (!c) throw std::logic_error("report: no command " + name);
  CommandResult r;
  c->run_json(body, r);
  if (r.exit_code != 0) throw UsageError(fmt::format("{}: {}", name, r.error));
  return r.json;
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
  return buf;
}

void run(const ReportArgs& a, CommandResult& res) {
  if (a.out.empty()) throw UsageError("--out: required (the HTML file to write, e.g. report.html)");
  if (a.compare_hardware.find_first_not_of(", \t") == std::string::npos)
    throw UsageError(fmt::format("--compare-hardware: '{}' names no accelerator; give ids separated by commas, e.g. "
                                 "h100-sxm,b200", a.compare_hardware));
  const Format format = parse_format(a.format);
  // The common body. A model given as a file path travels inline, as the web API takes it.
  nlohmann::json base;
  if (a.model_config) {
    base["model_config"] = *a.model_config;
  } else if (looks_like_path(a.model)) {
    try {
      base["model_config"] = read_json_object_file(a.model);
    } catch (const InputError& e) {  // as estimate names it: the file is --model's
      throw InputError(std::string("--model: ") + e.what());
    }
  } else {
    base["model"] = a.model;
  }
  // estimate, plan, compare and compare-hardware all take it.
  if (!a.assume_family.empty()) base["assume_family"] = a.assume_family;
  base["hardware"] = a.hardware;
  base["tokens"] = a.tokens;
  base["gpus"] = a.gpus;
  base["seq_len"] = a.seq_len;
  base["precision"] = a.precision;

  CommandProgress bar(res, "report");
  const ProgressFn tick = bar.callback();
  int done = 0;
  auto step = [&] {  // 10 steps: estimate, plan, compare, hardware, validation, 5 cost points
    if (tick) tick(++done / 10.0);
  };

  report::HtmlReportInputs in;
  nlohmann::json est = base;
  est["samples"] = a.samples;
  for (const auto& [key, value] : {std::pair{"price_per_gpu_hour", &a.price}, {"pue", &a.pue}, {"grid_kgco2_per_kwh", &a.grid}})
    if (!value->empty()) est[key] = *value;
  in.estimate = run_command("estimate", est);
  step();
  in.plan = run_command("plan", base);
  step();
  try {
    in.compare = run_command("compare", base);
  } catch (const UsageError&) {
    // compare answers for MoE models only; a dense model's report has no MoE section.
  }
  step();
  nlohmann::json hw = base;
  std::string list = a.compare_hardware;
  if (("," + list + ",").find("," + a.hardware + ",") == std::string::npos) list = a.hardware + "," + list;
  hw["hardware"] = list;
  try {
    in.compare_hardware = run_command("compare-hardware", hw);
  } catch (const UsageError& e) {
    // --hardware itself passed estimate above: an id compare-hardware refuses came from the list.
    const std::string what = e.what();
    if (what.rfind("--hardware", 0) == 0) throw UsageError("--compare-hardware" + what.substr(std::strlen("--hardware")));
    throw;
  }
  step();
  if (!a.no_validation) in.validation = run_command("validate", nlohmann::json::object());
  step();
  nlohmann::json point = est;
  point.erase("samples");
  const double seq_len = in.estimate["seq_len"].get<double>();
  for (double t : report::cost_curve_token_counts(in.estimate["tokens"].get<double>())) {
    // Points that estimate would refuse (under one sequence, over 1e16 tokens) are left off the curve.
    if (t < seq_len || t > 1e16) {
      step();
      continue;
    }
    point["tokens"] = t;
    const auto e = run_command("estimate", point);
    in.cost_vs_tokens.push_back({t, e["cost_usd"].is_number() ? e["cost_usd"].get<double>() : std::nan(""),
                                 e["gpu_hours"].get<double>()});
    step();
  }
  in.version = "traincost 0.1.0";
  in.date = utc_now();
  in.command_line = fmt::format("traincost report --model {} --hardware {} --gpus {} --tokens {} --precision {} --seq-len {}",
                                a.model_config ? "(inline config)" : a.model, a.hardware, a.gpus, a.tokens, a.precision,
                                a.seq_len);
  const std::string html = report::html_report(in);
  std::ofstream file(a.out, std::ios::binary);
  if (!(file << html) || !file.flush()) throw UsageError(fmt::format("--out: cannot write '{}'", a.out));
  const nlohmann::ordered_json summary{{"schema", "traincost.report.v1"}, {"out", a.out}, {"bytes", html.size()},
                                       {"sections", {{"plan", true}, {"compare", in.compare.has_value()},
                                                     {"compare_hardware", true}, {"validation", in.validation.has_value()},
                                                     {"cost_vs_tokens", in.cost_vs_tokens.size()}}}};
  emit(res, format, [&] { return summary; },
       [&] { return fmt::format("Wrote {} ({:.1f} KB): estimate, plan{}, hardware, cost vs tokens{}\n", a.out,
                                static_cast<double>(html.size()) / 1024.0, in.compare ? ", MoE vs dense" : "",
                                in.validation ? ", validation record" : ""); });
}

}  // namespace

Command report_command() {
  using A = ReportArgs;
  CommandDef<A> d;
  d.name = "report";
  d.help = "Write one self-contained HTML report (inline SVG charts, no script): estimate, plan, MoE vs dense, hardware, validation";
  d.options = {
      file_or_id("model", &A::model, "Preset name or path to a config JSON"),
      value("assume-family", &A::assume_family, kAssumeFamilyHelp),
      required("hardware", &A::hardware, "Accelerator id (see `traincost hardware list`)"),
      required("gpus", &A::gpus, "Number of accelerators"),
      required("tokens", &A::tokens, "Training tokens, e.g. 14.8T"),
      value("seq-len", &A::seq_len, "Sequence length (default 4096)"),
      value("precision", &A::precision, "bf16 (default), fp16, fp8"),
      value("price-per-gpu-hour", &A::price, "USD per GPU-hour (default: the profile's rental price)"),
      value("pue", &A::pue, "Data-centre PUE in [1, 3] (default 1.25)"),
      value("grid-kgco2-per-kwh", &A::grid, "Grid carbon intensity (default 0.429)"),
      value("compare-hardware", &A::compare_hardware, "Accelerators for the hardware section (default h100-sxm,h800,h20,b200,mi300x)"),
      value("samples", &A::samples, "Monte Carlo samples for the ranges (default 2000)"),
      flag("no-validation", &A::no_validation, "Leave out the validation record (it takes a few seconds)"),
      required("out", &A::out, "The HTML file to write"),
  };
  d.run = run;
  return make_command(d);
}

}  // namespace traincost::cli
