// Sharing what is on screen: copying the link, and downloading the report
// (report.js) with the charts as drawn.
import { $, el } from './dom.js';
import { buildReport } from './report.js';
import { writeUrl } from './inputs.js';
import { state, modelName } from './state.js';

export async function copyLink() {
  writeUrl();
  const btn = $('#copy-link');
  try {
    await navigator.clipboard.writeText(location.href);
    btn.textContent = 'Link copied';
  } catch {
    window.prompt('Copy this link', location.href);
  }
  setTimeout(() => { btn.textContent = 'Copy link'; }, 1500);
}

export function downloadReport() {
  const name = modelName(state.last.estimate?.model || '');
  const html = buildReport({
    url: location.href,
    modelLabel: name,
    inputs: state.last.request,
    estimate: state.last.estimate,
    plan: state.last.plan,
    check: state.check,
    charts: [
      ['Where the step time goes', $('[data-testid="chart-step-time"]')],
      ['Memory per GPU', $('[data-testid="chart-memory"]')],
      ['MoE vs dense equivalents', $('[data-testid="chart-moe-svg"]')],
      ['Hardware comparison: days', $('[data-testid="chart-hw-days"]')],
      ['Hardware comparison: dollars', $('[data-testid="chart-hw-cost"]')],
      ['Cost vs token budget', $('[data-testid="chart-budget-svg"]')],
      ['Validation record', $('[data-testid="chart-validation-svg"]')],
    ],
  });
  const blob = new Blob([html], { type: 'text/html' });
  const a = el('a', { href: URL.createObjectURL(blob), download: `traincost-${(name || 'report').replace(/[^a-z0-9.-]+/gi, '-')}-${state.last.estimate?.hardware || ''}.html` });
  document.body.append(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}
