#include "traincost/validation/vtrain.hpp"

#include <algorithm>
#include <cstdlib>
#include <cmath>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "traincost/hardware/accelerator.hpp"
#include "traincost/model/loader.hpp"
#include "traincost/perf/evaluate.hpp"
#include "traincost/util/data_dir.hpp"
#include "traincost/util/error.hpp"
#include "traincost/util/median.hpp"

namespace traincost {

namespace {
// The setup vTrain's repository states for these runs: A100 (the memory
// variant is not stated; a100-80gb is assumed), FP16, full activation
// recomputation, 1F1B, no gradient bucketing (so no DP overlap), GPT-style
// decoders with a 4h GeLU MLP and GPT-2's vocabulary padded by Megatron to a
// multiple of 128 x TP. Attention without FlashAttention (Megatron-DeepSpeed default).
nlohmann::json gpt_spec(int hidden, int heads, int layers, int seq, int tp) {
  const int pad = 128 * tp;
  const int vocab = (50257 + pad - 1) / pad * pad;
  return nlohmann::json{{"format", "traincost.model.v1"}, {"hidden_size", hidden}, {"num_layers", layers},
                        {"vocab_size", vocab}, {"tie_word_embeddings", true}, {"learned_position_embeddings", seq},
                        {"norm", "layernorm"}, {"linear_bias", true},
                        {"attention", {{"type", "mha"}, {"num_heads", heads}}},
                        {"ffn", {{"activation", "gelu"}, {"intermediate_size", 4 * hidden}}}};
}
}  // namespace

std::vector<VtrainRow> validate_vtrain(const perf::Constants& c) {
  const std::string path = (data_dir() / "validation" / "vtrain" / "ground_truth_single.csv").string();
  std::ifstream in(path);
  if (!in) throw InputError(fmt::format("{}: cannot open file", path));
  const Accelerator a100 = load_accelerator("a100-80gb");
  const perf::Hardware hw = perf::hardware_facts(a100, Precision::fp16, c);
  std::vector<VtrainRow> rows;
  std::string line;
  std::getline(in, line);  // header
  int lineno = 1;
  while (std::getline(in, line)) {
    ++lineno;
    if (line.empty()) continue;
    std::stringstream ss(line);
    std::string cell;
    std::vector<double> v;
    while (std::getline(ss, cell, ',')) v.push_back(std::stod(cell));
    if (v.size() != 11) throw InputError(fmt::format("{}:{}: expected 11 columns, got {}", path, lineno, v.size()));
    VtrainRow r;
    r.gpus = static_cast<int>(v[0]);
    r.global_batch = static_cast<int>(v[1]);
    r.micro_batch = static_cast<int>(v[2]);
    r.hidden = static_cast<int>(v[3]);
    r.heads = static_cast<int>(v[4]);
    r.layers = static_cast<int>(v[5]);
    r.seq_len = static_cast<int>(v[6]);
    r.tp = static_cast<int>(v[7]);
    r.dp = static_cast<int>(v[8]);
    r.pp = static_cast<int>(v[9]);
    r.measured_s = v[10] / 1000.0;
    const ModelSpec spec = model_from_spec(gpt_spec(r.hidden, r.heads, r.layers, r.seq_len, r.tp), "vtrain");
    perf::TrainingSetup s;
    s.seq_len = r.seq_len;
    s.global_batch_tokens = static_cast<std::int64_t>(r.global_batch) * r.seq_len;
    s.precision = Precision::fp16;
    const perf::ModelProfile prof = perf::profile(spec, s.seq_len, AttentionConvention::causal);
    perf::Cluster cl;
    cl.gpus = r.gpus;
    cl.scale_up_domain = 8;
    cl.scale_up_bytes_per_s = *a100.scale_up_bytes_per_s_bidirectional / 2.0;
    cl.scale_out_bytes_per_s = *a100.scale_out_bytes_per_s;
    perf::Plan p;
    p.tp = r.tp;
    p.pp = r.pp;
    p.dp = r.dp;
    p.micro_batch = r.micro_batch;
    p.zero = 0;
    p.recompute = Recompute::full;
    p.attention_kernel = perf::AttentionKernel::materialized;
    p.dp_overlap = false;
    const perf::Evaluation e = perf::evaluate(prof, hw, cl, s, p, c);
    if (!e.reason.empty()) throw InputError(fmt::format("{}:{}: plan rejected: {}", path, lineno, e.reason));
    r.predicted_s = e.time.step;  // measured runs all fit; the time is computed either way
    rows.push_back(r);
  }
  return rows;
}

VtrainSummary summarize(const std::vector<VtrainRow>& rows) {
  VtrainSummary s;
  std::vector<double> errs;
  for (const auto& r : rows) errs.push_back(std::fabs(r.error()));
  s.count = static_cast<int>(errs.size());
  if (errs.empty()) return s;
  std::sort(errs.begin(), errs.end());
  const std::size_t n = errs.size();
  s.median_abs = median_of_sorted(errs);
  for (double e : errs) {
    s.mean_abs += e / static_cast<double>(n);
    s.within_10 += e <= 0.10;
    s.within_25 += e <= 0.25;
  }
  s.max_abs = errs.back();
  return s;
}

}  // namespace traincost
