// Parameter counts of real Hugging Face configs against the official figures
// (validation/param_counts.json, each with its source). The tolerance is half
// a unit of the last digit the source states, so "46.7B" must land in
// [46.65B, 46.75B] and BLOOM's exact 176,247,271,424 must match exactly.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <fstream>

#include "test_support.hpp"
#include "traincost/model/loader.hpp"
#include "traincost/model/params.hpp"
#include "traincost/util/json_fields.hpp"

using namespace traincost;

namespace {
std::int64_t active_by_convention(const ParamBreakdown& p, const std::string& convention) {
  if (convention == "incl_embedding") return p.active();
  if (convention == "excl_input_embedding") return p.active_excl_input_embedding();
  if (convention == "nonembedding") return p.active_nonembedding();
  FAIL("unknown convention " << convention);
  return 0;
}

bool within(std::int64_t value, double official, double tolerance) {
  return std::fabs(static_cast<double>(value) - official) <= tolerance;
}
}  // namespace

TEST_CASE("official: every hf config with an official count matches it", "[params][official]") {
  const auto doc = nlohmann::json::parse(std::ifstream(test_support::source_path("validation/param_counts.json")));
  REQUIRE(doc.is_array());
  REQUIRE(doc.size() >= 15);
  int totals_checked = 0, actives_checked = 0;
  for (const auto& e : doc) {
    const std::string cfg = e.at("config");
    {
      INFO(cfg);
      const auto config = read_json_object_file(test_support::source_path(cfg));
      const ModelSpec spec = model_from_hf_config(config, cfg);
      const ParamBreakdown p = count_params(spec);
      INFO(e.at("model").get<std::string>() << ": total " << p.total() << ", active incl " << p.active()
                                            << ", excl input emb " << p.active_excl_input_embedding()
                                            << ", nonemb " << p.active_nonembedding());
      if (!e.value("skip_total", false)) {
        CHECK(within(p.total(), e.at("official_total_params").get<double>(), e.at("total_tolerance").get<double>()));
        ++totals_checked;
      }
      if (e.contains("official_active_params")) {
        const auto active = active_by_convention(p, e.at("active_convention"));
        CHECK(within(active, e.at("official_active_params").get<double>(), e.at("active_tolerance").get<double>()));
        ++actives_checked;
      }
      if (e.contains("official_nonembedding_params") && !e.value("skip_nonembedding", false)) {
        CHECK(within(p.total_nonembedding(), e.at("official_nonembedding_params").get<double>(),
                     e.at("nonembedding_tolerance").get<double>()));
      }
    }
  }
  // Not vacuous: the file covers the headline models.
  CHECK(totals_checked >= 13);
  CHECK(actives_checked >= 7);
}

TEST_CASE("official: the headline figures named in the issue", "[params][official]") {
  auto count = [](const std::string& preset) { return count_params(load_model(preset)); };

  SECTION("DeepSeek-V3: 671B total without MTP, 37B active (excl. input embedding), MTP ~11.6B apart") {
    const auto p = count("deepseek-v3");
    CHECK(std::llabs(p.total() - 671'000'000'000LL) <= 500'000'000LL);
    CHECK(std::llabs(p.active_excl_input_embedding() - 37'000'000'000LL) <= 500'000'000LL);
    // README_WEIGHTS: "11.5B unique parameters" for the MTP module (we count 11.61B by the report's structure).
    CHECK(p.mtp.total > 11'400'000'000LL);
    CHECK(p.mtp.total < 11'700'000'000LL);
    // HF's 685B = 671B main + 14B MTP incl. its stored copies of embedding and head.
    CHECK(p.total_incl_mtp() + p.embedding.total + p.output_head.total == Approx(685e9).epsilon(0.005));
  }
  SECTION("Mixtral 8x7B: 46.7B / 12.9B") {
    const auto p = count("mixtral-8x7b");
    CHECK(std::llabs(p.total() - 46'700'000'000LL) <= 50'000'000LL);
    CHECK(std::llabs(p.active() - 12'900'000'000LL) <= 50'000'000LL);
  }
  SECTION("Qwen3-30B-A3B: 30.5B total, 29.9B non-embedding (truncated figures)") {
    const auto p = count("qwen3-30b-a3b");
    CHECK(p.total() >= 30'500'000'000LL);
    CHECK(p.total() < 30'600'000'000LL);
    CHECK(p.total_nonembedding() >= 29'900'000'000LL);
    CHECK(p.total_nonembedding() < 30'000'000'000LL);
    CHECK(p.active() >= 3'300'000'000LL);
    CHECK(p.active() < 3'400'000'000LL);
  }
  SECTION("OLMoE-1B-7B: 6.9B / 1.3B") {
    const auto p = count("olmoe-1b-7b");
    CHECK(std::llabs(p.total() - 6'900'000'000LL) <= 50'000'000LL);
    CHECK(std::llabs(p.active() - 1'300'000'000LL) <= 50'000'000LL);
  }
  SECTION("gpt-oss-120b: 117B / 5.1B (excl. input embedding)") {
    const auto p = count("gpt-oss-120b");
    CHECK(std::llabs(p.total() - 117'000'000'000LL) <= 500'000'000LL);
    CHECK(std::llabs(p.active_excl_input_embedding() - 5'100'000'000LL) <= 50'000'000LL);
  }
  SECTION("BLOOM: exactly 176,247,271,424 with 3,596,615,680 embedding parameters") {
    const auto p = count("bloom-176b");
    CHECK(p.total() == 176'247'271'424LL);
    CHECK(p.embedding.total == 3'596'615'680LL);
    CHECK(p.output_head.total == 0);  // tied
  }
  SECTION("Llama 3.1 8B: 8.03B (HF model card)") {
    const auto p = count("llama-3.1-8b");
    CHECK(p.total() == 8'030'261'248LL);  // 2·128256·4096 + 32·(4096·(4096+2·1024+4096) + 3·4096·14336 + 2·4096) + 4096
  }
}

TEST_CASE("official: DeepSeek-V3 attention per layer is 187.107M (formulas §1.1)", "[params][official]") {
  const ModelSpec s = load_model("deepseek-v3");
  const auto a = attention_params(s.layers.front().attn, s.hidden_size);
  // d·r_q + r_q + r_q·n_h·(d_n+d_r) + d·(r_kv+d_r) + r_kv + r_kv·n_h·(d_n+d_v) + n_h·d_v·d
  const std::int64_t d = 7168, h = 128;
  const std::int64_t expected = d * 1536 + 1536 + 1536 * h * 192 + d * (512 + 64) + 512 + 512 * h * 256 + h * 128 * d;
  CHECK(a.total == expected);
  CHECK(a.total == 187'107'328LL);
}
