// Hand-verified parameter counts for the mixture-of-experts Hugging Face families
// with layouts of their own: gpt_oss (biases, sinks), llama4 and dbrx (nested
// configs), deepseek_v2/v3 (MLA, MTP) (method and notation: families_support.hpp).
#include <catch2/catch.hpp>

#include <cstdint>

#include <nlohmann/json.hpp>

#include "families_support.hpp"
#include "traincost/model/params.hpp"
#include "traincost/model/spec.hpp"

using namespace traincost;
using nlohmann::json;
using test_support::hf;

TEST_CASE("family: gpt_oss biases, sinks, expert biases, router bias, layer_types", "[params][families]") {
  // GptOssAttention: q/k/v/o_proj bias=config.attention_bias (default true), sinks (h);
  // GptOssTopKRouter: weight (E, d) + bias (E); GptOssExperts: gate_up_proj (E, d, 2F)
  // + gate_up_proj_bias (E, 2F), down_proj (E, F, d) + down_proj_bias (E, d); RMSNorms.
  const json cfg = R"({
    "model_type": "gpt_oss", "hidden_size": 64, "num_hidden_layers": 2,
    "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 32,
    "vocab_size": 100, "intermediate_size": 32, "num_local_experts": 4,
    "num_experts_per_tok": 2, "experts_per_token": 2, "attention_bias": true,
    "sliding_window": 16, "hidden_act": "silu", "tie_word_embeddings": false,
    "layer_types": ["sliding_attention", "full_attention"]
  })"_json;
  const ModelSpec s = hf(cfg);
  REQUIRE(s.layers[0].attn.sliding_window == 16);
  REQUIRE(s.layers[1].attn.sliding_window == 0);
  REQUIRE(s.layers[0].attn.sinks);
  const ParamBreakdown p = count_params(s);
  REQUIRE(p.embedding.total == 6400);
  REQUIRE(p.output_head.total == 6400);
  // attention per layer: q 64·128 = 8192, k 64·64 = 4096, v 4096, o 128·64 = 8192 -> 24576;
  //   biases q 128 + k 64 + v 64 + o 64 = 320; sinks 4 -> 24900; ×2 = 49800
  REQUIRE(p.attention.total == 49800);
  REQUIRE(p.attention.active_matmul == 49152);
  // expert: 64·64 + 32·64 = 6144 + biases 2·32 + 64 = 128 -> 6272;
  //   stored 4× ×2 = 50176; active 2× ×2 = 25088
  REQUIRE(p.routed_experts.total == 50176);
  REQUIRE(p.routed_experts.active == 25088);
  REQUIRE(p.routed_experts.active_matmul == 24576);
  // router: 64·4 + 4 = 260 ×2 = 520
  REQUIRE(p.router.total == 520);
  REQUIRE(p.router.active_matmul == 512);
  REQUIRE(p.norms.total == 320);
  // total = 12800 + 49800 + 50176 + 520 + 320 = 113616
  REQUIRE(p.total() == 113616);
  // active = 12800 + 49800 + 25088 + 520 + 320 = 88528
  REQUIRE(p.active() == 88528);
  // matmul: head 6400 + attention 49152 + experts 24576 + router 512 = 80640
  REQUIRE(p.active_matmul() == 80640);

  SECTION("attention_bias defaults to true (GptOssConfig)") {
    json no_key = cfg;
    no_key.erase("attention_bias");
    REQUIRE(count_params(hf(no_key)).total() == 113616);
  }
  SECTION("attention_bias false drops the 320 projection biases per layer") {
    json no_bias = cfg;
    no_bias["attention_bias"] = false;
    const ParamBreakdown q = count_params(hf(no_bias));
    // attention: (24576 + 4 sinks) ×2 = 49160
    REQUIRE(q.attention.total == 49160);
    REQUIRE(q.total() == 113616 - 2 * 320);
  }
  SECTION("without layer_types, even layers slide and odd layers are full") {
    json no_types = cfg;
    no_types.erase("layer_types");
    const ModelSpec t = hf(no_types);
    REQUIRE(t.layers[0].attn.sliding_window == 16);
    REQUIRE(t.layers[1].attn.sliding_window == 0);
  }
  SECTION("layer_types is followed as given") {
    json swapped = cfg;
    swapped["layer_types"] = json::array({"full_attention", "sliding_attention"});
    const ModelSpec t = hf(swapped);
    REQUIRE(t.layers[0].attn.sliding_window == 0);
    REQUIRE(t.layers[1].attn.sliding_window == 16);
  }
}

