// What every results panel shares: clearing them all when the inputs do not hold,
// and a panel's own error (or, for MoE vs dense, why a dense model has no chart).
import { $, el } from './dom.js';
import { clearCards } from './estimate.js';
import { state } from './state.js';

// Nothing shown may belong to other inputs than the ones in view.
export function clearResults() {
  clearCards();
  delete document.body.dataset.estimateFor;
  state.last = {};
  for (const id of ['estimate-sub', 'estimate-note', 'counts-shape', 'plan-sub']) $(`#${id}`).textContent = '';
  $('#estimate-warnings').replaceChildren();
  for (const sel of ['#plan-body', '#panel-moe', '#panel-hardware', '#panel-budget']) {
    $(sel).replaceChildren(el('p', { class: 'muted', text: '–' }));
  }
}

export function failPanel(e, signal, sel, key) {
  if (signal.aborted || e.name === 'AbortError') return;
  const box = $(sel);
  const dense = key === 'moe' && /dense model/.test(e.message);
  box.replaceChildren(dense
    ? el('p', { class: 'muted', 'data-testid': 'moe-dense', text: `The MoE-vs-dense comparison needs a mixture-of-experts model (for example DeepSeek-V3, Mixtral 8x22B or Qwen3-30B-A3B); the engine says: ${e.message.replace(/^(?:--model|Model): /, '')}.` })
    : el('p', { class: 'panel-error', 'data-testid': `${key}-error`, text: e.message }));
  if (key === 'moe') state.last.compare = null;
}
