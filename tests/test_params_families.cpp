// Hand-verified parameter counts for every Hugging Face family adapter and
// for the project's own spec format ("traincost.model.v1").
//
// Each test builds a small synthetic config whose expected counts were worked
// out by hand from the family's published architecture (the layers of its
// transformers modeling file, named in the comments), not by running the code.
// Notation: d = hidden size, V = vocab, L = layers, h = query heads,
// kv = key/value heads, hd = head_dim, F = MLP / expert width, E = experts,
// k = experts per token. RMSNorm = d weights; LayerNorm = 2d (weight + bias).
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "test_support.hpp"
#include "traincost/model/loader.hpp"
#include "traincost/model/params.hpp"
#include "traincost/model/spec.hpp"
#include "traincost/util/error.hpp"
#include "traincost/util/json_fields.hpp"

using namespace traincost;
using nlohmann::json;

namespace {

ModelSpec hf(const json& config) { return model_from_hf_config(config, "test-config.json"); }

// The message of the InputError that f throws, or a marker that can never
// contain a field name when it throws none.
template <class F>
std::string input_error_of(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "<no InputError thrown>";
}

}  // namespace

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

// ---------------------------------------------------------------------------
// Older GPT-style dense families
// ---------------------------------------------------------------------------

TEST_CASE("family: gpt_neox LayerNorms, biases, untied embed_out", "[params][families]") {
  // GPTNeoXAttention: query_key_value Linear(d, 3d) and dense Linear(d, d),
  // bias=config.attention_bias (default true); GPTNeoXMLP: dense_h_to_4h and
  // dense_4h_to_h with biases (GeLU, 2 matrices); input_layernorm,
  // post_attention_layernorm and final_layer_norm are LayerNorm; embed_out untied.
  const json cfg = R"({
    "model_type": "gpt_neox", "hidden_size": 64, "num_hidden_layers": 2,
    "num_attention_heads": 4, "vocab_size": 100, "intermediate_size": 256,
    "hidden_act": "gelu", "rotary_pct": 0.25, "use_parallel_residual": true
  })"_json;
  const ModelSpec s = hf(cfg);
  REQUIRE(!s.tie_word_embeddings);
  const ParamBreakdown p = count_params(s);
  // embed_in 6400, embed_out 6400
  REQUIRE(p.embedding.total == 6400);
  REQUIRE(p.output_head.total == 6400);
  // attention per layer: qkv 64·192 = 12288 + 192 bias; dense 4096 + 64 bias -> 16640; ×2 = 33280
  REQUIRE(p.attention.total == 33280);
  // MLP per layer: 64·256 + 256·64 = 32768; biases 256 + 64 = 320 -> 33088; ×2 = 66176
  REQUIRE(p.dense_ffn.total == 66176);
  // norms: 2 LayerNorm(64) = 256 per layer ×2 = 512, + final LayerNorm 128 = 640
  REQUIRE(p.norms.total == 640);
  // total = 12800 + 33280 + 66176 + 640 = 112896
  REQUIRE(p.total() == 112896);
  REQUIRE(p.active() == 112896);
  // matmul: head 6400 + attention 2·16384 + MLP 2·32768 = 104704
  REQUIRE(p.active_matmul() == 104704);
}

