// `traincost budget`: the compute a budget buys, the compute-optimal dense model
// (Chinchilla approach 3, Besiroglu et al. 2024 refit) and an OLMoE-shaped MoE.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "test_laws.hpp"
#include "test_support.hpp"
#include "traincost/econ/budget.hpp"
#include "traincost/econ/cheapest.hpp"
#include "traincost/econ/hardware_compare.hpp"
#include "traincost/model/flops.hpp"
#include "traincost/model/loader.hpp"
#include "traincost/model/params.hpp"
#include "traincost/report/format.hpp"
#include "traincost/util/error.hpp"

using nlohmann::json;
using test_support::CliResult;
using test_support::run_cli;
using test_support::read_json;
using test_support::require_usage_error;
using namespace traincost;

namespace {


const econ::BudgetConstants& constants() {
  static const econ::BudgetConstants c =
      econ::budget_constants_from_json(read_json("constants/budget.json"), "constants/budget.json", test_support::scaling_laws());
  return c;
}

Accelerator hw(const std::string& id) { return load_accelerator(test_support::source_path("hwprofiles/" + id + ".json")); }

json budget_json(const std::string& args) {
  const CliResult r = run_cli("budget " + args + " --format json");
  INFO("traincost budget " << args << "\nstderr: " << r.err);
  REQUIRE(r.status == 0);
  json j;
  REQUIRE_NOTHROW(j = json::parse(r.out));
  return j;
}


}  // namespace

TEST_CASE("budget: the law's coefficients are the Besiroglu refit, with their source", "[budget]") {
  const econ::ComputeOptimalLaw& law = constants().law;
  CHECK(law.E == 1.8172);
  CHECK(law.A == 482.01);
  CHECK(law.B == 2085.43);
  CHECK(law.alpha == 0.3478);
  CHECK(law.beta == 0.3658);
  CHECK(law.source.find("arXiv:2404.10102") != std::string::npos);
  CHECK(law.quote.find("2085.43") != std::string::npos);
  // a = beta/(alpha+beta) = 0.3658/0.7136 = 0.5126 (formulas.md 6.1 table: "0.5126 (0.018)").
  CHECK(law.a() == Approx(0.5126).epsilon(1e-4));
  CHECK(law.a() + law.b() == Approx(1.0));
  // G = (alpha A / (beta B))^(1/(alpha+beta)) = (167.643 / 762.847)^(1.40135) = 0.21976^1.40135 = 0.11963
  CHECK(law.G() == Approx(0.11963).epsilon(1e-4));
}

