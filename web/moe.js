// The MoE-vs-dense tab: the MoE's training cost against its dense equivalents (same
// active, same predicted loss, same total), as bars and a table.
import { $, el, fitWidth, scrollBox } from './dom.js';
import { fmtCompact, fmtUsd, fmtDays } from './format.js';
import { hbars, MOE, DENSE } from './charts.js';
import { state, modelName } from './state.js';

export function renderMoe(d) {
  state.last.compare = d;
  const box = $('#panel-moe');
  const useCost = d.moe.cost_usd != null;
  const val = (r) => (useCost ? r.cost_usd : r.gpu_hours);
  const show = (r) => (useCost ? fmtUsd(r.cost_usd) : `${fmtCompact(r.gpu_hours)} GPU-h`);
  const de = d.dense_equivalents;
  const rows = [
    { id: 'moe', label: `${modelName(d.moe.model)} (MoE)`, sub: `${fmtCompact(d.moe.active_params)} active / ${fmtCompact(d.moe.params)} total`, r: d.moe, color: MOE, strong: true },
    { id: 'same_active', label: 'Dense, same active', sub: `${fmtCompact(de.same_active.params)} params`, r: de.same_active },
    { id: 'same_loss', label: 'Dense, same predicted loss', sub: `${fmtCompact(de.same_loss.params)} params`, r: de.same_loss },
    { id: 'same_total', label: 'Dense, same total', sub: `${fmtCompact(de.same_total.params)} params`, r: de.same_total },
  ].map((x) => ({
    ...x, value: val(x.r), color: x.color || DENSE,
    display: `${show(x.r)}${x.id === 'moe' ? '' : `  (${x.r.cost_ratio_to_moe.toFixed(2)}×)`}`,
    title: `${x.r.model}: ${show(x.r)}, ${fmtDays(x.r.wall_clock_days)} days, predicted loss ${x.r.predicted_loss.toFixed(3)} (${x.r.loss_low.toFixed(3)}–${x.r.loss_high.toFixed(3)})${x.r.fits ? '' : ', does not fit'}`,
  }));
  const chart = hbars({ rows, width: fitWidth(720), labelWidth: 230, testid: 'chart-moe-svg',
    title: `Training cost: ${modelName(d.moe.model)} vs its dense equivalents`,
    axisLabel: `${useCost ? 'Dollars' : 'GPU-hours'} for ${fmtCompact(d.tokens)} tokens on ${d.gpus ?? ''} × ${d.hardware}; ratio to the MoE in brackets` });
  const table = el('table', { class: 'mini' },
    el('thead', {}, el('tr', {}, ['', 'Params', 'GPU-hours', 'Days', 'Cost', 'Loss (law)'].map((h) => el('th', { text: h })))),
    el('tbody', {}, rows.map((x) => el('tr', {},
      el('th', { text: x.label }), el('td', { text: fmtCompact(x.r.params) }), el('td', { text: fmtCompact(x.r.gpu_hours) }),
      el('td', { text: fmtDays(x.r.wall_clock_days) }), el('td', { text: fmtUsd(x.r.cost_usd) }),
      el('td', { text: `${x.r.predicted_loss.toFixed(3)} (${x.r.loss_low.toFixed(3)}–${x.r.loss_high.toFixed(3)})` })))));
  const extrapolated = [d.moe, de.same_active, de.same_loss, de.same_total].some((r) => r.extrapolated);
  box.replaceChildren(chart, scrollBox(table),
    el('p', { class: 'note', text: `Scaling laws: ${d.moe.law} for the MoE, ${de.same_loss.law} for the dense models (why this pair: ${d.law_pair_reason}).` }),
    extrapolated ? el('p', { class: 'warn', text: 'These models lie outside the range the scaling laws were fitted on; the loss ranges show the extrapolation uncertainty, and the "same predicted loss" model is the least certain bar.' }) : null);
}