TEST_CASE("family: falcon new_decoder_architecture with num_kv_heads", "[params][families]") {
  // FalconAttention (new arch): query_key_value Linear(d, (h + 2·kv)·hd, bias=config.bias),
  // dense Linear(d, d); FalconMLP dense_h_to_4h (d -> 4d), dense_4h_to_h; decoder layer
  // has ln_attn + ln_mlp (LayerNorm) when num_ln_in_parallel_attn is 2 (its default for
  // the new architecture); ln_f; lm_head tied by default.
  const json cfg = R"({
    "model_type": "falcon", "hidden_size": 64, "num_hidden_layers": 2,
    "num_attention_heads": 8, "num_kv_heads": 2, "vocab_size": 100,
    "new_decoder_architecture": true, "parallel_attn": true, "bias": false
  })"_json;
  const ModelSpec s = hf(cfg);
  REQUIRE(s.tie_word_embeddings);
  REQUIRE(s.layers[0].attn.num_kv_heads == 2);
  REQUIRE(s.layers[0].attn.head_dim == 8);
  const ParamBreakdown p = count_params(s);
  REQUIRE(p.embedding.total == 6400);
  REQUIRE(p.output_head.total == 0);
  // attention per layer: qkv 64·(8 + 2·2)·8 = 64·96 = 6144 + dense 4096 = 10240; ×2 = 20480
  REQUIRE(p.attention.total == 20480);
  // MLP per layer: 2·64·256 = 32768; ×2 = 65536
  REQUIRE(p.dense_ffn.total == 65536);
  // norms: ln_attn + ln_mlp = 2·128 per layer ×2 = 512, + ln_f 128 = 640
  REQUIRE(p.norms.total == 640);
  // total = 6400 + 20480 + 65536 + 640 = 93056
  REQUIRE(p.total() == 93056);
  REQUIRE(p.active() == 93056);

  SECTION("num_ln_in_parallel_attn = 1 (Falcon2-11B) keeps one input_layernorm") {
    json one_ln = cfg;
    one_ln["num_ln_in_parallel_attn"] = 1;
    const ParamBreakdown q = count_params(hf(one_ln));
    // norms: 1·128 per layer ×2 = 256, + ln_f 128 = 384
    REQUIRE(q.norms.total == 384);
    // total = 93056 - 2·128 = 92800
    REQUIRE(q.total() == 92800);
  }
  SECTION("ffn_hidden_size overrides 4d") {
    json wide = cfg;
    wide["ffn_hidden_size"] = 96;
    const ParamBreakdown q = count_params(hf(wide));
    // MLP per layer: 2·64·96 = 12288; ×2 = 24576
    REQUIRE(q.dense_ffn.total == 24576);
    REQUIRE(q.total() == 6400 + 20480 + 24576 + 640);
  }
}

TEST_CASE("family: falcon multi_query with parallel_attn (7B layout)", "[params][families]") {
  // FalconAttention (multi_query): query_key_value Linear(d, d + 2·hd); one
  // input_layernorm per layer when attention and MLP run in parallel.
  const json cfg = R"({
    "model_type": "falcon", "hidden_size": 64, "num_hidden_layers": 2,
    "num_attention_heads": 8, "vocab_size": 100, "new_decoder_architecture": false,
    "multi_query": true, "parallel_attn": true, "bias": false
  })"_json;
  const ModelSpec s = hf(cfg);
  REQUIRE(s.layers[0].attn.num_kv_heads == 1);
  const ParamBreakdown p = count_params(s);
  // attention per layer: qkv 64·(64 + 2·8) = 5120 + dense 4096 = 9216; ×2 = 18432
  REQUIRE(p.attention.total == 18432);
  // MLP: 2·64·256 ×2 = 65536
  REQUIRE(p.dense_ffn.total == 65536);
  // norms: input_layernorm 128 per layer ×2 = 256, + ln_f 128 = 384
  REQUIRE(p.norms.total == 384);
  // total = 6400 (tied) + 18432 + 65536 + 384 = 90752
  REQUIRE(p.total() == 90752);
}

TEST_CASE("family: falcon sequential MHA with biases (falcon-rw layout)", "[params][families]") {
  // multi_query=false: qkv Linear(d, 3d); bias=true on every linear; parallel_attn=false:
  // input_layernorm + post_attention_layernorm.
  const json cfg = R"({
    "model_type": "falcon", "hidden_size": 64, "num_hidden_layers": 1,
    "num_attention_heads": 4, "vocab_size": 100, "multi_query": false,
    "parallel_attn": false, "bias": true, "alibi": true
  })"_json;
  const ModelSpec s = hf(cfg);
  REQUIRE(s.layers[0].attn.num_kv_heads == 4);
  const ParamBreakdown p = count_params(s);
  // attention: qkv 64·192 = 12288 + 192; dense 4096 + 64 -> 16640
  REQUIRE(p.attention.total == 16640);
  // MLP: 2·64·256 = 32768 + biases 256 + 64 -> 33088
  REQUIRE(p.dense_ffn.total == 33088);
  // norms: 2 LayerNorm = 256, + ln_f 128 = 384
  REQUIRE(p.norms.total == 384);
  // total = 6400 + 16640 + 33088 + 384 = 56512
  REQUIRE(p.total() == 56512);
}

