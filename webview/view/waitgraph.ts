/**
 * The wait-for graph (shared/analysis/waitgraph.ts) as the board shows it:
 * alike greenlets grouped into one node with a count, what matters kept
 * first (derived/waitgraph-groups.ts), laid out in layers so no two nodes or
 * labels overlap (derived/waitgraph-layout.ts). Greenlets are circles
 * coloured by state (a group a double circle), objects squares; arrows for
 * "waits on" and, dashed, "could be woken by". Edges on a deadlock cycle
 * carry data-cycle="true" and are drawn in the error colour; the selected
 * greenlet's chain carries data-chain="true". Clicking a greenlet selects
 * it; clicking a group selects its first member (which then leaves the
 * group, with its chain).
 */

import type { GreenletStateName, GreenletView } from '../../shared/model/state';
import { STATE_WORDS, groupSentence } from '../../shared/present/greenlet-words';
import { select, zoom, type Selection } from 'd3';
import type { BoardActions, Frame, View } from '../frame';
import { shownWaitGraph, type ShownEdge, type ShownGraph, type ShownNode } from '../derived/waitgraph-groups';
import { GUTTER, LABEL_GAP, MARK, layoutWaitGraph, type GraphLayout, type Placed } from '../derived/waitgraph-layout';
import { el, sizeSvgToBox, setHidden, setText, svgEl, viewBoxFor } from './dom';

/** Labels are measured in this font size (board.css: svg text). */
const FONT_PX = 11;
const MARGIN = 12;

export class WaitGraphView implements View {
  readonly heavy = true;
  private readonly box: HTMLElement;
  private readonly svg: SVGSVGElement;
  private readonly scene: SVGGElement;
  private readonly empty: HTMLElement;
  private readonly note: HTMLElement;
  private readonly measureCtx: CanvasRenderingContext2D | null;
  private readonly widths = new Map<string, number>();
  private layout: GraphLayout | null = null;
  private lastKey = '';
  private lastShape = '';
  private shown: ShownGraph | null = null;
  private greenlets: ReadonlyMap<number, GreenletView> = new Map();
  private selected: number | null = null;

  constructor(body: HTMLElement, tools: HTMLElement, private readonly actions: BoardActions) {
    this.note = el('span', { class: 'count', 'data-role': 'waitgraph-note' });
    tools.append(this.note);
    this.box = el('div', { class: 'graph', 'data-view': 'waitgraph' });
    this.svg = svgEl('svg', { class: 'waitgraph', role: 'img', 'aria-label': 'Wait-for graph' });
    const defs = svgEl('defs');
    for (const [id, cls] of [['wg-arrow', 'arrow'], ['wg-arrow-cycle', 'arrow cycle']] as const) {
      const marker = svgEl('marker', { id, viewBox: '0 -5 10 10', refX: '10', refY: '0', markerWidth: '7', markerHeight: '7', orient: 'auto', class: cls });
      marker.append(svgEl('path', { d: 'M0,-5L10,0L0,5' }));
      defs.append(marker);
    }
    this.scene = svgEl('g', { class: 'scene' });
    this.scene.append(svgEl('g', { class: 'edges' }), svgEl('g', { class: 'nodes' }));
    this.svg.append(defs, this.scene);
    this.empty = el('p', { class: 'empty' }, 'No greenlet is waiting on anything here.');
    this.box.append(this.svg, this.empty);
    body.append(this.box);
    this.measureCtx = document.createElement('canvas').getContext('2d');
    sizeSvgToBox(this.svg, this.box, () => this.relayout());
    const z = zoom<SVGSVGElement, unknown>().scaleExtent([0.2, 4]).on('zoom', (e: { transform: { toString(): string } }) => {
      this.scene.setAttribute('transform', e.transform.toString());
    });
    select(this.svg).call(z).on('dblclick.zoom', null);
    this.svg.addEventListener('click', (e) => {
      const node = e.target instanceof Element ? e.target.closest('[data-node]') : null;
      const id = node?.getAttribute('data-node') ?? '';
      const member = node?.getAttribute('data-g');
      if (id.startsWith('g') || id.startsWith('k')) this.actions.select(Number(member));
    });
  }

