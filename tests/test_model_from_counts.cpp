// A model given by its total and active parameter counts (issue 15): the shape
// is derived from the budget's shape families (constants/budget.json) and must
// count to the request; every result that uses it says so.
#include <cmath>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "test_support.hpp"
#include "traincost/econ/budget.hpp"
#include "traincost/model/params.hpp"
#include "traincost/model/shape_from_counts.hpp"
#include "traincost/util/error.hpp"

using nlohmann::json;
using test_support::require_usage_error;
using test_support::run_cli;
using test_support::run_json;
using namespace traincost;

namespace {

FittedShape fit(double total, double active) {
  const econ::BudgetConstants& c = econ::budget_constants();
  ShapeRequest r;
  r.total_params = total;
  r.active_params = active;
  return shape_from_counts(r, c.dense, c.moe);
}

std::int64_t get(const json& spec, const char* a, const char* b) { return spec.at(a).at(b).get<std::int64_t>(); }

}  // namespace

TEST_CASE("shape from counts: a 400B-total, 20B-active MoE counts to the request", "[model][counts]") {
  const FittedShape s = fit(400e9, 20e9);
  REQUIRE_FALSE(s.dense);
  REQUIRE(s.model.spec.is_moe());
  const double total = static_cast<double>(s.model.params.total());
  const double active = static_cast<double>(s.model.params.active());
  CHECK(std::fabs(total / 400e9 - 1) < 0.01);
  CHECK(std::fabs(active / 20e9 - 1) < 0.01);
  CHECK(s.total_error == Approx(total / 400e9 - 1));

  // Recount by hand from the shape's fields (OLMoE shape: MHA, SwiGLU experts, a router,
  // two RMSNorms per layer and a final one, untied 50,304-token embeddings).
  const json& j = s.model.spec_json;
  const double d = j.at("hidden_size").get<double>(), L = j.at("num_layers").get<double>();
  const double E = static_cast<double>(get(j, "moe", "num_experts")), k = static_cast<double>(get(j, "moe", "top_k"));
  const double w = static_cast<double>(get(j, "moe", "expert_intermediate_size"));
  const double V = j.at("vocab_size").get<double>();
  CHECK(d == 5120);  // 128 x 43 = 5504, to a multiple of 1024
  CHECK(get(j, "attention", "num_heads") == 40);
  CHECK(k == 8);
  const double per_layer_fixed = 4 * d * d + 2 * d;  // Q, K, V, O and two norms
  CHECK(total == L * (per_layer_fixed + E * 3 * d * w + d * E) + 2 * V * d + d);
  CHECK(active == L * (per_layer_fixed + k * 3 * d * w + d * E) + 2 * V * d + d);
  // The expert width stays near the rule's d_model / 2; the count near 20 x 20B / 8 ... well above top-k.
  CHECK(w / d == Approx(0.5).margin(0.1));
  CHECK(E > 8 * k);
  // Aligned for the hardware: the unrounded fit (43 layers: 212 experts of width 2825) divides by
  // expert parallelism of only 4; within 0.5% of both counts a shape with experts by 16 exists.
  CHECK(static_cast<std::int64_t>(E) % 16 == 0);
  CHECK(static_cast<std::int64_t>(w) % 64 == 0);
  CHECK(std::fabs(total / 400e9 - 1) <= 0.005);
  CHECK(std::fabs(active / 20e9 - 1) <= 0.005);
  CHECK(std::fabs(L - 43) <= 4);  // within 10% of the rule's layer count
}

TEST_CASE("shape from counts: given experts are kept and the width aligned", "[model][counts]") {
  ShapeRequest r;
  r.total_params = 400e9, r.active_params = 20e9, r.experts = 256;
  const econ::BudgetConstants& c = econ::budget_constants();
  const FittedShape s = shape_from_counts(r, c.dense, c.moe);
  CHECK(get(s.model.spec_json, "moe", "num_experts") == 256);
  CHECK(get(s.model.spec_json, "moe", "expert_intermediate_size") % 64 == 0);
  CHECK(std::fabs(s.total_error) <= 0.005);
  CHECK(std::fabs(s.active_error) <= 0.005);
}

TEST_CASE("shape from counts: equal counts make a dense Llama-3-shaped model", "[model][counts]") {
  const FittedShape s = fit(70e9, 70e9);
  REQUIRE(s.dense);
  REQUIRE_FALSE(s.model.spec.is_moe());
  CHECK(std::fabs(static_cast<double>(s.model.params.total()) / 70e9 - 1) < 0.01);
  CHECK(s.model.params.total() == s.model.params.active());
  const json& j = s.model.spec_json;
  const double d = j.at("hidden_size").get<double>();
  CHECK(get(j, "attention", "num_kv_heads") == 8);
  // Llama 3.1 70B has d_model 8192 over 80 layers; the rule's 128 x layers gives 9216 at 68-72 layers.
  CHECK(d == 9216);
  CHECK(static_cast<double>(get(j, "ffn", "intermediate_size")) / d == Approx(3.5).margin(0.5));
  CHECK(get(j, "ffn", "intermediate_size") % 256 == 0);  // Llama 3's multiple_of 256, within 0.5% of the total
  CHECK(std::fabs(static_cast<double>(s.model.params.total()) / 70e9 - 1) <= 0.005);
}

