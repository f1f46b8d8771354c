// traincost check: is a claimed training cost plausible? Parses the options,
// predicts the same run (performance model with --gpus, else the default
// utilisation) and hands both to econ::check_claim.
#include <optional>
#include <string>

#include <fmt/format.h>

#include "commands.hpp"
#include "traincost/report/claim_report.hpp"
#include "model_input.hpp"
#include "traincost/cost/estimate.hpp"
#include "traincost/econ/claim.hpp"
#include "traincost/model/loader.hpp"
#include "traincost/perf/derive.hpp"
#include "traincost/util/error.hpp"

namespace traincost::cli {

namespace {

struct CheckArgs {
  std::string model;
  std::optional<nlohmann::json> model_config;
  std::string assume_family;
  std::string total_params, active_params, layers, experts, top_k;  // or a shape from counts
  std::string tokens, hardware, gpus, claimed_gpu_hours, claimed_cost_usd, claimed_days;
  std::string precision = "bf16", seq_len = "4096", batch, format = "table";
};

void run(const CheckArgs& a, CommandResult& res) {
  const Format format = parse_format(a.format);
  EstimateInputs in = parse_run_inputs(a.tokens, a.gpus, a.precision, a.seq_len, a.batch);
  econ::Claim claim;
  // Lower bounds keep every implied figure finite and printable: a claim of under one
  // GPU-hour, one minute or one cent is not a training run to check (1e-300 GPU-hours
  // implied "inf FLOP/s" and 1e-300 days a 300-digit percentage).
  claim.gpu_hours = parse_quantity("--claimed-gpu-hours", a.claimed_gpu_hours, 1.0, 1e12);
  if (!a.claimed_cost_usd.empty()) claim.cost_usd = parse_quantity("--claimed-cost-usd", a.claimed_cost_usd, 0.01, 1e13);
  if (!a.claimed_days.empty()) claim.days = parse_quantity("--claimed-days", a.claimed_days, 1.0 / 1440.0, 1e5);

  const Accelerator hw = load_hardware_option(a.hardware);
  const ModelInput input = resolve_model(a.model, a.model_config, counts_of(a), a.assume_family);
  const ModelSpec& model = input.spec;
  add_warnings(res, model);

  std::string fallback;
  {
    std::string why;
    in.derived = perf::derive_throughput(model, hw, in, "", std::nullopt, &why);
    if (!in.derived) {
      fallback = why;
      res.notes.push_back("note: " + why + "; using the default utilisation");
    }
  }
  const Estimate prediction = estimate(model, hw, in);
  const econ::ClaimConstants& c = econ::claim_constants();
  const econ::ErrorRange range = econ::load_error_range(c);
  const econ::ClaimCheck r = econ::check_claim(model, hw, in, prediction, claim, c, range, fallback);
  emit(res, format, [&] { return report::claim_json(r); }, [&] { return report::claim_text(r); });
  mark_derived_shape(res, input);
}

}  // namespace

Command check_command() {
  using A = CheckArgs;
  CommandDef<A> d;
  d.name = "check";
  d.help = "Check a claimed training cost: implied utilisation, prediction, verdict";
  d.options = {
      model_option<A>(),
      value("assume-family", &A::assume_family, kAssumeFamilyHelp),
      required("tokens", &A::tokens, "Training tokens, e.g. 14.8T"),
      file_or_id("hardware", &A::hardware, "Accelerator id or profile path"),
      value("gpus", &A::gpus, "Number of accelerators (for the prediction and the implied wall-clock)"),
      required("claimed-gpu-hours", &A::claimed_gpu_hours, "The claimed GPU-hours"),
      value("claimed-cost-usd", &A::claimed_cost_usd, "The claimed cost in USD"),
      value("claimed-days", &A::claimed_days, "The claimed wall-clock days"),
      value("precision", &A::precision, "bf16 (default), fp16, fp8"),
      value("seq-len", &A::seq_len, "Sequence length (default 4096)"),
      value("global-batch-tokens", &A::batch, kGlobalBatchHelp),
  };
  add_count_options(d.options);
  d.run = run;
  return make_command(d);
}

}  // namespace traincost::cli
