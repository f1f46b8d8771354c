#include "traincost/econ/hardware_compare.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include <fmt/format.h>

#include "traincost/cost/constants.hpp"
#include "traincost/cost/estimate.hpp"
#include "traincost/model/flops.hpp"
#include "traincost/model/params.hpp"
#include "traincost/perf/hints.hpp"
#include "traincost/perf/search.hpp"
#include "traincost/perf/sizing.hpp"
#include "traincost/util/constants_file.hpp"
#include "traincost/util/error.hpp"
#include "traincost/util/json_fields.hpp"
#include "traincost/util/json_nullable.hpp"
#include "traincost/util/number_format.hpp"
#include "traincost/util/numeric.hpp"

namespace traincost::econ {

using nlohmann::json;

HwCompareConstants hardware_compare_constants_from_json(const json& doc, const std::string& where) {
  const JsonContext top{doc, where, ""};
  HwCompareConstants c;
  c.path = where;
  const JsonContext t = top.child("limit_share_threshold");
  c.limit_share_threshold = t.get_real("value", 0.0, 1.0);
  c.limit_share_source = t.get_string("source");
  c.max_cluster_gpus = top.child("max_cluster_gpus").get_int("value", 1, std::int64_t{1} << 30);
  return c;
}

const HwCompareConstants& hardware_compare_constants() {
  return load_once<HwCompareConstants>("constants/hardware_compare.json", [](const json& doc, const std::string& path) {
    return hardware_compare_constants_from_json(doc, path);
  });
}

std::string compact_plan(const perf::Plan& p) {
  std::string s = fmt::format("TP{} PP{} DP{}", p.tp, p.pp, p.dp);
  if (p.cp > 1) s += fmt::format(" CP{}", p.cp);
  if (p.ep > 1) s += fmt::format(" EP{}", p.ep);
  if (p.pp > 1) {
    switch (p.schedule) {
      case perf::Schedule::one_f_one_b: s += " 1F1B"; break;
      case perf::Schedule::interleaved: s += fmt::format(" interleaved(v={})", p.vpp); break;
      case perf::Schedule::dualpipe: s += " DualPipe"; break;
    }
  }
  s += fmt::format(" ZeRO-{}", p.zero);
  if (p.micro_batch > 1) s += fmt::format(" mb{}", p.micro_batch);
  if (p.recompute != Recompute::none) s += fmt::format(" recompute={}", to_string(p.recompute));
  return s;
}

LimitVerdict classify_limit(const perf::Evaluation& e, const perf::Cluster& cl, double threshold) {
  const perf::TimeBreakdown& t = e.time;
  const perf::Plan& p = e.plan;
  const auto domain = cl.scale_up_domain;
  // Each collective is put on the link the performance model sends it over (evaluate.cpp).
  const bool tp_out = p.tp > domain;
  const bool ep_out = static_cast<std::int64_t>(p.tp) * p.ep > domain;  // the all-to-all leaves the domain
  const bool p2p_out = static_cast<std::int64_t>(p.tp) * p.cp * p.dp * 2 > domain;
  const bool dp_out = cl.gpus / p.pp > domain;
  double up = 0, out = 0;
  (tp_out ? out : up) += t.tp_comm;
  (ep_out ? out : up) += t.ep_comm;
  (static_cast<std::int64_t>(p.tp) * p.cp > domain ? out : up) += t.cp_comm;
  (p2p_out ? out : up) += t.pp_p2p;
  (dp_out ? out : up) += t.dp_comm;
  const double step = t.step > 0 ? t.step : 1.0;
  LimitVerdict v;
  v.shares.compute = (t.gemm + t.attention + t.recompute) / step;
  v.shares.hbm = (t.elementwise + t.optimizer) / step;
  v.shares.scale_up = up / step;
  v.shares.scale_out = out / step;
  v.shares.pipeline_bubble = t.pp_bubble / step;
  v.memory_bound = p.recompute == Recompute::full || p.zero == 3;
  const std::pair<double, const char*> parts[] = {{v.shares.hbm, "HBM bandwidth"},
                                                   {v.shares.scale_up, "scale-up links"},
                                                   {v.shares.scale_out, "scale-out network"},
                                                   {v.shares.pipeline_bubble, "pipeline bubble"}};
  const auto* top = std::max_element(std::begin(parts), std::end(parts),
                                     [](const auto& a, const auto& b) { return a.first < b.first; });
  const std::string memory = v.memory_bound
                                 ? fmt::format("; the plan needs {} to fit in memory",
                                               p.recompute == Recompute::full && p.zero == 3 ? "full recomputation and ZeRO-3"
                                               : p.recompute == Recompute::full             ? "full recomputation"
                                                                                            : "ZeRO-3")
                                 : std::string();
  if (top->first >= threshold) {
    v.limit = top->second;
    v.detail = fmt::format("{} takes {:.1f}% of the step (>= {:.0f}%){}", top->second, 100.0 * top->first,
                           100.0 * threshold, memory);
  } else if (v.memory_bound) {
    v.limit = "memory capacity";
    v.detail = fmt::format("no non-compute part reaches {:.0f}% of the step (largest: {} {:.1f}%){}", 100.0 * threshold,
                           top->second, 100.0 * top->first, memory);
  } else {
    v.limit = "compute";
    v.detail = fmt::format("GEMMs and attention take {:.1f}% of the step; no other part reaches {:.0f}% (largest: {} {:.1f}%)",
                           100.0 * v.shares.compute, 100.0 * threshold, top->second, 100.0 * top->first);
  }
  return v;
}

namespace {

struct PerfRun {
  perf::Evaluation best;
  perf::Cluster cluster;
  Estimate estimate;
};

EstimateInputs base_inputs(const HwCompareInputs& in, Precision p) {
  EstimateInputs ei;
  ei.tokens = in.tokens;
  ei.precision = p;
  ei.flops.seq_len = in.seq_len;
  ei.pue = defaults::kPue;
  ei.grid_kgco2_per_kwh = defaults::kGridKgCo2PerKwh;
  return ei;
}


// Everything the performance model needs for one chip, built once.
struct PerfSetup {
  const ModelSpec& model;
  const Accelerator& hw;
  const HwCompareInputs& in;
  Precision precision;
  const perf::Constants& c;
  perf::Hardware facts;
  perf::ModelProfile prof;
  perf::TrainingSetup setup;

