/*
 * Geometry checks of a drawn route, for the layout tests: which edges
 * cross a node they do not join, which edges cross each other, which
 * nodes overlap, and which text lines are wider than their node.
 */
import { CHAR_WIDTH, GraphLayout, GraphNode, PAD_X, Point } from '../layout';

type Segment = [Point, Point];

const segments = (points: Point[]): Segment[] =>
  points.slice(1).map((p, i) => [points[i], p]);

/** Whether a segment passes through the inside of a rectangle (touching its border is not). */
function segmentEntersRect(
  [a, b]: Segment,
  n: { x: number; y: number; width: number; height: number },
): boolean {
  const e = 0.5;
  const x0 = n.x + e;
  const x1 = n.x + n.width - e;
  const y0 = n.y + e;
  const y1 = n.y + n.height - e;
  // Liang-Barsky clipping of the segment against the shrunk rectangle.
  let t0 = 0;
  let t1 = 1;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const clips: [number, number][] = [
    [-dx, a.x - x0],
    [dx, x1 - a.x],
    [-dy, a.y - y0],
    [dy, y1 - a.y],
  ];
  for (const [p, q] of clips) {
    if (p === 0) {
      if (q < 0) return false;
    } else {
      const t = q / p;
      if (p < 0) t0 = Math.max(t0, t);
      else t1 = Math.min(t1, t);
      if (t0 > t1) return false;
    }
  }
  return true;
}

const cross = (o: Point, a: Point, b: Point) =>
  (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);

const within = (p: Point, [a, b]: Segment) =>
  Math.min(a.x, b.x) <= p.x &&
  p.x <= Math.max(a.x, b.x) &&
  Math.min(a.y, b.y) <= p.y &&
  p.y <= Math.max(a.y, b.y);

/** Whether two segments share any point (crossing, touching or overlapping). */
function segmentsMeet(s: Segment, t: Segment): boolean {
  const d1 = cross(t[0], t[1], s[0]);
  const d2 = cross(t[0], t[1], s[1]);
  const d3 = cross(s[0], s[1], t[0]);
  const d4 = cross(s[0], s[1], t[1]);
  if (
    ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) &&
    ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))
  )
    return true;
  return (
    (d1 === 0 && within(s[0], t)) ||
    (d2 === 0 && within(s[1], t)) ||
    (d3 === 0 && within(t[0], s)) ||
    (d4 === 0 && within(t[1], s))
  );
}

/** "edge a→b crosses node c" for every edge through a node it does not join. */
export function edgesThroughNodes(layout: GraphLayout): string[] {
  const out: string[] = [];
  for (const e of layout.edges)
    for (const n of layout.nodes) {
      if (n.id === e.from || n.id === e.to) continue;
      if (segments(e.points).some(s => segmentEntersRect(s, n)))
        out.push(`edge ${e.from}→${e.to} crosses node ${n.id} (${n.kind})`);
    }
  return out;
}

/** "edge a→b meets edge c→d" for every two edges that touch or cross. */
export function edgeCrossings(layout: GraphLayout): string[] {
  const out: string[] = [];
  layout.edges.forEach((e, i) =>
    layout.edges.slice(i + 1).forEach(f => {
      if (
        segments(e.points).some(s =>
          segments(f.points).some(t => segmentsMeet(s, t)),
        )
      )
        out.push(`edge ${e.from}→${e.to} meets edge ${f.from}→${f.to}`);
    }),
  );
  return out;
}

const overlap = (a: GraphNode, b: GraphNode) =>
  a.x < b.x + b.width &&
  b.x < a.x + a.width &&
  a.y < b.y + b.height &&
  b.y < a.y + a.height;

const inside = (a: GraphNode, b: GraphNode) =>
  a.x >= b.x &&
  a.y >= b.y &&
  a.x + a.width <= b.x + b.width &&
  a.y + a.height <= b.y + b.height;

/** Nodes drawn over each other; a pod inside its own group is where it belongs. */
export function overlappingNodes(layout: GraphLayout): string[] {
  const out: string[] = [];
  layout.nodes.forEach((a, i) =>
    layout.nodes.slice(i + 1).forEach(b => {
      const nested =
        (a.parent === b.id && inside(a, b)) ||
        (b.parent === a.id && inside(b, a));
      if (!nested && overlap(a, b)) out.push(`node ${a.id} overlaps ${b.id}`);
    }),
  );
  return out;
}

/** Lines wider than their node, and nodes outside the drawing. */
export function overflowingText(layout: GraphLayout): string[] {
  const out: string[] = [];
  for (const n of layout.nodes) {
    for (const line of n.lines)
      if (line.text.length * CHAR_WIDTH > n.width - 2 * PAD_X)
        out.push(`node ${n.id}: "${line.text}" is wider than the node`);
    if (n.x + n.width > layout.width || n.y + n.height > layout.height)
      out.push(`node ${n.id} lies outside the drawing`);
  }
  return out;
}
