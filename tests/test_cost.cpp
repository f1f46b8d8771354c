// Cost arithmetic: GPU-hours, dollars, energy and CO2 from the formulas in
// estimate.hpp, checked on values worked out by hand.
#include <catch2/catch.hpp>

#include "traincost/cost/constants.hpp"
#include "traincost/cost/estimate.hpp"
#include "traincost/model/loader.hpp"
#include "traincost/util/error.hpp"

using namespace traincost;

namespace {
EstimateInputs inputs(double tokens, std::int64_t gpus, Precision p, std::optional<double> mfu) {
  EstimateInputs in;
  in.tokens = tokens;
  in.gpus = gpus;
  in.precision = p;
  in.mfu = mfu;
  in.pue = defaults::kPue;
  in.grid_kgco2_per_kwh = defaults::kGridKgCo2PerKwh;
  in.flops.seq_len = 4096;
  return in;
}
}  // namespace

TEST_CASE("cost: 2.788M H800 GPU-hours at $2 print $5.576M (DeepSeek-V3 Table 1)", "[cost]") {
  const ModelSpec m = load_model("deepseek-v3");
  const Accelerator h800 = load_accelerator("h800");
  // Choose the MFU that yields exactly 2.788M GPU-hours, then check the dollar arithmetic.
  auto in = inputs(14.8e12, 2048, Precision::fp8, 0.2);
  const double flops = estimate(m, h800, in).training_flops;
  in.mfu = flops / (1979e12 * 2.788e6 * 3600.0);
  const Estimate e = estimate(m, h800, in);
  CHECK(e.gpu_hours == Approx(2.788e6).epsilon(1e-12));
  REQUIRE(e.cost_usd.has_value());
  CHECK(*e.cost_usd == Approx(5.576e6).epsilon(1e-12));
  CHECK(*e.price_usd_per_gpu_hour == 2.0);  // the paper's assumption, carried by the h800 profile
  // 2,664K pre-training GPU-hours over 2,048 GPUs = 54.2 days ("less than two months").
  in.mfu = flops / (1979e12 * 2.664e6 * 3600.0);
  CHECK(*estimate(m, h800, in).wall_clock_days == Approx(2.664e6 / 2048 / 24).epsilon(1e-12));
}

TEST_CASE("cost: GPU-hours = FLOPs / (peak × MFU × 3600)", "[cost]") {
  const ModelSpec m = load_model("llama-3.1-405b");
  const Accelerator h100 = load_accelerator("h100-sxm");
  const Estimate e = estimate(m, h100, inputs(15.6e12, 16384, Precision::bf16, 0.41));
  CHECK(e.peak_flops_per_gpu_s == 989.5e12);
  CHECK(e.gpu_hours == Approx(e.training_flops / (989.5e12 * 0.41 * 3600.0)).epsilon(1e-12));
  CHECK(*e.wall_clock_days == Approx(e.gpu_hours / 16384 / 24).epsilon(1e-12));
  CHECK(*e.cost_usd == Approx(e.gpu_hours * h100.rental->usd_per_gpu_hour).epsilon(1e-12));
}

