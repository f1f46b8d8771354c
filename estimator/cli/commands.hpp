#pragma once
// Subcommands implemented in their own files (main.cpp parses the options).
#include <string>
#include <vector>

#include "options.hpp"

namespace traincost::cli {

// traincost export --cap-tpp X | --cap NAME   (cmd_export.cpp)
struct ExportArgs {
  std::string cap_tpp;  // a number, e.g. 507e6
  std::string cap;      // a named cap, e.g. tier2-2025
  std::string format = "table";
};
int run_export(const ExportArgs& a);

// traincost check --model M --tokens T --hardware H [--gpus N] --claimed-gpu-hours X
//                 [--claimed-cost-usd Y] [--claimed-days Z]   (cmd_check.cpp)
struct CheckArgs {
  std::string model, tokens, hardware, gpus, claimed_gpu_hours, claimed_cost_usd, claimed_days;
  std::string precision = "bf16", seq_len = "4096", format = "table";
};
int run_check(const CheckArgs& a);

// traincost compare --model M --tokens T --hardware H [--gpus N]   (cmd_compare.cpp)
// MoE vs its dense equivalents: same active, same total, same predicted loss.
struct CompareArgs {
  std::string model, tokens, hardware, gpus, precision = "bf16", seq_len = "4096", format = "table";
};
int run_compare(const CompareArgs& a);

// traincost budget (--usd X | --gpu-hours X) --hardware H [--gpus N] [--days D]   (cmd_budget.cpp)
// traincost budget --model M --tokens T --days D [--hardware a,b,c] [--max-gpus N]: the cheapest hardware
struct BudgetArgs {
  std::string usd, gpu_hours, hardware, gpus, days, precision = "bf16", format = "table";
  std::string model, tokens, max_gpus, seq_len;  // the cheapest-hardware question
};
int run_budget(const BudgetArgs& a);

// traincost compare-hardware --model M --tokens T --hardware a,b,c [--gpus N | --days D]   (cmd_compare_hardware.cpp)
struct CompareHardwareArgs {
  std::string model, tokens, hardware, gpus, days, precision = "bf16", seq_len = "4096", format = "table";
};
int run_compare_hardware(const CompareHardwareArgs& a);
// The accelerators named by a comma-separated --hardware list (duplicates dropped).
std::vector<Accelerator> load_hardware_list(const std::string& ids);

}  // namespace traincost::cli
