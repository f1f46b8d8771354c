// traincost budget (--usd X | --gpu-hours X) --hardware H [--gpus N] [--days D]:
// the largest compute-optimal dense model and an MoE of a fixed shape family
// that the budget buys (econ/budget.hpp; law and shapes in constants/budget.json).
#include <string>

#include <fmt/format.h>

#include "commands.hpp"
#include "traincost/econ/budget.hpp"
#include "traincost/util/error.hpp"

namespace traincost::cli {

namespace {

struct BudgetArgs {
  std::string usd, gpu_hours, hardware, gpus, days, precision = "bf16", format = "table";
};

void run(const BudgetArgs& a, CommandResult& res) {
  if (a.usd.empty() && a.gpu_hours.empty()) throw UsageError("budget: give --usd or --gpu-hours");
  const Format format = parse_format(a.format);
  if (!a.usd.empty() && !a.gpu_hours.empty()) throw UsageError("--usd and --gpu-hours exclude each other: give one");
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
  emit(res, format, [&] { return econ::budget_json(r, c); }, [&] { return econ::budget_text(r, c); });
}

}  // namespace

Command budget_command() {
  using A = BudgetArgs;
  CommandDef<A> d;
  d.name = "budget";
  d.help = "The largest compute-optimal dense and MoE models a budget buys";
  d.options = {
      value("usd", &A::usd, "Budget in USD"),
      value("gpu-hours", &A::gpu_hours, "Budget in GPU-hours"),
      file_or_id("hardware", &A::hardware, "Accelerator id or profile path"),
      value("gpus", &A::gpus, "Number of accelerators"),
      value("days", &A::days, "Deadline in days"),
      value("precision", &A::precision, "bf16 (default), fp16, fp8"),
  };
  d.excludes = {{"usd", "gpu-hours"}};
  d.run = run;
  return make_command(d);
}

}  // namespace traincost::cli
