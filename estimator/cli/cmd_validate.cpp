// traincost validate [--only ids] [--vtrain]: reproduce the published runs (or
// vTrain's measured single-node iterations) and show the error of each.
#include <sstream>

#include <fmt/format.h>

#include "commands.hpp"
#include "traincost/perf/constants.hpp"
#include "traincost/report/gemm_report.hpp"
#include "traincost/report/throughput_report.hpp"
#include "traincost/report/validation_report.hpp"
#include "traincost/util/error.hpp"
#include "traincost/validation/gemm_check.hpp"
#include "traincost/validation/published.hpp"
#include "traincost/validation/throughput.hpp"
#include "traincost/validation/validate.hpp"
#include "traincost/validation/vtrain.hpp"

namespace traincost::cli {

namespace {

struct ValidateArgs {
  std::string only;
  bool vtrain = false;
  bool gemm = false;
  bool throughput = false;
  bool no_search = false;
  std::string format = "table";
};

void run_vtrain(Format f, CommandResult& r) {
  const auto rows = validate_vtrain(perf::constants());
  const VtrainSummary s = summarize(rows);
  emit(
      r, f,
      [&] {
        nlohmann::ordered_json j{{"schema", "traincost.vtrain.v1"}, {"count", s.count}, {"median_abs_error", s.median_abs},
                                 {"mean_abs_error", s.mean_abs},     {"max_abs_error", s.max_abs},
                                 {"within_10pct", s.within_10},      {"within_25pct", s.within_25}};
        // One entry per CSV row, in file order, so a reader can study the error by shape.
        auto& out = j["rows"] = nlohmann::ordered_json::array();
        for (const auto& v : rows)
          out.push_back({{"gpus", v.gpus}, {"global_batch", v.global_batch}, {"micro_batch", v.micro_batch},
                         {"hidden", v.hidden}, {"heads", v.heads}, {"layers", v.layers}, {"seq_len", v.seq_len},
                         {"tp", v.tp}, {"dp", v.dp}, {"pp", v.pp}, {"measured_s", v.measured_s},
                         {"predicted_s", v.predicted_s}, {"error", v.error()}});
        return j;
      },
      [&] {
        return fmt::format(
            "vTrain single-node iteration times (8x A100, Megatron-DeepSpeed), {} configurations\n"
            "  median |error| {:.1f}%, mean {:.1f}%, max {:.1f}%, within 10%: {}, within 25%: {}\n"
            "  (vTrain's own profiling-based simulator: 8.37% mean absolute error on this set)\n",
            s.count, 100 * s.median_abs, 100 * s.mean_abs, 100 * s.max_abs, s.within_10, s.within_25);
      });
}

// The GEMM unit of the step-time model against GEMMs timed on real GPUs (validation/gemm/).
void run_gemm(Format f, CommandResult& r) {
  std::vector<GemmCheck> checks;
  for (const std::string& file : gemm_measurement_files())
    checks.push_back(check_gemms(load_gemm_measurements(file), perf::constants()));
  if (checks.empty()) throw InputError("validation/gemm/: no measurement files in the data directory");
  emit(r, f, [&] { return report::gemm_check_json(checks); }, [&] { return report::gemm_check_text(checks); });
}

// NVIDIA's measured Megatron-Bridge throughput with the published plans pinned, and the search against it.
void run_throughput(bool with_search, Format f, CommandResult& r) {
  const perf::Constants& c = perf::constants();
  auto rows = load_throughput_rows(throughput_rows_path());
  for (ThroughputRow& row : rows) evaluate_throughput_row(row, c);
  const auto groups = with_search ? search_groups(rows, c) : std::vector<SearchGroup>{};
  emit(r, f, [&] { return report::throughput_json(rows, groups); }, [&] { return report::throughput_text(rows, groups); });
}

void run(const ValidateArgs& a, CommandResult& r) {
  const Format f = parse_format(a.format);
  if (a.vtrain + a.gemm + a.throughput > 1) throw UsageError("--vtrain, --gemm and --throughput exclude each other: give one");
  if ((a.vtrain || a.gemm || a.throughput) && !a.only.empty())
    throw UsageError("--only: selects published runs; not with --vtrain, --gemm or --throughput");
  if (a.no_search && !a.throughput) throw UsageError("--no-search: goes with --throughput");
  if (a.vtrain) return run_vtrain(f, r);
  if (a.gemm) return run_gemm(f, r);
  if (a.throughput) return run_throughput(!a.no_search, f, r);
  auto runs = load_published_runs();
  if (!a.only.empty()) {
    std::vector<PublishedRun> picked;
    std::stringstream ss(a.only);
    std::string id;
    while (std::getline(ss, id, ',')) {
      if (id.empty()) throw UsageError(fmt::format("--only: '{}' has an empty run id; give ids separated by commas", a.only));
      picked.push_back(find_published_run(runs, id, "--only"));
    }
    runs = picked;
  }
  CommandProgress bar(r, "validate");
  const auto rows = validate_all(runs, perf::constants(), bar.callback());
  emit(r, f, [&] { return report::validation_json(rows); }, [&] { return report::validation_text(rows); });
}

}  // namespace

Command validate_command() {
  using A = ValidateArgs;
  CommandDef<A> d;
  d.name = "validate";
  d.help = "Reproduce every published run and show the error of each";
  d.options = {
      value("only", &A::only, "Comma-separated run ids (default: all)"),
      flag("vtrain", &A::vtrain, "Check step times against vTrain's 1,440 measured single-node iterations instead"),
      flag("gemm", &A::gemm, "Check the GEMM model against GEMMs timed on a real H100 and H200 instead (validation/gemm/)"),
      flag("throughput", &A::throughput,
           "Check tokens/s against NVIDIA's measured Megatron-Bridge rows (B200/B300/GB200/GB300) with their plans pinned, "
           "and the plan search against them, instead (validation/megatron-bridge/)"),
      flag("no-search", &A::no_search, "With --throughput: skip the per-group plan search"),
  };
  d.run = run;
  return make_command(d);
}

}  // namespace traincost::cli