TEST_CASE("shape from counts: impossible requests are refused naming the option", "[model][counts]") {
  const econ::BudgetConstants& c = econ::budget_constants();
  ShapeRequest r;
  r.total_params = 20e9;
  r.active_params = 400e9;
  CHECK_THROWS_WITH(shape_from_counts(r, c.dense, c.moe), Catch::StartsWith("--active-params: 4e+11 exceeds"));
  r.total_params = 400e9;
  r.active_params = 399e9;  // an MoE of 9 experts top-8 already holds more
  CHECK_THROWS_WITH(shape_from_counts(r, c.dense, c.moe), Catch::StartsWith("--total-params:"));
  r.active_params = 20e9;
  r.experts = 16;
  r.top_k = 2;  // at most ~8x the active
  CHECK_THROWS_WITH(shape_from_counts(r, c.dense, c.moe), Catch::StartsWith("--experts: no shape"));
}

TEST_CASE("cli: estimate by total and active parameters, table and JSON", "[cli][counts]") {
  const std::string run = "estimate --total-params 400e9 --active-params 20e9 --hardware h100-sxm --gpus 2048 --tokens 20T";
  const json j = run_json(run + " --format json");
  REQUIRE(j.contains("model_shape"));
  const json& s = j.at("model_shape");
  CHECK(s.at("derived_from") == "total/active parameter counts");
  CHECK(s.at("kind") == "moe");
  CHECK(s.at("rule").get<std::string>().find("OLMoE") != std::string::npos);
  CHECK(std::fabs(j.at("total_params").get<double>() / 400e9 - 1) < 0.02);
  CHECK(std::fabs(j.at("active_params").get<double>() / 20e9 - 1) < 0.02);
  CHECK(j.at("total_params") == s.at("counted_total_params"));
  for (const char* k : {"layers", "d_model", "heads", "experts", "top_k", "expert_intermediate_size", "spec"})
    CHECK(s.contains(k));
  CHECK(j.at("model") == "custom-400B-A20B");

  const auto t = run_cli(run);
  REQUIRE(t.status == 0);
  CHECK(t.out.rfind("Model shape DERIVED from total/active parameter counts", 0) == 0);
  CHECK(t.out.find("208 experts, top-8") != std::string::npos);

  const json dense = run_json("estimate --total-params 8e9 --active-params 8e9 --hardware h100-sxm --tokens 1T --format json");
  CHECK(dense.at("model_shape").at("kind") == "dense");
  CHECK(dense.at("total_params") == dense.at("active_params"));
  // A preset carries no model_shape.
  CHECK_FALSE(run_json("estimate --model llama-3.1-8b --hardware h100-sxm --tokens 1T --format json").contains("model_shape"));
}

TEST_CASE("cli: plan, check and compare take the counts too", "[cli][counts]") {
  const std::string m = "--total-params 400e9 --active-params 20e9 --hardware h100-sxm --gpus 2048 --tokens 20T";
  CHECK(run_json("plan " + m + " --top 1 --format json").contains("model_shape"));
  CHECK(run_json("check " + m + " --claimed-gpu-hours 5e6 --format json").contains("model_shape"));
  CHECK(run_json("compare " + m + " --format json").contains("model_shape"));
}

TEST_CASE("cli: bad counts are usage errors naming the option and its range", "[cli][counts]") {
  const std::string tail = " --hardware h100-sxm --tokens 1T";
  require_usage_error("estimate --total-params 20e9 --active-params 400e9" + tail, "--active-params: 4e+11 exceeds --total-params");
  require_usage_error("estimate --total-params 400e9" + tail, "--active-params: missing");
  require_usage_error("estimate --total-params nan --active-params 1e9" + tail, "--total-params: nan is out of range; expected a number in [1e+09, 1e+14]");
  require_usage_error("estimate --total-params -4e11 --active-params 1e9" + tail, "--total-params:");
  require_usage_error("estimate --total-params 1e16 --active-params 1e12" + tail, "--total-params: 1e16 is out of range");
  require_usage_error("estimate --total-params 4e11 --active-params 0" + tail, "--active-params: 0 is out of range");
  require_usage_error("estimate --model llama-3.1-8b --total-params 4e11 --active-params 2e10" + tail,
                      "--total-params: give either --model or the parameter counts, not both");
  require_usage_error("estimate --total-params 7e10 --active-params 7e10 --experts 8" + tail, "--experts: only an MoE");
  require_usage_error("estimate --total-params 4e11 --active-params 2e10 --layers 0" + tail, "--layers: 0 is out of range; expected 1..1024");
  require_usage_error("estimate --total-params 4e11 --active-params 2e10 --top-k 65" + tail, "--top-k: 65 is out of range; expected 1..64");
  require_usage_error("estimate" + tail, "--model: missing");
  require_usage_error("estimate --total-params 1e14 --active-params 1e9" + tail, "--total-params: 1e+14 is 100000x --active-params");
  // 2 layers of d_model 1024 for 70B would need an FFN wider than the spec format's 10,000,000.
  require_usage_error("estimate --total-params 7e10 --active-params 7e10 --layers 2" + tail,
                      "--layers: no shape of the family can hold these counts");
}