  render(frame: Frame): void {
    // Laying out a graph for every partial state of a loading trace is wasted work.
    if (frame.session.loading !== null) return;
    const key = `${frame.stateKey}|${frame.board.selected}`;
    if (key === this.lastKey) return;
    this.lastKey = key;
    // Only the graph's greenlets are looked up: most of ten thousand are in no wait.
    const inGraph = new Set<number>();
    for (const n of frame.graph.nodes) if (n.kind === 'greenlet') inGraph.add(n.ref);
    this.greenlets = new Map(inGraph.size === 0 ? [] : frame.state.greenlets.filter((g) => inGraph.has(g.id)).map((g) => [g.id, g]));
    this.selected = frame.board.selected;
    const shown = shownWaitGraph(frame.graph, this.greenlets, frame.board.selected);
    this.shown = shown;
    setHidden(this.empty, shown.nodes.length > 0);
    setText(this.note, noteText(shown));
    const shape = shown.nodes.map((n) => `${n.id}:${n.label}`).join(',') + '|' + shown.edges.map((e) => `${e.from}>${e.to}`).join(',');
    if (shape !== this.lastShape) {
      this.lastShape = shape;
      this.relayout();
    } else {
      this.draw();
    }
  }

  /** Lays the graph out for the pane's width (a narrow pane stacks the layers) and draws it. */
  private relayout(): void {
    const shown = this.shown;
    const w = Number(this.svg.getAttribute('width') ?? 0);
    if (shown === null || w === 0) return;
    const nodes = shown.nodes.map((n) => ({ id: n.id, labelWidth: this.labelWidth(n.label) }));
    this.layout = layoutWaitGraph(nodes, shown.edges, w - 2 * MARGIN);
    this.fit();
    this.draw();
  }

  private labelWidth(label: string): number {
    let w = this.widths.get(label);
    if (w === undefined) {
      const ctx = this.measureCtx;
      if (ctx !== null) ctx.font = `${FONT_PX}px ${getComputedStyle(this.svg).fontFamily || 'sans-serif'}`;
      // A little over the measure: the SVG's text may round up.
      w = Math.ceil((ctx?.measureText(label).width ?? label.length * 7) * 1.05) + 2;
      if (this.widths.size > 5000) this.widths.clear();
      this.widths.set(label, w);
    }
    return w;
  }

  /** The viewBox: the whole graph when it fits at a readable size, else its top left at that size (drag to pan). */
  private fit(): void {
    const layout = this.layout;
    const w = Number(this.svg.getAttribute('width') ?? 0);
    const h = Number(this.svg.getAttribute('height') ?? 0);
    if (layout === null || layout.placed.size === 0 || w === 0 || h === 0) return;
    const bounds = { x: -MARGIN, y: -MARGIN, width: layout.width + 2 * MARGIN, height: layout.height + 10 + 2 * MARGIN };
    this.svg.setAttribute('viewBox', viewBoxFor(bounds, { width: w, height: h }, 0.7, 1.2));
  }

