// The best parallel plan: its layout, its stats, and where its step time and its
// memory per GPU go.
import { $, el, fitWidth } from './dom.js';
import { fmtCompact, fmtPct, fmtDays, fmtGB, fmtSeconds } from './format.js';
import { stackedBar, PALETTE } from './charts.js';
import { state } from './state.js';

const TIME_LABELS = {
  gemm: 'GEMMs', attention: 'Attention', elementwise: 'Element-wise', recompute: 'Recompute',
  moe_permute: 'MoE permute', moe_host: 'MoE host-bound',
  tp_comm: 'TP comm', ep_comm: 'EP all-to-all', pp_p2p: 'PP send/recv', pp_bubble: 'Pipeline bubble',
  dp_comm: 'DP grad sync', optimizer: 'Optimizer',
};

export function renderPlan(d) {
  state.last.plan = d;
  const box = $('#plan-body');
  $('#plan-sub').textContent = `${d.plans_feasible.toLocaleString('en-US')} of ${d.plans_evaluated.toLocaleString('en-US')} layouts fit`;
  const b = d.best;
  if (!b) {
    box.replaceChildren(el('p', { class: 'panel-error', text: 'No plan fits this many GPUs.' }));
    return;
  }
  const chips = Object.entries(b.plan).map(([k, v]) => el('span', { class: 'chip', text: `${k === 'micro_batch' ? 'mb' : k} ${v}` }));
  const stats = el('dl', { class: 'stats', 'data-testid': 'plan-stats' },
    el('dt', { text: 'MFU' }), el('dd', { 'data-value': b.mfu, text: fmtPct(b.mfu) }),
    el('dt', { text: 'Step time' }), el('dd', { 'data-value': b.step_time_s, text: fmtSeconds(b.step_time_s) }),
    el('dt', { text: 'Tokens/s' }), el('dd', { text: fmtCompact(b.tokens_per_s) }),
    el('dt', { text: 'Batch' }), el('dd', { text: `${fmtCompact(d.global_batch_tokens)} tokens, ${b.micro_batches} micro-batches` }),
    el('dt', { text: 'Memory / GPU' }), el('dd', { 'data-value': b.memory_per_gpu_bytes, text: `${fmtGB(b.memory_per_gpu_bytes)} of ${fmtGB(b.memory_capacity_bytes)}` }),
    el('dt', { text: 'Goodput' }), el('dd', { text: fmtPct(d.goodput.goodput) }),
  );
  const step = b.step_time_s;
  const timeParts = Object.entries(b.time_breakdown_s).filter(([, v]) => v > 0)
    .map(([k, v]) => ({ key: k, label: TIME_LABELS[k] || k, value: v, display: `${fmtSeconds(v)} (${fmtPct(v / step, 0)})` }));
  const memParts = Object.entries(b.memory_breakdown_bytes).map(([k, v], i) => ({
    key: k, label: k[0].toUpperCase() + k.slice(1), value: v, display: fmtGB(v), color: PALETTE[(i * 2) % PALETTE.length],
  }));
  const free = b.memory_capacity_bytes - b.memory_per_gpu_bytes;
  box.replaceChildren(
    el('div', { class: 'chips', 'data-testid': 'plan-string', 'data-value': b.plan_string }, chips),
    stats,
    el('h3', { text: 'Where the step time goes' }),
    stackedBar({ parts: timeParts, width: fitWidth(860, '#plan-body'), testid: 'chart-step-time', label: `Step time ${fmtSeconds(step)} by component` }),
    el('h3', { text: 'Memory per GPU' }),
    stackedBar({ parts: memParts, total: b.memory_capacity_bytes, width: fitWidth(860, '#plan-body'), testid: 'chart-memory', label: 'Memory per GPU by component',
      rest: free > 0 ? { label: 'Free', display: fmtGB(free) } : null }),
    el('p', { class: 'note', text: `Steady-state step of the fastest plan that fits. The estimate above also counts goodput (failures, checkpoints) and the whole-run efficiency the validation runs show, so its days are longer than ${fmtDays(b.wall_clock_days)} steady-state days.` }),
  );
}
