#pragma once
// An accelerator profile (hwprofiles/<id>.json, schema in hwprofiles/README.md).
// Everything is in SI base units here; absent facts stay std::nullopt and a
// computation that needs one says so instead of guessing.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace traincost {

enum class Precision { fp32, tf32, bf16, fp16, fp8, fp4 };

std::string to_string(Precision p);
Precision parse_precision(const std::string& s);  // throws UsageError
std::int64_t bytes_per_element(Precision p);

struct RentalPrice {
  double usd_per_gpu_hour = 0;
  std::string provider, pricing, date, source;
};

struct Accelerator {
  std::string id, name, vendor;
  std::string device_class = "gpu";  // "gpu" or "tpu" (Epoch AI power model distinguishes them)
  std::string generation;            // architecture generation; calibration is per generation
  std::map<Precision, double> peak_dense_flops_per_s;  // dense, never the 2:4-sparse headline
  std::optional<double> memory_bytes;
  std::optional<double> hbm_bandwidth_bytes_per_s;
  std::optional<double> scale_up_bytes_per_s_bidirectional;  // per accelerator
  std::optional<std::int64_t> scale_up_domain_size;
  std::optional<double> scale_out_bytes_per_s;                // NIC line rate per accelerator
  std::optional<double> tdp_w;
  std::optional<double> server_power_multiplier;               // server power per chip / chip TDP
  std::optional<RentalPrice> rental;
  std::optional<double> purchase_usd;
  std::map<Precision, double> measured_matmul_flops_per_s;
  std::optional<double> export_tpp;
  std::string path;        // file it came from
  nlohmann::json document; // the whole profile, for `hardware show`

  // Dense peak for `p`; throws UsageError naming the supported precisions.
  double peak_flops_per_s(Precision p) const;
  std::vector<Precision> supported_precisions() const;
};

Accelerator accelerator_from_json(const nlohmann::json& doc, const std::string& where);

// An id from hwprofiles/ or a path to a profile file.
Accelerator load_accelerator(const std::string& id_or_path);
std::vector<Accelerator> load_all_accelerators();

}  // namespace traincost