TEST_CASE("family: llama4 nested text_config, interleaved MoE, chunked attention", "[params][families]") {
  // Llama4TextDecoderLayer: is_moe_layer = i in moe_layers (default every
  // interleave_moe_layer_step-th, from step-1); Llama4TextMoe: experts gate_up_proj (E, d, 2F)
  // + down_proj (E, F, d), router Linear(d, E, bias=False), shared_expert Llama4TextMLP(F);
  // dense layers Llama4TextMLP(intermediate_size_mlp). use_qk_norm is an L2 norm without weights.
  // no_rope_layers default: layer i uses RoPE (chunked attention) iff (i+1) % 4 != 0.
  const json cfg = R"({
    "model_type": "llama4",
    "text_config": {
      "model_type": "llama4_text", "hidden_size": 64, "num_hidden_layers": 4,
      "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16,
      "vocab_size": 100, "intermediate_size": 32, "intermediate_size_mlp": 128,
      "num_local_experts": 4, "num_experts_per_tok": 1,
      "interleave_moe_layer_step": 2, "attention_chunk_size": 256,
      "use_qk_norm": true, "hidden_act": "silu", "tie_word_embeddings": false
    }
  })"_json;
  const ModelSpec s = hf(cfg);
  REQUIRE(s.family == "llama4");
  REQUIRE(s.num_layers() == 4);
  // MoE layers: 1, 3; dense: 0, 2
  REQUIRE(!s.layers[0].moe);
  REQUIRE(s.layers[1].moe);
  REQUIRE(!s.layers[2].moe);
  REQUIRE(s.layers[3].moe);
  REQUIRE(s.layers[0].dense->width == 128);
  // chunked attention on RoPE layers 0, 1, 2; layer 3 is NoPE with global attention
  REQUIRE(s.layers[0].attn.chunk_size == 256);
  REQUIRE(s.layers[1].attn.chunk_size == 256);
  REQUIRE(s.layers[2].attn.chunk_size == 256);
  REQUIRE(s.layers[3].attn.chunk_size == 0);
  const ParamBreakdown p = count_params(s);
  REQUIRE(p.embedding.total == 6400);
  REQUIRE(p.output_head.total == 6400);
  // attention: 12288 ×4 = 49152 (no QK-norm weights)
  REQUIRE(p.attention.total == 49152);
  // dense: 3·64·128 = 24576 ×2 = 49152
  REQUIRE(p.dense_ffn.total == 49152);
  // routed: 3·64·32 = 6144; stored 4× ×2 = 49152; active 1× ×2 = 12288
  REQUIRE(p.routed_experts.total == 49152);
  REQUIRE(p.routed_experts.active == 12288);
  // shared expert of width 32: 6144 ×2 = 12288
  REQUIRE(p.shared_experts.total == 12288);
  // router: 256 ×2 = 512
  REQUIRE(p.router.total == 512);
  // norms: 128 ×4 + 64 = 576
  REQUIRE(p.norms.total == 576);
  // total = 12800 + 49152 + 49152 + 49152 + 12288 + 512 + 576 = 173632
  REQUIRE(p.total() == 173632);
  // active = 173632 - 49152 + 12288 = 136768
  REQUIRE(p.active() == 136768);
}