  private draw(): void {
    const shown = this.shown;
    const layout = this.layout;
    if (shown === null || layout === null) return;
    const pos = (id: string): Placed => layout.placed.get(id) ?? { x: 0, y: 0, layer: 0, gapX: 0, box: { x: 0, y: 0, width: 0, height: 0 } };
    const byId = new Map(shown.nodes.map((n) => [n.id, n]));
    const edgeLayer = select(this.scene).select<SVGGElement>('g.edges');
    edgeLayer.selectAll<SVGPathElement, ShownEdge>('path')
      .data(shown.edges, (e) => `${e.from}>${e.to}>${e.kind}>${e.label}`)
      .join('path')
      .attr('class', (e) => `edge ${e.kind}${e.cycle ? ' cycle' : ''}${e.chain ? ' chain' : ''}`)
      .attr('data-from', (e) => e.from)
      .attr('data-to', (e) => e.to)
      .attr('data-cycle', (e) => (e.cycle ? 'true' : null))
      .attr('data-chain', (e) => (e.chain ? 'true' : null))
      .attr('marker-end', (e) => (e.cycle ? 'url(#wg-arrow-cycle)' : 'url(#wg-arrow)'))
      .attr('d', (e) => edgePath(pos(e.from), pos(e.to), layout))
      .selectAll('title')
      .data((e) => [e])
      .join('title')
      .text((e) => `${byId.get(e.from)?.label ?? e.from} ${e.label} ${byId.get(e.to)?.label ?? e.to}${e.count > 1 ? ` (${e.count} greenlets)` : ''}`);

    const nodeLayer = select(this.scene).select<SVGGElement>('g.nodes');
    const groups = nodeLayer.selectAll<SVGGElement, ShownNode>('g.node')
      .data(shown.nodes, (n) => n.id)
      .join((enter) => {
        const g = enter.append('g');
        g.each(function (n) {
          const mark = n.kind === 'object'
            ? [svgEl('rect', { x: String(-MARK + 1), y: String(-MARK + 1), width: String(2 * MARK - 2), height: String(2 * MARK - 2), rx: '3' })]
            : n.kind === 'group'
              ? [svgEl('circle', { r: String(MARK), class: 'behind', cx: '3', cy: '-3' }), svgEl('circle', { r: String(MARK) })]
              : [svgEl('circle', { r: String(MARK) })];
          this.append(...mark, svgEl('text', { x: String(LABEL_GAP), y: '4' }), svgEl('title'));
        });
        return g;
      });
    const selected = this.selected;
    groups
      .attr('class', (n) => `node ${n.kind}${n.stuck ? ' stuck' : ''}${n.kind === 'greenlet' && n.ref === selected ? ' selected' : ''}`)
      .attr('data-node', (n) => n.id)
      .attr('data-g', (n) => (n.kind === 'object' ? null : String(n.ref)))
      .attr('data-count', (n) => (n.kind === 'group' ? String(n.count) : null))
      .attr('data-state', (n) => (n.kind === 'object' ? null : n.detail))
      .attr('data-chain', (n) => (n.chain ? 'true' : null))
      .attr('data-cycle', (n) => (n.cycle ? 'true' : null))
      .attr('transform', (n) => `translate(${pos(n.id).x},${pos(n.id).y})`);
    this.setTexts(groups);
  }

  private setTexts(groups: Selection<SVGGElement, ShownNode, SVGGElement, unknown>): void {
    groups.select('text').text((n) => n.label);
    groups.select('title').text((n) => {
      if (n.kind === 'object') return `${n.label} (${n.detail})`;
      const g = this.greenlets.get(n.ref);
      if (n.kind === 'group') return g === undefined ? n.label : groupSentence(g.func, n.count, g);
      return `${n.label} (${STATE_WORDS[n.detail as GreenletStateName] ?? n.detail})`;
    });
  }
}

function noteText(shown: ShownGraph): string {
  const parts: string[] = [];
  const greenlets = shown.nodes.reduce((sum, n) => sum + n.count, 0);
  if (greenlets > 0) parts.push(`${greenlets} greenlets`);
  if (shown.hiddenGreenlets > 0) parts.push(`${shown.hiddenGreenlets} more not shown`);
  if (shown.hiddenObjects > 0) parts.push(`${shown.hiddenObjects} objects not shown`);
  return parts.join(' · ');
}

/**
 * An arrow from the end of the source's label to the target's mark: a curve
 * to a later column (or row), a loop around for an edge going back (the one
 * closing a cycle).
 */
function edgePath(a: Placed, b: Placed, layout: GraphLayout): string {
  if (layout.vertical) {
    // Rows: leave the source's mark on its left, come into the target's mark from the left.
    const sx = a.x - MARK;
    const ex = b.x - MARK - 2;
    const bend = Math.max(2, Math.min(a.x, b.x) - MARK - 8 - Math.min(GUTTER - 10, Math.abs(b.y - a.y) / 8));
    return `M${sx},${a.y}C${bend},${a.y} ${bend},${b.y} ${ex},${b.y}`;
  }
  const sx = a.box.x + a.box.width;
  const ex = b.x - MARK - 2;
  if (ex > sx) {
    const mid = (sx + ex) / 2;
    return `M${sx},${a.y}C${mid},${a.y} ${mid},${b.y} ${ex},${b.y}`;
  }
  // Back to an earlier column: down the gap after the source's column, along below every node, up the gutter; it crosses no label.
  const low = layout.height + 6;
  const gx = a.gapX;
  const lx = Math.max(4, b.x - MARK - GUTTER / 2);
  return `M${sx},${a.y}H${gx - 6}Q${gx},${a.y} ${gx},${a.y + 6}V${low - 6}Q${gx},${low} ${gx - 6},${low}` +
    `H${lx + 6}Q${lx},${low} ${lx},${low - 6}V${b.y + 6}Q${lx},${b.y} ${lx + 6},${b.y}H${ex}`;
}
