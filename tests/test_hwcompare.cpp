// `traincost compare-hardware`: one model on several accelerators, with the
// limit of each run and the interconnect's share of a gap.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "test_support.hpp"
#include "traincost/econ/hardware_compare.hpp"
#include "traincost/model/loader.hpp"
#include "traincost/util/error.hpp"

using nlohmann::json;
using test_support::CliResult;
using test_support::run_cli;
using test_support::require_usage_error;
using namespace traincost;

namespace {

const econ::HwCompareConstants& hwc_constants() {
  static const econ::HwCompareConstants c = [] {
    std::ifstream in(test_support::source_path("constants/hardware_compare.json"));
    return econ::hardware_compare_constants_from_json(json::parse(in), "constants/hardware_compare.json");
  }();
  return c;
}

std::vector<Accelerator> profiles(std::initializer_list<const char*> ids) {
  std::vector<Accelerator> v;
  for (const char* id : ids) v.push_back(load_accelerator(test_support::source_path(std::string("hwprofiles/") + id + ".json")));
  return v;
}

const econ::HwRow& row(const econ::HwCompareResult& r, const std::string& id) {
  for (const auto& x : r.rows)
    if (x.id == id) return x;
  FAIL("no row " << id);
  throw std::logic_error("unreachable");
}

bool has_note(const econ::HwRow& r, const std::string& needle) {
  return std::any_of(r.notes.begin(), r.notes.end(), [&](const std::string& n) { return n.find(needle) != std::string::npos; });
}

// DeepSeek-V3's run: 14.8T tokens, FP8 GEMMs, 2,048 GPUs (report Sec. 1, 3.3).
econ::HwCompareResult deepseek_v3(std::initializer_list<const char*> ids) {
  econ::HwCompareInputs in;
  in.tokens = 14.8e12;
  in.precision = Precision::fp8;
  in.gpus = 2048;
  return econ::compare_hardware(load_model("deepseek-v3"), profiles(ids), in, hwc_constants());
}


}  // namespace

TEST_CASE("hwcompare: DeepSeek-V3 on 2048 H800 vs H100 SXM vs H20", "[hwcompare]") {
  const econ::HwCompareResult r = deepseek_v3({"h800", "h100-sxm", "h20"});
  REQUIRE(r.rows.size() == 3);
  const econ::HwRow& h800 = row(r, "h800");
  const econ::HwRow& h100 = row(r, "h100-sxm");
  const econ::HwRow& h20 = row(r, "h20");
  INFO("days: h800 " << h800.days.value_or(-1) << ", h100 " << h100.days.value_or(-1) << ", h20 " << h20.days.value_or(-1));

  for (const econ::HwRow* x : {&h800, &h100}) {
    CHECK(x->performance_model);
    CHECK(x->precision == Precision::fp8);
    CHECK(x->fits == std::optional<bool>(true));
    CHECK_FALSE(x->plan.empty());
    CHECK(x->limit.has_value());
    CHECK(x->gpu_hours.value() == Approx(*x->days * 2048 * 24));
  }
  // H800 = H100 with NVLink cut from 900 to 400 GB/s: never faster. The EP all-to-all's IB and NVLink legs
  // run concurrently (DeepSeek-V3 §3.2.2), so IB sets its time on both chips, and a data-parallel collective
  // across nodes runs at min(NVLink, 8 x 50 GB/s NICs) = 400 GB/s on both; both best plans need full
  // recomputation or ZeRO-3 to fit ("memory capacity"), unless the scale-out network's share of the
  // step reaches the 10% threshold first. At the default batch (16,384 sequences: the MoE batch rule)
  // both plans are EP256 across 32 nodes, with 9.8% (H100) and 10.9% (H800) of the step on the NICs.
  CHECK(*h800.days >= *h100.days);
  for (const econ::HwRow* x : {&h800, &h100}) {
    INFO(x->id << " scale-out share " << x->limit->shares.scale_out);
    CHECK(x->limit->memory_bound);
    CHECK(x->limit->shares.scale_out > 0.05);
    CHECK(x->limit->shares.scale_out < 0.20);
    CHECK(x->limit->limit == (x->limit->shares.scale_out >= 0.10 ? "scale-out network" : "memory capacity"));
  }
  CHECK(h800.limit->shares.scale_out >= h100.limit->shares.scale_out);
  // The interconnect's effect, isolated by re-planning the H800 with the H100's links: the model says
  // the cut NVLink costs DeepSeek-V3's TP=1 plans at most a few per cent (0 with the best plan): the
  // design DeepSeek built around the H800 hides it.
  REQUIRE(r.interconnect.size() == 1);
  const econ::InterconnectEffect& x = r.interconnect.front();
  CHECK(x.hardware == "h800");
  CHECK(x.versus == "h100-sxm");
  CHECK(x.days == Approx(*h800.days));
  CHECK(x.effect >= 0.0);
  CHECK(x.effect < 0.05);
  CHECK(x.text.find("400 vs 900 GB/s") != std::string::npos);

  // H20: BF16/FP8 peak 148/296 TFLOPS, 15% of the H100's 989.5/1979. No NIC rate in its profile, so the
  // default utilisation (37.5% of the 16-bit peak) stands in for the performance model, and it says so.
  const auto h20hw = profiles({"h20", "h100-sxm"});
  CHECK(h20hw[0].peak_flops_per_s(Precision::fp8) / h20hw[1].peak_flops_per_s(Precision::fp8) == Approx(0.15).margin(0.01));
  CHECK_FALSE(h20.performance_model);
  CHECK(has_note(h20, "scale-out"));
  CHECK(h20.mfu.value() == Approx(0.375 * 148.0 / 296.0));
  CHECK(*h20.days > 5.0 * *h100.days);  // far slower: ~393 vs ~41 days
  CHECK_FALSE(h20.cost_usd);            // no rental price in the profile
  CHECK(h20.energy_mwh.has_value());
}

