// traincost models: the model presets in models/.
#include "commands.hpp"
#include "traincost/model/loader.hpp"
#include "traincost/report/reports.hpp"

namespace traincost::cli {

namespace {

struct ModelsArgs {
  std::string format = "table";
};

void run(const ModelsArgs& a, CommandResult& r) {
  const Format f = parse_format(a.format);
  const auto presets = list_presets();
  emit(r, f, [&] { return report::models_list_json(presets); }, [&] { return report::models_list_text(presets); });
}

}  // namespace

Command models_command() {
  CommandDef<ModelsArgs> d;
  d.name = "models";
  d.help = "Model presets in models/";
  d.run = run;
  return make_command(d);
}

}  // namespace traincost::cli
