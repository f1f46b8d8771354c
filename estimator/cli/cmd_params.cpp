// traincost params --model M: total and active parameters with a breakdown.
#include "commands.hpp"
#include "traincost/model/params.hpp"
#include "traincost/report/reports.hpp"

namespace traincost::cli {

namespace {

struct ParamsArgs {
  std::string model;
  std::optional<nlohmann::json> model_config;
  std::string assume_family;
  std::string format = "table";
};

void run(const ParamsArgs& a, CommandResult& r) {
  const Format f = parse_format(a.format);
  const ModelSpec m = load_model_input(a.model, a.model_config, a.assume_family);
  add_warnings(r, m);
  const ParamBreakdown p = count_params(m);
  emit(r, f, [&] { return report::params_json(m, p); }, [&] { return report::params_text(m, p); });
}

}  // namespace

Command params_command() {
  using A = ParamsArgs;
  CommandDef<A> d;
  d.name = "params";
  d.help = "Total and active parameters with a per-component breakdown";
  d.options = {file_or_id("model", &A::model, "Preset name (see `traincost models`) or path to a config JSON"),
      value("assume-family", &A::assume_family, kAssumeFamilyHelp)};
  d.run = run;
  return make_command(d);
}

}  // namespace traincost::cli
