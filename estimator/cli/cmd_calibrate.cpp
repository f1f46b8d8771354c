// traincost calibrate: fit the per-generation GEMM efficiency to the published
// runs and write it (CLI only: the web API writes no files).
#include <algorithm>
#include <ctime>
#include <fstream>

#include <fmt/format.h>

#include "commands.hpp"
#include "traincost/perf/constants.hpp"
#include "traincost/report/validation_report.hpp"
#include "traincost/util/data_dir.hpp"
#include "traincost/validation/calibrate.hpp"
#include "traincost/validation/published.hpp"

namespace traincost::cli {

namespace {

struct CalibrateArgs {
  std::string out, date;
  bool no_loo = false;
  std::string format = "table";
};

std::string today_utc() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

// --date is recorded as fitted_on: a real calendar day, YYYY-MM-DD.
void check_calibrate_date(const std::string& d) {
  const std::string allowed = "expected a date YYYY-MM-DD, e.g. 2025-06-30";
  const bool shape = d.size() == 10 && d[4] == '-' && d[7] == '-' &&
                     std::all_of(d.begin(), d.end(), [](char ch) { return ch == '-' || (ch >= '0' && ch <= '9'); });
  if (!shape) throw UsageError(fmt::format("--date: '{}' is not a date; {}", d, allowed));
  const int y = std::stoi(d.substr(0, 4)), m = std::stoi(d.substr(5, 2)), day = std::stoi(d.substr(8, 2));
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  const int days_in[] = {31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1970 || m < 1 || m > 12 || day < 1 || day > days_in[m - 1])
    throw UsageError(fmt::format("--date: '{}' is not a calendar day from 1970 on; {}", d, allowed));
}

void run(const CalibrateArgs& a, CommandResult& res) {
  const auto f = parse_format(a.format);
  if (!a.date.empty()) check_calibrate_date(a.date);
  const auto runs = load_published_runs();
  perf::Constants base = perf::load_constants((data_dir() / "constants" / "performance.json").string(), "");
  const CalibrationResult r = calibrate(runs, base, !a.no_loo);
  const auto j = calibration_json(r, a.date.empty() ? today_utc() : a.date);
  const std::string path = a.out.empty() ? (data_dir() / "constants" / "calibrated.json").string() : a.out;
  {
    std::ofstream out(path);
    out << j.dump(2) << "\n";
    out.close();
    if (!out) throw UsageError(fmt::format("--out: could not write {}", path));
  }
  emit(res, f, [&] { return j; },
       [&] {
         std::string text = fmt::format("Calibrated {} runs; wrote {}\n", r.fitted.size(), path);
         for (const auto& [g, e] : r.efficiency_by_generation)
           text += fmt::format("  {:<10} GEMM efficiency {:.3f} of the measured ceiling ({} runs)\n", g, e,
                               r.rows_by_generation.at(g));
         text += fmt::format("  other      GEMM efficiency {:.3f} of the measured ceiling (one factor over all rows, for generations without any)\n",
                             r.default_efficiency);
         text += fmt::format("  rms ln(predicted/published) = {:.3f}\n", r.rms_log_error);
         text += fmt::format("  whole-run efficiency {:.3f} ({} training runs)\n", r.run_efficiency, r.training_runs);
         if (const BatchRuleFit& b = r.batch_rule; b.coefficient > 0)
           text += fmt::format(
               "  default batch {:.4g} x F^{:.3f} x D^{:.3f} x S^{:.3f} tokens (F FLOPs/token, D tokens, S stored/active "
               "params; {} runs, median |ln error| {:.3f}, leave-one-out {:.3f})\n",
               b.coefficient, b.flops_per_token_exponent, b.tokens_exponent, b.sparsity_exponent, b.runs,
               b.median_abs_log_error, b.loo_median_abs_log_error);
         if (!r.held_out.empty()) {
           text += "\nLeave-one-out (each run predicted by a fit without it)\n";
           text += report::validation_text(r.held_out);
         }
         return text;
       });
}

}  // namespace

Command calibrate_command() {
  using A = CalibrateArgs;
    CommandDef<A> d;
  d.name = "calibrate";
  d.help = "Fit the per-generation GEMM efficiency to the published runs (with leave-one-out)";
  d.options = {
      value("out", &A::out, "Where to write the fit (default: constants/calibrated.json in the data dir)"),
      value("date", &A::date, "Date to record as fitted_on (default: today, UTC)"),
      flag("no-loo", &A::no_loo, "Skip the leave-one-out refits"),
  };
  d.run = run;
  return make_command(d);
}

}  // namespace traincost::cli
