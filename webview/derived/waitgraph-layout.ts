/**
 * Where the wait-for graph's nodes go: layered, so that no two nodes (with
 * their labels) ever overlap, whatever the labels' lengths. Each node is
 * one row: its mark, then its label to the right. Layers follow the edges
 * (a waiter, then what it waits on, then who could wake that…; a cycle's
 * closing edge is left out of the layering). Wide: one column per layer,
 * each as wide as its longest label. Narrow (the columns would not fit):
 * the layers one below the other, each node on its own row, so the graph
 * reads top to bottom at any width. Pure (no DOM): labels are measured by
 * the caller.
 */

export interface LayoutNode {
  readonly id: string;
  /** The label's width in px. */
  readonly labelWidth: number;
}

export interface LayoutEdge {
  readonly from: string;
  readonly to: string;
}

export interface Placed {
  /** The mark's centre. */
  readonly x: number;
  readonly y: number;
  /** The node's box (mark and label). */
  readonly box: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
  readonly layer: number;
  /** Wide layout: the middle of the gap after this node's column, where an edge going back may run down. */
  readonly gapX: number;
}

export interface GraphLayout {
  readonly placed: ReadonlyMap<string, Placed>;
  readonly width: number;
  readonly height: number;
  readonly vertical: boolean;
}

export const MARK = 9;
/** From the mark's centre to the label's start. */
export const LABEL_GAP = 13;
export const ROW = 28;
const COLUMN_GAP = 56;
const INDENT = 16;
/** Room on the left for the edges' bends (stacked layers) or an edge going back (columns). */
export const GUTTER = 30;

export function layoutWaitGraph(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[], available: number): GraphLayout {
  const layers = assignLayers(nodes, edges);
  const byLayer: LayoutNode[][] = [];
  for (const n of nodes) (byLayer[layers.get(n.id)!] ??= []).push(n);
  const columns = byLayer.filter((l) => l !== undefined);
  orderByNeighbours(columns, edges);
  const nodeWidth = (n: LayoutNode): number => MARK + LABEL_GAP + n.labelWidth + 4;
  const widths = columns.map((col) => Math.max(...col.map(nodeWidth)));
  const wide = widths.reduce((a, b) => a + b, 0) + COLUMN_GAP * (columns.length - 1);
  const vertical = columns.length > 1 && wide > available;
  const placed = new Map<string, Placed>();
  if (!vertical) {
    const tallest = Math.max(0, ...columns.map((c) => c.length));
    // The gutter on the left: room for an edge going back to the first column.
    let x = GUTTER + MARK;
    columns.forEach((col, layer) => {
      const top = ((tallest - col.length) * ROW) / 2;
      const gapX = x - MARK + widths[layer]! + COLUMN_GAP / 2;
      col.forEach((n, i) => {
        const y = top + i * ROW + ROW / 2;
        placed.set(n.id, { x, y, layer, gapX, box: { x: x - MARK, y: y - ROW / 2 + 2, width: nodeWidth(n), height: ROW - 4 } });
      });
      x += widths[layer]! + COLUMN_GAP;
    });
    return { placed, width: GUTTER + wide, height: tallest * ROW, vertical };
  }
  let row = 0;
  let width = 0;
  columns.forEach((col, layer) => {
    const x = GUTTER + MARK + Math.min(layer, 4) * INDENT;
    for (const n of col) {
      const y = row * ROW + ROW / 2;
      placed.set(n.id, { x, y, layer, gapX: x, box: { x: x - MARK, y: y - ROW / 2 + 2, width: nodeWidth(n), height: ROW - 4 } });
      width = Math.max(width, x - MARK + nodeWidth(n));
      row++;
    }
  });
  return { placed, width, height: row * ROW, vertical };
}

/**
 * Longest-path layers over the edges, minus those closing a cycle (found by
 * a depth-first search in node order, so the result is deterministic).
 */
function assignLayers(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[]): Map<string, number> {
  const out = new Map<string, string[]>();
  for (const n of nodes) out.set(n.id, []);
  for (const e of edges) if (out.has(e.from) && out.has(e.to) && e.from !== e.to) out.get(e.from)!.push(e.to);
  // Iterative DFS: the order nodes finish in, reversed, is a topological order of the forward edges.
  const state = new Map<string, 1 | 2>();
  const finished: string[] = [];
  const forward = new Map<string, string[]>();
  for (const n of nodes) forward.set(n.id, []);
  const hasIncoming = new Set(edges.map((e) => e.to));
  const roots = [...nodes.filter((n) => !hasIncoming.has(n.id)), ...nodes];
  for (const root of roots) {
    if (state.has(root.id)) continue;
    const stack: [string, number][] = [[root.id, 0]];
    state.set(root.id, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const next = out.get(top[0])!;
      if (top[1] < next.length) {
        const w = next[top[1]++]!;
        const s = state.get(w);
        if (s === 1) continue;
        forward.get(top[0])!.push(w);
        if (s === undefined) {
          state.set(w, 1);
          stack.push([w, 0]);
        }
        continue;
      }
      state.set(top[0], 2);
      finished.push(top[0]);
      stack.pop();
    }
  }
  const layer = new Map<string, number>();
  for (const id of finished.reverse()) {
    const l = layer.get(id) ?? 0;
    layer.set(id, l);
    for (const w of forward.get(id)!) layer.set(w, Math.max(layer.get(w) ?? 0, l + 1));
  }
  return layer;
}

/**
 * Within each layer, nodes near the mean row of their neighbours (fewer
 * crossings): a sweep down by the layer before, one up by the layer after,
 * one down again.
 */
function orderByNeighbours(columns: LayoutNode[][], edges: readonly LayoutEdge[]): void {
  const before = new Map<string, string[]>();
  const after = new Map<string, string[]>();
  for (const e of edges) {
    push(before, e.to, e.from);
    push(after, e.from, e.to);
  }
  const rowOf = new Map<string, number>();
  columns.forEach((col) => col.forEach((n, i) => rowOf.set(n.id, i)));
  const sweep = (c: number, by: ReadonlyMap<string, string[]>, layer: number): void => {
    const col = columns[c]!;
    const near = new Set(columns[layer]!.map((n) => n.id));
    const weight = new Map<string, number>();
    col.forEach((n, i) => {
      const rows = (by.get(n.id) ?? []).filter((id) => near.has(id)).map((id) => rowOf.get(id)!);
      weight.set(n.id, rows.length > 0 ? rows.reduce((a, b) => a + b, 0) / rows.length : i);
    });
    col.sort((a, b) => weight.get(a.id)! - weight.get(b.id)!);
    col.forEach((n, i) => rowOf.set(n.id, i));
  };
  for (let c = 1; c < columns.length; c++) sweep(c, before, c - 1);
  for (let c = columns.length - 2; c >= 0; c--) sweep(c, after, c + 1);
  for (let c = 1; c < columns.length; c++) sweep(c, before, c - 1);
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
