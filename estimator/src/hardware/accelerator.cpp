#include "traincost/hardware/accelerator.hpp"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "traincost/util/data_dir.hpp"
#include "traincost/util/error.hpp"
#include "traincost/util/json_fields.hpp"

namespace traincost {

namespace fs = std::filesystem;

namespace {
const std::vector<std::pair<Precision, const char*>>& precision_names() {
  static const std::vector<std::pair<Precision, const char*>> names = {
      {Precision::fp32, "fp32"}, {Precision::tf32, "tf32"}, {Precision::bf16, "bf16"},
      {Precision::fp16, "fp16"}, {Precision::fp8, "fp8"},   {Precision::fp4, "fp4"}};
  return names;
}

constexpr double kTera = 1e12;
constexpr double kGiga = 1e9;
}  // namespace

std::string to_string(Precision p) {
  for (const auto& [v, n] : precision_names())
    if (v == p) return n;
  return "?";
}

Precision parse_precision(const std::string& s) {
  for (const auto& [v, n] : precision_names())
    if (s == n) return v;
  throw UsageError(fmt::format("--precision: '{}' is not one of fp32, tf32, bf16, fp16, fp8, fp4", s));
}

std::int64_t bytes_per_element(Precision p) {
  switch (p) {
    case Precision::fp32:
    case Precision::tf32: return 4;
    case Precision::bf16:
    case Precision::fp16: return 2;
    case Precision::fp8: return 1;
    case Precision::fp4: return 1;  // packed two per byte in storage, but GEMM inputs are staged per byte
  }
  return 2;
}

double Accelerator::peak_flops_per_s(Precision p) const {
  auto it = peak_dense_flops_per_s.find(p);
  if (it != peak_dense_flops_per_s.end()) return it->second;
  std::vector<std::string> names;
  for (auto q : supported_precisions()) names.push_back(to_string(q));
  if (names.empty())
    throw UsageError(fmt::format("--hardware: {} has no published dense peak at any precision in its profile ({}); "
                                 "a cost estimate needs one", id, path));
  throw UsageError(fmt::format("--precision: {} has no published dense {} peak (supported: {})", id,
                               to_string(p), fmt::join(names, ", ")));
}

std::vector<Precision> Accelerator::supported_precisions() const {
  std::vector<Precision> v;
  for (const auto& [p, _] : peak_dense_flops_per_s) v.push_back(p);
  return v;
}

Accelerator accelerator_from_json(const nlohmann::json& doc, const std::string& where) {
  const JsonContext c{doc, where, ""};
  // A misspelt key (memory_gbb, peak_dense_tflops.bf61) would drop a fact and change the
  // answer with no word: every key must be one the profile format knows (hwprofiles/README.md).
  c.only_keys({"id", "name", "vendor", "device_class", "generation", "year", "peak_dense_tflops", "peak_notes",
               "memory_gb", "memory_gib", "memory_type", "hbm_bandwidth_tb_s", "scale_up", "scale_out", "gpus_per_node",
               "tdp_w", "tdp_note", "server_power_multiplier", "rental", "other_rental_quotes", "purchase",
               "measured_matmul_tflops", "export_control", "confidence", "conflicts", "sources", "notes"});
  Accelerator a;
  a.id = c.get_string("id");
  a.name = c.opt_string("name").value_or(a.id);
  a.vendor = c.opt_string("vendor").value_or("");
  a.device_class = c.opt_string("device_class").value_or("gpu");
  a.generation = c.opt_string("generation").value_or(a.id);
  if (a.device_class != "gpu" && a.device_class != "tpu")
    c.fail("device_class", fmt::format("= '{}' must be 'gpu' or 'tpu'", a.device_class));
  // Peaks may be absent when the vendor publishes none (Ascend 910B); an
  // estimate on such a profile then fails with a message saying so.
  if (c.has("peak_dense_tflops")) {
    const JsonContext peaks = c.child("peak_dense_tflops");
    // fp6, int8 and fp64 are datasheet figures kept for reference; the model reads the rest.
    peaks.only_keys({"fp64", "fp32", "tf32", "bf16", "fp16", "fp8", "fp6", "fp4", "int8"});
    for (const auto& [p, n] : precision_names())
      if (auto v = peaks.opt_real(n, 1e-3, 1e6)) a.peak_dense_flops_per_s[p] = *v * kTera;
  }
  if (auto gb = c.opt_real("memory_gb", 0.1, 1e5)) a.memory_bytes = *gb * kGiga;
  if (auto gib = c.opt_real("memory_gib", 0.1, 1e5)) a.memory_bytes = *gib * 1024.0 * 1024.0 * 1024.0;
  if (auto bw = c.opt_real("hbm_bandwidth_tb_s", 1e-3, 1e3)) a.hbm_bandwidth_bytes_per_s = *bw * kTera;
  if (c.has("scale_up")) {
    const JsonContext su = c.child("scale_up");
    su.only_keys({"name", "bandwidth_gb_s_bidirectional", "bandwidth_gb_s_per_direction", "domain_size", "note"});
    if (auto bw = su.opt_real("bandwidth_gb_s_bidirectional", 1e-3, 1e6)) a.scale_up_bytes_per_s_bidirectional = *bw * kGiga;
    a.scale_up_domain_size = su.opt_int("domain_size", 1, 1'000'000);
  }
  if (c.has("scale_out")) {
    const JsonContext so = c.child("scale_out");
    so.only_keys({"nic_gbps_per_gpu", "note"});
    if (auto gbps = so.opt_real("nic_gbps_per_gpu", 1e-3, 1e6)) a.scale_out_bytes_per_s = *gbps * kGiga / 8.0;
  }
  a.tdp_w = c.opt_real("tdp_w", 1.0, 1e5);
  a.server_power_multiplier = c.opt_real("server_power_multiplier", 1.0, 10.0);
  if (c.has("rental")) {
    const JsonContext r = c.child("rental");
    r.only_keys({"usd_per_gpu_hour", "provider", "pricing", "date", "source", "why_chosen"});
    RentalPrice p;
    p.usd_per_gpu_hour = r.get_real("usd_per_gpu_hour", 1e-3, 1e4);
    p.provider = r.opt_string("provider").value_or("");
    p.pricing = r.opt_string("pricing").value_or("");
    p.date = r.opt_string("date").value_or("");
    p.source = r.opt_string("source").value_or("");
    a.rental = p;
  }
  if (c.has("purchase")) {
    const JsonContext pu = c.child("purchase");
    pu.only_keys({"usd", "basis", "date", "source"});
    a.purchase_usd = pu.opt_real("usd", 1.0, 1e8);
  }
  if (c.has("measured_matmul_tflops")) {
    const JsonContext m = c.child("measured_matmul_tflops");
    m.only_keys({"fp32", "tf32", "bf16", "fp16", "fp8", "fp4", "notes", "source"});
    for (const auto& [p, n] : precision_names())
      if (auto v = m.opt_real(n, 1e-3, 1e6)) {
        // A measured rate above the datasheet's dense peak is a units or transcription error
        // (it would give MFU above 100%).
        if (auto peak = a.peak_dense_flops_per_s.find(p); peak != a.peak_dense_flops_per_s.end() && *v * kTera > peak->second)
          m.fail(n, fmt::format("= {} TFLOP/s exceeds the datasheet dense peak peak_dense_tflops.{} = {} TFLOP/s", *v, n,
                                peak->second / kTera));
        a.measured_matmul_flops_per_s[p] = *v * kTera;
      }
  }
  if (c.has("export_control")) a.export_tpp = c.child("export_control").opt_real("tpp", 0.0, 1e7);
  a.path = where;
  a.document = doc;
  return a;
}

namespace {
fs::path hw_dir() { return data_dir() / "hwprofiles"; }

std::vector<std::string> known_ids() {
  std::vector<std::string> ids;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(hw_dir(), ec))
    if (e.is_regular_file() && e.path().extension() == ".json") ids.push_back(e.path().stem().string());
  std::sort(ids.begin(), ids.end());
  return ids;
}
}  // namespace

Accelerator load_accelerator(const std::string& id_or_path) {
  fs::path path;
  if (id_or_path.find('/') != std::string::npos || (id_or_path.size() > 5 && id_or_path.ends_with(".json"))) {
    path = id_or_path;
    if (!fs::exists(path)) throw InputError(fmt::format("{}: no such file", id_or_path));
  } else {
    path = hw_dir() / (id_or_path + ".json");
    if (id_or_path.empty() || !fs::exists(path))
      throw UsageError(fmt::format("unknown hardware id '{}' (known: {}; or give a path to a profile)",
                                   id_or_path, fmt::join(known_ids(), ", ")));
  }
  Accelerator a = accelerator_from_json(read_json_object_file(path.string()), path.string());
  return a;
}

std::vector<Accelerator> load_all_accelerators() {
  std::vector<Accelerator> out;
  for (const auto& id : known_ids()) out.push_back(load_accelerator(id));
  return out;
}

}  // namespace traincost