TEST_CASE("budget: compute-optimal allocation of 1M H100 GPU-hours, by hand", "[budget]") {
  // C = 1e6 GPU-h x 3600 s x 989.5e12 FLOP/s (H100 SXM dense BF16) x 0.375 (default MFU)
  //   = 3.5622e24 x 0.375 = 1.335825e24 FLOPs
  // C/6 = 2.226375e23;  ln(C/6) = 53.7598
  // N_opt = G (C/6)^a = 0.11963 x exp(0.51261 x 53.7598 = 27.5580) = 0.11963 x 9.2954e11 = 1.1120e11
  // D_opt = G^-1 (C/6)^b = exp(0.48739 x 53.7598 = 26.2019) / 0.11963 = 2.3952e11 / 0.11963 = 2.0022e12
  // check: N_opt x D_opt = 2.2264e23 = C/6; D_opt / N_opt = 18.0 tokens per parameter
  const double C = 1e6 * 3600.0 * 989.5e12 * 0.375;
  CHECK(C == Approx(1.335825e24));
  const econ::ComputeOptimalLaw& law = constants().law;
  CHECK(law.n_opt(C) == Approx(1.1120e11).epsilon(1e-3));
  CHECK(law.d_opt(C) == Approx(2.0022e12).epsilon(1e-3));
  CHECK(law.n_opt(C) * law.d_opt(C) == Approx(C / 6.0));
  // L(N_opt, D_opt) = 1.8172 + 482.01 / N^0.3478 + 2085.43 / D^0.3658 = 1.8172 + 0.0714 + 0.0640 = 1.9525
  CHECK(law.loss(law.n_opt(C), law.d_opt(C)) == Approx(1.9525).epsilon(1e-3));

  econ::BudgetInputs in;
  in.gpu_hours = 1e6;
  const econ::BudgetResult r = econ::plan_budget(hw("h100-sxm"), in, constants());
  const econ::BudgetModel& d = r.dense;
  CHECK(d.compute_flops == Approx(C));
  CHECK(d.mfu == 0.375);
  CHECK(d.sizings == 1);  // no --gpus: no performance model to re-derive from
  CHECK(d.target_params == Approx(1.1120e11).epsilon(1e-3));
  CHECK(d.law_tokens == Approx(2.0022e12).epsilon(1e-3));
  // The nearest Llama-3-shaped model (whole layers) is within a few percent of N_opt.
  const double params = static_cast<double>(d.model.params.total());
  CHECK(params / d.target_params == Approx(1.0).margin(0.05));
  // It trains on what the budget buys: tokens x FLOPs/token = C, so the run costs the budget.
  CHECK(d.tokens * flops_per_token(d.model.spec, FlopOptions{}).model() == Approx(C));
  CHECK(d.gpu_hours.value() == Approx(1e6));
  CHECK(d.cost_usd.value() == Approx(2.99e6));  // RunPod $2.99/GPU-h in the profile
  REQUIRE(d.loss);
  CHECK(*d.loss == Approx(law.loss(params, d.tokens)));
  CHECK(d.loss_extrapolated);  // 111B parameters: beyond the 16B the law was fitted on
  CHECK_FALSE(d.wall_clock_days);
  CHECK_FALSE(d.fits);
  CHECK(d.min_gpus_to_fit.value() >= 16);  // 16 B/param x 111B = 1.8 TB of model states alone

  // MoE: 6 x N_act x 20 N_act = C  ->  N_act = sqrt(C / 120) = sqrt(1.1132e22) = 1.0551e11
  const econ::BudgetModel& m = r.moe;
  CHECK(m.target_params == Approx(1.0551e11).epsilon(1e-3));
  CHECK(static_cast<double>(m.model.params.active_matmul()) / m.target_params == Approx(1.0).margin(0.05));
  CHECK(m.model.spec.is_moe());
  CHECK(m.model.spec.first_moe()->num_experts == 64);
  CHECK(m.model.spec.first_moe()->top_k == 8);
  CHECK_FALSE(m.loss);
  CHECK(m.gpu_hours.value() == Approx(1e6));
}

