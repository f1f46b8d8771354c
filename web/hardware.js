// The hardware tab: days and dollars of the same run on a spread of accelerators,
// with the profiles the performance model cannot model marked.
import { $, el, fitWidth } from './dom.js';
import { fmtCompact, fmtUsd, fmtPct, fmtDays } from './format.js';
import { hbars, MOE } from './charts.js';

const NOT_MODELLED = '(not modelled)';

// The profile's pricing in a word for a bar label; the full basis is in the JSON and the report.
function priceBasisShort(basis) {
  if (!basis) return '';
  for (const [re, word] of [[/reserv/i, 'reserved'], [/assumed/i, 'assumed'], [/on-demand/i, 'on-demand'], [/marketplace/i, 'marketplace'], [/^given/, 'given']])
    if (re.test(basis)) return word;
  return basis.split(/ \(|;|,/)[0];
}

export function renderHardware(d, chosen) {
  const box = $('#panel-hardware');
  const rowsFor = (metric) => d.rows.map((r) => {
    const v = r[metric];
    const fmtv = metric === 'days' ? `${fmtDays(v)} days` : fmtUsd(v);
    let display = fmtv;
    if (r.fits === false) display = `does not fit${r.min_gpus_to_fit ? ` (needs ${r.min_gpus_to_fit.toLocaleString('en-US')} GPUs)` : ''}`;
    else if (v == null) display = metric === 'cost_usd' && r.days != null && r.price_usd_per_gpu_hour == null ? 'no rental price in the profile' : 'not computed (see notes)';
    // A profile short of the facts the performance model needs gets the default MFU: say so on the bar itself.
    const assumed = r.performance_model === false;
    return {
      id: r.hardware, label: assumed ? `${r.hardware} ${NOT_MODELLED}` : r.hardware,
      // Days say the precision and the limit; dollars say their price and its basis (on-demand, reserved, assumed).
      sub: (metric === 'cost_usd'
        ? [assumed && 'default MFU', r.price_usd_per_gpu_hour != null && `$${r.price_usd_per_gpu_hour}/GPU-h ${priceBasisShort(r.price_basis)}`]
        : [assumed && 'default MFU', r.precision, r.limit && `limit: ${r.limit}`]).filter(Boolean).join(' · '),
      value: r.fits === false ? null : v, display, strong: r.hardware === chosen, hatch: assumed,
      color: r.hardware === chosen ? MOE : '#93c5fd',
      title: `${r.name}: ${fmtDays(r.days)} days, ${fmtCompact(r.gpu_hours)} GPU-hours, ${fmtUsd(r.cost_usd)}, MFU ${fmtPct(r.mfu)}${r.limit_detail ? ` — ${r.limit_detail}` : ''}`,
    };
  });
  const notes = d.rows.flatMap((r) => (r.notes || []).map((n) => `${r.hardware}: ${n}`));
  const assumed = d.rows.filter((r) => r.performance_model === false).map((r) => r.hardware);
  box.replaceChildren(
    el('div', { class: 'two' },
      hbars({ rows: rowsFor('days'), width: fitWidth(580, '.tabs', 2), labelWidth: 215, testid: 'chart-hw-days', title: `Days on ${d.gpus?.toLocaleString('en-US') ?? ''} accelerators` }),
      hbars({ rows: rowsFor('cost_usd'), width: fitWidth(580, '.tabs', 2), labelWidth: 215, testid: 'chart-hw-cost', title: 'Dollars at each profile\'s rental price' })),
    assumed.length ? el('p', { class: 'warn', 'data-testid': 'hw-not-modelled', text: `Striped bars ${NOT_MODELLED}: the profiles of ${assumed.join(', ')} lack facts the performance model needs, so their days and dollars use the default MFU, not a modelled plan.` }) : null,
    notes.length ? el('details', { class: 'note' }, el('summary', { text: `${notes.length} note(s)` }), el('ul', {}, notes.map((n) => el('li', { text: n })))) : null,
  );
}
