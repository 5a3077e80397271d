/**
 * Who spawned whom (d3.tree, left to right), nodes coloured by state at the
 * cursor. The layout is redone only when the set of greenlets changes; a
 * cursor step merely updates each node's data-state. Greenlets whose parent
 * is unknown (main, the hub, placeholders) hang off an invisible root.
 */

import { hierarchy, select, tree, zoom, type HierarchyPointNode } from 'd3';
import type { GreenletView } from '../../shared/model/state';
import type { BoardActions, Frame, View } from '../frame';
import { el, sizeSvgToBox, setText, svgEl, viewBoxFor, type Bounds } from './dom';

/** Nodes drawn at most; a bigger tree shows its first greenlets and a count. */
const MAX_NODES = 1000;
const ROW = 22;
const COLUMN = 150;

interface TreeDatum {
  readonly id: number;
  readonly children: TreeDatum[];
}

export class SpawnTreeView implements View {
  readonly heavy = true;
  private readonly svg: SVGSVGElement;
  private readonly scene: SVGGElement;
  private readonly note: HTMLElement;
  private readonly nodes = new Map<number, SVGGElement>();
  /** What each node shows now, to skip unchanged ones. */
  private readonly looks = new Map<number, string>();
  private lastShape = '';
  private bounds: Bounds | null = null;
  private lastKey = '';

  constructor(body: HTMLElement, tools: HTMLElement, private readonly actions: BoardActions) {
    this.note = el('span', { class: 'count' });
    tools.append(this.note);
    const box = el('div', { class: 'graph', 'data-view': 'spawntree' });
    this.svg = svgEl('svg', { class: 'spawntree', role: 'img', 'aria-label': 'Spawn tree' });
    this.scene = svgEl('g', { class: 'scene' });
    this.svg.append(this.scene);
    box.append(this.svg);
    body.append(box);
    sizeSvgToBox(this.svg, box, () => this.fit());
    const z = zoom<SVGSVGElement, unknown>().scaleExtent([0.1, 3]).on('zoom', (e: { transform: { toString(): string } }) => {
      this.scene.setAttribute('transform', e.transform.toString());
    });
    select(this.svg).call(z).on('dblclick.zoom', null);
    this.svg.addEventListener('click', (e) => {
      const node = e.target instanceof Element ? e.target.closest('[data-node]') : null;
      if (node !== null) this.actions.select(Number(node.getAttribute('data-node')!.slice(1)));
    });
  }

  render(frame: Frame): void {
    // The tree grows with every spawn of a loading trace: lay it out once, at the end.
    if (frame.session.loading !== null) return;
    const key = `${frame.stateKey}|${frame.board.selected}`;
    if (key === this.lastKey) return;
    this.lastKey = key;
    const shown = frame.state.greenlets.slice(0, MAX_NODES);
    const omitted = frame.state.greenlets.length - shown.length;
    setText(this.note, omitted > 0 ? `first ${MAX_NODES} of ${frame.state.greenlets.length}` : `${shown.length} greenlets`);
    const shape = shown.map((g) => `${g.id}<${g.parent}`).join(',');
    if (shape !== this.lastShape) {
      this.lastShape = shape;
      this.layout(shown);
    }
    // A step changes few greenlets: touch only the nodes whose look changed,
    // since every attribute write on a big SVG costs a style pass.
    for (const g of shown) {
      const node = this.nodes.get(g.id);
      if (node === undefined) continue;
      // Only attributes that change paint, never layout: no text changes here.
      const look = `${g.state}|${g.id === frame.board.selected}|${g.id === frame.state.current}`;
      if (this.looks.get(g.id) === look) continue;
      this.looks.set(g.id, look);
      node.setAttribute('data-state', g.state);
      node.classList.toggle('selected', g.id === frame.board.selected);
      node.classList.toggle('current', g.id === frame.state.current);
    }
  }

  private layout(greenlets: readonly GreenletView[]): void {
    const byId = new Map<number, TreeDatum>();
    for (const g of greenlets) byId.set(g.id, { id: g.id, children: [] });
    const root: TreeDatum = { id: 0, children: [] };
    for (const g of greenlets) {
      const parent = g.parent !== g.id ? byId.get(g.parent) : undefined;
      (parent ?? root).children.push(byId.get(g.id)!);
    }
    const laidOut = tree<TreeDatum>().nodeSize([ROW, COLUMN])(hierarchy(root));
    const label = new Map(greenlets.map((g) => [g.id, g.label]));

    const links = laidOut.links().filter((l) => l.source.data.id !== 0);
    const points = laidOut.descendants().filter((n) => n.data.id !== 0);
    const linkLayer = svgEl('g', { class: 'links' });
    for (const l of links) linkLayer.append(svgEl('path', { class: 'link', d: elbow(l.source, l.target) }));
    const nodeLayer = svgEl('g', { class: 'nodes' });
    this.nodes.clear();
    this.looks.clear();
    for (const n of points) {
      // Placed by coordinates, not a transform per node: each transform is a paint chunk of its own, and a
      // thousand of them made every repaint of the page (the whole workbench, in code-server) layerize for 0.4-1 s.
      const x = n.y - COLUMN;
      const y = n.x;
      const g = svgEl('g', { class: 'node', 'data-node': `g${n.data.id}` });
      // A parent's links leave to the right, so its label goes on the left.
      const text = n.children !== undefined && n.children.length > 0
        ? svgEl('text', { x: String(x - 10), y: String(y + 4), 'text-anchor': 'end' })
        : svgEl('text', { x: String(x + 10), y: String(y + 4) });
      text.textContent = label.get(n.data.id) ?? `g${n.data.id}`;
      const title = svgEl('title');
      title.textContent = label.get(n.data.id) ?? `g${n.data.id}`;
      g.append(svgEl('circle', { r: '6', cx: String(x), cy: String(y) }), text, title);
      nodeLayer.append(g);
      this.nodes.set(n.data.id, g);
    }
    this.scene.replaceChildren(linkLayer, nodeLayer);
    if (points.length === 0) {
      this.bounds = null;
      return;
    }
    const xs = points.map((n) => n.x);
    const ys = points.map((n) => n.y - COLUMN);
    // Rows are d3.tree's x, columns its y (the tree grows to the right); labels need room on both sides.
    this.bounds = {
      x: Math.min(...ys) - COLUMN,
      y: Math.min(...xs) - ROW,
      width: Math.max(...ys) - Math.min(...ys) + 2 * COLUMN + 40,
      height: Math.max(...xs) - Math.min(...xs) + 2 * ROW,
    };
    this.fit();
  }

  /** A big tree stays readable (scale ≥ 0.75, top left first); a small one is centred. */
  private fit(): void {
    const w = Number(this.svg.getAttribute('width') ?? 0);
    const h = Number(this.svg.getAttribute('height') ?? 0);
    if (this.bounds === null || w === 0 || h === 0) return;
    this.svg.setAttribute('viewBox', viewBoxFor(this.bounds, { width: w, height: h }, 0.75, 1.4));
  }
}

/** A path from parent to child: right, down, right (rows are x in d3.tree's vertical layout, swapped here). */
function elbow(a: HierarchyPointNode<TreeDatum>, b: HierarchyPointNode<TreeDatum>): string {
  const ax = a.y - COLUMN;
  const bx = b.y - COLUMN;
  const mid = ax + (bx - ax) / 2;
  return `M${ax + 6},${a.x}H${mid}V${b.x}H${bx - 6}`;
}
