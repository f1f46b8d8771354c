// The validation-record tab: predicted against published GPU-hours of the published
// training runs, and the summary of the errors.
import { $, el, fitWidth } from './dom.js';
import { fmtCompact, fmtPct, fmtSignedPct } from './format.js';
import { scatterLogLog } from './charts.js';

export function renderValidation(d) {
  const box = $('#panel-validation');
  const rows = d.runs.filter((r) => !r.skipped && (r.metric === 'gpu_hours' || r.metric === 'gpu_hours_per_trillion_tokens') && r.published > 0 && r.predicted > 0);
  const points = rows.map((r) => ({
    x: r.published, y: r.predicted, cls: r.model_class === 'moe' ? 'moe' : 'dense', id: r.id,
    title: `${r.id} (${r.model_class}, ${r.hardware}): published ${fmtCompact(r.published)}, predicted ${fmtCompact(r.predicted)} ${r.metric === 'gpu_hours' ? 'GPU-hours' : 'GPU-hours per trillion tokens'} (${fmtSignedPct(r.error)})${r.gpus_note ? ` — ${r.gpus_note}` : ''}`,
  }));
  const s = d.summary?.hours_all;
  box.replaceChildren(
    scatterLogLog({ points, width: fitWidth(640), height: fitWidth(640) < 480 ? 400 : 470, xLabel: 'Published GPU-hours', yLabel: 'Predicted GPU-hours', fmt: fmtCompact, testid: 'chart-validation-svg', label: 'Predicted vs published GPU-hours of published training runs' }),
    s ? el('p', { class: 'note', 'data-testid': 'validation-summary', text: `${s.count} published runs: median error ${fmtPct(s.median_abs_error)}, ${s.within_10pct} within 10%, ${s.within_25pct} within 25%, worst ${fmtPct(s.max_abs_error)}. Runs that published GPU-hours per trillion tokens are plotted in those units. Hover a point for the run.` }) : null,
  );
}
