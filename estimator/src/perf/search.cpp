#include "traincost/perf/search.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <tuple>
#include <vector>

#include "traincost/util/json_fields.hpp"

namespace traincost::perf {

namespace {
std::vector<int> divisors(std::int64_t n, std::int64_t max) {
  std::vector<int> v;
  for (std::int64_t i = 1; i <= std::min(n, max); ++i)
    if (n % i == 0) v.push_back(static_cast<int>(i));
  return v;
}
}  // namespace

bool PlanConstraint::admits(const Plan& p) const {
  return (!tp || *tp == p.tp) && (!pp || *pp == p.pp) && (!dp || *dp == p.dp) && (!cp || *cp == p.cp) &&
         (!ep || *ep == p.ep) && (!vpp || *vpp == p.vpp) && (!zero || *zero == p.zero) &&
         (!micro_batch || *micro_batch == p.micro_batch) && (!schedule || *schedule == p.schedule) &&
         (!recompute || *recompute == p.recompute) &&
         (!attention_kernel || *attention_kernel == p.attention_kernel) &&
         (allow_dualpipe || p.schedule != Schedule::dualpipe);
}

PlanConstraint constraint_from_json(const nlohmann::json& plan, const std::string& where) {
  PlanConstraint c;
  if (!plan.is_object()) return c;
  const JsonContext j{plan, where, "plan"};
  auto get = [&](const char* key, int max) -> std::optional<int> {
    auto v = j.opt_int(key, 1, max);
    return v ? std::optional<int>(static_cast<int>(*v)) : std::nullopt;
  };
  c.tp = get("tp", 1024);
  c.pp = get("pp", 1024);
  c.dp = get("dp", 10'000'000);
  c.cp = get("cp", 1024);
  c.ep = get("ep", 100'000);
  c.vpp = get("vpp", 64);
  c.micro_batch = get("micro_batch", 1'000'000);
  if (auto z = j.opt_int("zero", 0, 3)) c.zero = static_cast<int>(*z);
  if (auto r = j.opt_string("recompute")) c.recompute = parse_recompute(*r);
  if (j.has("tp_overlap")) c.tp_overlap = j.get_bool_or("tp_overlap", false);
  if (j.has("dp_overlap")) c.dp_overlap = j.get_bool_or("dp_overlap", true);
  if (auto k = j.opt_string("attention_kernel")) {
    if (*k == "flash") c.attention_kernel = AttentionKernel::flash;
    else if (*k == "materialized") c.attention_kernel = AttentionKernel::materialized;
    else j.fail("attention_kernel", "must be flash or materialized");
  }
  if (auto sch = j.opt_string("schedule")) {
    if (*sch == "1f1b") c.schedule = Schedule::one_f_one_b;
    else if (*sch == "interleaved") c.schedule = Schedule::interleaved;
    else if (*sch == "dualpipe") c.schedule = Schedule::dualpipe;
    else j.fail("schedule", "must be 1f1b, interleaved or dualpipe");
  }
  return c;
}

SearchResult search(const ModelProfile& m, const Hardware& hw, const Cluster& cl, const TrainingSetup& s,
                    const Constants& c, int top_k, const PlanConstraint& constraint, const ProgressFn& progress) {
  const auto start = std::chrono::steady_clock::now();
  SearchResult r;
  const std::int64_t seqs = s.global_batch_tokens / s.seq_len;
  std::vector<int> tps;
  if (constraint.tp) tps.push_back(*constraint.tp);
  else
    for (int t = 1; t <= std::min<std::int64_t>(cl.scale_up_domain, m.num_heads); t *= 2) tps.push_back(t);
  std::vector<int> cps = {1};
  if (constraint.cp) cps = {*constraint.cp};
  else if (s.seq_len >= 16384)
    for (int cp = 2; cp <= 32; cp *= 2) cps.push_back(cp);
  std::vector<int> micro_batches = {1, 2, 4, 8};
  if (constraint.micro_batch) micro_batches = {*constraint.micro_batch};
  // recompute=moe only for MoE models (plan_is_legal refuses it for dense ones, so a dense
  // model's search does not generate those candidates at all).
  std::vector<Recompute> recomputes = {Recompute::none, Recompute::selective, Recompute::full};
  if (m.is_moe) recomputes.insert(recomputes.begin() + 2, Recompute::moe);
  const int zeros[] = {1, 3, 0};
  // The best top_k so far, fastest first; ties broken by plan fields so the order is deterministic.
  std::vector<Evaluation> feasible;
  auto key = [](const Plan& p) {
    return std::make_tuple(p.tp, p.pp, p.dp, p.cp, p.ep, p.vpp, static_cast<int>(p.schedule), p.zero, p.micro_batch,
                           static_cast<int>(p.recompute));
  };
  auto faster = [&](const Evaluation& a, const Evaluation& b) {
    if (a.time.step != b.time.step) return a.time.step < b.time.step;
    return key(a.plan) < key(b.plan);
  };
  const std::size_t k = static_cast<std::size_t>(std::max(top_k, 1));
  auto keep = [&](Evaluation&& e) {
    if (feasible.size() == k && !faster(e, feasible.back())) return;
    auto pos = std::upper_bound(feasible.begin(), feasible.end(), e, faster);
    feasible.insert(pos, std::move(e));
    if (feasible.size() > k) feasible.pop_back();
  };
  // Layer times depend on tp, cp, ep, micro-batch, recompute and whether DualPipe hides
  // the all-to-all (see layer_times), not on pp, dp, vpp or ZeRO: compute each once.
  std::map<std::tuple<int, int, int, int, Recompute, bool>, LayerTimes> layer_cache;
  auto layers_for = [&](const Plan& p) -> const LayerTimes& {
    const auto group = std::make_tuple(p.tp, p.cp, p.ep, p.micro_batch, p.recompute, p.schedule == Schedule::dualpipe);
    auto it = layer_cache.find(group);
    if (it == layer_cache.end()) it = layer_cache.emplace(group, layer_times(m, hw, cl, s, p, c)).first;
    return it->second;
  };
  for (std::size_t ti = 0; ti < tps.size(); ++ti) {
    const int tp = tps[ti];
    if (cl.gpus % tp != 0) continue;
    for (std::size_t ci = 0; ci < cps.size(); ++ci) {
      const int cp = cps[ci];
      if (cl.gpus % (static_cast<std::int64_t>(tp) * cp) != 0) continue;
      const std::int64_t rest = cl.gpus / (static_cast<std::int64_t>(tp) * cp);
      const std::vector<int> pps = divisors(rest, m.num_layers);
      for (std::size_t pi = 0; pi < pps.size(); ++pi) {
        const int pp = pps[pi];
        if (progress) {  // share of (tp, cp, pp) layouts begun: coarse, the work per layout varies
          const double in_cp = (static_cast<double>(ci) + static_cast<double>(pi) / static_cast<double>(pps.size())) /
                               static_cast<double>(cps.size());
          progress((static_cast<double>(ti) + in_cp) / static_cast<double>(tps.size()));
        }
        const int dp = static_cast<int>(rest / pp);
        if (seqs % dp != 0) continue;
        std::vector<int> eps = {1};
        if (m.is_moe) eps = divisors(m.num_experts, static_cast<std::int64_t>(tp) * dp);
        for (int ep : eps) {
          if ((static_cast<std::int64_t>(tp) * dp) % ep != 0) continue;
          for (int mb : micro_batches) {
            if (seqs % (static_cast<std::int64_t>(dp) * mb) != 0) continue;
            struct Sched { Schedule s; int v; };
            std::vector<Sched> scheds = {{Schedule::one_f_one_b, 1}};
            if (pp > 1) {
              if (constraint.vpp && *constraint.vpp > 1) scheds.push_back({Schedule::interleaved, *constraint.vpp});
              else
                // The search splits layers only (pp x vpp <= layers); counting the embedding
                // and loss as stages (Megatron's --account-for-embedding/loss-in-pipeline-split,
                // legal up to layers + 2) is a recipe choice a user pins, not a default.
                for (int v : {2, 4, 8})
                  if (static_cast<std::int64_t>(pp) * v <= m.num_layers) scheds.push_back({Schedule::interleaved, v});
              if (pp % 2 == 0 && constraint.allow_dualpipe) scheds.push_back({Schedule::dualpipe, 1});
            }
            for (const auto& sc : scheds) {
              for (Recompute rc : recomputes) {
                for (int z : zeros) {
                  Plan p;
                  p.tp = tp; p.pp = pp; p.dp = dp; p.cp = cp; p.ep = ep; p.vpp = sc.v;
                  p.schedule = sc.s; p.zero = z; p.micro_batch = mb; p.recompute = rc;
                  p.attention_kernel = constraint.attention_kernel.value_or(AttentionKernel::flash);
                  p.tp_overlap = constraint.tp_overlap.value_or(false);
                  p.dp_overlap = constraint.dp_overlap.value_or(true);
                  if (!constraint.admits(p)) continue;
                  // Memory first (cheap, and independent of the step time): a plan that does
                  // not fit is timed only if it becomes the closest miss.
                  if (!plan_is_legal(m, cl, s, p)) continue;  // illegal plan: not counted (nor worded)
                  Evaluation e = evaluate_memory(m, hw, cl, s, p, c);
                  ++r.plans_evaluated;
                  if (e.over_memory && r.closest_infeasible &&
                      !(e.memory.total() - e.memory.capacity <
                        r.closest_infeasible->memory.total() - r.closest_infeasible->memory.capacity))
                    continue;
                  add_time(m, hw, cl, s, c, layers_for(p), e);
                  if (e.feasible) {
                    ++r.plans_feasible;
                    keep(std::move(e));
                  } else {
                    r.closest_infeasible = std::move(e);
                  }
                }
              }
            }
          }
        }
      }
    }
  }
  r.top = std::move(feasible);
  if (progress) progress(1.0);
  r.search_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

std::optional<std::int64_t> min_gpus_that_fit(const ModelProfile& m, const Hardware& hw,
                                              const std::function<Cluster(std::int64_t)>& cluster,
                                              const TrainingSetup& s, const Constants& c, std::int64_t from) {
  for (std::int64_t n = std::max<std::int64_t>(from, 1) * 2; n <= (1 << 20); n *= 2) {
    TrainingSetup t = s;
    // A bigger cluster needs at least one sequence per data-parallel rank.
    t.global_batch_tokens = std::max(s.global_batch_tokens, n * s.seq_len);
    if (!search(m, hw, cluster(n), t, c, 1).top.empty()) return n;
  }
  return std::nullopt;
}

double rule_batch_tokens(double flops_per_token, double tokens, double params_per_active_param, const Constants& c) {
  return c.batch_coefficient * std::pow(flops_per_token, c.batch_flops_per_token_exponent) *
         std::pow(tokens, c.batch_tokens_exponent) *
         std::pow(std::max(1.0, params_per_active_param), c.batch_sparsity_exponent);
}

std::int64_t default_global_batch_tokens(const ModelProfile& m, double tokens, std::int64_t seq_len,
                                         const Constants& c, std::int64_t gpus) {
  const double batch = rule_batch_tokens(m.model_flops_per_token, tokens, m.params_per_active_param, c);
  const double seqs = std::max(1.0, batch / static_cast<double>(seq_len));
  std::int64_t odd = 1;
  if (gpus > 0) {
    odd = gpus;
    while (odd % 2 == 0) odd /= 2;
  }
  const double pow2 = std::exp2(std::max(0.0, std::round(std::log2(seqs / static_cast<double>(odd)))));
  return static_cast<std::int64_t>(pow2) * odd * seq_len;
}

Goodput goodput(std::int64_t gpus, double total_params, const Constants& c) {
  Goodput g;
  const double n = static_cast<double>(gpus);
  const double rate = c.failures_per_gpu_hour * n / 3600.0;  // failures per second, whole job
  g.job_mtbf_s = 1.0 / rate;
  g.checkpoint_write_s = total_params * c.checkpoint_bytes_per_param / n / c.checkpoint_bytes_per_s_per_gpu;
  g.checkpoint_interval_s = std::sqrt(2.0 * g.checkpoint_write_s * g.job_mtbf_s);
  g.lost_fraction = g.checkpoint_write_s / g.checkpoint_interval_s +
                    (g.checkpoint_interval_s / 2.0 + c.restart_cost_s) / g.job_mtbf_s;
  g.lost_fraction = std::min(g.lost_fraction, 0.95);
  g.goodput = 1.0 - g.lost_fraction;
  return g;
}

}  // namespace traincost::perf
