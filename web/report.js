// A self-contained HTML report of the current view: tables of the engine's
// numbers and copies of the page's SVG charts. No scripts, no external URLs.
import { fmtCompact, fmtGrouped, fmtUsd, fmtPct, fmtDays, fmtGB, fmtSeconds } from './format.js';

const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

const CSS = `body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1f2937;max-width:900px;margin:2rem auto;padding:0 1rem;line-height:1.45}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #e5e7eb;padding-bottom:.3rem}
table{border-collapse:collapse;margin:.5rem 0;font-variant-numeric:tabular-nums}th,td{text-align:left;padding:.3rem .8rem .3rem 0;border-bottom:1px solid #f3f4f6;vertical-align:top}
th{color:#6b7280;font-weight:500;white-space:nowrap}td strong{white-space:nowrap}.muted{color:#6b7280;font-size:.9rem}figure{margin:1rem 0}figcaption{font-weight:600;margin-bottom:.3rem}svg{max-width:100%;height:auto}`;

function row(label, value, range) {
  return `<tr><th>${esc(label)}</th><td><strong>${esc(value)}</strong></td><td class="muted">${esc(range || '')}</td></tr>`;
}

function rng(u, key, f) {
  return u && u[key] ? `P10–P90 ${f(u[key].p10)} – ${f(u[key].p90)}` : '';
}

export function buildReport({ url, modelLabel, inputs, estimate: d, plan, check, charts }) {
  const when = new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  const model = modelLabel || inputs?.model || '';
  const parts = [];
  parts.push(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>traincost report: ${esc(model)} on ${esc(d?.hardware)}</title><style>${CSS}</style></head><body>`);
  parts.push(`<h1>Training cost report: ${esc(model)} on ${esc(d?.hardware)}</h1>`);
  parts.push(`<p class="muted">Generated ${esc(when)} by the traincost page. Reopen the live view: <a href="${esc(url)}">${esc(url)}</a></p>`);
  parts.push('<h2>Inputs</h2><table>');
  for (const [k, v] of Object.entries(inputs || {})) {
    if (k === 'model_config') parts.push(row('model', 'pasted config.json'));
    else parts.push(row(k, typeof v === 'number' ? (k === 'tokens' ? fmtCompact(v) : String(v)) : v));
  }
  parts.push('</table>');
  if (d) {
    const u = d.uncertainty;
    parts.push('<h2>Estimate</h2><table>');
    parts.push(row('GPU-hours', fmtCompact(d.gpu_hours), rng(u, 'gpu_hours', fmtCompact)));
    parts.push(row('Wall clock', `${fmtDays(d.wall_clock_days)} days`, rng(u, 'wall_clock_days', fmtDays)));
    parts.push(row('Cost', fmtUsd(d.cost_usd), rng(u, 'cost_usd', fmtUsd)));
    parts.push(row('Energy', `${fmtGrouped(d.energy_mwh)} MWh`, rng(u, 'energy_mwh', fmtGrouped)));
    parts.push(row('Emissions', `${fmtGrouped(d.co2_tonnes)} tCO₂e`, rng(u, 'co2_tonnes', fmtGrouped)));
    parts.push(row('MFU', fmtPct(d.mfu), d.mfu_source));
    parts.push(row('Training FLOPs', fmtCompact(d.training_flops)));
    parts.push(row('Parameters', `${fmtCompact(d.total_params)} total / ${fmtCompact(d.active_params)} active`));
    parts.push(row('Price', `$${d.price_usd_per_gpu_hour}/GPU-hour`, d.price_source));
    parts.push(row('PUE, grid', `${d.pue}, ${d.grid_kgco2_per_kwh} kgCO₂/kWh`));
    parts.push('</table>');
    const notes = [...(d.warnings || []), ...(d.notes || [])];
    if (notes.length) parts.push(`<ul>${notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`);
  }
  if (plan?.best) {
    const b = plan.best;
    parts.push('<h2>Best parallel plan</h2><table>');
    parts.push(row('Plan', b.plan_string));
    parts.push(row('MFU (steady state)', fmtPct(b.mfu)));
    parts.push(row('Step time', fmtSeconds(b.step_time_s)));
    parts.push(row('Memory per GPU', `${fmtGB(b.memory_per_gpu_bytes)} of ${fmtGB(b.memory_capacity_bytes)}`));
    parts.push('</table>');
  }
  if (check) {
    parts.push('<h2>Claim check</h2><table>');
    parts.push(row('Claimed GPU-hours', fmtCompact(check.claimed_gpu_hours)));
    if (check.claimed_cost_usd != null) parts.push(row('Claimed cost', fmtUsd(check.claimed_cost_usd)));
    parts.push(row('Verdict', check.verdict));
    parts.push(row('Implied MFU', fmtPct(check.implied_mfu)));
    parts.push('</table>');
    parts.push(`<ul>${check.reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>`);
  }
  parts.push('<h2>Charts</h2>');
  for (const [title, svg] of charts) {
    if (!svg) continue;
    parts.push(`<figure><figcaption>${esc(title)}</figcaption>${svg.outerHTML}</figure>`);
  }
  parts.push('<p class="muted">All numbers are the traincost engine\'s (the CLI\'s --format json); sources for every constant are in the project.</p></body></html>');
  return parts.join('\n');
}
