// The page's DOM helpers: query, build an element, and size a chart or a wide
// table to the room it gets.
export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) node.append(c);
  return node;
}

// Charts are drawn at the width they will get (up to their natural width), so
// on a phone their text keeps its set size instead of shrinking with the SVG.
// Hidden tab panels have no width: measure the tab bar above them instead.
export function fitWidth(max, sel = '.tabs', cols = 1) {
  const w = $(sel)?.clientWidth || max;
  const gap = 16;
  const colW = cols > 1 && w >= cols * 352 + gap ? (w - gap * (cols - 1)) / cols : w;
  return Math.floor(Math.min(max, colW));
}

// Wide tables scroll inside their own box, not the page.
export const scrollBox = (table) => el('div', { class: 'scroll-x' }, table);