TEST_CASE("budget: the shape rules reproduce Llama 3.1 8B and OLMoE-1B-7B", "[budget]") {
  // Llama 3 rule at 32 layers: d 4096, 32 heads, 8 KV heads, FFN 14336, vocab 128256.
  const econ::SizedModel llama = econ::size_dense(constants().dense, 8.03e9);
  CHECK(llama.layers == 32);
  CHECK(llama.spec.hidden_size == 4096);
  const ParamBreakdown ref = count_params(load_model("llama-3.1-8b"));
  CHECK(llama.params.total() == ref.total());
  CHECK(llama.params.total() == 8'030'261'248);
  // OLMoE rule at 16 layers: d 2048, 64 experts of width 1024, top-8, vocab 50304.
  const econ::SizedModel olmoe = econ::size_moe(constants().moe, 1.0e9);
  const ParamBreakdown oref = count_params(load_model("olmoe-1b-7b"));
  const ModelSpec o16 = model_from_spec(econ::moe_spec_json(constants().moe, 16), "moe-16");
  const ParamBreakdown o16p = count_params(o16);
  CHECK(o16p.active_matmul() == oref.active_matmul());
  // OLMoE's QK norms (2 x 2048 per layer) are not part of the rule.
  CHECK(oref.total() - o16p.total() == 16 * 2 * 2048);
  CHECK(olmoe.params.active_matmul() > 0);
  // A spec the rule builds loads through the public format (it is printed in the JSON).
  CHECK_NOTHROW(model_from_spec(llama.spec_json, "llama-rule"));
}

TEST_CASE("budget: a small budget stays inside the law's fitted regime", "[budget]") {
  econ::BudgetInputs in;
  in.gpu_hours = 2000;
  const econ::BudgetResult r = econ::plan_budget(hw("h100-sxm"), in, constants());
  // C = 2.67e21: N_opt ~ 4.6B, D_opt ~ 97B tokens, both inside 70M-16B / 5B-500B.
  CHECK(r.dense.target_params == Approx(4.6e9).epsilon(0.05));
  CHECK_FALSE(r.dense.loss_extrapolated);
}

TEST_CASE("budget: with --gpus the MFU comes from the performance model for the sized model", "[budget]") {
  econ::BudgetInputs in;
  in.gpu_hours = 1e6;
  in.gpus = 1024;
  in.gpus_source = "given (--gpus)";
  const econ::BudgetResult r = econ::plan_budget(hw("h100-sxm"), in, constants());
  for (const econ::BudgetModel* m : {&r.dense, &r.moe}) {
    INFO(m->kind);
    CHECK(m->sizings >= 2);
    CHECK(m->sizings <= 1 + constants().max_rederivations);
    CHECK_FALSE(m->plan.empty());
    CHECK(m->mfu != 0.375);
    CHECK(m->fits == std::optional<bool>(true));
    // The sized run spends the budget (to the rounding of an unsettled MFU).
    CHECK(m->gpu_hours.value() == Approx(1e6).epsilon(0.01));
    CHECK(m->wall_clock_days.value() == Approx(*m->gpu_hours / 1024.0 / 24.0));
  }
}

TEST_CASE("budget: a model the cluster cannot hold says so", "[budget]") {
  econ::BudgetInputs in;
  in.gpu_hours = 1e6;
  in.gpus = 8;
  const econ::BudgetResult r = econ::plan_budget(hw("h100-sxm"), in, constants());
  CHECK(r.dense.fits == std::optional<bool>(false));
  CHECK_FALSE(r.dense.wall_clock_days);
  CHECK(r.dense.min_gpus_to_fit.value() > 8);
  CHECK((r.dense.min_gpus_to_fit.value() & (r.dense.min_gpus_to_fit.value() - 1)) == 0);  // a power of two
}

TEST_CASE("budget: CLI JSON keys, dollars and a deadline", "[budget]") {
  const json j = budget_json("--usd 2.99M --hardware h100-sxm --days 30");
  CHECK(j.at("schema") == "traincost.budget.v1");
  CHECK(j.at("hardware") == "h100-sxm");
  CHECK(j.at("budget").at("usd").get<double>() == Approx(2.99e6));
  CHECK(j.at("budget").at("gpu_hours").get<double>() == Approx(1e6));  // $2.99M / $2.99 per GPU-hour
  // 1e6 GPU-hours in 30 days need 1389 GPUs: the next power of two.
  CHECK(j.at("gpus") == 2048);
  CHECK(j.at("gpus_source").get<std::string>().find("--days") != std::string::npos);
  CHECK(j.at("deadline_days") == 30);
  for (const char* k : {"name", "source", "E", "A", "B", "alpha", "beta", "G", "a", "b"}) CHECK(j.at("law").contains(k));
  for (const char* kind : {"dense", "moe"}) {
    INFO(kind);
    const json& m = j.at(kind);
    for (const char* k : {"params", "active_params", "tokens", "compute_flops", "mfu", "gpu_hours", "wall_clock_days",
                          "cost_usd", "energy_mwh", "fits", "min_gpus_to_fit", "meets_deadline", "plan", "spec", "notes"})
      CHECK(m.contains(k));
    CHECK(m.at("spec").at("format") == "traincost.model.v1");
    CHECK(m.at("meets_deadline") == true);
  }
  const json& loss = j.at("dense").at("loss");
  CHECK(loss.at("law").get<std::string>().find("Besiroglu") != std::string::npos);
  CHECK(loss.at("extrapolated").is_boolean());
  CHECK(loss.at("value").get<double>() > constants().law.E);
  CHECK(j.at("moe").at("loss").is_null());
  CHECK(j.at("moe").at("loss_note") == "see traincost compare");
}

TEST_CASE("budget: the table names the law and both models", "[budget]") {
  const CliResult r = run_cli("budget --gpu-hours 1M --hardware h100-sxm");
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("Besiroglu") != std::string::npos);
  CHECK(r.out.find("dense (compute-optimal)") != std::string::npos);
  CHECK(r.out.find("see traincost compare") != std::string::npos);
  CHECK(r.out.find("budget --model M --tokens T --days D") != std::string::npos);  // the cheapest-hardware question
}

