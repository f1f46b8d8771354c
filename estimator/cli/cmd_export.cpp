// traincost export --cap-tpp X | --cap NAME: how many of each accelerator fit
// under a cap on aggregate Total Processing Performance, and how long two
// reference pre-training runs would take on that many. Caps, rule texts and the
// reference runs come from constants/export_controls.json, with their sources.
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "commands.hpp"
#include "traincost/cost/constants.hpp"
#include "traincost/econ/export_control.hpp"
#include "traincost/model/loader.hpp"
#include "traincost/report/format.hpp"
#include "traincost/report/reports.hpp"
#include "traincost/util/error.hpp"
#include "traincost/util/json_nullable.hpp"

namespace traincost::cli {

namespace {

using report::Json;

struct ExportArgs {
  std::string cap_tpp;  // a number, e.g. 507e6
  std::string cap;      // a named cap, e.g. tier2-2025
  std::string format = "table";
};

constexpr double kMaxCapTpp = 1e15;  // a typo guard: 1e15 TPP is ~63 billion H100s

struct Cap {
  double tpp = 0;
  const econ::NamedCap* named = nullptr;
};

Cap resolve_cap(const ExportArgs& a, const econ::ExportRules& r) {
  const std::string known = fmt::format("{}", fmt::join(r.cap_names(), ", "));
  if (!a.cap.empty() && !a.cap_tpp.empty()) throw UsageError("--cap and --cap-tpp exclude each other: give one");
  if (!a.cap.empty()) {
    if (const econ::NamedCap* c = r.find_cap(a.cap)) return {c->tpp, c};
    throw UsageError(fmt::format("--cap: '{}' is not a known cap (known: {})", a.cap, known));
  }
  if (!a.cap_tpp.empty()) {
    const std::string allowed = fmt::format("expected a TPP in [1, {:g}], e.g. 507e6 or 507M", kMaxCapTpp);
    double v = 0;
    try {
      v = parse_quantity("--cap-tpp", a.cap_tpp, 0.0, kMaxCapTpp);
    } catch (const UsageError&) {
      throw UsageError(fmt::format("--cap-tpp: '{}' is not a number in range; {}", a.cap_tpp, allowed));
    }
    if (v < 1) throw UsageError(fmt::format("--cap-tpp: '{}' is out of range; {}", a.cap_tpp, allowed));
    return {v, nullptr};
  }
  throw UsageError(fmt::format("`traincost export` needs --cap-tpp X (a TPP, e.g. 507e6) or --cap NAME (known: {})", known));
}

std::string utilisation_text() {
  return fmt::format(
      "default utilisation: {:.1f}% of the 16-bit dense peak (Epoch AI median utilisation; an fp8 run gets the same "
      "achieved FLOP/s)",
      100.0 * defaults::kMfuBf16Equivalent);
}


Json to_json(const Cap& cap, const econ::CapTable& t, const econ::ExportRules& r) {
  Json j;
  j["schema"] = "traincost.export.v1";
  j["cap"] = cap.named ? Json(cap.named->name) : Json(nullptr);
  j["cap_tpp"] = cap.tpp;
  if (cap.named) {
    j["cap_description"] = cap.named->description;
    j["cap_source"] = Json{{"attributed_to", r.caps_attributed_to},
                           {"wording", cap.named->wording},
                           {"rule", r.caps_rule},
                           {"rule_status", r.caps_status},
                           {"verification", r.caps_verification}};
    j["cap_status"] = r.caps_statement;
  } else {
    j["cap_description"] = nullptr;
    j["cap_source"] = "given (--cap-tpp)";
    j["cap_status"] = nullptr;
  }
  j["utilisation"] = utilisation_text();
  Json runs = Json::array();
  for (const auto& run : r.reference_runs)
    runs.push_back(Json{{"model", run.model}, {"label", run.label}, {"tokens", run.tokens}, {"seq_len", run.seq_len},
                        {"precision_rule", run.precision_rule}, {"source", run.source}});
  j["reference_runs"] = runs;
  Json rows = Json::array();
  for (const auto& row : t.rows) {
    Json a;
    a["id"] = row.id;
    a["name"] = row.name;
    a["tpp"] = row.tpp;
    a["count_under_cap"] = row.count_under_cap;
    a["export_class_2023"] = row.assessment.class_2023.export_class;
    a["controlled_2022"] = row.assessment.controlled_2022 ? Json(*row.assessment.controlled_2022) : Json(nullptr);
    Json per_run;
    for (const auto& run : row.runs)
      per_run[run.model] = Json{{"precision", run.precision ? Json(to_string(*run.precision)) : Json(nullptr)},
                                {"wall_clock_days", nullable(run.wall_clock_days)},
                                {"gpu_hours", nullable(run.gpu_hours)},
                                {"reason", run.wall_clock_days ? Json(nullptr) : Json(run.reason)}};
    a["runs"] = per_run;
    rows.push_back(a);
  }
  j["accelerators"] = rows;
  Json skipped = Json::array();
  for (const auto& s : t.skipped) skipped.push_back(Json{{"id", s.id}, {"reason", s.reason}});
  j["skipped"] = skipped;
  j["rules_file"] = r.path;
  return j;
}

std::string to_text(const Cap& cap, const econ::CapTable& t, const econ::ExportRules& r) {
  std::string out;
  if (cap.named) {
    out += fmt::format("Accelerators under a cap of {} TPP ({}: {})\n", report::count(cap.tpp), cap.named->name,
                       cap.named->description);
    out += fmt::format("  source: {}: \"{}\"\n", r.caps_attributed_to, cap.named->wording);
    out += fmt::format("  status: {}\n", r.caps_statement);
    out += fmt::format("  caveat: {}\n", r.caps_verification);
  } else {
    out += fmt::format("Accelerators under a cap of {} TPP (given, --cap-tpp)\n", report::count(cap.tpp));
  }
  out += fmt::format("  days at the {}\n", utilisation_text());
  for (const auto& run : r.reference_runs)
    out += fmt::format("    {}: {} tokens, seq {}, {}\n", run.label, report::count(run.tokens), run.seq_len, run.precision_rule);
  out += "\n";

  std::vector<std::string> header{"id", "TPP", "class (Oct 2023)", "count under cap"};
  for (const auto& run : r.reference_runs) header.push_back(run.label + " days");
  std::vector<std::vector<std::string>> rows{header};
  std::vector<std::string> reasons;
  for (const auto& row : t.rows) {
    std::vector<std::string> line{row.id, fmt::format("{:.0f}", row.tpp), row.assessment.class_2023.export_class,
                                  report::exact(row.count_under_cap)};
    for (std::size_t i = 0; i < row.runs.size(); ++i) {
      const auto& run = row.runs[i];
      if (run.wall_clock_days) {
        line.push_back(fmt::format("{:.1f}", *run.wall_clock_days));
      } else {
        line.push_back("-");
        reasons.push_back(fmt::format("  {} / {}: {}", row.id, r.reference_runs[i].label, run.reason));
      }
    }
    rows.push_back(line);
  }
  std::vector<bool> right{false, true, false, true};
  right.resize(header.size(), true);
  out += report::table(rows, right);
  if (!reasons.empty()) out += "\nNo days ('-'):\n" + fmt::format("{}\n", fmt::join(reasons, "\n"));
  if (!t.skipped.empty()) {
    out += "\nNot listed (TPP unknown):\n";
    for (const auto& s : t.skipped) out += fmt::format("  {}: {}\n", s.id, s.reason);
  }
  out += "\ncount under cap = floor(cap / TPP); TPP, classes, caps and runs: constants/export_controls.json\n";
  return out;
}

void run(const ExportArgs& a, CommandResult& res) {
  const Format format = parse_format(a.format);
  const econ::ExportRules& rules = econ::export_rules();
  const Cap cap = resolve_cap(a, rules);
  std::vector<ModelSpec> models;
  for (const auto& run : rules.reference_runs) models.push_back(load_model(run.model));
  const econ::CapTable t = econ::accelerators_under_cap(cap.tpp, load_all_accelerators(), models, rules);
  emit(res, format, [&] { return to_json(cap, t, rules); }, [&] { return to_text(cap, t, rules); });
}

}  // namespace

Command export_command() {
  using A = ExportArgs;
    CommandDef<A> d;
  d.name = "export";
  d.help = "Export controls: accelerators under a TPP cap and what they can train";
  d.options = {
      value("cap-tpp", &A::cap_tpp, "A cap in Total Processing Performance, e.g. 507e6"),
      value("cap", &A::cap, "A named cap (see the README)"),
  };
  d.excludes = {{"cap-tpp", "cap"}};
  d.run = run;
  return make_command(d);
}

}  // namespace traincost::cli
