#pragma once
// Subcommands implemented in their own files (main.cpp parses the options).
#include <string>

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

}  // namespace traincost::cli
