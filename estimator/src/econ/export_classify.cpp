// One accelerator under the rules: its TPP, performance density, and the 2022 and
// 2023 classes (88 FR 73458, 87 FR 62186).
#include <algorithm>

#include <fmt/format.h>

#include "export_bounds.hpp"
#include "traincost/econ/export_control.hpp"
#include "traincost/util/json_fields.hpp"
#include "traincost/util/numeric.hpp"

namespace traincost::econ {

using nlohmann::json;

namespace {

std::string tpp_text(double v) { return fmt::format("{:.6g}", v); }

}  // namespace

std::optional<Tpp> total_processing_performance(const json& peaks, const std::string& where, const ExportRules& r) {
  if (!peaks.is_object()) return std::nullopt;
  const JsonContext c{peaks, where, "peak_dense_tflops"};
  std::optional<Tpp> best;
  for (const auto& [key, bits] : r.bit_length) {
    const auto v = c.opt_real(key, 0.0, 1e7);  // TFLOPS, or TOPS for int8
    if (!v || *v <= 0) continue;
    const double tpp = *v * bits;
    if (!best || (tpp > best->value && !nearly_equal(tpp, best->value))) {
      best = Tpp{tpp, {key}, {}};
    } else if (nearly_equal(tpp, best->value)) {
      best->basis.push_back(key);
    }
  }
  if (!best) return std::nullopt;
  for (const auto& x : r.excluded) {
    const auto v = c.opt_real(x.key, 0.0, 1e7);
    if (!v || !x.alternative_bit_length) continue;
    const double alt = *v * *x.alternative_bit_length;
    if (alt > best->value && !nearly_equal(alt, best->value))
      best->notes.push_back(fmt::format("{} is not counted (BIS does not state its bit length); counted at {} bits ({}) "
                                        "the TPP would be {}",
                                        x.key, *x.alternative_bit_length, x.alternative_note, tpp_text(alt)));
  }
  for (const auto& item : peaks.items()) {
    const std::string key = item.key();  // not a structured binding: clang 14 cannot capture one in a lambda
    const bool known = std::any_of(r.bit_length.begin(), r.bit_length.end(), [&](const auto& b) { return b.first == key; }) ||
                       std::any_of(r.excluded.begin(), r.excluded.end(), [&](const auto& x) { return x.key == key; });
    if (!known) best->notes.push_back(fmt::format("peak_dense_tflops.{} has no bit length in {}: not counted", key, r.path));
  }
  return best;
}

Class2023 classify_2023(std::optional<double> tpp, std::optional<double> pd, const ExportRules& r) {
  if (!tpp) return {kUnknown, ""};
  // The clauses of 88 FR 73458 in order of precedence (3A090.a.1, a.2, b.1, b.2).
  // A clause whose TPP bounds hold but which needs an unknown performance
  // density is undecided: a lower class cannot be claimed past it.
  std::string undecided;
  for (const auto& c : r.clauses_2023) {
    if (c.tpp_min && *tpp < *c.tpp_min) continue;
    if (c.tpp_below && *tpp >= *c.tpp_below) continue;
    if ((c.pd_min || c.pd_below) && !pd) {
      if (undecided.empty()) undecided = c.export_class;
      continue;
    }
    if (c.pd_min && *pd < *c.pd_min) continue;
    if (c.pd_below && *pd >= *c.pd_below) continue;
    if (!undecided.empty() && undecided != c.export_class) return {kUnknown, ""};
    return {c.export_class, c.id};
  }
  if (!undecided.empty()) return {kUnknown, ""};
  return {kNotControlled, ""};
}

std::optional<bool> controlled_2022(std::optional<double> tpp, std::optional<double> io_gb_s, const ExportRules& r) {
  // 87 FR 62186: both conditions (TPP >= 4800 AND I/O >= 600 GB/s bidirectional).
  if (!tpp) return std::nullopt;
  if (*tpp < r.rule_2022_tpp_min) return false;
  if (!io_gb_s) return std::nullopt;
  return *io_gb_s >= r.rule_2022_io_min_gb_s;
}

ExportAssessment assess(const Accelerator& a, const ExportRules& r) {
  ExportAssessment x;
  const json& doc = a.document;
  const JsonContext top{doc, a.path, ""};
  if (auto t = total_processing_performance(doc.contains("peak_dense_tflops") ? doc.at("peak_dense_tflops") : json(), a.path, r)) {
    x.tpp = t->value;
    x.tpp_basis = t->basis;
    x.notes = t->notes;
  } else {
    x.notes.push_back("no published dense peak in the profile: TPP unknown");
  }
  if (top.has("export_control")) {
    const JsonContext ec = top.child("export_control");
    x.applicable_die_area_mm2 = ec.opt_real("applicable_die_area_mm2", 1.0, 1e5);
    // The research notes' TPP where it is a range (disputed or omitted peaks).
    if (ec.has("tpp_range") && doc.at("export_control").at("tpp_range").is_array() &&
        doc.at("export_control").at("tpp_range").size() == 2) {
      const auto& range = doc.at("export_control").at("tpp_range");
      if (range[0].is_number() && range[1].is_number()) {
        const double lo = range[0].get<double>(), hi = range[1].get<double>();
        if (!x.tpp || !nearly_equal(hi, *x.tpp))
          x.notes.push_back(fmt::format("the profile's research notes give a TPP range {}-{} (see export_control.notes); "
                                        "from the published peaks: {}",
                                        tpp_text(lo), tpp_text(hi), x.tpp ? tpp_text(*x.tpp) : "unknown"));
      }
    }
  }
  if (x.tpp && x.applicable_die_area_mm2) x.performance_density = *x.tpp / *x.applicable_die_area_mm2;
  if (x.tpp && !x.applicable_die_area_mm2) x.notes.push_back("applicable die area unknown: performance density unknown");
  x.class_2023 = classify_2023(x.tpp, x.performance_density, r);
  if (top.has("scale_up"))
    x.io_bidirectional_gb_s = top.child("scale_up").opt_real("bandwidth_gb_s_bidirectional", 0.0, detail::kMaxIoGbS);
  x.controlled_2022 = controlled_2022(x.tpp, x.io_bidirectional_gb_s, r);
  if (x.controlled_2022 && !*x.controlled_2022 && x.tpp && *x.tpp >= r.rule_2022_tpp_min)
    x.notes.push_back(fmt::format(
        "2022 I/O test applied to the scale-up link only ({:.0f} GB/s bidirectional < {:.0f}); the rule counts all I/O to "
        "non-memory ICs (host PCIe, on-die network ports), which the profile does not sum",
        *x.io_bidirectional_gb_s, r.rule_2022_io_min_gb_s));
  if (x.tpp && *x.tpp >= r.rule_2022_tpp_min && !x.io_bidirectional_gb_s)
    x.notes.push_back("no scale-up bandwidth in the profile: the October 2022 I/O test cannot be applied");
  return x;
}

}  // namespace traincost::econ
