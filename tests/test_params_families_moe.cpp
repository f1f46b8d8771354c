// Hand-verified parameter counts for the mixture-of-experts Hugging Face families
// with flat, llama-like configs: mixtral, phimoe, olmoe, qwen2_moe, qwen3_moe,
// granitemoe(shared) (method and notation: families_support.hpp).
#include <catch2/catch.hpp>

#include <cstdint>

#include <nlohmann/json.hpp>

#include "families_support.hpp"
#include "traincost/model/params.hpp"
#include "traincost/model/spec.hpp"

using namespace traincost;
using nlohmann::json;
using test_support::hf;

// ---------------------------------------------------------------------------
// Mixture-of-experts families
// ---------------------------------------------------------------------------

TEST_CASE("family: mixtral every layer MoE", "[params][families]") {
  // MixtralSparseMoeBlock: gate Linear(d, E, bias=False); experts w1/w2/w3 (d x F, no bias).
  const json cfg = R"({
    "model_type": "mixtral", "hidden_size": 64, "num_hidden_layers": 2,
    "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 100,
    "intermediate_size": 128, "num_local_experts": 4, "num_experts_per_tok": 2,
    "hidden_act": "silu", "tie_word_embeddings": false, "sliding_window": null
  })"_json;
  const ModelSpec s = hf(cfg);
  REQUIRE(s.num_moe_layers() == 2);
  REQUIRE(!s.layers[0].dense);
  const ParamBreakdown p = count_params(s);
  REQUIRE(p.embedding.total == 6400);
  REQUIRE(p.output_head.total == 6400);
  // attention: 12288 ×2 = 24576
  REQUIRE(p.attention.total == 24576);
  REQUIRE(p.dense_ffn.total == 0);
  // experts: one = 3·64·128 = 24576; stored 4·24576 = 98304 ×2 = 196608; active 2·24576 ×2 = 98304
  REQUIRE(p.routed_experts.total == 196608);
  REQUIRE(p.routed_experts.active == 98304);
  // router: 64·4 = 256 ×2 = 512
  REQUIRE(p.router.total == 512);
  REQUIRE(p.shared_experts.total == 0);
  REQUIRE(p.norms.total == 320);
  // total = 12800 + 24576 + 196608 + 512 + 320 = 234816
  REQUIRE(p.total() == 234816);
  // active = 12800 + 24576 + 98304 + 512 + 320 = 136512
  REQUIRE(p.active() == 136512);
}

TEST_CASE("family: phimoe LayerNorms, attention and lm_head biases", "[params][families]") {
  // PhimoeAttention: q/k/v/o bias=config.attention_bias; input_layernorm,
  // post_attention_layernorm and model.norm are LayerNorm (elementwise_affine);
  // lm_head bias=config.lm_head_bias; experts w1/w2/w3 and router without bias.
  const json cfg = R"({
    "model_type": "phimoe", "hidden_size": 64, "num_hidden_layers": 1,
    "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 100,
    "intermediate_size": 96, "num_local_experts": 4, "num_experts_per_tok": 2,
    "attention_bias": true, "lm_head_bias": true, "tie_word_embeddings": false
  })"_json;
  const ParamBreakdown p = count_params(hf(cfg));
  REQUIRE(p.embedding.total == 6400);
  // lm_head: 6400 + bias 100 = 6500
  REQUIRE(p.output_head.total == 6500);
  // attention: 12288 + biases 64 + 32 + 32 + 64 = 12480
  REQUIRE(p.attention.total == 12480);
  // experts: one = 3·64·96 = 18432; stored 4× = 73728; active 2× = 36864
  REQUIRE(p.routed_experts.total == 73728);
  REQUIRE(p.routed_experts.active == 36864);
  // router 64·4 = 256
  REQUIRE(p.router.total == 256);
  // norms: 2 LayerNorm = 256 + final LayerNorm 128 = 384
  REQUIRE(p.norms.total == 384);
  // total = 6400 + 6500 + 12480 + 73728 + 256 + 384 = 99748
  REQUIRE(p.total() == 99748);
  // active = 6400 + 6500 + 12480 + 36864 + 256 + 384 = 62884
  REQUIRE(p.active() == 62884);
}

