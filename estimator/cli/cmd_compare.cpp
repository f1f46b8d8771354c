// traincost compare: an MoE model against its dense equivalents (same active,
// same total, same predicted loss), each costed by the estimator, with the
// loss laws, their regimes and the compute-optimal allocation of the MoE's
// FLOPs. Parses the options and hands everything to econ::compare.
#include <string>

#include "commands.hpp"
#include "traincost/report/compare_report.hpp"
#include "model_input.hpp"
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
  std::string assume_family;
  std::string total_params, active_params, layers, experts, top_k;  // or a shape from counts
  std::string tokens, hardware, gpus, precision = "bf16", seq_len = "4096", batch, format = "table";
};

void run(const CompareArgs& a, CommandResult& r) {
  const Format format = parse_format(a.format);
  const EstimateInputs in = parse_run_inputs(a.tokens, a.gpus, a.precision, a.seq_len, a.batch);

  const Accelerator hw = load_hardware_option(a.hardware);
  const ModelInput input = resolve_model(a.model, a.model_config, counts_of(a), a.assume_family);
  const ModelSpec& model = input.spec;
  add_warnings(r, model);
  (void)econ::moe_shape(model);  // a dense model is a usage error, before any work

  const econ::Comparison c = econ::compare(model, hw, in, econ::scaling_laws());
  emit(r, format, [&] { return report::comparison_json(c); }, [&] { return report::comparison_text(c); });
  mark_derived_shape(r, input);
}

}  // namespace

Command compare_command() {
  using A = CompareArgs;
  CommandDef<A> d;
  d.name = "compare";
  d.help = "MoE vs its dense equivalents (same active, same total, same predicted loss)";
  d.options = {
      model_option<A>(),
      value("assume-family", &A::assume_family, kAssumeFamilyHelp),
      required("tokens", &A::tokens, "Training tokens, e.g. 14.8T"),
      file_or_id("hardware", &A::hardware, "Accelerator id or profile path"),
      value("gpus", &A::gpus, "Number of accelerators"),
      value("precision", &A::precision, "bf16 (default), fp16, fp8"),
      value("seq-len", &A::seq_len, "Sequence length (default 4096)"),
      value("global-batch-tokens", &A::batch, kGlobalBatchHelp),
  };
  add_count_options(d.options);
  d.run = run;
  return make_command(d);
}

}  // namespace traincost::cli