TEST_CASE("hwcompare: each chip gets the requested precision or a stated fallback", "[hwcompare]") {
  const econ::HwCompareResult r = deepseek_v3({"a100-80gb", "v100", "ascend-910b"});
  const econ::HwRow& a100 = row(r, "a100-80gb");
  CHECK(a100.precision == Precision::bf16);
  CHECK(has_note(a100, "no dense fp8 peak: bf16 used"));
  const econ::HwRow& v100 = row(r, "v100");
  CHECK(v100.precision == Precision::fp16);
  CHECK(has_note(v100, "fp16 used"));
  // No published peak at all: no numbers, the missing fact named.
  const econ::HwRow& asc = row(r, "ascend-910b");
  CHECK_FALSE(asc.precision);
  CHECK_FALSE(asc.days);
  CHECK_FALSE(asc.gpu_hours);
  CHECK(has_note(asc, "no published dense peak"));
}

TEST_CASE("hwcompare: a model that does not fit names the smallest cluster that does", "[hwcompare]") {
  econ::HwCompareInputs in;
  in.tokens = 14.8e12;
  in.precision = Precision::fp8;
  in.gpus = 8;
  const auto r = econ::compare_hardware(load_model("deepseek-v3"), profiles({"h100-sxm"}), in, hwc_constants());
  const econ::HwRow& h = r.rows.front();
  CHECK(h.fits == std::optional<bool>(false));
  CHECK_FALSE(h.days);
  REQUIRE(h.min_gpus_to_fit);
  CHECK(*h.min_gpus_to_fit > 8);
  CHECK((*h.min_gpus_to_fit & (*h.min_gpus_to_fit - 1)) == 0);
}

TEST_CASE("hwcompare: --days sizes each cluster to the smallest power of two that meets it", "[hwcompare]") {
  const ModelSpec llama = load_model("llama-3.1-70b");
  econ::HwCompareInputs in;
  in.tokens = 15e12;
  in.deadline_days = 30;
  const auto r = econ::compare_hardware(llama, profiles({"h100-sxm", "mi300x"}), in, hwc_constants());
  const econ::HwRow& h = row(r, "h100-sxm");
  REQUIRE(h.gpus);
  CHECK(h.meets_deadline == std::optional<bool>(true));
  CHECK(*h.days <= 30.0);
  // Half the cluster misses the deadline.
  econ::HwCompareInputs half = in;
  half.deadline_days.reset();
  half.gpus = *h.gpus / 2;
  const auto r2 = econ::compare_hardware(llama, profiles({"h100-sxm"}), half, hwc_constants());
  CHECK(r2.rows.front().days.value() > 30.0);
  // MI300X has no NIC rate in its profile: default utilisation, still sized to the deadline.
  const econ::HwRow& mi = row(r, "mi300x");
  CHECK_FALSE(mi.performance_model);
  CHECK(mi.meets_deadline == std::optional<bool>(true));
  CHECK(*mi.days <= 30.0);
  CHECK(*mi.days > 15.0);  // the smallest power of two: half of it would be late
  // An impossible deadline is reported, not hidden.
  econ::HwCompareInputs tight = in;
  tight.deadline_days = 0.01;
  const auto r3 = econ::compare_hardware(llama, profiles({"h100-sxm"}), tight, hwc_constants());
  CHECK(r3.rows.front().meets_deadline == std::optional<bool>(false));
  CHECK_FALSE(r3.rows.front().notes.empty());
}

