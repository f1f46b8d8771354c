// traincost budget (--usd X | --gpu-hours X) --hardware H [--gpus N] [--days D]:
// the largest compute-optimal dense model and an MoE of a fixed shape family
// that the budget buys (econ/budget.hpp; law and shapes in constants/budget.json).
#include <iostream>
#include <string>

#include <fmt/format.h>

#include "commands.hpp"
#include "traincost/econ/budget.hpp"
#include "traincost/util/error.hpp"

namespace traincost::cli {

int run_budget(const BudgetArgs& a) {
  const Format format = parse_format(a.format);
  if (!a.usd.empty() && !a.gpu_hours.empty()) throw UsageError("--usd and --gpu-hours exclude each other: give one");
  if (a.usd.empty() && a.gpu_hours.empty()) throw UsageError("budget: give --usd or --gpu-hours");
  econ::BudgetInputs in;
  in.precision = parse_precision(a.precision);
  if (!a.gpus.empty()) in.gpus = parse_count("--gpus", a.gpus, 1, 10'000'000);
  if (!a.days.empty()) in.deadline_days = parse_positive("--days", a.days, 1e5, "60");
  const Accelerator hw = load_hardware_option(a.hardware);
  if (!a.usd.empty()) {
    in.usd = parse_positive("--usd", a.usd, 1e13, "5e6 or 5M");
    if (!hw.rental)
      throw UsageError(fmt::format("--usd: {} has no rental price in its profile to turn dollars into GPU-hours; "
                                   "give the budget as --gpu-hours (dollars / your price per GPU-hour)",
                                   hw.id));
    in.gpu_hours = *in.usd / hw.rental->usd_per_gpu_hour;
  } else {
    in.gpu_hours = parse_positive("--gpu-hours", a.gpu_hours, 1e12, "2.788e6 or 2.788M");
  }
  const econ::BudgetConstants& c = econ::budget_constants();
  const econ::BudgetResult r = econ::plan_budget(hw, in, c);
  if (format == Format::json)
    std::cout << econ::budget_json(r, c).dump(2) << "\n";
  else
    std::cout << econ::budget_text(r, c);
  return 0;
}

}  // namespace traincost::cli
