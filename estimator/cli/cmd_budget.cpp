// traincost budget answers two questions:
//   (--usd X | --gpu-hours X) --hardware H [--gpus N] [--days D]: the largest
//     compute-optimal dense model and an MoE of a fixed shape family that the
//     budget buys (econ/budget.hpp; shapes in constants/budget.json);
//   --model M --tokens T --days D [--hardware a,b,c] [--max-gpus N]: the cheapest
//     accelerator for a model and a deadline (econ/cheapest.hpp).
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "commands.hpp"
#include "traincost/econ/budget.hpp"
#include "traincost/econ/cheapest.hpp"
#include "traincost/model/loader.hpp"
#include "traincost/report/budget_report.hpp"
#include "traincost/report/cheapest_report.hpp"
#include "traincost/util/error.hpp"

namespace traincost::cli {

namespace {

struct BudgetArgs {
  std::string usd, gpu_hours, hardware, gpus, days, precision = "bf16", format = "table";
  std::string model;  // the cheapest-hardware question
  std::optional<nlohmann::json> model_config;
  std::string assume_family;
  std::string tokens, max_gpus, seq_len;
};

// --model M --tokens T --days D [--hardware a,b,c] [--max-gpus N] [--precision P] [--seq-len S]
void run_cheapest(const BudgetArgs& a, Format format, CommandResult& res) {
  if (!a.usd.empty() || !a.gpu_hours.empty())
    throw UsageError(fmt::format("{}: not with --model. --model --tokens --days asks for the cheapest hardware that meets the "
                                 "deadline; --usd/--gpu-hours ask what a budget buys (no --model): give one question",
                                 a.usd.empty() ? "--gpu-hours" : "--usd"));
  if (!a.gpus.empty())
    throw UsageError("--gpus: not with --model: each cluster is sized to meet --days (cap it with --max-gpus N)");
  if (a.tokens.empty()) throw UsageError("--tokens: required with --model (training tokens, e.g. 15T)");
  if (a.days.empty()) throw UsageError("--days: required with --model (the deadline in days, e.g. 60)");
  const econ::HwCompareConstants& c = econ::hardware_compare_constants();
  econ::CheapestInputs in;
  in.tokens = parse_quantity("--tokens", a.tokens, 1.0, 1e16);
  in.deadline_days = parse_positive("--days", a.days, 1e5, "60");
  in.precision = parse_precision(a.precision);
  if (!a.seq_len.empty()) in.seq_len = parse_count("--seq-len", a.seq_len, 1, 100'000'000);
  check_tokens_cover_step(in.tokens, in.seq_len);
  if (!a.max_gpus.empty()) in.max_gpus = parse_count("--max-gpus", a.max_gpus, 1, c.max_cluster_gpus);
  // Default: every profile. The ones without a price or the facts the performance model
  // needs are listed as not ranked, with the missing fact.
  const std::vector<Accelerator> hardware = a.hardware.empty() ? load_all_accelerators() : load_hardware_list(a.hardware);
  const ModelSpec model = load_model_input(a.model, a.model_config, a.assume_family);
  add_warnings(res, model);
  const econ::CheapestResult r = econ::cheapest_hardware(model, hardware, in, c);
  emit(res, format, [&] { return report::cheapest_json(r, c); }, [&] { return report::cheapest_text(r); });
}

void run(const BudgetArgs& a, CommandResult& res) {
  const Format format = parse_format(a.format);
  if (!a.model.empty() || a.model_config) return run_cheapest(a, format, res);
  for (const auto& [name, value] : {std::pair{"--tokens", &a.tokens}, {"--max-gpus", &a.max_gpus}, {"--seq-len", &a.seq_len}})
    if (!value->empty())
      throw UsageError(fmt::format("{}: only with --model (the cheapest hardware for a model and a deadline)", name));
  if (!a.usd.empty() && !a.gpu_hours.empty()) throw UsageError("--usd and --gpu-hours exclude each other: give one");
  if (a.usd.empty() && a.gpu_hours.empty())
    throw UsageError("budget: give --usd or --gpu-hours (what a budget buys), or --model, --tokens and --days (the "
                     "cheapest hardware for a deadline)");
  if (a.hardware.empty()) throw UsageError("--hardware: required with --usd or --gpu-hours (one accelerator id)");
  econ::BudgetInputs in;
  in.precision = parse_precision(a.precision);
  if (!a.gpus.empty()) in.gpus = parse_count("--gpus", a.gpus, 1, 10'000'000);
  if (!a.days.empty()) in.deadline_days = parse_positive("--days", a.days, 1e5, "60");
  const Accelerator hw = load_hardware_option(a.hardware);
  if (!a.usd.empty()) {
    in.usd = parse_positive("--usd", a.usd, 1e13, "5e6 or 5M", 1.0);
    if (!hw.rental)
      throw UsageError(fmt::format("--usd: {} has no rental price in its profile to turn dollars into GPU-hours; "
                                   "give the budget as --gpu-hours (dollars / your price per GPU-hour)",
                                   hw.id));
    in.gpu_hours = *in.usd / hw.rental->usd_per_gpu_hour;
  } else {
    in.gpu_hours = parse_positive("--gpu-hours", a.gpu_hours, 1e12, "2.788e6 or 2.788M", 1.0);
  }
  const econ::BudgetConstants& c = econ::budget_constants();
  const econ::BudgetResult r = econ::plan_budget(hw, in, c);
  emit(res, format, [&] { return report::budget_json(r, c); }, [&] { return report::budget_text(r, c); });
}

}  // namespace

Command budget_command() {
  using A = BudgetArgs;
  CommandDef<A> d;
  d.name = "budget";
  d.help = "What a budget buys (--usd | --gpu-hours), or the cheapest hardware for a model and a deadline (--model --tokens --days)";
  Option<A> model = value("model", &A::model, "With --tokens and --days: preset name or config path; ranks the accelerators by cost");
  model.local_path = true;
  Option<A> hardware = value("hardware", &A::hardware,
                             "Accelerator id or profile path (with --usd/--gpu-hours); with --model, a comma-separated list (default: all)");
  hardware.local_path = true;
  d.options = {
      value("usd", &A::usd, "Budget in USD"),
      value("gpu-hours", &A::gpu_hours, "Budget in GPU-hours"),
      hardware,
      value("gpus", &A::gpus, "Number of accelerators"),
      value("days", &A::days, "Deadline in days"),
      value("precision", &A::precision, "bf16 (default), fp16, fp8"),
      model,
      value("assume-family", &A::assume_family, kAssumeFamilyHelp),
      value("tokens", &A::tokens, "With --model: training tokens, e.g. 15T"),
      value("max-gpus", &A::max_gpus, "With --model: the largest cluster to consider"),
      value("seq-len", &A::seq_len, "With --model: sequence length (default 4096)"),
  };
  d.excludes = {{"usd", "gpu-hours"}};
  d.run = run;
  return make_command(d);
}

}  // namespace traincost::cli