TEST_CASE("cost: energy follows the Epoch AI method", "[cost][energy]") {
  const ModelSpec m = load_model("llama-3.1-8b");
  SECTION("H100: 700 W × 1.82 server share × 0.75 average × PUE 1.1 ≈ 1.05 kW per GPU (formulas §7.5)") {
    auto in = inputs(1e12, 1024, Precision::bf16, 0.4);
    in.pue = 1.1;
    const Estimate e = estimate(m, load_accelerator("h100-sxm"), in);
    CHECK(*e.power_per_gpu_w == Approx(700 * 1.82 * 0.75 * 1.1).epsilon(1e-12));  // 1,051.05 W
    CHECK(*e.energy_mwh == Approx(e.gpu_hours * 1051.05 / 1e6).epsilon(1e-9));
    CHECK(*e.co2_tonnes == Approx(*e.energy_mwh * 0.429).epsilon(1e-12));
  }
  SECTION("TPUs draw 0.43 of server TDP, and a profile without a multiplier uses 1.8") {
    auto in = inputs(1e12, 1024, Precision::bf16, 0.4);
    const Estimate e = estimate(m, load_accelerator("tpu-v4"), in);
    CHECK(*e.power_per_gpu_w == Approx(192 * 1.8 * 0.43 * defaults::kPue).epsilon(1e-12));
  }
  SECTION("no TDP in the profile: energy is absent and a note says why") {
    const Estimate e = estimate(m, load_accelerator("tpu-v5p"), inputs(1e12, 1024, Precision::bf16, 0.4));
    CHECK_FALSE(e.energy_mwh.has_value());
    CHECK_FALSE(e.co2_tonnes.has_value());
    REQUIRE_FALSE(e.notes.empty());
  }
}

TEST_CASE("cost: the default utilisation is 37.5% of the 16-bit peak, also for FP8", "[cost][mfu]") {
  const ModelSpec m = load_model("llama-3.1-8b");
  const Accelerator h100 = load_accelerator("h100-sxm");
  const Estimate bf16 = estimate(m, h100, inputs(1e12, 64, Precision::bf16, std::nullopt));
  CHECK(bf16.mfu == 0.375);
  const Estimate fp8 = estimate(m, h100, inputs(1e12, 64, Precision::fp8, std::nullopt));
  CHECK(fp8.mfu == Approx(0.375 * 989.5 / 1979.0));
  // Same achieved FLOP/s, so the same GPU-hours: FP8 is not assumed to speed up a run without a model.
  CHECK(fp8.gpu_hours == Approx(bf16.gpu_hours));
}

TEST_CASE("cost: an FP8 rate equal to the 16-bit one is named, not silent", "[cost][precision]") {
  const ModelSpec m = load_model("llama-3.1-8b");
  const auto names_no_speedup = [](const Estimate& e) {
    for (const auto& n : e.notes)
      if (n.find("no compute speed-up") != std::string::npos) return true;
    return false;
  };
  // TPU v5p lists FP8 459 = BF16 459 TFLOPS (hwprofiles/tpu-v5p.json); H100 FP8 1,979 = 2 x BF16.
  CHECK(names_no_speedup(estimate(m, load_accelerator("tpu-v5p"), inputs(1e12, 64, Precision::fp8, 0.4))));
  CHECK_FALSE(names_no_speedup(estimate(m, load_accelerator("tpu-v5p"), inputs(1e12, 64, Precision::bf16, 0.4))));
  CHECK_FALSE(names_no_speedup(estimate(m, load_accelerator("h100-sxm"), inputs(1e12, 64, Precision::fp8, 0.4))));
}

TEST_CASE("cost: a model that cannot fit even fully sharded is an error", "[cost][memory]") {
  const ModelSpec m = load_model("llama-3.1-405b");
  // 405.85B × 16 B = 6.49 TB; over 8 × 80 GB it cannot fit.
  REQUIRE_THROWS_AS(estimate(m, load_accelerator("h100-sxm"), inputs(1e12, 8, Precision::bf16, 0.4)), InputError);
  // 128 GPUs: 50.7 GB each, fits.
  CHECK_NOTHROW(estimate(m, load_accelerator("h100-sxm"), inputs(1e12, 128, Precision::bf16, 0.4)));
}

TEST_CASE("cost: a precision the chip lacks is a usage error naming the supported ones", "[cost]") {
  const ModelSpec m = load_model("llama-3.1-8b");
  try {
    estimate(m, load_accelerator("a100-80gb"), inputs(1e12, 8, Precision::fp8, 0.4));
    FAIL("expected UsageError");
  } catch (const UsageError& e) {
    CHECK_THAT(e.what(), Catch::Contains("fp8") && Catch::Contains("bf16"));
  }
}
