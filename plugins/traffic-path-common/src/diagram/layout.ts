/*
 * Where each hop of a route is drawn: pure, so that what the graph claims
 * (the order of the hops, what is on the way and what is aside, how pods
 * are grouped, that no edge crosses a hop or another edge, that no text is
 * cut unseen) is tested without a browser.
 *
 * Top to bottom, one hop under the other in the order a packet crosses
 * them, so the way reads as a list in a narrow card and never wraps. A
 * Service that is not on the way stands to the right of the pods it lists,
 * linked by a dotted line; expanded pods are drawn inside their group, so
 * every edge is a straight vertical or horizontal line between neighbours.
 */
import { Endpoint, Hop, HopKind, HopStatus, Route, Verdict } from '../model';
import { statusLook, wordsOf } from './look';
import { wrapText } from './wrap';

/** Text metrics the layout assumes (px): generous, so real text fits. */
export const FONT_SIZE = 12;
export const LINE_HEIGHT = 16;
/** Width of one character at FONT_SIZE: above Roboto's widest average, so lines fit. */
export const CHAR_WIDTH = 7.2;
export const PAD_X = 10;
export const PAD_Y = 6;
export const MARGIN = 16;
/** Room between two hops for the arrow. */
const ROW_GAP = 28;
/** Room between the way and what stands beside it. */
const ASIDE_GAP = 40;
const POD_GAP = 8;
const MIN_WIDTH = 240;
/** Width assumed when the page has not been measured (tests, first render). */
export const DEFAULT_WIDTH = 720;
const MAX_LABEL_LINES = 6;
const MAX_BADGE_LINES = 3;
/** Pods drawn one by one at most, when expanded; the rest is one "+N more" node. */
export const MAX_EXPANDED_PODS = 24;

export type BadgeTone = 'allow' | 'deny' | 'hidden' | 'info';

export type Badge = { text: string; tone: BadgeTone };

/** One line of text under a node's title. */
export type TextLine = {
  text: string;
  role: 'label' | 'badge' | 'blocks' | 'aside' | 'toggle';
  tone?: BadgeTone;
};

export type GraphNode = {
  id: string;
  /** Index of the hop in route.hops. */
  hopIndex: number;
  kind: HopKind;
  title: string;
  /** The whole label, never cut: the node's title and aria-label. */
  label: string;
  status: HopStatus;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Drawn beside the way: the Service when the controller or kube-proxy skips its ClusterIP. */
  aside: boolean;
  badges: Badge[];
  /** The status word on its own line (when the title leaves no room). */
  statusLine: boolean;
  /** What is written under the title, wrapped to the node's width. */
  lines: TextLine[];
  /** Some text did not fit: it is in the title, the aria-label and the details. */
  cut: boolean;
  /** The endpoint a single pod node stands for. */
  endpoint?: Endpoint;
  /** The group node a pod is drawn inside. */
  parent?: string;
  /** This node stops the client of the verdict. */
  blocks: boolean;
  /** A group node that can be expanded (pods). */
  expandable?: { expanded: boolean; count: number };
};

export type Point = { x: number; y: number };

export type GraphEdge = {
  from: string;
  to: string;
  style: 'path' | 'aside';
  /** The line, from the first node's border to the second's. */
  points: Point[];
};

export type GraphLayout = {
  nodes: GraphNode[];
  edges: GraphEdge[];
  width: number;
  height: number;
};

const titles: Partial<Record<HopKind, string>> = {
  client: 'Client',
  dns: 'DNS',
  'load-balancer': 'Load balancer',
  'node-port': 'Node port',
  'kube-proxy': 'kube-proxy',
  'ingress-controller': 'Ingress controller',
  ingress: 'Ingress rule',
  service: 'Service',
  pod: 'Pods',
  container: 'Containers',
};

