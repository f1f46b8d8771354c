// Hardware profiles: every required id loads, key facts match the datasheets
// quoted in the profiles, and no sparse headline is used as a dense peak.
#include <catch2/catch.hpp>

#include <set>

#include "traincost/hardware/accelerator.hpp"
#include "traincost/util/error.hpp"

using namespace traincost;

namespace {
// The InputError a profile document is refused with, or "<accepted>".
std::string hardware_profile_error(const nlohmann::json& doc) {
  try {
    accelerator_from_json(doc, "p.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "<accepted>";
}
}  // namespace

TEST_CASE("hardware: every required profile loads", "[hardware]") {
  const std::vector<std::string> required = {
      "v100", "a100-40gb", "a100-80gb", "a800", "h100-sxm", "h100-pcie", "h800", "h20", "h200",
      "b200", "gb200", "gb300", "mi250x", "mi300x", "mi325x", "mi355x", "tpu-v3", "tpu-v4", "tpu-v5e",
      "tpu-v5p", "tpu-v6e", "gaudi2", "gaudi3", "ascend-910b", "ascend-910c", "trainium2"};
  std::set<std::string> ids;
  for (const auto& a : load_all_accelerators()) {
    ids.insert(a.id);
    CHECK(a.document.contains("sources"));
    CHECK(!a.document["sources"].empty());
  }
  for (const auto& id : required) CHECK(ids.count(id) == 1);
}

TEST_CASE("hardware: datasheet facts", "[hardware]") {
  const Accelerator h100 = load_accelerator("h100-sxm");
  CHECK(h100.peak_flops_per_s(Precision::bf16) == 989.5e12);  // dense; the 1,979 headline is with sparsity
  CHECK(h100.peak_flops_per_s(Precision::fp8) == 1979e12);
  CHECK(*h100.memory_bytes == 80e9);
  CHECK(*h100.hbm_bandwidth_bytes_per_s == 3.35e12);
  CHECK(*h100.scale_up_bytes_per_s_bidirectional == 900e9);
  CHECK(*h100.tdp_w == 700);

  // H800: H100 compute, NVLink cut to 400 GB/s (the export-control case).
  const Accelerator h800 = load_accelerator("h800");
  CHECK(h800.peak_flops_per_s(Precision::bf16) == h100.peak_flops_per_s(Precision::bf16));
  CHECK(*h800.scale_up_bytes_per_s_bidirectional == 400e9);
  CHECK(h800.rental->usd_per_gpu_hour == 2.0);

  // H20: a fraction of H100 compute, more memory and bandwidth.
  const Accelerator h20 = load_accelerator("h20");
  CHECK(h20.peak_flops_per_s(Precision::bf16) == 148e12);
  CHECK(*h20.memory_bytes == 96e9);
  CHECK(*h20.hbm_bandwidth_bytes_per_s == 4.0e12);

  // A100: 312 TFLOPS BF16 dense and no FP8 tensor cores.
  const Accelerator a100 = load_accelerator("a100-80gb");
  CHECK(a100.peak_flops_per_s(Precision::bf16) == 312e12);
  CHECK_THROWS(a100.peak_flops_per_s(Precision::fp8));

  // TPU v3: 123 TFLOPS bf16 per chip, 32 GiB.
  const Accelerator v3 = load_accelerator("tpu-v3");
  CHECK(v3.peak_flops_per_s(Precision::bf16) == 123e12);
  CHECK(*v3.memory_bytes == 32.0 * 1024 * 1024 * 1024);
}

TEST_CASE("hardware: GB300 NVL72 facts (hardware addendum)", "[hardware]") {
  const Accelerator gb300 = load_accelerator("gb300");
  CHECK(gb300.generation == "blackwell");
  CHECK(*gb300.scale_up_domain_size == 72);  // one NVL72 rack
  CHECK(gb300.document.at("gpus_per_node").get<int>() == 4);
  // NVLink 5: 1.8 TB/s bidirectional, 900 GB/s per direction.
  CHECK(*gb300.scale_up_bytes_per_s_bidirectional == 1800e9);
  CHECK(*gb300.scale_up_bytes_per_s_bidirectional / 2 == 900e9);
  CHECK(gb300.document.at("scale_up").at("bandwidth_gb_s_per_direction").get<double>() * 1e9 == 900e9);
  CHECK(*gb300.memory_bytes == 288e9);
  CHECK(*gb300.hbm_bandwidth_bytes_per_s == 8e12);
  // Dense peaks (rack totals / 72); FP4 15 PF dense, not the 20 PF sparse headline.
  CHECK(gb300.peak_flops_per_s(Precision::fp4) == 15e15);
  // HGX B300 by the same 3x rule: 3 x 4,500 TFLOPS (disputed; reported 12,600-15,000).
  CHECK(load_accelerator("b300").peak_flops_per_s(Precision::fp4) == 13.5e15);
  CHECK(gb300.peak_flops_per_s(Precision::fp8) == 5e15);
  CHECK(gb300.peak_flops_per_s(Precision::bf16) == 2.5e15);
  CHECK(*gb300.tdp_w == 1400);
  CHECK(*gb300.scale_out_bytes_per_s == 100e9);  // ConnectX-8, 800 Gb/s per GPU
  // No measured matmul figures for GB300: the performance model uses its default fractions.
  CHECK(gb300.measured_matmul_flops_per_s.empty());
  CHECK_FALSE(gb300.rental.has_value());
}

TEST_CASE("hardware: peaks are dense and ordered by precision", "[hardware]") {
  for (const auto& a : load_all_accelerators()) {
    INFO(a.id);
    const auto& p = a.peak_dense_flops_per_s;
    // Halving the bits at most doubles the dense rate (vendors round, e.g. L40S 362/733, so
    // allow 5%); a 2:4-sparse headline slipped in as "dense" would make the ratio 4.
    if (p.count(Precision::bf16) && p.count(Precision::fp8))
      CHECK(p.at(Precision::fp8) <= 2.0 * p.at(Precision::bf16) * 1.05);
    // Blackwell Ultra (gb300, b300) is the one exception: dense FP4 15 PF is 3x dense FP8 5 PF
    // (its sparse FP4 headline, 20 PF, would be 4x and is still caught).
    const double fp4_per_fp8 = a.id == "gb300" || a.id == "b300" ? 3.0 : 2.0;
    if (p.count(Precision::fp8) && p.count(Precision::fp4))
      CHECK(p.at(Precision::fp4) <= fp4_per_fp8 * p.at(Precision::fp8) * 1.05);
    if (p.count(Precision::bf16) && p.count(Precision::fp32)) CHECK(p.at(Precision::fp32) <= p.at(Precision::bf16));
    if (a.rental) CHECK(a.rental->usd_per_gpu_hour > 0.1);
  }
}

TEST_CASE("hardware: a profile with a zero link or a measured rate above its peak is refused, the field named", "[hardware]") {
  nlohmann::json base = load_accelerator("h100-sxm").document;
  REQUIRE(hardware_profile_error(base) == "<accepted>");
  // A zero scale-up or NIC bandwidth would make every collective take 0/0 = NaN seconds.
  nlohmann::json z = base;
  z["scale_up"]["bandwidth_gb_s_bidirectional"] = 0;
  CHECK(hardware_profile_error(z).find("bandwidth_gb_s_bidirectional") != std::string::npos);
  z = base;
  z["scale_out"]["nic_gbps_per_gpu"] = 0;
  CHECK(hardware_profile_error(z).find("nic_gbps_per_gpu") != std::string::npos);
  // H100 SXM: 989.5 dense BF16 TFLOP/s; a "measured" 1,700 would give MFU above 100%.
  nlohmann::json m = base;
  m["measured_matmul_tflops"]["bf16"] = 1700;
  const std::string why = hardware_profile_error(m);
  CHECK(why.find("measured_matmul_tflops") != std::string::npos);
  CHECK(why.find("exceeds the datasheet dense peak") != std::string::npos);
}

TEST_CASE("hardware: a misspelt key in a profile is refused, naming it, not dropped", "[hardware]") {
  // memory_gbb would leave the profile without a memory size (the plan search then
  // falls back to the default MFU) and bf61 would drop the BF16 peak: both without a word.
  const nlohmann::json base = load_accelerator("h100-sxm").document;
  REQUIRE(hardware_profile_error(base) == "<accepted>");
  nlohmann::json t = base;
  t["memory_gbb"] = t["memory_gb"];
  t.erase("memory_gb");
  CHECK(hardware_profile_error(t).find("'memory_gbb' is not a known key") != std::string::npos);
  nlohmann::json p = base;
  p["peak_dense_tflops"]["bf61"] = 989.5;
  CHECK(hardware_profile_error(p).find("'peak_dense_tflops.bf61' is not a known key") != std::string::npos);
  nlohmann::json s = base;
  s["scale_out"]["nic_gbps"] = 400;
  CHECK(hardware_profile_error(s).find("'scale_out.nic_gbps' is not a known key") != std::string::npos);
  nlohmann::json r = base;
  r["rental"]["usd_per_hour"] = 2.0;
  CHECK(hardware_profile_error(r).find("'rental.usd_per_hour' is not a known key") != std::string::npos);
}