TEST_CASE("family: dbrx nested configs, LayerNorm without bias", "[params][families]") {
  // DbrxAttention: Wqkv Linear(d, d + 2·kv·hd, bias=False), out_proj Linear(d, d, bias=False);
  // norm_1, norm_2, norm_f: LayerNorm(d, bias=False) = d weights; DbrxRouter layer
  // Linear(d, E, bias=False); DbrxExperts w1, v1, w2 (E·F x d each); lm_head untied.
  const json cfg = R"({
    "model_type": "dbrx", "d_model": 64, "n_heads": 4, "n_layers": 2,
    "vocab_size": 100, "max_seq_len": 2048,
    "attn_config": {"kv_n_heads": 2, "clip_qkv": 8, "rope_theta": 500000},
    "ffn_config": {"ffn_hidden_size": 32, "moe_num_experts": 4, "moe_top_k": 2},
    "tie_word_embeddings": false
  })"_json;
  const ModelSpec s = hf(cfg);
  REQUIRE(s.layers[0].attn.num_kv_heads == 2);
  REQUIRE(s.max_position_embeddings == 2048);
  const ParamBreakdown p = count_params(s);
  REQUIRE(p.embedding.total == 6400);
  REQUIRE(p.output_head.total == 6400);
  // attention: Wqkv 64·(64 + 2·2·16) = 8192 + out_proj 4096 = 12288 ×2 = 24576
  REQUIRE(p.attention.total == 24576);
  // experts: 3·64·32 = 6144; stored 4× ×2 = 49152; active 2× ×2 = 24576
  REQUIRE(p.routed_experts.total == 49152);
  REQUIRE(p.routed_experts.active == 24576);
  REQUIRE(p.router.total == 512);
  // norms: 2·64 per layer ×2 = 256, + norm_f 64 = 320
  REQUIRE(p.norms.total == 320);
  // total = 12800 + 24576 + 49152 + 512 + 320 = 87360
  REQUIRE(p.total() == 87360);
  // active = 12800 + 24576 + 24576 + 512 + 320 = 62784
  REQUIRE(p.active() == 62784);
}

TEST_CASE("family: deepseek_v2 MLA without Q compression (V2-Lite style)", "[params][families]") {
  // DeepseekV2Attention with q_lora_rank null: q_proj Linear(d, h·(d_n+d_r)),
  // kv_a_proj_with_mqa Linear(d, r_kv + d_r), kv_a_layernorm RMSNorm(r_kv),
  // kv_b_proj Linear(r_kv, h·(d_n+d_v)), o_proj Linear(h·d_v, d); no biases.
  // DeepseekV2DecoderLayer: MoE iff i >= first_k_dense_replace and i % moe_layer_freq == 0.
  // DeepseekV2MoE: experts (moe_intermediate_size), shared_experts MLP of
  // moe_intermediate_size·n_shared_experts, gate weight (E, d).
  const json cfg = R"({
    "model_type": "deepseek_v2", "hidden_size": 64, "num_hidden_layers": 5,
    "num_attention_heads": 4, "num_key_value_heads": 4, "vocab_size": 100,
    "q_lora_rank": null, "kv_lora_rank": 32, "qk_nope_head_dim": 16,
    "qk_rope_head_dim": 8, "v_head_dim": 16, "intermediate_size": 128,
    "moe_intermediate_size": 32, "n_routed_experts": 8, "num_experts_per_tok": 2,
    "n_shared_experts": 2, "first_k_dense_replace": 1, "moe_layer_freq": 2,
    "topk_method": "greedy", "hidden_act": "silu", "tie_word_embeddings": false
  })"_json;
  const ModelSpec s = hf(cfg);
  REQUIRE(s.layers[0].attn.kind == AttentionKind::mla);
  REQUIRE(s.layers[0].attn.q_lora_rank == 0);
  // MoE layers: i >= 1 and i % 2 == 0 -> {2, 4}; dense {0, 1, 3}
  for (std::int64_t i = 0; i < 5; ++i) {
    INFO("layer " << i);
    REQUIRE(s.layers[i].moe.has_value() == (i == 2 || i == 4));
  }
  REQUIRE(s.mtp.empty());
  const ParamBreakdown p = count_params(s);
  REQUIRE(p.embedding.total == 6400);
  REQUIRE(p.output_head.total == 6400);
  // attention per layer: q_proj 64·4·24 = 6144; kv_a 64·40 = 2560; kv_a_layernorm 32;
  //   kv_b 32·4·32 = 4096; o_proj 64·64 = 4096 -> 16896 + 32 = 16928; ×5 = 84640
  REQUIRE(p.attention.total == 84640);
  REQUIRE(p.attention.active_matmul == 84480);
  // dense layers 0, 1, 3: 3·64·128 = 24576 ×3 = 73728
  REQUIRE(p.dense_ffn.total == 73728);
  // routed: 3·64·32 = 6144; stored 8× ×2 = 98304; active 2× ×2 = 24576
  REQUIRE(p.routed_experts.total == 98304);
  REQUIRE(p.routed_experts.active == 24576);
  // shared: 2·6144 = 12288 ×2 = 24576
  REQUIRE(p.shared_experts.total == 24576);
  // router: 64·8 = 512 ×2 = 1024 (greedy: no correction bias)
  REQUIRE(p.router.total == 1024);
  // norms: 128 ×5 + 64 = 704
  REQUIRE(p.norms.total == 704);
  // total = 12800 + 84640 + 73728 + 98304 + 24576 + 1024 + 704 = 295776
  REQUIRE(p.total() == 295776);
  // active = 295776 - 98304 + 24576 = 222048
  REQUIRE(p.active() == 222048);
}