  PerfSetup(const ModelSpec& m, const Accelerator& a, const HwCompareInputs& i, Precision p)
      : model(m), hw(a), in(i), precision(p), c(perf::constants()) {
    facts = perf::hardware_facts(hw, p, c);  // throws UsageError naming a missing fact
    prof = perf::profile(model, in.seq_len, AttentionConvention::causal);
    setup.seq_len = in.seq_len;
    setup.precision = p;
  }

  // The setup on n GPUs: the default batch (set per cluster size, so that it splits over a
  // cluster whose size is not a power of two).
  perf::TrainingSetup setup_for(std::int64_t n) const {
    perf::TrainingSetup t = setup;
    t.global_batch_tokens = perf::default_global_batch_tokens(prof.model_flops_per_token * in.tokens, in.seq_len, c, n);
    return t;
  }

  // The best plan on n GPUs (links from `links`, by default this chip's), or nullopt when none fits.
  std::optional<PerfRun> run(std::int64_t n, const Accelerator* links = nullptr) const {
    PerfRun r;
    r.cluster = perf::cluster_for(links ? *links : hw, n);  // throws UsageError naming a missing fact
    const perf::SearchResult s = perf::search(prof, facts, r.cluster, setup_for(n), c, 1);
    if (s.top.empty()) return std::nullopt;
    r.best = s.top.front();
    const perf::Goodput g = perf::goodput(n, prof.total_params, c);
    EstimateInputs ei = base_inputs(in, precision);
    ei.gpus = n;
    ei.derived = DerivedThroughput{r.best.tokens_per_s, r.best.mfu, g.goodput, c.run_efficiency, perf::to_string(r.best.plan), n, "",
                                   r.best.plan.recompute};
    r.estimate = estimate(model, hw, ei);
    return r;
  }

