// Hand-verified parameter counts for the dense Hugging Face families of the llama
// lineage: llama, mistral, granite, phi3, qwen2, qwen3, olmo2 (method and notation:
// families_support.hpp).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "families_support.hpp"
#include "traincost/model/params.hpp"
#include "traincost/model/spec.hpp"

using namespace traincost;
using nlohmann::json;
using test_support::hf;

// ---------------------------------------------------------------------------
// Dense families of the llama lineage
// ---------------------------------------------------------------------------

TEST_CASE("family: llama with attention_bias and mlp_bias", "[params][families]") {
  // LlamaAttention: q/k/v/o_proj all bias=config.attention_bias;
  // LlamaMLP: gate/up/down_proj bias=config.mlp_bias; input_layernorm,
  // post_attention_layernorm and model.norm are RMSNorm; untied by default.
  const json cfg = R"({
    "model_type": "llama", "hidden_size": 64, "num_hidden_layers": 2,
    "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 100,
    "intermediate_size": 128, "hidden_act": "silu",
    "attention_bias": true, "mlp_bias": true
  })"_json;
  const ModelSpec s = hf(cfg);
  REQUIRE(s.family == "llama");
  REQUIRE(s.num_layers() == 2);
  REQUIRE(!s.is_moe());
  REQUIRE(s.layers[0].attn.head_dim == 16);  // 64 / 4
  REQUIRE(s.layers[0].attn.num_kv_heads == 2);
  const ParamBreakdown p = count_params(s);
  // embed_tokens: V·d = 100·64 = 6400
  REQUIRE(p.embedding.total == 6400);
  // lm_head (untied): 6400
  REQUIRE(p.output_head.total == 6400);
  // attention per layer: q 64·64 = 4096, k 64·32 = 2048, v 2048, o 64·64 = 4096
  //   -> 12288 matmul; biases q 64 + k 32 + v 32 + o 64 = 192 -> 12480; ×2 layers = 24960
  REQUIRE(p.attention.total == 24960);
  REQUIRE(p.attention.active_matmul == 24576);
  // MLP per layer: 3·64·128 = 24576; biases gate 128 + up 128 + down 64 = 320 -> 24896; ×2 = 49792
  REQUIRE(p.dense_ffn.total == 49792);
  REQUIRE(p.dense_ffn.active_matmul == 49152);
  // norms: 2 RMSNorm(64) per layer ×2 = 256, + final norm 64 = 320
  REQUIRE(p.norms.total == 320);
  REQUIRE(p.routed_experts.total == 0);
  REQUIRE(p.router.total == 0);
  // total = 6400 + 6400 + 24960 + 49792 + 320 = 87872 (dense: active = total)
  REQUIRE(p.total() == 87872);
  REQUIRE(p.active() == 87872);
  REQUIRE(p.active_excl_input_embedding() == 87872 - 6400);
  REQUIRE(p.active_nonembedding() == 87872 - 6400 - 6400);
  // matmul weights: head 6400 + attention 24576 + MLP 49152 = 80128
  REQUIRE(p.active_matmul() == 80128);
}

TEST_CASE("family: mistral sliding window lands in every layer", "[params][families]") {
  // MistralAttention: q/k/v/o without bias; RMSNorms; sliding_window in the config.
  const json cfg = R"({
    "model_type": "mistral", "hidden_size": 64, "num_hidden_layers": 2,
    "num_attention_heads": 4, "num_key_value_heads": 1, "vocab_size": 100,
    "intermediate_size": 96, "hidden_act": "silu", "sliding_window": 32,
    "tie_word_embeddings": false
  })"_json;
  const ModelSpec s = hf(cfg);
  REQUIRE(s.num_layers() == 2);
  for (const auto& l : s.layers) {
    REQUIRE(l.attn.sliding_window == 32);
    REQUIRE(l.attn.num_kv_heads == 1);
  }
  const ParamBreakdown p = count_params(s);
  // embedding 6400, head 6400
  REQUIRE(p.embedding.total == 6400);
  REQUIRE(p.output_head.total == 6400);
  // attention per layer: q 4096 + k 64·16 = 1024 + v 1024 + o 4096 = 10240; ×2 = 20480
  REQUIRE(p.attention.total == 20480);
  // MLP per layer: 3·64·96 = 18432; ×2 = 36864
  REQUIRE(p.dense_ffn.total == 36864);
  // norms: 2·2·64 + 64 = 320
  REQUIRE(p.norms.total == 320);
  // total = 12800 + 20480 + 36864 + 320 = 70464
  REQUIRE(p.total() == 70464);
  REQUIRE(p.active() == 70464);

  // Without the key (or null) attention is global.
  json no_window = cfg;
  no_window["sliding_window"] = nullptr;
  REQUIRE(hf(no_window).layers[1].attn.sliding_window == 0);
}

