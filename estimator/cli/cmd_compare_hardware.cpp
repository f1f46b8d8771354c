// traincost compare-hardware --model M --tokens T --hardware a,b,c [--gpus N | --days D]:
// one model on several accelerators, one row each (econ/hardware_compare.hpp).
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "commands.hpp"
#include "traincost/econ/hardware_compare.hpp"
#include "traincost/model/loader.hpp"
#include "traincost/util/error.hpp"

namespace traincost::cli {

namespace {

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

int run_compare_hardware(const CompareHardwareArgs& a) {
  const Format format = parse_format(a.format);
  econ::HwCompareInputs in;
  in.tokens = parse_quantity("--tokens", a.tokens, 1.0, 1e16);
  in.seq_len = parse_count("--seq-len", a.seq_len, 1, 100'000'000);
  in.precision = parse_precision(a.precision);
  if (!a.gpus.empty() && !a.days.empty()) throw UsageError("--gpus and --days exclude each other: give one");
  if (a.gpus.empty() && a.days.empty())
    throw UsageError("compare-hardware needs --gpus N (the same cluster size for every chip) or --days D (each cluster "
                     "sized to meet the deadline)");
  if (!a.gpus.empty()) in.gpus = parse_count("--gpus", a.gpus, 1, 10'000'000);
  if (!a.days.empty()) in.deadline_days = parse_positive("--days", a.days, 1e5, "60");
  const std::vector<Accelerator> hardware = load_hardware_list(a.hardware);
  const ModelSpec model = load_model(a.model);
  for (const auto& w : model.warnings) std::cerr << "traincost: warning: " << model.name << ": " << w << "\n";
  const econ::HwCompareConstants& c = econ::hardware_compare_constants();
  const econ::HwCompareResult r = econ::compare_hardware(model, hardware, in, c);
  if (format == Format::json)
    std::cout << econ::compare_hardware_json(r, c).dump(2) << "\n";
  else
    std::cout << econ::compare_hardware_text(r, c);
  return 0;
}

}  // namespace traincost::cli