TEST_CASE("budget: bad budgets and options exit 2 naming the option", "[budget]") {
  require_usage_error("budget --usd 0 --hardware h100-sxm", "--usd");
  require_usage_error("budget --usd -5 --hardware h100-sxm", "--usd");
  require_usage_error("budget --gpu-hours nan --hardware h100-sxm", "--gpu-hours");
  require_usage_error("budget --gpu-hours 0 --hardware h100-sxm", "--gpu-hours");
  require_usage_error("budget --gpu-hours abc --hardware h100-sxm", "--gpu-hours");
  require_usage_error("budget --usd 1M --gpu-hours 5 --hardware h100-sxm", "--usd");
  require_usage_error("budget --hardware h100-sxm", "--usd or --gpu-hours");
  require_usage_error("budget --gpu-hours 1M --hardware h100-sxm --gpus 0", "--gpus");
  require_usage_error("budget --gpu-hours 1M --hardware h100-sxm --days -1", "--days");
  require_usage_error("budget --gpu-hours 1M --hardware h100-sxm --precision fp4", "--precision");
  require_usage_error("budget --gpu-hours 1M --hardware nope", "--hardware");
  // No rental price: name --usd and point to --gpu-hours.
  const CliResult r = run_cli("budget --usd 1M --hardware h20");
  CHECK(r.status == 2);
  CHECK(r.err.find("--usd") != std::string::npos);
  CHECK(r.err.find("--gpu-hours") != std::string::npos);
}

TEST_CASE("budget: a broken constants file names the field", "[budget]") {
  json doc = read_json("constants/budget.json");
  doc["moe_shape"].erase("top_k");
  try {
    econ::budget_constants_from_json(doc, "budget.json", test_support::scaling_laws());
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("budget.json") != std::string::npos);
    CHECK(std::string(e.what()).find("moe_shape.top_k") != std::string::npos);
  }
  doc = read_json("constants/budget.json");
  doc["moe_shape"]["top_k"] = 65;
  CHECK_THROWS_AS(econ::budget_constants_from_json(doc, "budget.json", test_support::scaling_laws()), InputError);
  // The law needs its fitted regime (a loss outside it is flagged).
  econ::ScalingLaws no_regime = test_support::scaling_laws();
  no_regime.chinchilla.regime.tokens_max.reset();
  CHECK_THROWS_WITH(econ::budget_constants_from_json(read_json("constants/budget.json"), "budget.json", no_regime),
                    Catch::Contains("tokens_max"));
}

TEST_CASE("budget: the law has one copy, constants/scaling_laws.json", "[budget]") {
  // budget.json holds no coefficients of its own: `budget` and `compare` read the same Besiroglu refit.
  CHECK_FALSE(read_json("constants/budget.json").contains("compute_optimal_law"));
  const json doc = read_json("constants/scaling_laws.json");
  const json& b = doc.at("chinchilla_besiroglu");
  const econ::ComputeOptimalLaw& law = constants().law;
  CHECK(b.at("E").at("value").get<double>() == law.E);
  CHECK(b.at("A").at("value").get<double>() == law.A);
  CHECK(b.at("B").at("value").get<double>() == law.B);
  CHECK(b.at("alpha").at("value").get<double>() == law.alpha);
  CHECK(b.at("beta").at("value").get<double>() == law.beta);
  CHECK(b.at("regime").at("params_max").get<double>() == law.params_max);
  CHECK(b.at("regime").at("tokens_min").get<double>() == law.tokens_min);
  // The CLI reports where the law came from.
  const json j = budget_json("--gpu-hours 2000 --hardware h100-sxm");
  CHECK(j.at("law_file").get<std::string>().find("constants/scaling_laws.json") != std::string::npos);
  CHECK(j.at("constants_file").get<std::string>().find("constants/budget.json") != std::string::npos);
}

// ---- the cheapest hardware for a model and a deadline (budget --model M --tokens T --days D)

