// Training FLOPs per token, checked against values derived on paper and
// against the published formulas they implement (Megatron-LM
// num_floating_point_operations; PaLM App. B; Narayanan et al. 2021 eq. 3).
#include <catch2/catch.hpp>

#include "test_support.hpp"
#include "traincost/model/flops.hpp"
#include "traincost/model/loader.hpp"
#include "traincost/model/params.hpp"

using namespace traincost;
using nlohmann::json;

namespace {
// d=64, 2 layers, 4 heads of 16, 2 KV heads, SwiGLU F=128, V=100, untied.
const json kTinyLlama = R"({
  "model_type": "llama", "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
  "num_key_value_heads": 2, "intermediate_size": 128, "vocab_size": 100, "tie_word_embeddings": false
})"_json;
}  // namespace

TEST_CASE("flops: tiny llama computed on paper", "[flops]") {
  const ModelSpec s = model_from_hf_config(kTinyLlama, "tiny");
  // Params: embedding 6,400; head 6,400; attention/layer q 4,096 + k,v 2·64·32 = 4,096 + o 4,096 = 12,288;
  // MLP/layer 3·64·128 = 24,576; norms/layer 128; final norm 64.
  const ParamBreakdown p = count_params(s);
  REQUIRE(p.total() == 12'800 + 2 * (12'288 + 24'576 + 128) + 64);  // 86,848
  // GEMM weights per token: head 6,400 + 2·(12,288 + 24,576) = 80,128 (embedding lookup excluded).
  REQUIRE(p.active_matmul() == 80'128);

  FlopOptions o;
  o.seq_len = 32;
  const FlopsPerToken f = flops_per_token(s, o);
  // Forward matmul: 2 · 80,128 = 160,256.
  CHECK(f.matmul_fwd == 160'256.0);
  // Forward attention per layer, causal: 2 · n_h · (d_qk + d_v) · s/2 = 2·4·32·16 = 4,096; two layers 8,192.
  CHECK(f.attention_fwd == 8'192.0);
  // Training model FLOPs = 3 × forward = 505,344.
  CHECK(f.model() == 505'344.0);
  CHECK(f.hardware() == f.model());

  SECTION("PaLM's non-causal convention doubles the attention term") {
    o.attention = AttentionConvention::full;
    CHECK(flops_per_token(s, o).model() == 3.0 * (160'256.0 + 16'384.0));  // 529,920
  }
  SECTION("full recompute adds one forward: hardware = 4/3 × model (8N vs 6N)") {
    o.recompute = Recompute::full;
    const auto r = flops_per_token(s, o);
    CHECK(r.model() == 505'344.0);  // MFU numerator unchanged
    CHECK(r.hardware() == 673'792.0);
    CHECK(r.hardware() / r.model() == Approx(4.0 / 3.0));
  }
  SECTION("selective recompute replays only the core attention") {
    o.recompute = Recompute::selective;
    CHECK(flops_per_token(s, o).hardware() == 505'344.0 + 8'192.0);
  }
  SECTION("a sliding window of 8 at s=32 caps the mean context at w - w^2/(2s) = 7") {
    json c = kTinyLlama;
    c["model_type"] = "mistral";
    c["sliding_window"] = 8;
    const auto w = flops_per_token(model_from_hf_config(c, "tiny-swa"), o);
    CHECK(w.attention_fwd == 2 * (2.0 * 4 * 32 * 7));  // 3,584
  }
}

TEST_CASE("flops: tiny MoE counts only the routed top-k plus the router", "[flops]") {
  // d=64, 2 layers, 4 heads (MHA), 4 experts top-2 of width 32, V=100.
  const json c = R"({
    "model_type": "mixtral", "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
    "num_key_value_heads": 4, "intermediate_size": 32, "num_local_experts": 4, "num_experts_per_tok": 2,
    "vocab_size": 100, "tie_word_embeddings": false
  })"_json;
  const ModelSpec s = model_from_hf_config(c, "tiny-moe");
  const ParamBreakdown p = count_params(s);
  // Per layer: attention 4·64·64 = 16,384; expert 3·64·32 = 6,144; router 64·4 = 256; norms 128.
  CHECK(p.total() == 12'800 + 2 * (16'384 + 4 * 6'144 + 256 + 128) + 64);   // 95,552
  CHECK(p.active() == 12'800 + 2 * (16'384 + 2 * 6'144 + 256 + 128) + 64);  // 70,976
  FlopOptions o;
  o.seq_len = 16;
  const auto f = flops_per_token(s, o);
  // GEMMs: head 6,400 + 2·(16,384 + 2·6,144 + 256) = 64,256 → ×2 forward.
  CHECK(f.matmul_fwd == 2.0 * 64'256);
  // Attention: 2·4·(16+16)·8 per layer = 2,048; two layers.
  CHECK(f.attention_fwd == 4'096.0);
  // The MoE blocks' forward: 2·(2·6,144 + 256) per layer, two layers = 50,176.
  CHECK(f.moe_block_fwd == 2.0 * 2.0 * (2 * 6'144 + 256));
  // recompute=moe replays the core attention and the MoE blocks: 4,096 + 50,176.
  o.recompute = Recompute::moe;
  CHECK(flops_per_token(s, o).recompute_fwd == 4'096.0 + 50'176.0);
  CHECK(to_string(parse_recompute("moe")) == "moe");
}

TEST_CASE("flops: DeepSeek-V3 matches Megatron-LM's MLA and MTP terms", "[flops][deepseek]") {
  const ModelSpec s = load_model("deepseek-v3");
  const ParamBreakdown p = count_params(s);
  FlopOptions o;
  o.seq_len = 4096;
  const auto f = flops_per_token(s, o);
  // Matmul: 6 × active GEMM weights (head in, input embedding out).
  CHECK(3.0 * f.matmul_fwd == 6.0 * static_cast<double>(p.active_matmul()));
  // Megatron MLA core attention: 6·[n_h(d_n+d_r)/2 + n_h·d_v/2]·s per layer = 6·(12,288 + 8,192)·4,096.
  CHECK(3.0 * f.attention_fwd == 61.0 * 6.0 * (128.0 * 192 / 2 + 128.0 * 128 / 2) * 4096);
  // MTP: one more MoE block, the 2d² projection and one more head GEMM, plus one more attention layer.
  const double d = 7168;
  const auto& moe_layer = s.layers.back();
  const double block = static_cast<double>(attention_params(moe_layer.attn, 7168).active_matmul) +
                       8.0 * 3 * d * 2048 + 1.0 * 3 * d * 2048 + d * 256;
  CHECK(f.mtp_matmul_fwd == Approx(2.0 * (block + 2 * d * d + 129280.0 * d)).epsilon(1e-12));
  // The headline per-token figure: ~6 × 37B plus attention and MTP, ≈ 2.61e11.
  CHECK(f.model() == Approx(2.606e11).epsilon(0.001));
  SECTION("--no-mtp drops exactly the MTP share") {
    o.include_mtp = false;
    const auto g = flops_per_token(s, o);
    CHECK(g.model() == Approx(f.model() - 3.0 * (f.mtp_matmul_fwd + f.mtp_attention_fwd)));
  }
}

TEST_CASE("flops: Llama 3.1 405B lands on Meta's 3.8e25 for 15.6T tokens", "[flops][llama]") {
  const ModelSpec s = load_model("llama-3.1-405b");
  FlopOptions o;
  o.seq_len = 8192;
  const auto f = flops_per_token(s, o);
  // Attention at 8K context: 6·n_h·d_h·s per layer = 6·128·128·8192·126.
  CHECK(3.0 * f.attention_fwd == 6.0 * 128 * 128 * 8192 * 126);
  // Meta quotes 3.8e25 (6ND with 405B); ours adds causal attention: within 5%.
  CHECK(f.model() * 15.6e12 == Approx(3.8e25).epsilon(0.05));
}

TEST_CASE("flops: Korthikanti's dense formula for a GPT-style model", "[flops]") {
  // Korthikanti et al. 2022 App. A (model FLOPs, no recompute, full attention):
  //   72·B·s·L·h²·(1 + s/(6h) + V/(12·h·L)) per iteration → per token divide by B·s.
  // It assumes a 4h GeLU MLP, MHA, and ignores biases and norms: exactly the GEMMs.
  const json c = R"({
    "format": "traincost.model.v1", "hidden_size": 1024, "num_layers": 4, "vocab_size": 5000,
    "tie_word_embeddings": true, "norm": "layernorm", "linear_bias": true,
    "attention": {"type": "mha", "num_heads": 16}, "ffn": {"activation": "gelu", "intermediate_size": 4096}
  })"_json;
  const ModelSpec s = model_from_spec(c, "gpt-small");
  FlopOptions o;
  o.seq_len = 2048;
  o.attention = AttentionConvention::full;
  const double h = 1024, L = 4, V = 5000, sl = 2048;
  const double korthikanti = 72.0 * L * h * h * (1 + sl / (6 * h) + V / (12 * h * L));
  CHECK(flops_per_token(s, o).model() == Approx(korthikanti).epsilon(1e-12));
}
