#include <stdexcept>

#include "commands.hpp"

namespace traincost::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> all{
      params_command(),   flops_command(),          estimate_command(), plan_command(),
      validate_command(), calibrate_command(),      check_command(),    compare_command(),
      budget_command(),   compare_hardware_command(), export_command(), hardware_list_command(),
      hardware_show_command(), models_command(), report_command(),
  };
  return all;
}

const Command* find_command(const std::string& group, const std::string& name) {
  for (const auto& c : commands())
    if (c.group == group && c.name == name) return &c;
  return nullptr;
}

std::string group_help(const std::string& group) {
  if (group == "hardware") return "Accelerator profiles";
  throw std::logic_error("no help for command group " + group);
}

void add_warnings(CommandResult& r, const ModelSpec& m) {
  for (const auto& w : m.warnings) r.notes.push_back("warning: " + m.name + ": " + w);
}

}  // namespace traincost::cli