namespace {

const econ::HwCompareConstants& hwc() {
  static const econ::HwCompareConstants c = econ::hardware_compare_constants_from_json(
      read_json("constants/hardware_compare.json"), "constants/hardware_compare.json");
  return c;
}

std::vector<Accelerator> chips(std::initializer_list<const char*> ids) {
  std::vector<Accelerator> v;
  for (const char* id : ids) v.push_back(hw(id));
  return v;
}

// Llama 3.1 70B on 15T tokens (its model card's token count) in 30 days.
econ::CheapestResult llama70b_30_days(const std::vector<Accelerator>& hardware, std::optional<std::int64_t> max_gpus = {}) {
  econ::CheapestInputs in;
  in.tokens = 15e12;
  in.deadline_days = 30;
  in.max_gpus = max_gpus;
  return econ::cheapest_hardware(load_model("llama-3.1-70b"), hardware, in, hwc());
}

const std::vector<std::pair<econ::NotRankedWhy, std::string>>& reasons(const econ::CheapestResult& r, const std::string& id) {
  for (const auto& n : r.not_ranked)
    if (r.compared.rows[n.row].id == id) return n.reasons;
  FAIL(id << " is ranked");
  throw std::logic_error("unreachable");
}

bool has(const std::vector<std::pair<econ::NotRankedWhy, std::string>>& v, econ::NotRankedWhy w) {
  return std::any_of(v.begin(), v.end(), [&](const auto& x) { return x.first == w; });
}

}  // namespace

TEST_CASE("cheapest: ranked by dollars = GPU-hours x the profile's price, each cluster the smallest that meets the deadline",
          "[budget][cheapest]") {
  const std::vector<Accelerator> hardware = chips({"h100-sxm", "h800", "b200", "a100-80gb", "h20", "mi300x", "ascend-910b"});
  const econ::CheapestResult r = llama70b_30_days(hardware);
  REQUIRE(r.compared.rows.size() == hardware.size());
  // h100-sxm, h800, b200: priced, plannable, in time. a100-80gb is priced and plannable but
  // late: the default batch (2,048 sequences of 4,096) caps data parallelism at 2,048. On
  // 16,384 A100 the best plan (38% MFU) takes 52 days; on 24,576 each data-parallel rank
  // holds one micro-batch, the pipeline bubble drops it to 17.5% MFU and 78 days.
  REQUIRE(r.ranking.size() == 3);
  CHECK(has(reasons(r, "a100-80gb"), econ::NotRankedWhy::misses_deadline));
  CHECK(r.ranking.size() + r.not_ranked.size() == hardware.size());
  const auto& rows = r.compared.rows;
  for (std::size_t k = 0; k < r.ranking.size(); ++k) {
    const econ::HwRow& x = rows[r.ranking[k].row];
    const Accelerator& chip = hardware[r.ranking[k].row];
    INFO(x.id);
    REQUIRE(x.cost_usd);
    if (k > 0) CHECK(*x.cost_usd >= *rows[r.ranking[k - 1].row].cost_usd);  // cheapest first
    CHECK(r.ranking[k].cost_vs_cheapest == Approx(*x.cost_usd / *rows[r.ranking.front().row].cost_usd));
    // cost = GPU-hours x the rental price in hwprofiles/<id>.json; GPU-hours = GPUs x days x 24.
    CHECK(*x.cost_usd == Approx(*x.gpu_hours * chip.rental->usd_per_gpu_hour).epsilon(1e-12));
    CHECK(*x.gpu_hours == Approx(static_cast<double>(*x.gpus) * *x.days * 24.0).epsilon(1e-12));
    CHECK(r.ranking[k].price_source.find(chip.rental->source) != std::string::npos);
    CHECK(x.performance_model);
    CHECK(*x.days <= 30.0);
    // One power-of-two step smaller does not meet the deadline: no plan fits, or it is late.
    const std::int64_t half = *x.gpus / 2;
    REQUIRE(half >= 1);
    econ::HwCompareInputs smaller;
    smaller.tokens = 15e12;
    smaller.gpus = half;
    const econ::HwRow s = econ::compare_hardware(load_model("llama-3.1-70b"), {chip}, smaller, hwc()).rows.front();
    INFO("on " << half << " GPUs: fits " << s.fits.value_or(false) << ", days " << s.days.value_or(-1));
    CHECK((s.fits != std::optional<bool>(true) || s.days.value_or(1e300) > 30.0));
  }
  // Hand check, h100-sxm: RunPod's $2.99 per GPU-hour (hwprofiles/h100-sxm.json).
  for (const auto& k : r.ranking)
    if (rows[k.row].id == "h100-sxm") CHECK(*rows[k.row].cost_usd == Approx(*rows[k.row].gpu_hours * 2.99));
  // The answer names the cheapest and its dollars.
  const econ::HwRow& best = rows[r.ranking.front().row];
  CHECK(r.answer.rfind("Cheapest: " + best.id + ",", 0) == 0);
  CHECK(r.answer.find(report::usd(*best.cost_usd)) != std::string::npos);

  // Not ranked, with the reason: h20 (no scale-out bandwidth in its profile for the performance
  // model, and no price), mi300x (no scale-out bandwidth), ascend-910b (no dense peak).
  CHECK(has(reasons(r, "h20"), econ::NotRankedWhy::no_performance_model));
  CHECK(has(reasons(r, "h20"), econ::NotRankedWhy::no_price));
  CHECK(reasons(r, "mi300x").size() == 1);
  CHECK(has(reasons(r, "mi300x"), econ::NotRankedWhy::no_performance_model));
  CHECK(reasons(r, "mi300x").front().second.find("scale-out") != std::string::npos);
  CHECK(reasons(r, "ascend-910b").size() == 1);
  CHECK(has(reasons(r, "ascend-910b"), econ::NotRankedWhy::no_peak));
}

