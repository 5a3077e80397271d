/**
 * The wait-for graph (shared/analysis/waitgraph.ts) drawn with d3: greenlets as
 * circles coloured by state, objects as squares, arrows for "waits on" and
 * "could be woken by". Edges on a deadlock cycle carry data-cycle="true" and
 * are drawn in the error colour. The force layout runs to rest synchronously
 * (no animation to wait for) and starts from the previous positions, so the
 * picture stays put while the cursor steps and only new nodes move in.
 */

import type { GreenletStateName } from '../../shared/model/state';
import { STATE_WORDS } from '../../shared/present/greenlet-words';
import {
  forceCollide, forceLink, forceManyBody, forceSimulation, forceX, forceY, select, zoom,
  type Selection, type SimulationLinkDatum, type SimulationNodeDatum,
} from 'd3';
import type { WaitEdge, WaitNode } from '../../shared/analysis/waitgraph';
import type { BoardActions, Frame, View } from '../frame';
import { el, sizeSvgToBox, setHidden, setText, svgEl, viewBoxFor } from './dom';

interface SimNode extends SimulationNodeDatum {
  readonly id: string;
  readonly node: WaitNode;
}
type SimLink = SimulationLinkDatum<SimNode> & { readonly edge: WaitEdge };

const RADIUS = 9;

export class WaitGraphView implements View {
  readonly heavy = true;
  private readonly box: HTMLElement;
  private readonly svg: SVGSVGElement;
  private readonly scene: SVGGElement;
  private readonly empty: HTMLElement;
  private readonly note: HTMLElement;
  private readonly positions = new Map<string, { x: number; y: number }>();
  private lastKey = '';
  private lastShape = '';

  constructor(body: HTMLElement, tools: HTMLElement, private readonly actions: BoardActions) {
    this.note = el('span', { class: 'count' });
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
    sizeSvgToBox(this.svg, this.box, () => this.fit());
    const z = zoom<SVGSVGElement, unknown>().scaleExtent([0.2, 4]).on('zoom', (e: { transform: { toString(): string } }) => {
      this.scene.setAttribute('transform', e.transform.toString());
    });
    select(this.svg).call(z).on('dblclick.zoom', null);
    this.svg.addEventListener('click', (e) => {
      const node = e.target instanceof Element ? e.target.closest('[data-node]') : null;
      const id = node?.getAttribute('data-node') ?? '';
      if (id.startsWith('g')) this.actions.select(Number(id.slice(1)));
    });
  }

  render(frame: Frame): void {
    // Laying out a graph for every partial state of a loading trace is wasted work.
    if (frame.session.loading !== null) return;
    const key = `${frame.stateKey}|${frame.board.selected}`;
    if (key === this.lastKey) return;
    this.lastKey = key;
    const graph = frame.graph;
    setHidden(this.empty, graph.nodes.length > 0);
    setText(this.note, graph.omitted > 0 ? `${graph.omitted} more greenlets not shown` : graph.nodes.length > 0 ? `${graph.nodes.length} nodes` : '');
    const shape = graph.nodes.map((n) => n.id).join(',') + '|' + graph.edges.map((e) => `${e.from}>${e.to}`).join(',');
    if (shape !== this.lastShape) {
      this.lastShape = shape;
      this.layout(graph.nodes, graph.edges);
    }
    this.draw(graph.nodes, graph.edges, frame.board.selected);
  }

  private layout(nodes: readonly WaitNode[], edges: readonly WaitEdge[]): void {
    const sim: SimNode[] = nodes.map((node, i) => {
      const p = this.positions.get(node.id);
      // New nodes start on a spiral rather than all at the origin, so the layout is deterministic.
      const angle = i * 2.4;
      return { id: node.id, node, x: p?.x ?? Math.cos(angle) * 40 * Math.sqrt(i + 1), y: p?.y ?? Math.sin(angle) * 40 * Math.sqrt(i + 1) };
    });
    const links: SimLink[] = edges.map((edge) => ({ source: edge.from, target: edge.to, edge }));
    const known = sim.filter((n) => this.positions.has(n.id)).length;
    const simulation = forceSimulation(sim)
      .force('link', forceLink<SimNode, SimLink>(links).id((d) => d.id).distance(80).strength(0.6))
      .force('charge', forceManyBody<SimNode>().strength(-320))
      .force('collide', forceCollide<SimNode>(34))
      .force('x', forceX<SimNode>(0).strength(0.04))
      .force('y', forceY<SimNode>(0).strength(0.06))
      .stop();
    // Fewer steps when most nodes are already placed; fewer for big graphs too.
    const ticks = Math.max(30, Math.round((known === sim.length ? 60 : 300) * Math.min(1, 60 / Math.max(1, sim.length))));
    simulation.alpha(known === sim.length ? 0.3 : 1);
    for (let i = 0; i < ticks; i++) simulation.tick();
    this.positions.clear();
    for (const n of sim) this.positions.set(n.id, { x: n.x ?? 0, y: n.y ?? 0 });
    this.fit();
  }

