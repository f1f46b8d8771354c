// `traincost hardware list|show` output.
#include <fmt/format.h>

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
  for (const auto& a : all) arr.push_back(summary_json(a));
  j["accelerators"] = arr;
  return j;
}

std::string hardware_list_text(const std::vector<Accelerator>& all) {
  std::vector<std::vector<std::string>> t{
      {"id", "name", "BF16 TF", "FP8 TF", "memory", "HBM TB/s", "scale-up GB/s", "TDP W", "$/GPU-h"}};
  for (const auto& a : all)
    t.push_back({a.id, a.name, tflops(a, Precision::bf16), tflops(a, Precision::fp8),
                 or_dash(a.memory_bytes, [](double b) { return bytes(b); }),
                 or_dash(a.hbm_bandwidth_bytes_per_s, [](double b) { return fmt::format("{:.2f}", b / 1e12); }),
                 or_dash(a.scale_up_bytes_per_s_bidirectional, [](double b) { return fmt::format("{:.0f}", b / 1e9); }),
                 or_dash(a.tdp_w, [](double w) { return fmt::format("{:.0f}", w); }),
                 a.rental ? fmt::format("{:.2f}", a.rental->usd_per_gpu_hour) : "-"});
  return table(t, {false, false, true, true, true, true, true, true, true}) +
         "\nDense peaks (no 2:4 sparsity); '-' = not published in the profile's sources. Details: traincost hardware show ID\n";
}

Json hardware_show_json(const Accelerator& a) {
  Json j;
  j["schema"] = "traincost.hardware.v1";
  j["summary"] = summary_json(a);
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
  t.push_back({"export-control TPP", or_dash(a.export_tpp, [](double v) { return fmt::format("{:.0f}", v); })});
  out += table(t);
  if (a.document.contains("sources") && a.document["sources"].is_array()) {
    out += "\nSources\n";
    for (const auto& s : a.document["sources"])
      out += fmt::format("  [{}] {} {}\n", s.value("key", ""), s.value("title", ""), s.value("url", ""));
  }
  return out;
}

}  // namespace traincost::report