TEST_CASE("family: granite tied embeddings", "[params][families]") {
  // GraniteAttention/GraniteMLP: bias=config.attention_bias / mlp_bias (false here);
  // RMSNorms; the multipliers are scalars, not parameters.
  const json cfg = R"({
    "model_type": "granite", "hidden_size": 64, "num_hidden_layers": 1,
    "num_attention_heads": 4, "num_key_value_heads": 4, "vocab_size": 100,
    "intermediate_size": 128, "hidden_act": "silu", "tie_word_embeddings": true,
    "attention_bias": false, "mlp_bias": false,
    "embedding_multiplier": 12.0, "residual_multiplier": 0.22,
    "attention_multiplier": 0.015625, "logits_scaling": 8.0
  })"_json;
  const ParamBreakdown p = count_params(hf(cfg));
  // embedding 6400; tied head stores nothing but is still a V·d GEMM
  REQUIRE(p.embedding.total == 6400);
  REQUIRE(p.output_head.total == 0);
  REQUIRE(p.output_head.active_matmul == 6400);
  // attention: 4·64·64 = 16384
  REQUIRE(p.attention.total == 16384);
  // MLP: 3·64·128 = 24576
  REQUIRE(p.dense_ffn.total == 24576);
  // norms: 2·64 + 64 = 192
  REQUIRE(p.norms.total == 192);
  // total = 6400 + 16384 + 24576 + 192 = 47552
  REQUIRE(p.total() == 47552);
  REQUIRE(p.active() == 47552);
  // matmul: head 6400 + 16384 + 24576 = 47360
  REQUIRE(p.active_matmul() == 47360);
}

TEST_CASE("family: phi3 fused qkv and gate_up without biases", "[params][families]") {
  // Phi3Attention: qkv_proj Linear(d, h·hd + 2·kv·hd, bias=False), o_proj no bias;
  // Phi3MLP: gate_up_proj Linear(d, 2F, bias=False), down_proj no bias; RMSNorms.
  const json cfg = R"({
    "model_type": "phi3", "hidden_size": 64, "num_hidden_layers": 2,
    "num_attention_heads": 8, "num_key_value_heads": 8, "vocab_size": 120,
    "intermediate_size": 160, "hidden_act": "silu", "sliding_window": 2047,
    "tie_word_embeddings": false
  })"_json;
  const ModelSpec s = hf(cfg);
  REQUIRE(s.layers[0].attn.head_dim == 8);
  REQUIRE(s.layers[0].attn.sliding_window == 2047);
  REQUIRE(s.layers[1].attn.sliding_window == 2047);
  const ParamBreakdown p = count_params(s);
  // embedding 120·64 = 7680; head 7680
  REQUIRE(p.embedding.total == 7680);
  REQUIRE(p.output_head.total == 7680);
  // attention: qkv 64·(64 + 2·64) = 12288 + o 4096 = 16384 per layer; ×2 = 32768
  REQUIRE(p.attention.total == 32768);
  // MLP: gate_up 64·320 = 20480 + down 160·64 = 10240 -> 30720; ×2 = 61440
  REQUIRE(p.dense_ffn.total == 61440);
  // norms: 2·2·64 + 64 = 320
  REQUIRE(p.norms.total == 320);
  // total = 15360 + 32768 + 61440 + 320 = 109888
  REQUIRE(p.total() == 109888);
  REQUIRE(p.active() == 109888);
}

