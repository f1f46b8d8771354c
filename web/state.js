// What the page holds between requests: the presets and accelerators, the last
// answers (for the report), the open tab, the names a link gave that are not
// known, and the work in flight (body[data-pending], which the browser test waits on).
export const state = { presets: [], hardware: [], validation: null, last: {}, tab: 'moe', check: null, unknown: {} };

// Requests in flight, and the debounce timer of a recompute still to come.
export const busy = { pending: 0, timer: null };

export function markBusy() {
  document.body.dataset.pending = String(busy.pending + (busy.timer ? 1 : 0));
}

// A pasted config reaches the engine as a file; name it for people instead.
export function modelName(name) {
  const cfg = state.last.base?.model_config;
  if (!cfg) return name;
  return `pasted config${cfg.model_type ? ` (${cfg.model_type})` : ''}`;
}