TEST_CASE("family: olmoe QK norm and 8 experts", "[params][families]") {
  // OlmoeAttention: q_norm RMSNorm(d), k_norm RMSNorm(kv·hd); OlmoeSparseMoeBlock:
  // gate Linear(d, E, bias=False), experts gate/up/down_proj.
  const json cfg = R"({
    "model_type": "olmoe", "hidden_size": 64, "num_hidden_layers": 1,
    "num_attention_heads": 4, "num_key_value_heads": 4, "vocab_size": 100,
    "intermediate_size": 32, "num_experts": 8, "num_experts_per_tok": 2,
    "hidden_act": "silu", "tie_word_embeddings": false
  })"_json;
  const ParamBreakdown p = count_params(hf(cfg));
  // attention: 4·4096 = 16384 + q_norm 64 + k_norm 64 = 16512
  REQUIRE(p.attention.total == 16512);
  // experts: one = 3·64·32 = 6144; stored 8× = 49152; active 2× = 12288
  REQUIRE(p.routed_experts.total == 49152);
  REQUIRE(p.routed_experts.active == 12288);
  // router 64·8 = 512
  REQUIRE(p.router.total == 512);
  // norms: 128 + 64 = 192
  REQUIRE(p.norms.total == 192);
  // total = 12800 + 16512 + 49152 + 512 + 192 = 79168
  REQUIRE(p.total() == 79168);
  // active = 12800 + 16512 + 12288 + 512 + 192 = 42304
  REQUIRE(p.active() == 42304);
}

TEST_CASE("family: qwen2_moe shared expert, gate, sparse step and mlp_only_layers", "[params][families]") {
  // Qwen2MoeDecoderLayer: sparse iff layer ∉ mlp_only_layers and (i+1) % decoder_sparse_step == 0,
  // else Qwen2MoeMLP(intermediate_size). Qwen2MoeSparseMoeBlock: gate Linear(d, E, bias=False),
  // experts of moe_intermediate_size, shared_expert Qwen2MoeMLP(shared_expert_intermediate_size),
  // shared_expert_gate Linear(d, 1, bias=False). Attention: q/k/v bias, o no bias.
  const json cfg = R"({
    "model_type": "qwen2_moe", "hidden_size": 64, "num_hidden_layers": 6,
    "num_attention_heads": 4, "num_key_value_heads": 4, "vocab_size": 100,
    "intermediate_size": 160, "moe_intermediate_size": 32,
    "shared_expert_intermediate_size": 64, "num_experts": 4, "num_experts_per_tok": 2,
    "decoder_sparse_step": 2, "mlp_only_layers": [3], "hidden_act": "silu",
    "tie_word_embeddings": false, "use_sliding_window": false
  })"_json;
  const ModelSpec s = hf(cfg);
  // (i+1) % 2 == 0 -> layers 1, 3, 5; layer 3 is mlp-only -> MoE layers {1, 5}
  REQUIRE(s.num_moe_layers() == 2);
  for (std::int64_t i = 0; i < 6; ++i) {
    const bool moe = (i == 1 || i == 5);
    INFO("layer " << i);
    REQUIRE(s.layers[i].moe.has_value() == moe);
    REQUIRE(s.layers[i].dense.has_value() == !moe);
  }
  REQUIRE(s.layers[1].moe->shared_gate);
  REQUIRE(s.layers[1].moe->num_shared == 1);
  const ParamBreakdown p = count_params(s);
  REQUIRE(p.embedding.total == 6400);
  REQUIRE(p.output_head.total == 6400);
  // attention per layer: 16384 + q/k/v biases 3·64 = 16576; ×6 = 99456
  REQUIRE(p.attention.total == 99456);
  // dense layers 0, 2, 3, 4: 3·64·160 = 30720 ×4 = 122880
  REQUIRE(p.dense_ffn.total == 122880);
  // routed: one = 3·64·32 = 6144; stored 4× ×2 layers = 49152; active 2× ×2 = 24576
  REQUIRE(p.routed_experts.total == 49152);
  REQUIRE(p.routed_experts.active == 24576);
  // shared: 3·64·64 = 12288 + gate 64·1 = 64 -> 12352; ×2 = 24704 (always active)
  REQUIRE(p.shared_experts.total == 24704);
  REQUIRE(p.shared_experts.active == 24704);
  // router: 64·4 = 256 ×2 = 512
  REQUIRE(p.router.total == 512);
  // norms: 128 ×6 + 64 = 832
  REQUIRE(p.norms.total == 832);
  // total = 12800 + 99456 + 122880 + 49152 + 24704 + 512 + 832 = 310336
  REQUIRE(p.total() == 310336);
  // active = 310336 - 49152 + 24576 = 285760
  REQUIRE(p.active() == 285760);
}