  // The smallest power-of-two cluster above `from` on which a plan fits (batch grown to one sequence per rank).
  std::optional<std::int64_t> min_fit(std::int64_t from, std::int64_t max) const {
    for (std::int64_t n = std::max<std::int64_t>(from, 1); n <= max; n *= 2) {
      perf::TrainingSetup t = setup_for(n);
      t.global_batch_tokens = std::max(t.global_batch_tokens, n * setup.seq_len);
      if (!perf::search(prof, facts, perf::cluster_for(hw, n), t, c, 1).top.empty()) return n;
    }
    return std::nullopt;
  }
};

void take_estimate(HwRow& row, const Estimate& e) {
  row.days = e.wall_clock_days;
  row.gpu_hours = e.gpu_hours;
  row.cost_usd = e.cost_usd;
  row.price_usd_per_gpu_hour = e.price_usd_per_gpu_hour;
  row.price_basis = e.price_basis;
  row.price_source = e.price_source;
  row.energy_mwh = e.energy_mwh;
  row.mfu = e.mfu;
  row.mfu_source = e.mfu_source;
  for (const auto& n : e.notes)
    if (n.find("no --gpus") == std::string::npos && n.find("rental price") == std::string::npos) row.notes.push_back(n);
}

void take_perf(HwRow& row, const PerfRun& r, const HwCompareConstants& c) {
  row.performance_model = true;
  row.best = r.best;
  row.plan = perf::to_string(r.best.plan);
  row.fits = true;
  row.gpus = r.cluster.gpus;
  take_estimate(row, r.estimate);
  row.limit = classify_limit(r.best, r.cluster, c.limit_share_threshold);
}

// Performance model rows. Throws UsageError when the profile lacks a fact it needs.
void perf_row(HwRow& row, const PerfSetup& ps, const HwCompareInputs& in, const HwCompareConstants& c) {
  if (in.gpus) {
    if (auto r = ps.run(*in.gpus)) {
      take_perf(row, *r, c);
      return;
    }
    row.performance_model = true;
    row.fits = false;
    row.gpus = *in.gpus;
    row.min_gpus_to_fit = ps.min_fit(*in.gpus * 2, c.max_cluster_gpus);
    row.notes.push_back(row.min_gpus_to_fit
                            ? fmt::format("no plan fits on {} GPUs; the smallest power-of-two cluster that fits is {} GPUs",
                                          *in.gpus, *row.min_gpus_to_fit)
                            : fmt::format("no plan fits on {} GPUs, nor on any power-of-two cluster up to {}", *in.gpus,
                                          c.max_cluster_gpus));
    return;
  }
  // --days: the sizing rule every question shares (perf/sizing.hpp): the smallest of
  // 8, 12, 16, 24, ... GPUs whose modelled whole run meets the deadline, up to the cap.
  // No cluster below FLOPs / (peak x 86400 x D) can (that would need an MFU above 1).
  const double flops = ps.prof.model_flops_per_token * in.tokens;
  const double floor_gpus = flops / (ps.facts.peak * 86400.0 * *in.deadline_days);
  row.performance_model = true;
  row.meets_deadline = false;
  if (floor_gpus <= static_cast<double>(c.max_cluster_gpus)) {
    std::map<std::int64_t, std::optional<PerfRun>> runs;
    const auto days_on = [&](std::int64_t n) -> std::optional<double> {
      if (n > c.max_cluster_gpus) return std::nullopt;
      auto& r = runs[n];
      r = ps.run(n);
      return r ? r->estimate.wall_clock_days : std::nullopt;
    };
    const perf::AssumedCluster a =
        perf::size_for_deadline(flops, ps.facts.peak, ps.c, *in.deadline_days, days_on, c.max_cluster_gpus);
    if (a.days) {
      take_perf(row, *runs.at(a.gpus), c);
      row.meets_deadline = *a.days <= *in.deadline_days;
      if (!*row.meets_deadline)
        row.notes.push_back(fmt::format("no cluster up to {} GPUs meets {:g} days; the fastest: {:.1f} days on {} GPUs, "
                                        "where growing the cluster stops shortening the run",
                                        util::exact(c.max_cluster_gpus), *in.deadline_days, *row.days,
                                        util::exact(*row.gpus)));
      return;
    }
  }
  if (pow2_at_least(floor_gpus) > c.max_cluster_gpus) {
    row.deadline_beyond_cap = true;
    // floor_gpus can exceed any integer (a deadline of 1e-300 days): exact only where it fits.
    const std::string need = floor_gpus < 1e15 ? util::exact(static_cast<std::int64_t>(std::ceil(floor_gpus)))
                                               : fmt::format("{:.3g}", floor_gpus);
    row.notes.push_back(fmt::format("{:g} days need at least {} GPUs even at 100% MFU, beyond {}", *in.deadline_days, need,
                                    util::exact(c.max_cluster_gpus)));
  } else {
    row.notes.push_back(fmt::format("no plan fits on any cluster up to {} GPUs", c.max_cluster_gpus));
  }
}

// Default-utilisation rows: fit judged by the model states alone.
void default_row(HwRow& row, const ModelSpec& model, const Accelerator& hw, const HwCompareInputs& in, Precision p,
                 const HwCompareConstants& c) {
  EstimateInputs ei = base_inputs(in, p);
  const double states = static_cast<double>(count_params(model).total_incl_mtp()) * defaults::kModelStateBytesPerParam;
  std::optional<std::int64_t> floor_gpus;
  if (hw.memory_bytes) floor_gpus = pow2_at_least(states / *hw.memory_bytes);
  if (in.gpus) {
    ei.gpus = *in.gpus;
  } else {
    const Estimate e0 = estimate(model, hw, ei);
    const std::int64_t n = std::max(pow2_at_least(e0.gpu_hours / (24.0 * *in.deadline_days)), floor_gpus.value_or(1));
    if (n > c.max_cluster_gpus) {
      take_estimate(row, e0);
      row.meets_deadline = false;
      row.notes.push_back(fmt::format("{:g} days would need {} GPUs, beyond {}", *in.deadline_days, n, c.max_cluster_gpus));
      return;
    }
    ei.gpus = n;
  }
  row.gpus = ei.gpus;
  try {
    take_estimate(row, estimate(model, hw, ei));
    if (hw.memory_bytes) {
      row.fits = true;
      row.notes.push_back(fmt::format("fit judged by the model states only ({:.0f} B/parameter fully sharded); activations "
                                      "are not checked without the performance model",
                                      defaults::kModelStateBytesPerParam));
    } else {
      row.notes.push_back("no memory size in the profile: fit unknown");
    }
    if (in.deadline_days) row.meets_deadline = row.days && *row.days <= *in.deadline_days * (1.0 + 1e-9);
  } catch (const InputError& e) {
    row.fits = false;
    row.min_gpus_to_fit = floor_gpus;
    row.notes.push_back(e.what());
  }
}

HwRow compare_one(const ModelSpec& model, const Accelerator& hw, const HwCompareInputs& in, const HwCompareConstants& c) {
  HwRow row;
  row.id = hw.id;
  row.name = hw.name;
  for (Precision p : {in.precision, Precision::bf16, Precision::fp16})
    if (hw.peak_dense_flops_per_s.count(p)) {
      row.precision = p;
      break;
    }
  if (!row.precision) {
    row.notes.push_back(
        hw.peak_dense_flops_per_s.empty()
            ? fmt::format("{} has no published dense peak in its profile: nothing can be computed", hw.id)
            : fmt::format("{} has no dense {}, bf16 or fp16 peak in its profile", hw.id, to_string(in.precision)));
    return row;
  }
  if (*row.precision != in.precision)
    row.notes.push_back(fmt::format("{} has no dense {} peak: {} used", hw.id, to_string(in.precision), to_string(*row.precision)));
  try {
    const PerfSetup ps(model, hw, in, *row.precision);
    HwRow trial = row;
    perf_row(trial, ps, in, c);
    return trial;
  } catch (const UsageError& e) {
    row.perf_model_gap = perf::without_mfu_hint(e.what());
    row.notes.push_back(fmt::format("performance model not used: {}; default utilisation ({:.1f}% of the 16-bit dense peak, "
                                    "Epoch AI median)",
                                    perf::without_mfu_hint(e.what()), 100.0 * defaults::kMfuBf16Equivalent));
  }
  default_row(row, model, hw, in, *row.precision, c);
  return row;
}

std::string gbs(const std::optional<double>& bytes_per_s) {
  return bytes_per_s ? fmt::format("{:.0f}", *bytes_per_s / 1e9) : std::string("unknown");
}

bool same_fact(const std::optional<double>& a, const std::optional<double>& b) {
  return a.has_value() == b.has_value() && (!a || nearly_equal(*a, *b));
}

// Chips with the same compute and memory but different links: re-plan the one with
// slower links using the other's links, so the interconnect's part of the gap is isolated.
std::optional<InterconnectEffect> interconnect_effect(const ModelSpec& model, const Accelerator& a, const HwRow& ra,
                                                      const Accelerator& b, const HwRow& rb, const HwCompareInputs& in) {
  if (!ra.best || !rb.best || !ra.precision || ra.precision != rb.precision || ra.gpus != rb.gpus || !ra.days || !rb.days)
    return std::nullopt;
  const Precision p = *ra.precision;
  if (!same_fact(a.peak_flops_per_s(p), b.peak_flops_per_s(p)) || !same_fact(a.hbm_bandwidth_bytes_per_s, b.hbm_bandwidth_bytes_per_s) ||
      !same_fact(a.memory_bytes, b.memory_bytes))
    return std::nullopt;
  const bool links_differ = !same_fact(a.scale_up_bytes_per_s_bidirectional, b.scale_up_bytes_per_s_bidirectional) ||
                            !same_fact(a.scale_out_bytes_per_s, b.scale_out_bytes_per_s) ||
                            a.scale_up_domain_size != b.scale_up_domain_size;
  if (!links_differ) return std::nullopt;
  auto key = [](const Accelerator& x) {
    return std::make_pair(x.scale_up_bytes_per_s_bidirectional.value_or(0), x.scale_out_bytes_per_s.value_or(0));
  };
  const bool a_slower = key(a) < key(b);
  const Accelerator& slow = a_slower ? a : b;
  const Accelerator& fast = a_slower ? b : a;
  const HwRow& rs = a_slower ? ra : rb;
  const HwRow& rf = a_slower ? rb : ra;
  try {
    const PerfSetup ps(model, slow, in, p);
    const auto cf = ps.run(*rs.gpus, &fast);
    if (!cf || !cf->estimate.wall_clock_days) return std::nullopt;
    InterconnectEffect x;
    x.hardware = slow.id;
    x.versus = fast.id;
    x.days = *rs.days;
    x.days_with_versus_links = *cf->estimate.wall_clock_days;
    x.versus_days = *rf.days;
    x.effect = x.days / x.days_with_versus_links - 1.0;
    std::vector<std::string> other;
    const bool mamf_slow = slow.measured_matmul_flops_per_s.count(p) > 0, mamf_fast = fast.measured_matmul_flops_per_s.count(p) > 0;
    if (mamf_slow != mamf_fast)
      other.push_back(fmt::format("the GEMM ceiling: {}'s profile has a measured {} matmul ceiling (MAMF), {}'s uses the "
                                  "default fraction of the peak",
                                  mamf_slow ? slow.id : fast.id, to_string(p), mamf_slow ? fast.id : slow.id));
    else if (slow.measured_matmul_flops_per_s != fast.measured_matmul_flops_per_s)
      other.push_back("the measured matmul ceilings (MAMF) of the two profiles");
    if (slow.generation != fast.generation) other.push_back("the generation's calibrated GEMM efficiency");
    x.text = fmt::format(
        "{} vs {}: same dense {} peak, HBM bandwidth and memory; the links differ (scale-up {} vs {} GB/s bidirectional, "
        "scale-out {} vs {} GB/s per GPU). Re-planned with {}'s links, {} would take {:.1f} days instead of {:.1f}: the "
        "interconnect costs it {:+.1f}% in time. {} takes {:.1f} days{}",
        slow.id, fast.id, to_string(p), gbs(slow.scale_up_bytes_per_s_bidirectional),
        gbs(fast.scale_up_bytes_per_s_bidirectional), gbs(slow.scale_out_bytes_per_s), gbs(fast.scale_out_bytes_per_s),
        fast.id, slow.id, x.days_with_versus_links, x.days, 100.0 * x.effect, fast.id, x.versus_days,
        other.empty() ? std::string(".")
                      : fmt::format("; the rest of the gap comes from {}.", fmt::join(other, " and ")));
    return x;
  } catch (const UsageError&) {
    return std::nullopt;
  }
}


}  // namespace

HwCompareResult compare_hardware(const ModelSpec& model, const std::vector<Accelerator>& hardware,
                                 const HwCompareInputs& in, const HwCompareConstants& c) {
  if (in.gpus.has_value() == in.deadline_days.has_value())
    throw UsageError("compare-hardware: give --gpus N (the same cluster size for every chip) or --days D (each cluster "
                     "sized to meet the deadline), not both");
  if (!(in.tokens > 0)) throw UsageError("--tokens: must be positive");
  HwCompareResult r;
  r.model = model.name;
  r.in = in;
  for (const auto& hw : hardware) r.rows.push_back(compare_one(model, hw, in, c));
  for (std::size_t i = 0; i < hardware.size(); ++i)
    for (std::size_t j = i + 1; j < hardware.size(); ++j)
      if (auto x = interconnect_effect(model, hardware[i], r.rows[i], hardware[j], r.rows[j], in)) r.interconnect.push_back(*x);
  if (in.deadline_days)
    r.notes.push_back(fmt::format("each cluster is the smallest of 8, 12, 16, 24, 32, ... GPUs whose modelled whole run "
                                  "meets {:g} days (up to {} GPUs; the sizing rule of estimate without --gpus)",
                                  *in.deadline_days, util::exact(c.max_cluster_gpus)));
  return r;
}

}  // namespace traincost::econ