TEST_CASE("cheapest: a GPU cap the deadline cannot be met within, and a model no capped cluster holds", "[budget][cheapest]") {
  // 70B x 15T: 6 N D = 6 x 70.6e9 x 15e12 = 6.35e24 FLOPs (more with attention); in 30 days at 100%
  // of the H100's dense BF16 989.5 TFLOP/s that needs 6.35e24 / (989.5e12 x 86,400 x 30) = 2,476 GPUs
  // at least, above the cap of 2,048. A B200 cluster of 2,048 holds it but is late.
  const econ::CheapestResult r = llama70b_30_days(chips({"h100-sxm", "b200"}), 2048);
  CHECK(r.max_gpus == 2048);
  CHECK(r.ranking.empty());
  CHECK(r.answer.rfind("None of the 2 accelerators", 0) == 0);
  CHECK(has(reasons(r, "h100-sxm"), econ::NotRankedWhy::misses_deadline));
  CHECK(reasons(r, "h100-sxm").front().second.find("even at 100% MFU") != std::string::npos);
  CHECK(has(reasons(r, "b200"), econ::NotRankedWhy::misses_deadline));
  const econ::HwRow& b200 = r.compared.rows[1];
  CHECK(b200.gpus == std::optional<std::int64_t>(2048));
  CHECK(*b200.days > 30.0);

  // Llama 3.1 405B's model states alone (16 B/parameter, 6.5 TB) exceed 4 x 80 GB.
  econ::CheapestInputs in;
  in.tokens = 1e9;
  in.deadline_days = 1e4;
  in.max_gpus = 4;
  const econ::CheapestResult big = econ::cheapest_hardware(load_model("llama-3.1-405b"), chips({"h100-sxm"}), in, hwc());
  CHECK(big.ranking.empty());
  CHECK(has(reasons(big, "h100-sxm"), econ::NotRankedWhy::no_plan_fits));

  in.max_gpus = hwc().max_cluster_gpus + 1;
  CHECK_THROWS_AS(econ::cheapest_hardware(load_model("llama-3.1-8b"), chips({"h100-sxm"}), in, hwc()), UsageError);
  in.max_gpus.reset();
  in.deadline_days = 0;
  CHECK_THROWS_AS(econ::cheapest_hardware(load_model("llama-3.1-8b"), chips({"h100-sxm"}), in, hwc()), UsageError);
}

