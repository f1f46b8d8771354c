// The cost-vs-tokens tab: full estimates by the engine at multiples of the chosen
// token count, as a line and a table.
import { $, el, fitWidth, scrollBox } from './dom.js';
import { fmtCompact, fmtGrouped, fmtUsd, fmtDays } from './format.js';
import { lineChart } from './charts.js';
import { api } from './api.js';
import { failPanel } from './panels.js';

// The cost-vs-tokens chart: real estimates at these multiples of the chosen token count.
const TOKEN_MULTIPLES = [0.25, 0.5, 0.75, 1, 1.5, 2, 3];

export async function budgetChart(est, signal) {
  const box = $('#panel-budget');
  const reqs = TOKEN_MULTIPLES.map((f) => {
    const { samples, ...rest } = est;
    return { ...rest, tokens: est.tokens * f };
  });
  let results;
  try {
    results = await Promise.all(reqs.map((r) => api('estimate', r, signal)));
  } catch (e) {
    failPanel(e, signal, '#panel-budget', 'budget');
    return;
  }
  if (signal.aborted) return;
  const useCost = results.every((r) => r.cost_usd != null);
  const points = results.map((r, i) => ({
    x: r.tokens, y: useCost ? r.cost_usd : r.gpu_hours, current: TOKEN_MULTIPLES[i] === 1,
    title: `${fmtCompact(r.tokens)} tokens: ${fmtUsd(r.cost_usd)}, ${fmtCompact(r.gpu_hours)} GPU-hours, ${fmtDays(r.wall_clock_days)} days, ${fmtGrouped(r.energy_mwh)} MWh`,
  }));
  const table = el('table', { class: 'mini' },
    el('thead', {}, el('tr', {}, ['Tokens', 'GPU-hours', 'Days', 'Cost', 'MWh', 'tCO₂e'].map((h) => el('th', { text: h })))),
    el('tbody', {}, results.map((r, i) => el('tr', { class: TOKEN_MULTIPLES[i] === 1 ? 'current' : '' },
      el('td', { text: fmtCompact(r.tokens) }), el('td', { text: fmtCompact(r.gpu_hours) }), el('td', { text: fmtDays(r.wall_clock_days) }),
      el('td', { text: fmtUsd(r.cost_usd) }), el('td', { text: fmtGrouped(r.energy_mwh) }), el('td', { text: fmtGrouped(r.co2_tonnes) })))));
  box.replaceChildren(
    lineChart({ points, width: fitWidth(720), height: 320, xLabel: 'Training tokens', yLabel: useCost ? 'Cost' : 'GPU-hours', fmtX: fmtCompact,
      fmtY: useCost ? fmtUsd : fmtCompact, testid: 'chart-budget-svg', label: 'Training cost against the token budget' }),
    scrollBox(table),
    el('p', { class: 'note', text: `Each point is a full estimate by the engine at ${TOKEN_MULTIPLES.map((f) => `${f}×`).join(', ')} the chosen tokens, same model, hardware and GPUs.` }),
  );
}
