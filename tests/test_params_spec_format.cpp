// Hand-verified parameter counts for the project's own spec format
// ("traincost.model.v1"), and the keys and values it rejects (method and notation:
// families_support.hpp).
#include <catch2/catch.hpp>

#include <cstdint>

#include <nlohmann/json.hpp>

#include "families_support.hpp"
#include "test_support.hpp"
#include "traincost/model/loader.hpp"
#include "traincost/model/params.hpp"
#include "traincost/model/spec.hpp"
#include "traincost/util/json_fields.hpp"

using namespace traincost;
using nlohmann::json;
using test_support::input_error_of;

// ---------------------------------------------------------------------------
// The project's own spec format
// ---------------------------------------------------------------------------

TEST_CASE("family: spec format gpt-3-175b counts to 174,604,259,328", "[params][families]") {
  const json doc = read_json_object_file(test_support::source_path("models/gpt-3-175b.json"));
  const ModelSpec s = model_from_spec(doc.at("spec"), "models/gpt-3-175b.json");
  REQUIRE(s.num_layers() == 96);
  REQUIRE(s.family == "traincost.model.v1");
  const ParamBreakdown p = count_params(s);
  const std::int64_t d = 12288;
  // token embedding 50257·d = 617,558,016; positions 2048·d = 25,165,824; head tied
  REQUIRE(p.embedding.total == 617'558'016);
  REQUIRE(p.position_embedding.total == 25'165'824);
  REQUIRE(p.output_head.total == 0);
  // attention: 4d² + 4d biases = 604,028,928 per layer ×96 = 57,986,777,088
  REQUIRE(p.attention.total == 96 * (4 * d * d + 4 * d));
  REQUIRE(p.attention.total == 57'986'777'088);
  // MLP (GeLU, 4d): 8d² + 4d + d = 1,208,020,992 per layer ×96 = 115,970,015,232
  REQUIRE(p.dense_ffn.total == 115'970'015'232);
  // norms: 2 LayerNorm = 4d per layer ×96 + final 2d = 4,743,168
  REQUIRE(p.norms.total == 4'743'168);
  // total = 96·(12d² + 13d) + 50257·d + 2048·d + 2d = 174,604,259,328
  REQUIRE(p.total() == 96 * (12 * d * d + 13 * d) + 50257 * d + 2048 * d + 2 * d);
  REQUIRE(p.total() == 174'604'259'328);
  REQUIRE(p.active() == 174'604'259'328);
  REQUIRE(p.total_nonembedding() == 173'961'535'488);
  // matmul: 96·12d² + head V·d = 174,563,733,504
  REQUIRE(p.active_matmul() == 174'563'733'504);
}

TEST_CASE("family: spec format MLA + MoE + MTP", "[params][families]") {
  // Same shape as the deepseek_v3 test but without the correction bias (the spec
  // format has none): total 193400 - 2·8 = 193384.
  const json spec = R"({
    "format": "traincost.model.v1", "hidden_size": 64, "num_layers": 3, "vocab_size": 100,
    "attention": {"type": "mla", "num_heads": 4, "q_lora_rank": 24, "kv_lora_rank": 32,
                  "qk_nope_head_dim": 16, "qk_rope_head_dim": 8, "v_head_dim": 16},
    "ffn": {"activation": "swiglu", "intermediate_size": 128},
    "moe": {"num_experts": 8, "top_k": 2, "expert_intermediate_size": 32,
            "num_shared_experts": 1, "first_dense_layers": 1},
    "mtp_layers": 1
  })"_json;
  const ModelSpec s = model_from_spec(spec, "spec.json");
  REQUIRE(!s.layers[0].moe);
  REQUIRE(s.layers[1].moe);
  REQUIRE(s.layers[2].moe);
  const ParamBreakdown p = count_params(s);
  // attention 14648 ×3 = 43944; dense 24576; routed 98304 (active 24576); shared 12288;
  // router 512 ×2 = 1024; norms 448; embedding + head 12800
  REQUIRE(p.attention.total == 43944);
  REQUIRE(p.router.total == 1024);
  REQUIRE(p.total() == 193384);
  // active = 193384 - 98304 + 24576 = 119656
  REQUIRE(p.active() == 119656);
  // MTP: 14648 + 49152 + 6144 + 512 + 128 + 8192 + 192 = 78968
  REQUIRE(p.mtp.total == 78968);
}

TEST_CASE("family: spec format GQA MoE with interval, shared width, biases, LayerNorm", "[params][families]") {
  const json spec = R"({
    "format": "traincost.model.v1", "hidden_size": 64, "num_layers": 4, "vocab_size": 100,
    "tie_word_embeddings": true, "norm": "layernorm", "linear_bias": true,
    "attention": {"type": "gqa", "num_heads": 4, "num_kv_heads": 2},
    "ffn": {"activation": "gelu", "intermediate_size": 128},
    "moe": {"num_experts": 4, "top_k": 1, "expert_intermediate_size": 32,
            "num_shared_experts": 1, "shared_intermediate_size": 48,
            "first_dense_layers": 1, "layer_interval": 2}
  })"_json;
  const ModelSpec s = model_from_spec(spec, "spec.json");
  // MoE iff i >= 1 and (i - 1) % 2 == 0 -> {1, 3}
  REQUIRE(!s.layers[0].moe);
  REQUIRE(s.layers[1].moe);
  REQUIRE(!s.layers[2].moe);
  REQUIRE(s.layers[3].moe);
  const ParamBreakdown p = count_params(s);
  REQUIRE(p.output_head.total == 0);
  // attention: 12288 + biases 64 + 32 + 32 + 64 = 12480 ×4 = 49920
  REQUIRE(p.attention.total == 49920);
  // dense (gelu, 2 matrices): 2·64·128 = 16384 + biases 128 + 64 = 16576 ×2 = 33152
  REQUIRE(p.dense_ffn.total == 33152);
  // expert: 2·64·32 = 4096 + 32 + 64 = 4192; stored 4× ×2 = 33536; active 1× ×2 = 8384
  REQUIRE(p.routed_experts.total == 33536);
  REQUIRE(p.routed_experts.active == 8384);
  // shared: 2·64·48 = 6144 + 48 + 64 = 6256 ×2 = 12512
  REQUIRE(p.shared_experts.total == 12512);
  // router: 64·4 ×2 = 512
  REQUIRE(p.router.total == 512);
  // norms: 2·128 per layer ×4 = 1024 + final LayerNorm 128 = 1152
  REQUIRE(p.norms.total == 1152);
  // total = 6400 + 49920 + 33152 + 33536 + 12512 + 512 + 1152 = 137184
  REQUIRE(p.total() == 137184);
  // active = 137184 - 33536 + 8384 = 112032
  REQUIRE(p.active() == 112032);
}

TEST_CASE("family: spec format rejects unknown keys and bad top_k", "[params][families]") {
  const json base = R"({
    "format": "traincost.model.v1", "hidden_size": 64, "num_layers": 2, "vocab_size": 100,
    "attention": {"type": "mha", "num_heads": 4},
    "ffn": {"activation": "swiglu", "intermediate_size": 128},
    "moe": {"num_experts": 4, "top_k": 2, "expert_intermediate_size": 32}
  })"_json;
  // valid base: 12800 + attention 16384·2 + experts 4·6144·2 + router 256·2 + norms 320 = 95552
  REQUIRE(count_params(model_from_spec(base, "spec.json")).total() == 95552);

  SECTION("top level") {
    json bad = base;
    bad["hidden_sise"] = 64;
    REQUIRE_THAT(input_error_of([&] { model_from_spec(bad, "spec.json"); }), Catch::Contains("hidden_sise"));
  }
  SECTION("inside attention") {
    json bad = base;
    bad["attention"]["num_kv_head"] = 2;
    REQUIRE_THAT(input_error_of([&] { model_from_spec(bad, "spec.json"); }),
                 Catch::Contains("attention.num_kv_head"));
  }
  SECTION("inside moe") {
    json bad = base;
    bad["moe"]["topk"] = 2;
    REQUIRE_THAT(input_error_of([&] { model_from_spec(bad, "spec.json"); }), Catch::Contains("moe.topk"));
  }
  SECTION("top_k above num_experts") {
    json bad = base;
    bad["moe"]["top_k"] = 5;
    REQUIRE_THAT(input_error_of([&] { model_from_spec(bad, "spec.json"); }), Catch::Contains("top_k"));
  }
}
