#pragma once
// US export controls on advanced-computing ICs (ECCN 3A090) applied to an
// accelerator profile: Total Processing Performance (TPP), performance density,
// the class under the October 2023 rule (88 FR 73458) and the control status
// under the October 2022 rule (87 FR 62186); and the TPP caps `traincost export`
// compares clusters against.
//
// Every threshold, rule text, cap and citation lives in
// constants/export_controls.json and is read at run time; this code only says
// which threshold applies where. Unknown stays unknown: a class that depends on
// a fact the profile lacks is "unknown" (or null), never guessed.
//
// Out of scope: Note 2 to 3A090 (parts "not designed or marketed for use in
// datacenters" with TPP < 4800 are not covered) — every part is classified as a
// datacenter part, as the research notes do.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "traincost/cost/estimate.hpp"
#include "traincost/hardware/accelerator.hpp"
#include "traincost/model/spec.hpp"

namespace traincost::econ {

inline constexpr const char* kNotControlled = "not controlled";
inline constexpr const char* kUnknown = "unknown";

// One clause of 3A090 under the October 2023 rule ("3A090.a.1" ...). It holds
// when every bound that is set holds: tpp_min <= TPP < tpp_below,
// pd_min <= performance density < pd_below.
struct ExportClause {
  std::string id;            // "3A090.a.1"
  std::string export_class;  // "3A090.a"
  std::string text;          // the rule's wording, e.g. "TPP >= 1600 AND performance density >= 5.92"
  std::optional<double> tpp_min, tpp_below, pd_min, pd_below;
};

// A named cap on the aggregate TPP a buyer may hold (AI-diffusion rule, as summarised in the news).
struct NamedCap {
  std::string name;  // "tier2-2025"
  double tpp = 0;
  std::string description;
  std::string wording;  // the figures as recorded in the research notes
};

// A training run `traincost export` times on the accelerators a cap allows.
struct ReferenceRun {
  std::string model;  // preset name
  std::string label;
  double tokens = 0;
  std::int64_t seq_len = 4096;
  std::vector<Precision> precisions;  // preference order: the first the chip has a dense peak for
  std::string precision_rule;
  std::string source;
};

struct ExportRules {
  std::string path;  // the file they came from
  std::vector<std::pair<std::string, int>> bit_length;            // peak_dense_tflops key -> bits
  struct Excluded {
    std::string key, reason;
    std::optional<int> alternative_bit_length;  // another reading, reported in a note when it would raise the TPP
    std::string alternative_note;
  };
  std::vector<Excluded> excluded;  // peak_dense_tflops keys not counted, and why
  std::string tpp_definition, tpp_source;
  // October 2022 (87 FR 62186): TPP >= tpp_min AND bidirectional I/O >= io_min.
  std::string rule_2022_name, rule_2022_citation;
  double rule_2022_tpp_min = 0, rule_2022_io_min_gb_s = 0;
  // October 2023 (88 FR 73458): clauses in order of precedence (3A090.a before 3A090.b).
  std::string rule_2023_name, rule_2023_citation;
  std::vector<ExportClause> clauses_2023;
  // AI-diffusion caps and the provenance shared by all of them.
  std::string caps_rule, caps_status, caps_statement, caps_attributed_to, caps_verification;
  std::vector<NamedCap> caps;
  std::vector<ReferenceRun> reference_runs;

  // nullptr when no cap has that name.
  const NamedCap* find_cap(const std::string& name) const;
  std::vector<std::string> cap_names() const;
};

// Reads and range-checks the rules; errors (InputError) name the file and field.
ExportRules load_export_rules(const std::string& path);
// constants/export_controls.json under data_dir(), loaded once.
const ExportRules& export_rules();

struct Tpp {
  double value = 0;
  std::vector<std::string> basis;  // the precisions that reach the maximum
  std::vector<std::string> notes;
};

// TPP = max over precisions of dense TFLOPS (TOPS for int8) x bit length, from a
// profile's peak_dense_tflops object (`where` names the profile in errors).
// nullopt when it has no countable peak.
std::optional<Tpp> total_processing_performance(const nlohmann::json& peak_dense_tflops, const std::string& where,
                                                const ExportRules& r);

struct Class2023 {
  std::string export_class;  // "3A090.a" | "3A090.b" | "not controlled" | "unknown"
  std::string clause;        // the clause that applies ("3A090.a.1"), "" otherwise
};
// Pure: the October 2023 class of a part with this TPP and performance density.
Class2023 classify_2023(std::optional<double> tpp, std::optional<double> performance_density, const ExportRules& r);
// Pure: controlled under the October 2022 rule; nullopt when a needed fact is unknown.
std::optional<bool> controlled_2022(std::optional<double> tpp, std::optional<double> io_bidirectional_gb_s,
                                    const ExportRules& r);

struct ExportAssessment {
  std::optional<double> tpp;
  std::vector<std::string> tpp_basis;
  std::optional<double> applicable_die_area_mm2;
  std::optional<double> performance_density;  // TPP / mm²
  Class2023 class_2023;
  std::optional<double> io_bidirectional_gb_s;  // the scale-up link, the I/O the 2022 test is applied to
  std::optional<bool> controlled_2022;
  std::vector<std::string> notes;
};
ExportAssessment assess(const Accelerator& a, const ExportRules& r);

// ---- accelerators under a cap

struct CapRunResult {
  std::string model;
  std::optional<Precision> precision;
  std::optional<double> wall_clock_days;
  std::optional<double> gpu_hours;
  std::string reason;  // why the days are null
};

struct CapRow {
  std::string id, name;
  double tpp = 0;
  std::int64_t count_under_cap = 0;  // floor(cap / TPP)
  ExportAssessment assessment;
  std::vector<CapRunResult> runs;  // one per reference run, same order
};

struct CapSkipped {
  std::string id, reason;
};

struct CapTable {
  double cap_tpp = 0;
  std::vector<CapRow> rows;
  std::vector<CapSkipped> skipped;  // profiles without a known TPP
};

// For each accelerator with a known TPP: how many fit under the cap, and the
// wall-clock days of each reference run on that many at the default
// utilisation (traincost::estimate without an MFU). `models` pairs with r.reference_runs.
CapTable accelerators_under_cap(double cap_tpp, const std::vector<Accelerator>& all, const std::vector<ModelSpec>& models,
                                const ExportRules& r);

}  // namespace traincost::econ
