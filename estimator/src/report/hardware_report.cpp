// `traincost hardware list|show` output.
#include <fmt/format.h>

#include "traincost/econ/export_control.hpp"
#include "traincost/report/format.hpp"
#include "traincost/report/reports.hpp"

namespace traincost::report {

namespace {
std::string tflops(const Accelerator& a, Precision p) {
  auto it = a.peak_dense_flops_per_s.find(p);
  return it == a.peak_dense_flops_per_s.end() ? "-" : fmt::format("{:.0f}", it->second / 1e12);
}
template <typename T, typename F>
std::string or_dash(const std::optional<T>& v, F f) {
  return v ? f(*v) : "-";
}

Json summary_json(const Accelerator& a) {
  Json j;
  j["id"] = a.id;
  j["name"] = a.name;
  j["vendor"] = a.vendor;
  Json peaks;
  for (const auto& [p, v] : a.peak_dense_flops_per_s) peaks[to_string(p)] = v;
  j["peak_dense_flops_per_s"] = peaks;
  auto put = [&](const char* k, const auto& v) { j[k] = v ? Json(*v) : Json(nullptr); };
  put("memory_bytes", a.memory_bytes);
  put("hbm_bandwidth_bytes_per_s", a.hbm_bandwidth_bytes_per_s);
  put("scale_up_bytes_per_s_bidirectional", a.scale_up_bytes_per_s_bidirectional);
  put("scale_up_domain_size", a.scale_up_domain_size);
  put("scale_out_bytes_per_s", a.scale_out_bytes_per_s);
  put("tdp_w", a.tdp_w);
  j["rental_usd_per_gpu_hour"] = a.rental ? Json(a.rental->usd_per_gpu_hour) : Json(nullptr);
  put("purchase_usd", a.purchase_usd);
  put("export_tpp", a.export_tpp);
  return j;
}
}  // namespace

Json hardware_list_json(const std::vector<Accelerator>& all) {
  Json j;
  j["schema"] = "traincost.hardware_list.v1";
  Json arr = Json::array();
  const auto& rules = econ::export_rules();
  for (const auto& a : all) {
    Json s = summary_json(a);
    const econ::ExportAssessment x = econ::assess(a, rules);
    s["tpp"] = x.tpp ? Json(*x.tpp) : Json(nullptr);
    s["export_class_2023"] = x.class_2023.export_class;
    arr.push_back(s);
  }
  j["accelerators"] = arr;
  return j;
}

std::string hardware_list_text(const std::vector<Accelerator>& all) {
  std::vector<std::vector<std::string>> t{
      {"id", "name", "BF16 TF", "FP8 TF", "TPP", "memory", "HBM TB/s", "scale-up GB/s", "TDP W", "$/GPU-h"}};
  const auto& rules = econ::export_rules();
  for (const auto& a : all)
    t.push_back({a.id, a.name, tflops(a, Precision::bf16), tflops(a, Precision::fp8),
                 or_dash(econ::assess(a, rules).tpp, [](double v) { return fmt::format("{:.0f}", v); }),
                 or_dash(a.memory_bytes, [](double b) { return bytes(b); }),
                 or_dash(a.hbm_bandwidth_bytes_per_s, [](double b) { return fmt::format("{:.2f}", b / 1e12); }),
                 or_dash(a.scale_up_bytes_per_s_bidirectional, [](double b) { return fmt::format("{:.0f}", b / 1e9); }),
                 or_dash(a.tdp_w, [](double w) { return fmt::format("{:.0f}", w); }),
                 a.rental ? fmt::format("{:.2f}", a.rental->usd_per_gpu_hour) : "-"});
  return table(t, {false, false, true, true, true, true, true, true, true, true}) +
         "\nDense peaks (no 2:4 sparsity); '-' = not published in the profile's sources. TPP = export-control Total "
         "Processing Performance (max of dense TFLOPS x bit length). Details: traincost hardware show ID\n";
}

Json hardware_show_json(const Accelerator& a) {
  Json j;
  j["schema"] = "traincost.hardware.v1";
  j["summary"] = summary_json(a);
  // Export controls (ECCN 3A090), computed from the profile with the rules in
  // constants/export_controls.json.
  const auto& rules = econ::export_rules();
  const econ::ExportAssessment x = econ::assess(a, rules);
  auto opt = [](const auto& v) { return v ? Json(*v) : Json(nullptr); };
  j["tpp"] = opt(x.tpp);
  j["performance_density"] = opt(x.performance_density);
  j["export_class_2023"] = x.class_2023.export_class;
  j["controlled_2022"] = opt(x.controlled_2022);
  j["export_detail"] = Json{{"tpp_basis", x.tpp_basis},
                             {"applicable_die_area_mm2", opt(x.applicable_die_area_mm2)},
                             {"clause_2023", x.class_2023.clause.empty() ? Json(nullptr) : Json(x.class_2023.clause)},
                             {"rule_2023", rules.rule_2023_citation},
                             {"io_bidirectional_gb_s", opt(x.io_bidirectional_gb_s)},
                             {"rule_2022", rules.rule_2022_citation},
                             {"notes", x.notes},
                             {"rules_file", rules.path}};
  j["profile"] = a.document;
  return j;
}

std::string hardware_show_text(const Accelerator& a) {
  std::string out = fmt::format("{} ({}) — {}\n\n", a.name, a.id, a.path);
  std::vector<std::vector<std::string>> t{{"fact", "value"}};
  for (const auto& [p, v] : a.peak_dense_flops_per_s)
    t.push_back({fmt::format("dense peak {}", to_string(p)), fmt::format("{:.1f} TFLOP/s", v / 1e12)});
  for (const auto& [p, v] : a.measured_matmul_flops_per_s)
    t.push_back({fmt::format("measured matmul {}", to_string(p)), fmt::format("{:.1f} TFLOP/s", v / 1e12)});
  t.push_back({"memory", or_dash(a.memory_bytes, [](double b) { return bytes(b); })});
  t.push_back({"HBM bandwidth", or_dash(a.hbm_bandwidth_bytes_per_s, [](double b) { return fmt::format("{:.2f} TB/s", b / 1e12); })});
  t.push_back({"scale-up (bidirectional)", or_dash(a.scale_up_bytes_per_s_bidirectional, [](double b) { return fmt::format("{:.0f} GB/s", b / 1e9); })});
  t.push_back({"scale-up domain", or_dash(a.scale_up_domain_size, [](std::int64_t n) { return fmt::format("{} accelerators", n); })});
  t.push_back({"scale-out NIC", or_dash(a.scale_out_bytes_per_s, [](double b) { return fmt::format("{:.0f} Gb/s", b * 8 / 1e9); })});
  t.push_back({"TDP", or_dash(a.tdp_w, [](double w) { return fmt::format("{:.0f} W", w); })});
  t.push_back({"rental", a.rental ? fmt::format("${:.2f}/GPU-h ({}, {}, {}, {})", a.rental->usd_per_gpu_hour, a.rental->provider,
                                                a.rental->pricing, a.rental->date, a.rental->source)
                                  : "-"});
  t.push_back({"purchase", or_dash(a.purchase_usd, [](double u) { return usd(u); })});
  t.push_back({"export-control TPP (profile)", or_dash(a.export_tpp, [](double v) { return fmt::format("{:.0f}", v); })});
  const auto& rules = econ::export_rules();
  const econ::ExportAssessment x = econ::assess(a, rules);
  t.push_back({"TPP (computed)", x.tpp ? fmt::format("{:.0f} ({})", *x.tpp, fmt::join(x.tpp_basis, "/")) : "unknown"});
  t.push_back({"performance density", or_dash(x.performance_density, [&](double v) {
                 return fmt::format("{:.2f} (TPP / {:.0f} mm2)", v, *x.applicable_die_area_mm2);
               })});
  t.push_back({"export class, Oct 2023 rule",
               x.class_2023.clause.empty() ? x.class_2023.export_class
                                           : fmt::format("{} ({})", x.class_2023.export_class, x.class_2023.clause)});
  t.push_back({"controlled, Oct 2022 rule", x.controlled_2022 ? (*x.controlled_2022 ? "yes" : "no") : "unknown"});
  out += table(t);
  if (!x.notes.empty()) {
    out += fmt::format("\nExport controls ({}, {}; {})\n", rules.rule_2023_citation, rules.rule_2022_citation, rules.path);
    for (const auto& n : x.notes) out += "  " + n + "\n";
  }
  if (a.document.contains("sources") && a.document["sources"].is_array()) {
    out += "\nSources\n";
    for (const auto& s : a.document["sources"])
      out += fmt::format("  [{}] {} {}\n", s.value("key", ""), s.value("title", ""), s.value("url", ""));
  }
  return out;
}

}  // namespace traincost::report
