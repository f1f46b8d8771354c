#pragma once
// Shared helpers of the per-family Hugging Face adapters (internal header).
#include <cstdint>
#include <string>

#include "traincost/model/spec.hpp"
#include "traincost/util/json_fields.hpp"

namespace traincost::hf {

// Generous sanity bounds: far above any published model, low enough to catch
// typos and unit mistakes (a hidden size of 7e9 is a parameter count).
inline constexpr std::int64_t kMaxHidden = 1'000'000;
inline constexpr std::int64_t kMaxLayers = 10'000;
inline constexpr std::int64_t kMaxVocab = 10'000'000;
inline constexpr std::int64_t kMaxHeads = 100'000;
inline constexpr std::int64_t kMaxWidth = 10'000'000;
inline constexpr std::int64_t kMaxExperts = 1'000'000;
inline constexpr std::int64_t kMaxPositions = 1'000'000'000;

// Key names of the llama lineage; older families override them.
struct Keys {
  const char* hidden = "hidden_size";
  const char* layers = "num_hidden_layers";
  const char* heads = "num_attention_heads";
  const char* kv_heads = "num_key_value_heads";
  const char* vocab = "vocab_size";
};

struct Dims {
  std::int64_t hidden = 0, layers = 0, vocab = 0;
};

Dims read_dims(const JsonContext& c, const Keys& k = {});

// Standard MHA/GQA attention from the usual keys; head_dim defaults to d/n_h.
AttentionSpec read_attention(const JsonContext& c, std::int64_t hidden, const Keys& k = {});

// Gated (SwiGLU/GeGLU) unless hidden_act names a plain activation.
bool is_gated_activation(const JsonContext& c, bool fallback);

// Fill common top-level fields (vocab, tie, max positions).
void fill_common(ModelSpec& s, const JsonContext& c, const Dims& d, bool tie_default);

// Sliding window when the config sets one (null = none).
std::int64_t read_sliding_window(const JsonContext& c);

// layer_types (full_attention / sliding_attention, one per layer): sliding layers
// get `window`, full ones none. Absent: nothing changes. Other entries: InputError.
void apply_layer_types(ModelSpec& s, const JsonContext& c, std::int64_t window);

// Appends n identical dense layers (the common case of every dense family).
void add_dense_layers(ModelSpec& s, std::int64_t n, const AttentionSpec& a, const MlpSpec& mlp, std::int64_t norm_params);

inline std::int64_t rms(std::int64_t width) { return width; }       // RMSNorm: a scale
inline std::int64_t layer_norm(std::int64_t width) { return 2 * width; }  // LayerNorm: scale + shift

}  // namespace traincost::hf
