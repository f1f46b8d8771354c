// traincost check: is a claimed training cost plausible? Parses the options,
// predicts the same run (performance model with --gpus, else the default
// utilisation) and hands both to econ::check_claim.
#include <iostream>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "commands.hpp"
#include "traincost/cost/constants.hpp"
#include "traincost/cost/estimate.hpp"
#include "traincost/econ/claim.hpp"
#include "traincost/model/loader.hpp"
#include "traincost/perf/derive.hpp"
#include "traincost/util/error.hpp"

namespace traincost::cli {

int run_check(const CheckArgs& a) {
  const Format format = parse_format(a.format);
  EstimateInputs in;
  in.tokens = parse_quantity("--tokens", a.tokens, 1.0, 1e16);
  if (!a.gpus.empty()) in.gpus = parse_count("--gpus", a.gpus, 1, 10'000'000);
  in.precision = parse_precision(a.precision);
  in.flops.seq_len = parse_count("--seq-len", a.seq_len, 1, 100'000'000);
  in.pue = defaults::kPue;
  in.grid_kgco2_per_kwh = defaults::kGridKgCo2PerKwh;
  econ::Claim claim;
  claim.gpu_hours = parse_positive("--claimed-gpu-hours", a.claimed_gpu_hours, 1e12, "2.788e6 or 2.788M");
  if (!a.claimed_cost_usd.empty()) claim.cost_usd = parse_positive("--claimed-cost-usd", a.claimed_cost_usd, 1e13, "5.576e6 or 5.576M");
  if (!a.claimed_days.empty()) claim.days = parse_positive("--claimed-days", a.claimed_days, 1e5, "56.7");

  const Accelerator hw = load_hardware_option(a.hardware);
  const ModelSpec model = load_model(a.model);
  for (const auto& w : model.warnings) std::cerr << "traincost: warning: " << model.name << ": " << w << "\n";

  std::string fallback;
  if (in.gpus) {
    std::string why;
    in.derived = perf::derive_throughput(model, hw, in, "", std::nullopt, &why);
    if (!in.derived) {
      fallback = why;
      std::cerr << "traincost: note: " << why << "; using the default utilisation\n";
    }
  }
  const Estimate prediction = estimate(model, hw, in);
  const econ::ClaimConstants& c = econ::claim_constants();
  const econ::ErrorRange range = econ::load_error_range(c);
  const econ::ClaimCheck r = econ::check_claim(model, hw, in, prediction, claim, c, range, fallback);
  if (format == Format::json)
    std::cout << econ::claim_json(r).dump(2) << "\n";
  else
    std::cout << econ::claim_text(r);
  return 0;
}

}  // namespace traincost::cli