TEST_CASE("cheapest: CLI JSON, table and the default candidates (every profile)", "[budget][cheapest]") {
  const json j = budget_json("--model llama-3.1-70b --tokens 15T --days 30");
  CHECK(j.at("schema") == "traincost.cheapest_hardware.v1");
  std::size_t profiles = 0;
  for (const auto& e : std::filesystem::directory_iterator(test_support::source_path("hwprofiles")))
    profiles += e.path().extension() == ".json";
  CHECK(j.at("candidates").size() == profiles);
  CHECK(j.at("ranking").size() + j.at("not_ranked").size() == profiles);
  REQUIRE_FALSE(j.at("ranking").empty());
  CHECK(j.at("cheapest") == j.at("ranking").at(0).at("hardware"));
  double last = 0;
  for (const json& x : j.at("ranking")) {
    for (const char* k : {"rank", "hardware", "precision", "gpus", "plan", "days", "gpu_hours", "price_usd_per_gpu_hour",
                          "price_source", "cost_usd", "cost_vs_cheapest", "energy_mwh", "mfu", "limit"})
      CHECK(x.contains(k));
    CHECK(x.at("cost_usd").get<double>() >= last);
    last = x.at("cost_usd").get<double>();
    CHECK(x.at("cost_usd").get<double>() ==
          Approx(x.at("gpu_hours").get<double>() * x.at("price_usd_per_gpu_hour").get<double>()));
    CHECK(x.at("days").get<double>() <= 30.0);
  }
  for (const json& x : j.at("not_ranked")) {
    REQUIRE_FALSE(x.at("reasons").empty());
    for (const json& w : x.at("reasons")) {
      const std::string code = w.at("code");
      CHECK((code == "no_peak" || code == "no_performance_model" || code == "no_plan_fits" || code == "misses_deadline" ||
             code == "no_price"));
      CHECK_FALSE(w.at("text").get<std::string>().empty());
    }
  }
  const CliResult t = run_cli("budget --model llama-3.1-70b --tokens 15T --days 30 --hardware h100-sxm,h800,h20");
  REQUIRE(t.status == 0);
  CHECK(t.out.find("Cheapest: ") != std::string::npos);
  CHECK(t.out.find("Not ranked") != std::string::npos);
  CHECK(t.out.find("h20: no rental price") != std::string::npos);
}

TEST_CASE("cheapest: bad input exits 2 naming the option; a missing model file exits 1", "[budget][cheapest]") {
  const std::string m = "budget --model llama-3.1-70b ";
  require_usage_error(m + "--tokens 15T --days 0", "--days");
  require_usage_error(m + "--tokens 15T --days -2", "--days");
  require_usage_error(m + "--tokens 15T", "--days");
  require_usage_error(m + "--days 30", "--tokens");
  require_usage_error(m + "--tokens 15T --days 30 --usd 5M", "--usd");
  require_usage_error(m + "--tokens 15T --days 30 --gpu-hours 5M", "--gpu-hours");
  require_usage_error(m + "--tokens 15T --days 30 --gpus 8", "--gpus");
  require_usage_error(m + "--tokens 15T --days 30 --max-gpus 0", "--max-gpus");
  require_usage_error(m + "--tokens 15T --days 30 --hardware nope", "--hardware");
  require_usage_error(m + "--tokens 15T --days 30 --hardware ,", "--hardware");
  require_usage_error("budget --model nope --tokens 15T --days 30", "--model");
  require_usage_error("budget --usd 5M --hardware h100-sxm --tokens 15T", "--tokens");
  require_usage_error("budget --usd 5M --hardware h100-sxm --max-gpus 8", "--max-gpus");
  require_usage_error("budget --usd 5M", "--hardware");
  const CliResult r = run_cli("budget --model /nonexistent/model.json --tokens 15T --days 30");
  CHECK(r.status == 1);
  CHECK(r.out.empty());
  CHECK(r.err.find("/nonexistent/model.json") != std::string::npos);
}

TEST_CASE("budget: the accessors read each constants file once, the law from scaling_laws.json", "[budget]") {
  // load_once (util/constants_file.hpp) keeps one parsed copy per accessor.
  CHECK(&econ::budget_constants() == &econ::budget_constants());
  CHECK(&econ::scaling_laws() == &econ::scaling_laws());
  CHECK(&econ::hardware_compare_constants() == &econ::hardware_compare_constants());
  const econ::ComputeOptimalLaw& law = econ::budget_constants().law;
  const econ::ChinchillaLaw& ch = econ::scaling_laws().chinchilla;
  CHECK(law.E == ch.E);
  CHECK(law.A == ch.A);
  CHECK(law.B == ch.B);
  CHECK(law.alpha == ch.alpha);
  CHECK(law.beta == ch.beta);
  CHECK(law.name == ch.name);
  CHECK(econ::budget_constants().law_path == econ::scaling_laws().file);
  CHECK(econ::budget_constants().path.find("budget.json") != std::string::npos);
}
