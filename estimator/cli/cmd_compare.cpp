// traincost compare: an MoE model against its dense equivalents (same active,
// same total, same predicted loss), each costed by the estimator, with the
// loss laws, their regimes and the compute-optimal allocation of the MoE's
// FLOPs. Parses the options and hands everything to econ::compare.
#include <iostream>
#include <string>

#include "commands.hpp"
#include "traincost/cost/constants.hpp"
#include "traincost/cost/estimate.hpp"
#include "traincost/econ/compare.hpp"
#include "traincost/econ/scaling_laws.hpp"
#include "traincost/model/loader.hpp"
#include "traincost/util/error.hpp"

namespace traincost::cli {

int run_compare(const CompareArgs& a) {
  const Format format = parse_format(a.format);
  EstimateInputs in;
  in.tokens = parse_quantity("--tokens", a.tokens, 1.0, 1e16);
  if (!a.gpus.empty()) in.gpus = parse_count("--gpus", a.gpus, 1, 10'000'000);
  in.precision = parse_precision(a.precision);
  in.flops.seq_len = parse_count("--seq-len", a.seq_len, 1, 100'000'000);
  in.pue = defaults::kPue;
  in.grid_kgco2_per_kwh = defaults::kGridKgCo2PerKwh;

  const Accelerator hw = load_hardware_option(a.hardware);
  const ModelSpec model = load_model(a.model);
  for (const auto& w : model.warnings) std::cerr << "traincost: warning: " << model.name << ": " << w << "\n";
  (void)econ::moe_shape(model);  // a dense model is a usage error, before any work

  const econ::Comparison c = econ::compare(model, hw, in, econ::scaling_laws());
  if (format == Format::json)
    std::cout << econ::comparison_json(c).dump(2) << "\n";
  else
    std::cout << econ::comparison_text(c);
  return 0;
}

}  // namespace traincost::cli
