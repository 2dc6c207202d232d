/*
 * Where each hop of a route is drawn: pure, so that what the graph claims
 * (columns, what is on the way, what is aside, how pods are grouped) is
 * tested without a browser. Left to right, one column per hop, in the
 * order a packet crosses them; a long way wraps into bands (rows of
 * columns) when the page is narrower than the whole way.
 */
import {
  Endpoint,
  Hop,
  HopKind,
  HopStatus,
  Route,
  Verdict,
} from '@internal/plugin-traffic-path-common';

export const NODE_WIDTH = 168;
export const NODE_HEIGHT = 64;
const COLUMN_GAP = 56;
const ROW_GAP = 18;
/** Room between bands for the edge that wraps to the next one. */
const BAND_GAP = 40;
const MARGIN = 24;
/** Pods drawn one by one at most, when expanded; the rest is one "+N more" node. */
export const MAX_EXPANDED_PODS = 24;

export type Badge = {
  text: string;
  tone: 'allow' | 'deny' | 'hidden' | 'info';
};

export type GraphNode = {
  id: string;
  /** Index of the hop in route.hops. */
  hopIndex: number;
  kind: HopKind;
  title: string;
  label: string;
  status: HopStatus;
  x: number;
  y: number;
  /** Drawn beside the way: the Service when the controller or kube-proxy skips its ClusterIP. */
  aside: boolean;
  badges: Badge[];
  /** The endpoint a single pod node stands for. */
  endpoint?: Endpoint;
  /** This node stops the client of the verdict. */
  blocks: boolean;
  /** A group node that can be expanded (pods). */
  expandable?: { expanded: boolean; count: number };
};

export type GraphEdge = {
  from: string;
  to: string;
  style: 'path' | 'aside';
  /** For an edge that wraps to the next band: the height of the gap it runs along. */
  wrapY?: number;
};

/** How many hop columns fit side by side in a drawing this wide at natural size (at least 2). */
export function columnsThatFit(width: number): number {
  return Math.max(
    2,
    Math.floor((width - 2 * MARGIN + COLUMN_GAP) / (NODE_WIDTH + COLUMN_GAP)),
  );
}

export type GraphLayout = {
  nodes: GraphNode[];
  edges: GraphEdge[];
  width: number;
  height: number;
};

const titles: Record<HopKind, string> = {
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

export function hopTitle(kind: HopKind): string {
  return titles[kind];
}

function restrictionBadges(hop: Hop): Badge[] {
  if (hop.kind !== 'load-balancer' && hop.kind !== 'ingress') return [];
  return hop.restrictions.map(r => {
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

function hopBadges(hop: Hop): Badge[] {
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

export type LayoutOptions = {
  expandedPods?: boolean;
  /** Columns per band: the way wraps after this many hops. Unset: one band. */
  columnsPerBand?: number;
};

/** A node before it is placed: its column, and its row within the column. */
type Placed = Omit<GraphNode, 'x' | 'y'> & { column: number; row: number };

export function layoutRoute(
  route: Route,
  options: LayoutOptions = {},
): GraphLayout {
  const placed: Placed[] = [];
  const edges: GraphEdge[] = [];
  let column = 0;
  let previous: string[] = [];
  let asideNode: string | undefined;

  route.hops.forEach((hop, hopIndex) => {
    const base = {
      hopIndex,
      kind: hop.kind,
      title: titles[hop.kind],
      status: hop.status,
      column,
      badges: hopBadges(hop),
      blocks: blocking(route.verdict, hop.kind),
    };
    if (hop.kind === 'service' && !hop.onPath) {
      // Not on the way: drawn below the line, linked to the pods it selects.
      const id = `${hopIndex}`;
      placed.push({ ...base, id, label: hop.label, row: 1, aside: true });
      asideNode = id;
      column++;
      return;
    }
    let ids: string[];
    if (
      hop.kind === 'pod' &&
      hop.endpoints.length > 1 &&
      options.expandedPods
    ) {
      const shown = hop.endpoints.slice(0, MAX_EXPANDED_PODS);
      ids = shown.map((e, i) => {
        const id = `${hopIndex}.${i}`;
        placed.push({
          ...base,
          id,
          label: `${e.pod ?? e.address} · ${e.address}${
            e.node ? ` · ${e.node}` : ''
          }`,
          status: endpointStatus(e),
          row: i,
          aside: false,
          badges: [],
          endpoint: e,
          ...(i === 0
            ? { expandable: { expanded: true, count: hop.endpoints.length } }
            : {}),
        });
        return id;
      });
      if (hop.endpoints.length > shown.length) {
        const id = `${hopIndex}.more`;
        placed.push({
          ...base,
          id,
          label: `+${hop.endpoints.length - shown.length} more pods`,
          row: shown.length,
          aside: false,
          badges: [],
        });
        ids.push(id);
      }
    } else {
      const id = `${hopIndex}`;
      const label =
        hop.kind === 'pod' && hop.endpoints.length > 0
          ? podSummary(hop.endpoints)
          : hop.label;
      placed.push({
        ...base,
        id,
        label,
        row: 0,
        aside: false,
        ...(hop.kind === 'pod' && hop.endpoints.length > 1
          ? { expandable: { expanded: false, count: hop.endpoints.length } }
          : {}),
      });
      ids = [id];
    }
    for (const from of previous)
      for (const to of ids) edges.push({ from, to, style: 'path' });
    if (asideNode && hop.kind === 'pod') {
      for (const to of ids) edges.push({ from: asideNode, to, style: 'aside' });
      asideNode = undefined;
    }
    previous = ids;
    column++;
  });
  return place(
    placed,
    edges,
    column,
    options.columnsPerBand ?? Math.max(1, column),
  );
}

/** Puts columns into bands: each band as tall as its tallest column, one below the other. */
function place(
  placed: Placed[],
  edges: GraphEdge[],
  columns: number,
  perBand: number,
): GraphLayout {
  const bands = Math.max(1, Math.ceil(columns / perBand));
  const rowsOfBand = new Array<number>(bands).fill(1);
  for (const p of placed) {
    const band = Math.floor(p.column / perBand);
    rowsOfBand[band] = Math.max(rowsOfBand[band], p.row + 1);
  }
  const bandTop: number[] = [];
  let y = MARGIN;
  for (const rows of rowsOfBand) {
    bandTop.push(y);
    y += rows * NODE_HEIGHT + (rows - 1) * ROW_GAP + BAND_GAP;
  }
  const nodes: GraphNode[] = placed.map(({ column, row, ...node }) => ({
    ...node,
    x: MARGIN + (column % perBand) * (NODE_WIDTH + COLUMN_GAP),
    y: bandTop[Math.floor(column / perBand)] + row * (NODE_HEIGHT + ROW_GAP),
  }));
  const bandOf = new Map(
    placed.map(p => [p.id, Math.floor(p.column / perBand)]),
  );
  const routed = edges.map(e => {
    const to = bandOf.get(e.to)!;
    return bandOf.get(e.from)! < to
      ? { ...e, wrapY: bandTop[to] - BAND_GAP / 2 }
      : e;
  });
  const widest = Math.min(columns, perBand);
  return {
    nodes,
    edges: routed,
    width:
      MARGIN * 2 + widest * NODE_WIDTH + Math.max(0, widest - 1) * COLUMN_GAP,
    height: y - BAND_GAP + MARGIN,
  };
}