  /** Sets the viewBox around the laid-out nodes (labels included, roughly). */
  private fit(): void {
    const ps = [...this.positions.values()];
    const w = Number(this.svg.getAttribute('width') ?? 0);
    const h = Number(this.svg.getAttribute('height') ?? 0);
    if (ps.length === 0 || w === 0 || h === 0) return;
    const xs = ps.map((p) => p.x);
    const ys = ps.map((p) => p.y);
    const x0 = Math.min(...xs) - 30;
    const y0 = Math.min(...ys) - 30;
    const bounds = { x: x0, y: y0, width: Math.max(...xs) + 130 - x0, height: Math.max(...ys) + 30 - y0 };
    this.svg.setAttribute('viewBox', viewBoxFor(bounds, { width: w, height: h }, 0.35, 1.3));
  }

  private draw(nodes: readonly WaitNode[], edges: readonly WaitEdge[], selected: number | null): void {
    const pos = (id: string): { x: number; y: number } => this.positions.get(id) ?? { x: 0, y: 0 };
    const edgeLayer = select(this.scene).select<SVGGElement>('g.edges');
    edgeLayer.selectAll<SVGPathElement, WaitEdge>('path')
      .data(edges, (e) => `${e.from}>${e.to}`)
      .join('path')
      .attr('class', (e) => `edge ${e.kind}${e.cycle ? ' cycle' : ''}`)
      .attr('data-from', (e) => e.from)
      .attr('data-to', (e) => e.to)
      .attr('data-cycle', (e) => (e.cycle ? 'true' : null))
      .attr('marker-end', (e) => (e.cycle ? 'url(#wg-arrow-cycle)' : 'url(#wg-arrow)'))
      .attr('d', (e) => edgePath(pos(e.from), pos(e.to)))
      .selectAll('title')
      .data((e) => [e])
      .join('title')
      .text((e) => `${e.from} ${e.label} ${e.to}`);

    const nodeLayer = select(this.scene).select<SVGGElement>('g.nodes');
    const groups = nodeLayer.selectAll<SVGGElement, WaitNode>('g.node')
      .data(nodes, (n) => n.id)
      .join((enter) => {
        const g = enter.append('g');
        g.each(function (n) {
          const shape = n.kind === 'greenlet' ? svgEl('circle', { r: String(RADIUS) }) : svgEl('rect', { x: '-8', y: '-8', width: '16', height: '16', rx: '3' });
          this.append(shape, svgEl('text', { x: '13', y: '4' }), svgEl('title'));
        });
        return g;
      });
    groups
      .attr('class', (n) => `node ${n.kind}${n.stuck ? ' stuck' : ''}${n.kind === 'greenlet' && n.ref === selected ? ' selected' : ''}`)
      .attr('data-node', (n) => n.id)
      .attr('data-state', (n) => (n.kind === 'greenlet' ? n.detail : null))
      .attr('transform', (n) => `translate(${pos(n.id).x},${pos(n.id).y})`);
    setTexts(groups);
  }
}

function setTexts(groups: Selection<SVGGElement, WaitNode, SVGGElement, unknown>): void {
  groups.select('text').text((n) => n.label);
  groups.select('title').text((n) => `${n.label} (${n.kind === 'greenlet' ? STATE_WORDS[n.detail as GreenletStateName] : n.detail})`);
}

/** A straight arrow that stops short of the target node, so its head shows. */
function edgePath(a: { x: number; y: number }, b: { x: number; y: number }): string {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.hypot(dx, dy) || 1;
  const sx = a.x + (dx / len) * RADIUS;
  const sy = a.y + (dy / len) * RADIUS;
  const ex = b.x - (dx / len) * (RADIUS + 3);
  const ey = b.y - (dy / len) * (RADIUS + 3);
  return `M${sx},${sy}L${ex},${ey}`;
}
