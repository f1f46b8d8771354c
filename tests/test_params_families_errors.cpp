// The Hugging Face config loader's generic fallback for an unknown model_type, and
// its input errors: missing keys, n_group, num_experts_per_tok, num_key_value_heads,
// hidden_size (helpers: families_support.hpp).
#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "families_support.hpp"
#include "traincost/model/params.hpp"
#include "traincost/model/spec.hpp"

using namespace traincost;
using nlohmann::json;
using test_support::hf;
using test_support::input_error_of;

// ---------------------------------------------------------------------------
// Generic fallback and input errors
// ---------------------------------------------------------------------------

TEST_CASE("family: unknown model_type with llama keys falls back with a warning", "[params][families]") {
  const json cfg = R"({
    "model_type": "my_decoder", "hidden_size": 64, "num_hidden_layers": 1,
    "num_attention_heads": 4, "vocab_size": 100, "intermediate_size": 128
  })"_json;
  const ModelSpec s = hf(cfg);
  REQUIRE(s.family == "my_decoder");
  REQUIRE(!s.warnings.empty());
  REQUIRE_THAT(s.warnings.front(), Catch::Contains("my_decoder"));
  // as llama: 6400 + head 6400 + attention 16384 + MLP 24576 + norms 192 = 53952
  REQUIRE(count_params(s).total() == 53952);
  // a supported family records no warning
  json llama = cfg;
  llama["model_type"] = "llama";
  REQUIRE(hf(llama).warnings.empty());
}

TEST_CASE("family: unknown model_type without the standard keys is an InputError", "[params][families]") {
  const json cfg = R"({
    "model_type": "my_decoder", "hidden_size": 64, "num_hidden_layers": 1,
    "num_attention_heads": 4, "vocab_size": 100
  })"_json;
  const std::string msg = input_error_of([&] { hf(cfg); });
  REQUIRE_THAT(msg, Catch::Contains("intermediate_size"));
  REQUIRE_THAT(msg, Catch::Contains("my_decoder"));

  json no_layers = cfg;
  no_layers["intermediate_size"] = 128;
  no_layers.erase("num_hidden_layers");
  REQUIRE_THAT(input_error_of([&] { hf(no_layers); }), Catch::Contains("num_hidden_layers"));
}

TEST_CASE("family: n_group that does not divide the routed experts is an InputError", "[params][families]") {
  json cfg = R"({
    "model_type": "deepseek_v3", "hidden_size": 64, "num_hidden_layers": 2,
    "num_attention_heads": 4, "vocab_size": 100, "q_lora_rank": 24,
    "kv_lora_rank": 32, "qk_nope_head_dim": 16, "qk_rope_head_dim": 8,
    "v_head_dim": 16, "intermediate_size": 128, "moe_intermediate_size": 32,
    "n_routed_experts": 8, "num_experts_per_tok": 2, "n_shared_experts": 1, "n_group": 3, "topk_group": 1
  })"_json;
  REQUIRE_THAT(input_error_of([&] { hf(cfg); }), Catch::Contains("n_group") && Catch::Contains("divide"));
  cfg["n_group"] = 4;  // 8 experts in 4 groups of 2
  CHECK(input_error_of([&] { hf(cfg); }) == "<no InputError thrown>");
}

TEST_CASE("family: num_experts_per_tok above the expert count is an InputError", "[params][families]") {
  SECTION("mixtral") {
    const json cfg = R"({
      "model_type": "mixtral", "hidden_size": 64, "num_hidden_layers": 1,
      "num_attention_heads": 4, "vocab_size": 100, "intermediate_size": 32,
      "num_local_experts": 2, "num_experts_per_tok": 3
    })"_json;
    REQUIRE_THAT(input_error_of([&] { hf(cfg); }), Catch::Contains("num_experts_per_tok"));
  }
  SECTION("deepseek_v3") {
    const json cfg = R"({
      "model_type": "deepseek_v3", "hidden_size": 64, "num_hidden_layers": 2,
      "num_attention_heads": 4, "vocab_size": 100, "q_lora_rank": 24,
      "kv_lora_rank": 32, "qk_nope_head_dim": 16, "qk_rope_head_dim": 8,
      "v_head_dim": 16, "intermediate_size": 128, "moe_intermediate_size": 32,
      "n_routed_experts": 4, "num_experts_per_tok": 5, "n_shared_experts": 1
    })"_json;
    REQUIRE_THAT(input_error_of([&] { hf(cfg); }), Catch::Contains("num_experts_per_tok"));
  }
  SECTION("qwen3_moe") {
    const json cfg = R"({
      "model_type": "qwen3_moe", "hidden_size": 64, "num_hidden_layers": 1,
      "num_attention_heads": 4, "vocab_size": 100, "intermediate_size": 96,
      "moe_intermediate_size": 32, "num_experts": 8, "num_experts_per_tok": 9
    })"_json;
    REQUIRE_THAT(input_error_of([&] { hf(cfg); }), Catch::Contains("num_experts_per_tok"));
  }
}

TEST_CASE("family: num_key_value_heads must divide the heads", "[params][families]") {
  const json cfg = R"({
    "model_type": "llama", "hidden_size": 64, "num_hidden_layers": 1,
    "num_attention_heads": 4, "num_key_value_heads": 3, "vocab_size": 100,
    "intermediate_size": 128
  })"_json;
  REQUIRE_THAT(input_error_of([&] { hf(cfg); }), Catch::Contains("num_key_value_heads"));
  json more_kv = cfg;
  more_kv["num_key_value_heads"] = 8;
  REQUIRE_THAT(input_error_of([&] { hf(more_kv); }), Catch::Contains("num_key_value_heads"));
}

TEST_CASE("family: hidden_size must be a positive whole number", "[params][families]") {
  json cfg = R"({
    "model_type": "llama", "hidden_size": 64, "num_hidden_layers": 1,
    "num_attention_heads": 4, "vocab_size": 100, "intermediate_size": 128
  })"_json;
  REQUIRE(count_params(hf(cfg)).total() == 53952);  // the valid base (see the fallback test)
  for (const json& bad : {json(-64), json(0), json(64.5), json("64")}) {
    INFO("hidden_size = " << bad.dump());
    cfg["hidden_size"] = bad;
    REQUIRE_THAT(input_error_of([&] { hf(cfg); }), Catch::Contains("hidden_size"));
  }
  // 64.0 is a whole number and accepted
  cfg["hidden_size"] = 64.0;
  REQUIRE(count_params(hf(cfg)).total() == 53952);
}
