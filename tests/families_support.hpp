#pragma once
// Helpers shared by the hand-verified parameter-count tests of the Hugging Face
// family adapters and of the project's own spec format ("traincost.model.v1"):
// test_params_families_{llama,gpt,moe,moe_special,errors}.cpp and test_params_spec_format.cpp.
//
// Each test builds a small synthetic config whose expected counts were worked
// out by hand from the family's published architecture (the layers of its
// transformers modeling file, named in the comments), not by running the code.
// Notation: d = hidden size, V = vocab, L = layers, h = query heads,
// kv = key/value heads, hd = head_dim, F = MLP / expert width, E = experts,
// k = experts per token. RMSNorm = d weights; LayerNorm = 2d (weight + bias).
#include <string>

#include <nlohmann/json.hpp>

#include "traincost/model/loader.hpp"
#include "traincost/model/spec.hpp"
#include "traincost/util/error.hpp"

namespace test_support {

// A Hugging Face config.json, read as the loader reads one.
inline traincost::ModelSpec hf(const nlohmann::json& config) {
  return traincost::model_from_hf_config(config, "test-config.json");
}

// The message of the InputError that f throws, or a marker that can never
// contain a field name when it throws none.
template <class F>
std::string input_error_of(F&& f) {
  try {
    f();
  } catch (const traincost::InputError& e) {
    return e.what();
  }
  return "<no InputError thrown>";
}

}  // namespace test_support