TEST_CASE("family: gpt_bigcode learned positions, MQA, n_inner", "[params][families]") {
  // GPTBigCodeAttention (multi_query): c_attn Linear(d, d + 2·hd), c_proj Linear(d, d),
  // both biased; GPTBigCodeMLP: c_fc (d -> n_inner), c_proj, biased; ln_1, ln_2, ln_f
  // LayerNorm; wte + wpe (n_positions rows); lm_head tied.
  const json cfg = R"({
    "model_type": "gpt_bigcode", "n_embd": 64, "n_layer": 2, "n_head": 4,
    "n_positions": 128, "n_inner": 192, "multi_query": true, "vocab_size": 100,
    "activation_function": "gelu_pytorch_tanh"
  })"_json;
  const ModelSpec s = hf(cfg);
  REQUIRE(s.layers[0].attn.num_kv_heads == 1);
  REQUIRE(s.learned_position_embeddings == 128);
  REQUIRE(s.max_position_embeddings == 128);
  const ParamBreakdown p = count_params(s);
  // wte 6400; wpe 128·64 = 8192; tied head 0
  REQUIRE(p.embedding.total == 6400);
  REQUIRE(p.position_embedding.total == 8192);
  REQUIRE(p.output_head.total == 0);
  // attention per layer: c_attn 64·96 = 6144 + 96; c_proj 4096 + 64 -> 10400; ×2 = 20800
  REQUIRE(p.attention.total == 20800);
  // MLP per layer: 64·192 + 192·64 = 24576 + biases 192 + 64 -> 24832; ×2 = 49664
  REQUIRE(p.dense_ffn.total == 49664);
  // norms: 2·128 per layer ×2 = 512, + ln_f 128 = 640
  REQUIRE(p.norms.total == 640);
  // total = 6400 + 8192 + 20800 + 49664 + 640 = 85696
  REQUIRE(p.total() == 85696);
  REQUIRE(p.active() == 85696);
  // excl. input embedding drops wte and wpe: 85696 - 14592 = 71104
  REQUIRE(p.active_excl_input_embedding() == 71104);
  // matmul: head 6400 + attention 2·10240 + MLP 2·24576 = 76032
  REQUIRE(p.active_matmul() == 76032);
}

TEST_CASE("family: bloom embedding LayerNorm and tied head", "[params][families]") {
  // BloomModel: word_embeddings + word_embeddings_layernorm (LayerNorm); BloomAttention
  // query_key_value Linear(d, 3d) + dense, biased; BloomMLP dense_h_to_4h / dense_4h_to_h
  // (4d, biased); input_layernorm, post_attention_layernorm, ln_f; lm_head tied.
  const json cfg = R"({
    "model_type": "bloom", "hidden_size": 64, "n_layer": 2, "n_head": 4,
    "vocab_size": 100
  })"_json;
  const ModelSpec s = hf(cfg);
  REQUIRE(s.tie_word_embeddings);
  REQUIRE(s.embedding_norm_params == 128);
  const ParamBreakdown p = count_params(s);
  REQUIRE(p.embedding.total == 6400);
  REQUIRE(p.output_head.total == 0);
  // attention per layer: 12288 + 192 + 4096 + 64 = 16640; ×2 = 33280
  REQUIRE(p.attention.total == 33280);
  // MLP per layer: 2·64·256 + 256 + 64 = 33088; ×2 = 66176
  REQUIRE(p.dense_ffn.total == 66176);
  // norms: 256 per layer ×2 = 512, + embedding LayerNorm 128 + ln_f 128 = 768
  REQUIRE(p.norms.total == 768);
  // total = 6400 + 33280 + 66176 + 768 = 106624
  REQUIRE(p.total() == 106624);

  // The n_embed spelling of BLOOM-176B's config means the same.
  json n_embed = R"({"model_type": "bloom", "n_embed": 64, "n_layer": 2, "n_head": 4, "vocab_size": 100})"_json;
  REQUIRE(count_params(hf(n_embed)).total() == 106624);
}

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
