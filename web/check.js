// "Check a claim": the claimed GPU-hours (dollars, days) for the run above, sent to
// the engine's check, and its verdict with the reasons.
import { $, $$, el } from './dom.js';
import { parseQuantity, fmtCompact, fmtPct, fmtDays } from './format.js';
import { api } from './api.js';
import { readInputs, modelKey, showError } from './inputs.js';
import { state } from './state.js';

export async function runCheck(ev) {
  ev.preventDefault();
  const out = $('#check-result');
  $$('#check .field-error').forEach((e) => { e.textContent = ''; });
  const { base, errors } = readInputs();
  if (Object.keys(errors).length) { out.replaceChildren(el('p', { class: 'panel-error', text: 'Fix the run inputs above first.' })); return; }
  const body = { ...modelKey(base), hardware: base.hardware, gpus: base.gpus, tokens: base.tokens, seq_len: base.seq_len, precision: base.precision };
  for (const k of ['claimed_gpu_hours', 'claimed_cost_usd', 'claimed_days']) {
    const raw = $(`#${k}`).value.trim();
    if (!raw) continue;
    const x = parseQuantity(raw);
    if (!Number.isFinite(x)) { showError(k, `"${raw}" is not a number`); return; }
    body[k] = x;
  }
  if (body.claimed_gpu_hours === undefined) { showError('claimed_gpu_hours', 'the claimed GPU-hours are required'); return; }
  out.replaceChildren(el('p', { class: 'muted', text: 'Checking…' }));
  try {
    const d = await api('check', body);
    state.check = d;
    const verdictClass = d.verdict === 'consistent' ? 'ok' : (/implausible|impossible|inconsistent/.test(d.verdict) ? 'bad' : 'meh');
    out.replaceChildren(
      el('div', { class: `verdict ${verdictClass}`, 'data-testid': 'check-verdict', 'data-value': d.verdict, text: d.verdict.replace(/_/g, ' ') }),
      el('dl', { class: 'stats' },
        el('dt', { text: 'Implied MFU' }), el('dd', { 'data-testid': 'check-implied-mfu', 'data-value': d.implied_mfu, text: `${fmtPct(d.implied_mfu)} of the ${d.precision} peak` }),
        el('dt', { text: 'Predicted' }), el('dd', { text: `${fmtCompact(d.predicted_gpu_hours)} GPU-h (P10–P90 ${fmtCompact(d.predicted_gpu_hours_p10)} – ${fmtCompact(d.predicted_gpu_hours_p90)})` }),
        d.implied_usd_per_gpu_hour != null ? [el('dt', { text: 'Implied price' }), el('dd', { text: `$${d.implied_usd_per_gpu_hour.toFixed(2)}/GPU-hour` })] : null,
        d.implied_wall_clock_days != null ? [el('dt', { text: 'Implied days' }), el('dd', { text: fmtDays(d.implied_wall_clock_days) })] : null,
      ),
      el('ul', { class: 'reasons' }, d.reasons.map((r) => el('li', { text: r }))),
    );
  } catch (e) {
    out.replaceChildren();
    if (e.field && $(`#check .field-error[data-for="${e.field}"]`)) showError(e.field, e.message);
    else out.replaceChildren(el('p', { class: 'panel-error', text: e.message }));
  }
}
