// traincost flops --model M: training FLOPs per token.
#include "commands.hpp"
#include "traincost/model/flops.hpp"
#include "traincost/report/reports.hpp"

namespace traincost::cli {

namespace {

struct FlopsArgs {
  std::string model;
  std::optional<nlohmann::json> model_config;
  std::string assume_family;
  std::string seq_len = "4096", attention = "causal", recompute = "none";
  bool no_mtp = false;
  std::string format = "table";
};

void run(const FlopsArgs& a, CommandResult& r) {
  const Format f = parse_format(a.format);
  const FlopOptions o = FlopArgs{a.seq_len, a.attention, a.recompute, a.no_mtp}.resolve();
  const ModelSpec m = load_model_input(a.model, a.model_config, a.assume_family);
  add_warnings(r, m);
  const FlopsPerToken fl = flops_per_token(m, o);
  emit(r, f, [&] { return report::flops_json(m, fl, o); }, [&] { return report::flops_text(m, fl, o); });
}

}  // namespace

Command flops_command() {
  using A = FlopsArgs;
  CommandDef<A> d;
  d.name = "flops";
  d.help = "Training FLOPs per token: matmul, attention, MTP, recomputation";
  d.options = {
      file_or_id("model", &A::model, "Preset name or path to a config JSON"),
      value("assume-family", &A::assume_family, kAssumeFamilyHelp),
      value("seq-len", &A::seq_len, "Sequence length in tokens (default 4096)"),
      value("attention", &A::attention, "causal (default, Megatron-LM) | full (PaLM convention)"),
      value("recompute", &A::recompute, "none | selective | moe | full (counted in hardware FLOPs only)"),
      flag("no-mtp", &A::no_mtp, "Leave DeepSeek-style MTP modules out of the FLOPs"),
  };
  d.run = run;
  return make_command(d);
}

}  // namespace traincost::cli
