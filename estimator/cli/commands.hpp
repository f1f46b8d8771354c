#pragma once
// Every command's declaration, one per file (cmd_*.cpp); registry.cpp lists
// them in `traincost --help` order. A new command: a cmd_x.cpp with its Args,
// its run function and its option table, plus one line in registry.cpp.
#include <string>
#include <vector>

#include "command.hpp"

namespace traincost::cli {

Command params_command();            // cmd_params.cpp
Command flops_command();             // cmd_flops.cpp
Command estimate_command();          // cmd_estimate.cpp
Command plan_command();              // cmd_plan.cpp
Command validate_command();          // cmd_validate.cpp
Command calibrate_command();         // cmd_calibrate.cpp
Command check_command();             // cmd_check.cpp
Command compare_command();           // cmd_compare.cpp
Command budget_command();            // cmd_budget.cpp
Command compare_hardware_command();  // cmd_compare_hardware.cpp
Command export_command();            // cmd_export.cpp
Command hardware_list_command();     // cmd_hardware.cpp
Command hardware_show_command();     // cmd_hardware.cpp
Command models_command();            // cmd_models.cpp
Command report_command();            // cmd_report.cpp

// The help line of a command group ("hardware").
std::string group_help(const std::string& group);

// The accelerators named by a comma-separated --hardware list, duplicates dropped (cmd_compare_hardware.cpp).
std::vector<Accelerator> load_hardware_list(const std::string& ids);

// Model warnings become "warning: NAME: ..." notes.
void add_warnings(CommandResult& r, const ModelSpec& m);

}  // namespace traincost::cli