TEST_CASE("family: qwen2 has q/k/v biases and no o_proj bias", "[params][families]") {
  // Qwen2Attention: q/k/v_proj bias=True, o_proj bias=False; RMSNorms.
  // use_sliding_window=false: the sliding_window value is not used.
  const json cfg = R"({
    "model_type": "qwen2", "hidden_size": 64, "num_hidden_layers": 2,
    "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 100,
    "intermediate_size": 128, "hidden_act": "silu", "tie_word_embeddings": true,
    "use_sliding_window": false, "sliding_window": 4096, "max_window_layers": 2
  })"_json;
  const ModelSpec s = hf(cfg);
  REQUIRE(s.layers[0].attn.qkv_bias);
  REQUIRE(!s.layers[0].attn.o_bias);
  REQUIRE(s.layers[0].attn.sliding_window == 0);
  const ParamBreakdown p = count_params(s);
  // embedding 6400, tied head 0
  REQUIRE(p.embedding.total == 6400);
  REQUIRE(p.output_head.total == 0);
  // attention per layer: 4096 + 2048 + 2048 + 4096 = 12288 + biases q 64 + k 32 + v 32 = 128
  //   -> 12416; ×2 = 24832
  REQUIRE(p.attention.total == 24832);
  // MLP: 3·64·128 = 24576; ×2 = 49152
  REQUIRE(p.dense_ffn.total == 49152);
  // norms: 320
  REQUIRE(p.norms.total == 320);
  // total = 6400 + 24832 + 49152 + 320 = 80704
  REQUIRE(p.total() == 80704);
  REQUIRE(p.active() == 80704);
}

TEST_CASE("family: qwen3 per-head QK norm and explicit head_dim", "[params][families]") {
  // Qwen3Attention: q_proj d -> h·hd, k/v_proj d -> kv·hd, o_proj h·hd -> d
  // (bias=config.attention_bias, false); q_norm and k_norm are RMSNorm(head_dim).
  const json cfg = R"({
    "model_type": "qwen3", "hidden_size": 64, "num_hidden_layers": 2,
    "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 32,
    "vocab_size": 100, "intermediate_size": 128, "hidden_act": "silu",
    "attention_bias": false, "tie_word_embeddings": false
  })"_json;
  const ModelSpec s = hf(cfg);
  REQUIRE(s.layers[0].attn.head_dim == 32);  // not 64 / 4 = 16
  REQUIRE(s.layers[0].attn.qk_norm_params == 64);
  const ParamBreakdown p = count_params(s);
  REQUIRE(p.embedding.total == 6400);
  REQUIRE(p.output_head.total == 6400);
  // attention per layer: q 64·128 = 8192, k 64·64 = 4096, v 4096, o 128·64 = 8192 -> 24576;
  //   q_norm 32 + k_norm 32 = 64 -> 24640; ×2 = 49280
  REQUIRE(p.attention.total == 49280);
  REQUIRE(p.attention.active_matmul == 49152);
  // MLP: 24576 ×2 = 49152
  REQUIRE(p.dense_ffn.total == 49152);
  REQUIRE(p.norms.total == 320);
  // total = 12800 + 49280 + 49152 + 320 = 111552
  REQUIRE(p.total() == 111552);
  REQUIRE(p.active() == 111552);
}

TEST_CASE("family: olmo2 QK norm over the whole projections", "[params][families]") {
  // Olmo2Attention: q_norm = RMSNorm(h·hd), k_norm = RMSNorm(kv·hd); no biases;
  // post_attention_layernorm + post_feedforward_layernorm (RMSNorm) and a final norm.
  const json cfg = R"({
    "model_type": "olmo2", "hidden_size": 64, "num_hidden_layers": 2,
    "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 100,
    "intermediate_size": 128, "hidden_act": "silu", "attention_bias": false
  })"_json;
  const ModelSpec s = hf(cfg);
  REQUIRE(s.layers[0].attn.qk_norm_params == 96);  // 4·16 + 2·16
  const ParamBreakdown p = count_params(s);
  REQUIRE(p.embedding.total == 6400);
  REQUIRE(p.output_head.total == 6400);  // untied by default
  // attention per layer: 12288 + q_norm 64 + k_norm 32 = 12384; ×2 = 24768
  REQUIRE(p.attention.total == 24768);
  REQUIRE(p.dense_ffn.total == 49152);
  REQUIRE(p.norms.total == 320);
  // total = 12800 + 24768 + 49152 + 320 = 87040
  REQUIRE(p.total() == 87040);
  REQUIRE(p.active() == 87040);
}
