/**
 * Small DOM helpers. Program data only ever enters the page through
 * `textContent` (or attributes set with setAttribute): there is no innerHTML
 * anywhere in the board, so a repr like "<img onerror=…>" stays text.
 */

type Attrs = Readonly<Record<string, string>>;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svgEl<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Attrs = {}): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

/** Sets text only when it changed: cheaper for the layout engine on every frame. */
export function setText(node: Element, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

export function setAttr(node: Element, name: string, value: string | null): void {
  if (value === null) {
    if (node.hasAttribute(name)) node.removeAttribute(name);
  } else if (node.getAttribute(name) !== value) {
    node.setAttribute(name, value);
  }
}

export function setHidden(node: HTMLElement, hidden: boolean): void {
  if (node.hidden !== hidden) node.hidden = hidden;
}

/** A greenlet as a clickable chip (`[data-g=ID]`), for queues, events, locks. */
export function chip(g: number, label: string, selected: boolean): HTMLElement {
  const node = el('button', { class: selected ? 'chip selected' : 'chip', 'data-g': String(g), type: 'button', title: label }, label);
  return node;
}

/**
 * Chips shown per list: a queue with 900 waiting workers listed them all,
 * rebuilt with every redraw (~170 ms and a relayout of the board at a
 * thousand greenlets); past this the list says how many more there are.
 */
export const MAX_CHIPS = 40;

const chipsShown = new WeakMap<Element, string>();

/**
 * A list's children as chips for `ids` (the selected one kept among them),
 * then "+N more", or a dash when empty; left alone when that is what it
 * already shows.
 */
export function fillChips(list: Element, ids: readonly number[], labels: ReadonlyMap<number, string>, selected: number | null): void {
  let shown = ids.length <= MAX_CHIPS ? ids : ids.slice(0, MAX_CHIPS);
  if (selected !== null && shown !== ids && !shown.includes(selected) && ids.includes(selected)) shown = [...shown.slice(0, MAX_CHIPS - 1), selected];
  const key = `${shown.map((id) => `${id}:${labels.get(id) ?? ''}`).join(',')}|${ids.length}|${selected ?? ''}`;
  if (chipsShown.get(list) === key) return;
  chipsShown.set(list, key);
  const nodes: Node[] = shown.map((id) => chip(id, labels.get(id) ?? `g${id}`, id === selected));
  if (nodes.length === 0) nodes.push(el('span', { class: 'none' }, '—'));
  if (ids.length > shown.length) nodes.push(el('span', { class: 'more-chips' }, `+${ids.length - shown.length} more`));
  list.replaceChildren(...nodes);
}

/**
 * Keeps an SVG's width/height attributes at its box's pixel size. A
 * percentage-sized SVG is re-laid out with all its children whenever the
 * page's grid measures its cells, which for a big tree costs 100+ ms a frame;
 * a fixed size does not.
 */
export interface Bounds {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * A viewBox showing `content` in an SVG of `size` pixels at a readable scale:
 * as large as fits, but within [minScale, maxScale]. What fits is centred;
 * what does not starts at its top left (the user pans and zooms from there).
 */
export function viewBoxFor(content: Bounds, size: { width: number; height: number }, minScale: number, maxScale: number): string {
  const fit = Math.min(size.width / Math.max(1, content.width), size.height / Math.max(1, content.height));
  const scale = Math.min(maxScale, Math.max(minScale, fit));
  const w = size.width / scale;
  const h = size.height / scale;
  const x = content.width <= w ? content.x - (w - content.width) / 2 : content.x;
  const y = content.height <= h ? content.y - (h - content.height) / 2 : content.y;
  return `${x} ${y} ${w} ${h}`;
}

export function sizeSvgToBox(svg: SVGSVGElement, box: HTMLElement, onResize: () => void = () => undefined): void {
  new ResizeObserver(() => {
    const w = Math.floor(box.clientWidth);
    const h = Math.floor(box.clientHeight);
    if (w === 0 || h === 0) return;
    setAttr(svg, 'width', String(w));
    setAttr(svg, 'height', String(h));
    onResize();
  }).observe(box);
}

/** Small inline icons for the toolbar (paths on a 16×16 grid), drawn in currentColor. */
const ICONS: Readonly<Record<string, string>> = {
  continue: 'M4 2.5v11l9-5.5z',
  pause: 'M4 2.5h3v11H4zM9 2.5h3v11H9z',
  stepSwitch: 'M2 4h8V1.5L14 5l-4 3.5V6H2zM14 12H6v2.5L2 11l4-3.5V10h8z',
  first: 'M3 2.5h2v11H3zM13 2.5v11L6 8z',
  prevSwitch: 'M11 2.5v11L4 8z',
  nextSwitch: 'M5 2.5v11L12 8z',
  last: 'M11 2.5h2v11h-2zM3 2.5v11L10 8z',
  play: 'M4 2.5v11l9-5.5z',
  playing: 'M4 2.5h3v11H4zM9 2.5h3v11H9z',
  prevOfGreenlet: 'M8 5a3 3 0 1 1 0 6a3 3 0 1 1 0-6zM1 8l3-3v6z',
  nextOfGreenlet: 'M8 5a3 3 0 1 1 0 6a3 3 0 1 1 0-6zM15 8l-3-3v6z',
  fit: 'M1 1h5v2H3v3H1zM15 1v5h-2V3h-3V1zM1 15v-5h2v3h3v2zM15 15h-5v-2h3v-3h2z',
};

export function icon(name: string): SVGSVGElement {
  const svg = svgEl('svg', { viewBox: '0 0 16 16', width: '16', height: '16', 'aria-hidden': 'true', class: 'icon' });
  svg.appendChild(svgEl('path', { d: ICONS[name] ?? '', fill: 'currentColor' }));
  return svg;
}

/**
 * Keeps one child per key, in order, reusing nodes across frames: a view of
 * many objects then only touches what changed.
 */
export function reconcile<T>(
  parent: Element,
  items: readonly T[],
  key: (item: T) => string,
  create: (item: T) => HTMLElement,
  update: (node: HTMLElement, item: T) => void,
  cache: Map<string, HTMLElement>,
): void {
  const seen = new Set<string>();
  const nodes: HTMLElement[] = [];
  for (const item of items) {
    const k = key(item);
    seen.add(k);
    let node = cache.get(k);
    if (node === undefined) {
      node = create(item);
      cache.set(k, node);
    }
    update(node, item);
    nodes.push(node);
  }
  for (const k of [...cache.keys()]) if (!seen.has(k)) cache.delete(k);
  const same = parent.children.length === nodes.length && nodes.every((n, i) => parent.children[i] === n);
  if (!same) parent.replaceChildren(...nodes);
}