TEST_CASE("family: qwen3_moe per-head QK norm, no shared expert", "[params][families]") {
  // Qwen3MoeAttention as Qwen3 (q_norm/k_norm RMSNorm(head_dim)); Qwen3MoeSparseMoeBlock:
  // gate Linear(d, E, bias=False) and experts of moe_intermediate_size; no shared expert.
  const json cfg = R"({
    "model_type": "qwen3_moe", "hidden_size": 64, "num_hidden_layers": 2,
    "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 32,
    "vocab_size": 100, "intermediate_size": 96, "moe_intermediate_size": 32,
    "num_experts": 8, "num_experts_per_tok": 2, "decoder_sparse_step": 1,
    "mlp_only_layers": [], "hidden_act": "silu", "tie_word_embeddings": false
  })"_json;
  const ModelSpec s = hf(cfg);
  REQUIRE(s.num_moe_layers() == 2);
  const ParamBreakdown p = count_params(s);
  // attention: 24576 + 2·32 = 24640 ×2 = 49280
  REQUIRE(p.attention.total == 49280);
  REQUIRE(p.dense_ffn.total == 0);
  // routed: 3·64·32 = 6144; stored 8× ×2 = 98304; active 2× ×2 = 24576
  REQUIRE(p.routed_experts.total == 98304);
  REQUIRE(p.routed_experts.active == 24576);
  REQUIRE(p.shared_experts.total == 0);
  // router: 64·8 ×2 = 1024
  REQUIRE(p.router.total == 1024);
  REQUIRE(p.norms.total == 320);
  // total = 12800 + 49280 + 98304 + 1024 + 320 = 161728
  REQUIRE(p.total() == 161728);
  // active = 12800 + 49280 + 24576 + 1024 + 320 = 88000
  REQUIRE(p.active() == 88000);
}

TEST_CASE("family: granitemoe and granitemoeshared", "[params][families]") {
  // GraniteMoeMoE: input_linear ParallelExperts(E, d, 2F), output_linear (E, F, d),
  // router TopKGating layer Linear(d, E, bias=False). granitemoeshared adds
  // shared_mlp: input_linear Linear(d, 2·S), output_linear Linear(S, d), no bias.
  json cfg = R"({
    "model_type": "granitemoe", "hidden_size": 64, "num_hidden_layers": 1,
    "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 100,
    "intermediate_size": 32, "num_local_experts": 4, "num_experts_per_tok": 2,
    "hidden_act": "silu", "tie_word_embeddings": true
  })"_json;
  const ParamBreakdown p = count_params(hf(cfg));
  REQUIRE(p.output_head.total == 0);
  // attention 12288
  REQUIRE(p.attention.total == 12288);
  // experts: 64·64 + 32·64 = 6144 each; stored 4× = 24576; active 2× = 12288
  REQUIRE(p.routed_experts.total == 24576);
  REQUIRE(p.routed_experts.active == 12288);
  REQUIRE(p.router.total == 256);
  REQUIRE(p.shared_experts.total == 0);
  REQUIRE(p.norms.total == 192);
  // total = 6400 + 12288 + 24576 + 256 + 192 = 43712; active = 6400 + 12288 + 12288 + 256 + 192 = 31424
  REQUIRE(p.total() == 43712);
  REQUIRE(p.active() == 31424);

  cfg["model_type"] = "granitemoeshared";
  cfg["shared_intermediate_size"] = 48;
  const ModelSpec shared = hf(cfg);
  REQUIRE(shared.family == "granitemoeshared");
  const ParamBreakdown q = count_params(shared);
  // shared_mlp: 64·96 + 48·64 = 9216, always active
  REQUIRE(q.shared_experts.total == 9216);
  REQUIRE(q.shared_experts.active == 9216);
  REQUIRE(q.total() == 43712 + 9216);
  REQUIRE(q.active() == 31424 + 9216);
}