/** A hop kind for people; a kind added to the engine later reads as its own words. */
export function hopTitle(kind: HopKind | string): string {
  const known = titles[kind as HopKind];
  if (known) return known;
  const words = wordsOf(String(kind));
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function restrictionBadges(hop: Hop): Badge[] {
  if (hop.kind !== 'load-balancer' && hop.kind !== 'ingress') return [];
  return (hop.restrictions ?? []).map(r => {
    if (!r.visible)
      return {
        text: `${r.mode} · ${r.description ?? r.origin} (entries not visible)`,
        tone: 'hidden' as const,
      };
    const n = r.cidrs.length;
    return {
      text: `${r.mode} ${n} range${n === 1 ? '' : 's'} · ${r.origin}`,
      tone: r.mode === 'allow' ? ('allow' as const) : ('deny' as const),
    };
  });
}

export function hopBadges(hop: Hop): Badge[] {
  const badges = restrictionBadges(hop);
  if (hop.kind === 'load-balancer')
    badges.unshift({
      text: hop.exposure,
      tone: hop.exposure === 'public' ? 'deny' : 'info',
    });
  if (hop.kind === 'ingress' && hop.tls)
    badges.unshift({ text: 'TLS', tone: 'info' });
  return badges;
}

/** "12 pods on 4 nodes", "3/4 pods ready". */
export function podSummary(endpoints: Endpoint[]): string {
  const nodes = new Set(endpoints.map(e => e.node).filter(Boolean)).size;
  const ready = endpoints.filter(e => e.ready).length;
  const pods = `${endpoints.length} pod${endpoints.length === 1 ? '' : 's'}`;
  const on = nodes ? ` on ${nodes} node${nodes === 1 ? '' : 's'}` : '';
  return ready === endpoints.length
    ? `${pods}${on}`
    : `${ready}/${pods} ready${on}`;
}

function endpointStatus(e: Endpoint): HopStatus {
  if (e.ready) return 'ok';
  return e.serving ? 'degraded' : 'broken';
}

/** Whether a hop stops the verdict's client. */
function blocking(verdict: Verdict | undefined, kind: HopKind): boolean {
  return verdict?.allowed === false && verdict.blockedAt === kind;
}

/** How many characters a line of a node this wide holds. */
export function charsPerLine(width: number): number {
  return Math.floor((width - 2 * PAD_X) / CHAR_WIDTH);
}

/** A node's text, wrapped to its width, and the height it needs. */
type Content = Pick<GraphNode, 'statusLine' | 'lines' | 'cut' | 'height'>;

function content(
  node: Pick<
    GraphNode,
    'title' | 'label' | 'status' | 'badges' | 'blocks' | 'aside' | 'expandable'
  >,
  width: number,
  extraHeight = 0,
): Content {
  const max = charsPerLine(width);
  const look = statusLook(node.status);
  // Title left, "✓ ok" right, at least two characters apart.
  const statusLine =
    node.title.length + look.word.length + look.icon.length + 3 > max;
  const lines: TextLine[] = [];
  let cut = false;
  const add = (
    text: string,
    role: TextLine['role'],
    maxLines: number,
    tone?: BadgeTone,
  ) => {
    const wrapped = wrapText(text, max, maxLines);
    cut = cut || wrapped.cut;
    for (const line of wrapped.lines)
      lines.push({ text: line, role, ...(tone ? { tone } : {}) });
  };
  add(node.label, 'label', MAX_LABEL_LINES);
  for (const b of node.badges) add(b.text, 'badge', MAX_BADGE_LINES, b.tone);
  if (node.aside)
    add('ClusterIP not on the way: lists the endpoints', 'aside', 2);
  if (node.blocks) add('✕ blocks the client', 'blocks', 1);
  else if (node.expandable)
    add(
      node.expandable.expanded
        ? '− group pods'
        : `+ show ${node.expandable.count} pods`,
      'toggle',
      1,
    );
  const rows = 1 + (statusLine ? 1 : 0) + lines.length;
  return {
    statusLine,
    lines,
    cut,
    height: 2 * PAD_Y + rows * LINE_HEIGHT + extraHeight,
  };
}

export type LayoutOptions = {
  expandedPods?: boolean;
  /** The width the drawing has on the page; the hops are as wide as fits. */
  width?: number;
  /** Whether pod groups say how to expand them (the card); a picture has nothing to click. */
  toggles?: boolean;
};

/** A node before it is placed. */
type Unplaced = Omit<GraphNode, 'x' | 'y' | 'width' | keyof Content>;

type Column = { x: number; width: number };

const clamp = (v: number, lo: number, hi: number) =>
  Math.max(lo, Math.min(hi, v));

/** The two columns: the way, and what stands beside it. */
function columns(available: number, withAside: boolean): [Column, Column] {
  const room = available - 2 * MARGIN;
  if (!withAside) {
    const width = clamp(room, MIN_WIDTH, 560);
    return [
      { x: MARGIN, width },
      { x: MARGIN + width, width: 0 },
    ];
  }
  const way = clamp(Math.round((room - ASIDE_GAP) * 0.6), MIN_WIDTH, 480);
  const aside = clamp(room - ASIDE_GAP - way, 200, 320);
  return [
    { x: MARGIN, width: way },
    { x: MARGIN + way + ASIDE_GAP, width: aside },
  ];
}

/** The pods of an expanded group, placed in a grid inside it below its own text. */
function podGrid(
  hop: Extract<Hop, { kind: 'pod' }>,
  hopIndex: number,
  group: Unplaced,
  column: Column,
  blocks: boolean,
): {
  pods: (Unplaced & Content & { dx: number; dy: number; width: number })[];
  height: number;
} {
  const inner = column.width - 2 * PAD_X;
  const perRow = Math.max(1, Math.floor((inner + POD_GAP) / (200 + POD_GAP)));
  const width = (inner - (perRow - 1) * POD_GAP) / perRow;
  const shown = hop.endpoints.slice(0, MAX_EXPANDED_PODS);
  const cells: (Unplaced & { width: number })[] = shown.map((e, i) => ({
    id: `${hopIndex}.${i}`,
    hopIndex,
    kind: hop.kind,
    title: 'Pod',
    label: `${e.pod ?? e.address} · ${e.address}${
      e.node ? ` · ${e.node}` : ''
    }`,
    status: endpointStatus(e),
    aside: false,
    badges: [],
    endpoint: e,
    parent: group.id,
    blocks,
    width,
  }));
  if (hop.endpoints.length > shown.length)
    cells.push({
      id: `${hopIndex}.more`,
      hopIndex,
      kind: hop.kind,
      title: 'More pods',
      label: `+${
        hop.endpoints.length - shown.length
      } more pods: all are listed in the details`,
      status: hop.status,
      aside: false,
      badges: [],
      parent: group.id,
      blocks,
      width,
    });
  const pods: (Unplaced &
    Content & { dx: number; dy: number; width: number })[] = [];
  let dy = 0;
  for (let start = 0; start < cells.length; start += perRow) {
    const row = cells
      .slice(start, start + perRow)
      .map(c => ({ ...c, ...content({ ...c, blocks: false }, c.width) }));
    const rowHeight = Math.max(...row.map(c => c.height));
    const top = dy;
    for (const [i, c] of row.entries())
      pods.push({
        ...c,
        height: rowHeight,
        dx: PAD_X + i * (width + POD_GAP),
        dy: top,
      });
    dy += rowHeight + POD_GAP;
  }
  return { pods, height: dy };
}

export function layoutRoute(
  route: Route,
  options: LayoutOptions = {},
): GraphLayout {
  const withAside = route.hops.some(h => h.kind === 'service' && !h.onPath);
  const [way, beside] = columns(options.width ?? DEFAULT_WIDTH, withAside);
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const cx = way.x + way.width / 2;
  let y = MARGIN;
  let previous: GraphNode | undefined;
  /** Asides wait for the next hop on the way, to stand beside it. */
  let waiting: Unplaced[] = [];
  let asideBottom = MARGIN;

  const placeAside = (next: GraphNode | undefined) => {
    let top = Math.max(next?.y ?? y, asideBottom);
    for (const a of waiting) {
      const c = content(a, beside.width);
      const node: GraphNode = {
        ...a,
        ...c,
        x: beside.x,
        y: top,
        width: beside.width,
      };
      nodes.push(node);
      // The dotted link to the pods it lists, level with both.
      if (next?.kind === 'pod' && top === next.y) {
        const ly = top + Math.min(c.height, next.height) / 2;
        edges.push({
          from: node.id,
          to: next.id,
          style: 'aside',
          points: [
            { x: node.x, y: ly },
            { x: next.x + next.width, y: ly },
          ],
        });
      }
      top += c.height + ROW_GAP;
    }
    asideBottom = top;
    waiting = [];
  };

  route.hops.forEach((hop, hopIndex) => {
    const blocks = blocking(route.verdict, hop.kind);
    const base: Unplaced = {
      id: `${hopIndex}`,
      hopIndex,
      kind: hop.kind,
      title: hopTitle(hop.kind),
      label: hop.label,
      status: hop.status,
      aside: false,
      badges: hopBadges(hop),
      blocks,
    };
    if (hop.kind === 'service' && !hop.onPath) {
      // Not on the way: beside the pods it selects.
      waiting.push({ ...base, aside: true });
      return;
    }
    const pods = hop.kind === 'pod' ? hop.endpoints ?? [] : [];
    const group: Unplaced = {
      ...base,
      ...(hop.kind === 'pod' && pods.length > 0
        ? { label: podSummary(pods) }
        : {}),
      ...(pods.length > 1 && options.toggles !== false
        ? {
            expandable: {
              expanded: !!options.expandedPods,
              count: pods.length,
            },
          }
        : {}),
    };
    const grid =
      hop.kind === 'pod' && pods.length > 1 && options.expandedPods
        ? podGrid(hop, hopIndex, group, way, blocks)
        : undefined;
    const c = content(group, way.width, grid?.height ?? 0);
    const node: GraphNode = { ...group, ...c, x: way.x, y, width: way.width };
    nodes.push(node);
    for (const p of grid?.pods ?? []) {
      const { dx, dy, ...pod } = p;
      nodes.push({
        ...pod,
        x: node.x + dx,
        y: node.y + c.height - PAD_Y - (grid?.height ?? 0) + dy,
      });
    }
    if (previous)
      edges.push({
        from: previous.id,
        to: node.id,
        style: 'path',
        points: [
          { x: cx, y: previous.y + previous.height },
          { x: cx, y: node.y },
        ],
      });
    // A Service aside stands beside the pods it lists, whatever hops come between.
    if (waiting.length && hop.kind === 'pod') placeAside(node);
    previous = node;
    y += node.height + ROW_GAP;
  });
  if (waiting.length) placeAside(previous);
  const bottom = Math.max(y - ROW_GAP, asideBottom - ROW_GAP);
  return {
    nodes,
    edges,
    width: (withAside ? beside.x + beside.width : way.x + way.width) + MARGIN,
    height: bottom + MARGIN,
  };
}