TEST_CASE("family: deepseek_v3 MLA with q_lora_rank, noaux_tc bias, MTP apart", "[params][families]") {
  // DeepseekV3Attention: q_a_proj Linear(d, r_q), q_a_layernorm RMSNorm(r_q),
  // q_b_proj Linear(r_q, h·(d_n+d_r)), then the KV path as V2. Router: weight (E, d)
  // + e_score_correction_bias (E) for topk_method noaux_tc. MTP module (V3 report §2.2):
  // one more block, eh_proj (2d -> d), enorm + hnorm + shared_head.norm; it shares
  // the embedding and head and is kept out of the headline total.
  const json cfg = R"({
    "model_type": "deepseek_v3", "hidden_size": 64, "num_hidden_layers": 3,
    "num_attention_heads": 4, "num_key_value_heads": 4, "vocab_size": 100,
    "q_lora_rank": 24, "kv_lora_rank": 32, "qk_nope_head_dim": 16,
    "qk_rope_head_dim": 8, "v_head_dim": 16, "intermediate_size": 128,
    "moe_intermediate_size": 32, "n_routed_experts": 8, "num_experts_per_tok": 2,
    "n_shared_experts": 1, "first_k_dense_replace": 1, "moe_layer_freq": 1,
    "topk_method": "noaux_tc", "n_group": 2, "topk_group": 1,
    "num_nextn_predict_layers": 1, "hidden_act": "silu", "tie_word_embeddings": false
  })"_json;
  const ModelSpec s = hf(cfg);
  REQUIRE(!s.layers[0].moe);
  REQUIRE(s.layers[1].moe);
  REQUIRE(s.layers[2].moe);
  REQUIRE(s.layers[1].moe->router_correction_bias);
  REQUIRE(s.mtp.size() == 1);
  const ParamBreakdown p = count_params(s);
  // attention per layer: q_a 64·24 = 1536, q_a_layernorm 24, q_b 24·96 = 2304,
  //   kv_a 64·40 = 2560, kv_a_layernorm 32, kv_b 32·128 = 4096, o 64·64 = 4096
  //   -> 14592 matmul + 56 = 14648; ×3 = 43944
  REQUIRE(p.attention.total == 43944);
  REQUIRE(p.attention.active_matmul == 43776);
  // dense layer 0: 24576
  REQUIRE(p.dense_ffn.total == 24576);
  // routed: stored 8·6144 ×2 = 98304; active 2·6144 ×2 = 24576
  REQUIRE(p.routed_experts.total == 98304);
  REQUIRE(p.routed_experts.active == 24576);
  // shared: 6144 ×2 = 12288
  REQUIRE(p.shared_experts.total == 12288);
  // router: 64·8 + 8 = 520 ×2 = 1040 (matmul 1024)
  REQUIRE(p.router.total == 1040);
  REQUIRE(p.router.active_matmul == 1024);
  // norms: 128 ×3 + 64 = 448
  REQUIRE(p.norms.total == 448);
  // total = 12800 + 43944 + 24576 + 98304 + 12288 + 1040 + 448 = 193400
  REQUIRE(p.total() == 193400);
  // active = 193400 - 98304 + 24576 = 119672
  REQUIRE(p.active() == 119672);
  // MTP: block 14648 + 49152 + 6144 + 520 + 128 = 70592; eh_proj 2·64·64 = 8192;
  //   enorm + hnorm + final norm 3·64 = 192 -> 78976 (active: 78976 - 6·6144 = 42112)
  REQUIRE(p.mtp.total == 78976);
  REQUIRE(p.mtp.active == 42112);
  REQUIRE(p.total_incl_mtp() == 193400 + 78976);
}
