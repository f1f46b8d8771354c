// traincost compare-hardware --model M --tokens T --hardware a,b,c [--gpus N | --days D]:
// one model on several accelerators, one row each (econ/hardware_compare.hpp).
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "commands.hpp"
#include "traincost/report/hardware_compare_report.hpp"
#include "model_input.hpp"
#include "traincost/econ/hardware_compare.hpp"
#include "traincost/model/loader.hpp"
#include "traincost/util/error.hpp"

namespace traincost::cli {

namespace {

struct CompareHardwareArgs {
  std::string model;
  std::optional<nlohmann::json> model_config;
  std::string assume_family;
  std::string total_params, active_params, layers, experts, top_k;  // or a shape from counts
  std::string tokens, hardware, gpus, days, precision = "bf16", seq_len = "4096", format = "table";
};

std::vector<std::string> split_ids(const std::string& text) {
  std::vector<std::string> ids;
  std::stringstream ss(text);
  std::string id;
  while (std::getline(ss, id, ',')) {
    const auto b = id.find_first_not_of(" \t");
    const auto e = id.find_last_not_of(" \t");
    if (b == std::string::npos) continue;
    id = id.substr(b, e - b + 1);
    bool seen = false;
    for (const auto& x : ids) seen = seen || x == id;
    if (!seen) ids.push_back(id);
  }
  if (ids.empty()) throw UsageError("--hardware: give one or more accelerator ids separated by commas, e.g. h800,h100-sxm,h20");
  return ids;
}

}  // namespace

std::vector<Accelerator> load_hardware_list(const std::string& ids) {
  std::vector<Accelerator> hardware;
  for (const auto& id : split_ids(ids)) hardware.push_back(load_hardware_option(id));
  return hardware;
}

namespace {

void run(const CompareHardwareArgs& a, CommandResult& res) {
  const Format format = parse_format(a.format);
  econ::HwCompareInputs in;
  in.tokens = parse_quantity("--tokens", a.tokens, 1.0, 1e16);
  in.seq_len = parse_count("--seq-len", a.seq_len, 1, 100'000'000);
  check_tokens_cover_step(in.tokens, in.seq_len);
  in.precision = parse_precision(a.precision);
  if (!a.gpus.empty() && !a.days.empty()) throw UsageError("--gpus and --days exclude each other: give one");
  if (a.gpus.empty() && a.days.empty())
    throw UsageError("compare-hardware needs --gpus N (the same cluster size for every chip) or --days D (each cluster "
                     "sized to meet the deadline)");
  if (!a.gpus.empty()) in.gpus = parse_count("--gpus", a.gpus, 1, 10'000'000);
  if (!a.days.empty()) in.deadline_days = parse_positive("--days", a.days, 1e5, "60");
  const std::vector<Accelerator> hardware = load_hardware_list(a.hardware);
  const ModelInput input = resolve_model(a.model, a.model_config, counts_of(a), a.assume_family);
  const ModelSpec& model = input.spec;
  add_warnings(res, model);
  const econ::HwCompareConstants& c = econ::hardware_compare_constants();
  const econ::HwCompareResult r = econ::compare_hardware(model, hardware, in, c);
  emit(res, format, [&] { return report::compare_hardware_json(r, c); }, [&] { return report::compare_hardware_text(r, c); });
  mark_derived_shape(res, input);
}

}  // namespace

Command compare_hardware_command() {
  using A = CompareHardwareArgs;
  CommandDef<A> d;
  d.name = "compare-hardware";
  d.help = "One model on several accelerators: plan, fit, days, GPU-hours, dollars, MWh, limits";
  d.options = {
      model_option<A>(),
      value("assume-family", &A::assume_family, kAssumeFamilyHelp),
      required("tokens", &A::tokens, "Training tokens, e.g. 14.8T"),
      file_or_id("hardware", &A::hardware, "Comma-separated accelerator ids"),
      value("gpus", &A::gpus, "Number of accelerators of each kind"),
      value("days", &A::days, "A deadline: size each cluster to meet it"),
      value("precision", &A::precision, "bf16 (default), fp16, fp8 (falls back per chip when unsupported)"),
      value("seq-len", &A::seq_len, "Sequence length (default 4096)"),
  };
  d.excludes = {{"gpus", "days"}};
  add_count_options(d.options);
  d.run = run;
  return make_command(d);
}

}  // namespace traincost::cli