TEST_CASE("hwcompare: the limit rule", "[hwcompare]") {
  perf::Cluster cl;
  cl.gpus = 1024;
  cl.scale_up_domain = 8;
  perf::Evaluation e;
  e.plan.tp = 8;
  e.plan.pp = 8;
  e.plan.dp = 16;
  e.time = perf::TimeBreakdown{};
  e.time.gemm = 7.0;
  e.time.attention = 1.0;
  e.time.tp_comm = 0.5;   // TP 8 inside the 8-GPU domain: scale-up
  e.time.dp_comm = 0.5;   // DP over 128 GPUs per stage: scale-out
  e.time.pp_bubble = 0.6;
  e.time.elementwise = 0.4;
  e.time.step = 10.0;
  auto v = econ::classify_limit(e, cl, 0.10);
  CHECK(v.shares.compute == Approx(0.8));
  CHECK(v.shares.scale_up == Approx(0.05));
  CHECK(v.shares.scale_out == Approx(0.05));
  CHECK(v.shares.pipeline_bubble == Approx(0.06));
  CHECK(v.shares.hbm == Approx(0.04));
  CHECK(v.shares.compute + v.shares.hbm + v.shares.scale_up + v.shares.scale_out + v.shares.pipeline_bubble == Approx(1.0));
  CHECK(v.limit == "compute");
  // A bigger DP share crosses the threshold.
  e.time.gemm = 6.0;
  e.time.dp_comm = 1.5;
  v = econ::classify_limit(e, cl, 0.10);
  CHECK(v.limit == "scale-out network");
  // Below the threshold, a plan that needed ZeRO-3 to fit is memory-limited.
  e.time.gemm = 7.0;
  e.time.dp_comm = 0.5;
  e.plan.zero = 3;
  v = econ::classify_limit(e, cl, 0.10);
  CHECK(v.memory_bound);
  CHECK(v.limit == "memory capacity");
  // EP across domains counts as scale-out, inside one as scale-up.
  e.plan.zero = 1;
  e.plan.tp = 1;
  e.plan.ep = 8;
  e.time.tp_comm = 0;
  e.time.ep_comm = 2.0;
  e.time.gemm = 5.5;
  v = econ::classify_limit(e, cl, 0.10);
  CHECK(v.limit == "scale-up links");
  e.plan.ep = 16;
  v = econ::classify_limit(e, cl, 0.10);
  CHECK(v.limit == "scale-out network");
}

TEST_CASE("hwcompare: CLI JSON keys", "[hwcompare]") {
  const CliResult r = run_cli("compare-hardware --model deepseek-v3 --tokens 14.8T --hardware h800,h100-sxm,h20 --gpus 2048 "
                              "--precision fp8 --format json");
  INFO(r.err);
  REQUIRE(r.status == 0);
  const json j = json::parse(r.out);
  CHECK(j.at("schema") == "traincost.compare_hardware.v1");
  CHECK(j.at("gpus") == 2048);
  CHECK(j.at("deadline_days").is_null());
  REQUIRE(j.at("rows").size() == 3);
  for (const auto& x : j.at("rows"))
    for (const char* k : {"hardware", "plan", "fits", "gpus", "days", "gpu_hours", "cost_usd", "energy_mwh", "mfu", "limit",
                          "notes"})
      CHECK(x.contains(k));
  CHECK(j.at("rows")[0].at("hardware") == "h800");
  CHECK(j.at("rows")[0].at("limit") == "scale-out network");  // 10.9% of the step (see above)
  CHECK(j.at("rows")[2].at("cost_usd").is_null());
  CHECK(j.at("rows")[2].at("plan").is_null());
  CHECK(j.at("interconnect")[0].at("interconnect_effect").get<double>() >= 0.0);
}

TEST_CASE("hwcompare: bad usage exits 2", "[hwcompare]") {
  const std::string base = "compare-hardware --model deepseek-v3 --tokens 14.8T ";
  require_usage_error(base + "--hardware h100-sxm", "--gpus N");
  require_usage_error(base + "--hardware h100-sxm --gpus 8 --days 3", "--gpus");
  require_usage_error(base + "--hardware h100-sxm,nope --gpus 8", "--hardware");
  require_usage_error(base + "--hardware , --gpus 8", "--hardware");
  require_usage_error(base + "--hardware h100-sxm --days 0", "--days");
  require_usage_error(base + "--hardware h100-sxm --gpus 8 --format xml", "--format");
}

TEST_CASE("hwcompare: an absurdly short deadline names the GPUs it would need, never a wrapped integer", "[hwcompare]") {
  const auto r = test_support::run_cli("compare-hardware --model deepseek-v3 --tokens 14.8T --hardware h800 --days 1e-300");
  REQUIRE(r.status == 0);
  CHECK(r.out.find("-0 GPUs") == std::string::npos);
  // 3.86e24 FLOPs / (989.5e12 FLOP/s x 86400e-300 s) = 4.5e304 GPUs.
  CHECK(r.out.find("need at least 4.51e+304 GPUs even at 100% MFU") != std::string::npos);
}
