// The estimate's cards (GPU-hours, days, cost, energy, emissions, MFU, each with its
// P10–P90 range), the line under them, the derived shape and the warnings.
import { $, el } from './dom.js';
import { fmtCompact, fmtGrouped, fmtUsd, fmtPct, fmtDays } from './format.js';
import { showError } from './inputs.js';
import { state, modelName } from './state.js';

export function failEstimate(e, signal) {
  if (signal.aborted || e.name === 'AbortError') return;
  clearCards();
  showError(e.field, e.message);
}

export function clearCards() {
  for (const id of ['gpu-hours', 'days', 'cost', 'energy', 'co2', 'mfu']) {
    const v = $(`#r-${id}`);
    v.textContent = '–';
    v.removeAttribute('data-value');
    $(`#u-${id}`).textContent = '';
  }
}

function setValue(id, value, html) {
  const node = $(`#r-${id}`);
  node.replaceChildren(...html);
  if (value === null || value === undefined) node.removeAttribute('data-value');
  else node.dataset.value = String(value);
}

function range(u, key, f) {
  if (!u || !u[key]) return '';
  return `P10–P90 ${f(u[key].p10)} – ${f(u[key].p90)}`;
}

const num = (t) => el('span', { class: 'num', text: t });
const unit = (t) => el('span', { class: 'unit', text: t });

export function renderEstimate(d, request) {
  state.last.estimate = d;
  document.body.dataset.estimateFor = JSON.stringify(request);
  const u = d.uncertainty;
  setValue('gpu-hours', d.gpu_hours, [num(fmtCompact(d.gpu_hours)), unit('GPU-h')]);
  setValue('days', d.wall_clock_days, d.wall_clock_days == null ? [num('n/a')] : [num(fmtDays(d.wall_clock_days)), unit('days')]);
  setValue('cost', d.cost_usd, [num(fmtUsd(d.cost_usd))]);
  setValue('energy', d.energy_mwh, [num(fmtGrouped(d.energy_mwh)), unit('MWh')]);
  setValue('co2', d.co2_tonnes, [num(fmtGrouped(d.co2_tonnes)), unit('tCO₂e')]);
  setValue('mfu', d.mfu, [num(fmtPct(d.mfu))]);
  $('#u-gpu-hours').textContent = range(u, 'gpu_hours', fmtCompact);
  $('#u-days').textContent = range(u, 'wall_clock_days', fmtDays);
  $('#u-cost').textContent = d.cost_usd == null ? 'no price in the profile' : range(u, 'cost_usd', fmtUsd);
  $('#u-energy').textContent = range(u, 'energy_mwh', fmtGrouped);
  $('#u-co2').textContent = range(u, 'co2_tonnes', fmtGrouped);
  $('#u-mfu').textContent = d.mfu_source?.startsWith('derived') ? 'from the best plan' : 'default assumption';
  $('#u-mfu').title = d.mfu_source || '';
  const sh = d.model_shape;
  $('#counts-shape').textContent = sh
    ? `Derived shape (${sh.kind === 'moe' ? 'MoE' : 'dense'}): ${sh.layers} layers, d_model ${sh.d_model}, ${sh.heads} heads, ` +
      (sh.kind === 'moe' ? `${sh.experts} experts, top-${sh.top_k}, expert FFN ${sh.expert_intermediate_size}` : `FFN ${sh.ffn_intermediate_size}`) +
      ` — counted ${fmtCompact(sh.counted_total_params)} total / ${fmtCompact(sh.counted_active_params)} active. Every number here depends on this shape.`
    : '';
  $('#estimate-sub').textContent = `${sh ? 'derived shape: ' : ''}${modelName(d.model)} · ${d.hardware} · ${d.precision} · ${d.gpus ? d.gpus.toLocaleString('en-US') + (d.gpus_assumed ? ' GPUs (assumed: sizing rule)' : ' GPUs') : ''} · ${fmtCompact(d.tokens)} tokens`;
  const parts = [
    `${fmtCompact(d.total_params)} total / ${fmtCompact(d.active_params)} active parameters`,
    `${fmtCompact(d.training_flops)} FLOPs`,
    d.price_usd_per_gpu_hour == null ? 'no price in the profile (set one under Advanced)' : `$${d.price_usd_per_gpu_hour}/GPU-hour${d.price_source ? ` (${d.price_source})` : ''}`,
    `PUE ${d.pue}, ${d.grid_kgco2_per_kwh} kgCO₂/kWh`,
  ];
  if (d.goodput != null) parts.push(`goodput ${fmtPct(d.goodput)}`);
  if (d.run_efficiency != null) parts.push(`whole-run efficiency ${fmtPct(d.run_efficiency)}`);
  if (u) parts.push(`range: ${u.samples.toLocaleString('en-US')} Monte Carlo samples`);
  $('#estimate-note').textContent = parts.join(' · ');
  const w = $('#estimate-warnings');
  w.replaceChildren(...[...(d.warnings || []), ...(d.notes || [])].map((t) => el('li', { text: t })));
}
