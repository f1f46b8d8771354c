// traincost compare: an MoE model against its dense equivalents (same active,
// same total, same predicted loss), each costed by the estimator, with the
// loss laws, their regimes and the compute-optimal allocation of the MoE's
// FLOPs. Parses the options and hands everything to econ::compare.
#include <string>

#include "commands.hpp"
#include "traincost/cost/constants.hpp"
#include "traincost/cost/estimate.hpp"
#include "traincost/econ/compare.hpp"
#include "traincost/econ/scaling_laws.hpp"
#include "traincost/model/loader.hpp"
#include "traincost/util/error.hpp"

namespace traincost::cli {

namespace {

struct CompareArgs {
  std::string model;
  std::optional<nlohmann::json> model_config;
  std::string tokens, hardware, gpus, precision = "bf16", seq_len = "4096", format = "table";
};

void run(const CompareArgs& a, CommandResult& r) {
  const Format format = parse_format(a.format);
  EstimateInputs in;
  in.tokens = parse_quantity("--tokens", a.tokens, 1.0, 1e16);
  if (!a.gpus.empty()) in.gpus = parse_count("--gpus", a.gpus, 1, 10'000'000);
  in.precision = parse_precision(a.precision);
  in.flops.seq_len = parse_count("--seq-len", a.seq_len, 1, 100'000'000);
  in.pue = defaults::kPue;
  in.grid_kgco2_per_kwh = defaults::kGridKgCo2PerKwh;

  const Accelerator hw = load_hardware_option(a.hardware);
  const ModelSpec model = load_model_input(a.model, a.model_config);
  add_warnings(r, model);
  (void)econ::moe_shape(model);  // a dense model is a usage error, before any work

  const econ::Comparison c = econ::compare(model, hw, in, econ::scaling_laws());
  emit(r, format, [&] { return econ::comparison_json(c); }, [&] { return econ::comparison_text(c); });
}

}  // namespace

Command compare_command() {
  using A = CompareArgs;
  CommandDef<A> d;
  d.name = "compare";
  d.help = "MoE vs its dense equivalents (same active, same total, same predicted loss)";
  d.options = {
      file_or_id("model", &A::model, "Preset name or path to a config JSON (an MoE model)"),
      required("tokens", &A::tokens, "Training tokens, e.g. 14.8T"),
      file_or_id("hardware", &A::hardware, "Accelerator id or profile path"),
      value("gpus", &A::gpus, "Number of accelerators"),
      value("precision", &A::precision, "bf16 (default), fp16, fp8"),
      value("seq-len", &A::seq_len, "Sequence length (default 4096)"),
  };
  d.run = run;
  return make_command(d);
}

}  // namespace traincost::cli
