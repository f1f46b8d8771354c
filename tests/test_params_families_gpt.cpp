// Hand-verified parameter counts for the older GPT-style dense Hugging Face families:
// gpt_neox, falcon (three layouts), gpt_bigcode, bloom (method and notation:
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
