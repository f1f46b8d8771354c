#include "traincost/econ/hardware_compare.hpp"

#include <fmt/format.h>

#include "hardware_compare_setup.hpp"
#include "traincost/util/constants_file.hpp"
#include "traincost/util/error.hpp"
#include "traincost/util/json_fields.hpp"
#include "traincost/util/number_format.hpp"

// The question: one row per chip (hardware_compare_rows.cpp), the interconnect's
// effect between look-alike chips (hardware_compare_interconnect.cpp); the per-chip
// setup is hardware_compare_setup.cpp, the limit classification hardware_compare_limit.cpp.
namespace traincost::econ {

using nlohmann::json;

HwCompareConstants hardware_compare_constants_from_json(const json& doc, const std::string& where) {
  const JsonContext top{doc, where, ""};
  HwCompareConstants c;
  c.path = where;
  const JsonContext t = top.child("limit_share_threshold");
  c.limit_share_threshold = t.get_real("value", 0.0, 1.0);
  c.limit_share_source = t.get_string("source");
  c.max_cluster_gpus = top.child("max_cluster_gpus").get_int("value", 1, std::int64_t{1} << 30);
  return c;
}

const HwCompareConstants& hardware_compare_constants() {
  return load_once<HwCompareConstants>("constants/hardware_compare.json", [](const json& doc, const std::string& path) {
    return hardware_compare_constants_from_json(doc, path);
  });
}

HwCompareResult compare_hardware(const ModelSpec& model, const std::vector<Accelerator>& hardware,
                                 const HwCompareInputs& in, const HwCompareConstants& c) {
  if (in.gpus.has_value() == in.deadline_days.has_value())
    throw UsageError("compare-hardware: give --gpus N (the same cluster size for every chip) or --days D (each cluster "
                     "sized to meet the deadline), not both");
  if (!(in.tokens > 0)) throw UsageError("--tokens: must be positive");
  HwCompareResult r;
  r.model = model.name;
  r.in = in;
  for (const auto& hw : hardware) r.rows.push_back(detail::compare_one(model, hw, in, c));
  for (std::size_t i = 0; i < hardware.size(); ++i)
    for (std::size_t j = i + 1; j < hardware.size(); ++j)
      if (auto x = detail::interconnect_effect(model, hardware[i], r.rows[i], hardware[j], r.rows[j], in)) r.interconnect.push_back(*x);
  if (in.deadline_days)
    r.notes.push_back(fmt::format("each cluster is the smallest of 8, 12, 16, 24, 32, ... GPUs whose modelled whole run "
                                  "meets {:g} days (up to {} GPUs; the sizing rule of estimate without --gpus)",
                                  *in.deadline_days, util::exact(c.max_cluster_gpus)));
  return r;
}

}  // namespace traincost::econ
