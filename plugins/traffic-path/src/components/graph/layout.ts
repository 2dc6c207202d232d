/*
 * Where each hop of a route is drawn: pure, so that what the graph claims
 * (columns, what is on the way, what is aside, how pods are grouped) is
 * tested without a browser. Left to right, one column per hop, in the
 * order a packet crosses them.
 */
import { Endpoint, Hop, HopKind, HopStatus, Route, Verdict } from '@internal/plugin-traffic-path-common';

export const NODE_WIDTH = 168;
export const NODE_HEIGHT = 64;
const COLUMN_GAP = 56;
const ROW_GAP = 18;
const MARGIN = 24;
/** Pods drawn one by one at most, when expanded; the rest is one "+N more" node. */
export const MAX_EXPANDED_PODS = 24;

export type Badge = { text: string; tone: 'allow' | 'deny' | 'hidden' | 'info' };

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

export type GraphEdge = { from: string; to: string; style: 'path' | 'aside' };

export type GraphLayout = { nodes: GraphNode[]; edges: GraphEdge[]; width: number; height: number };

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
    if (!r.visible) return { text: `${r.mode} · ${r.description ?? r.origin} (entries not visible)`, tone: 'hidden' as const };
    const n = r.cidrs.length;
    return { text: `${r.mode} ${n} range${n === 1 ? '' : 's'} · ${r.origin}`, tone: r.mode === 'allow' ? ('allow' as const) : ('deny' as const) };
  });
}

function hopBadges(hop: Hop): Badge[] {
  const badges = restrictionBadges(hop);
  if (hop.kind === 'load-balancer') badges.unshift({ text: hop.exposure, tone: hop.exposure === 'public' ? 'deny' : 'info' });
  if (hop.kind === 'ingress' && hop.tls) badges.unshift({ text: 'TLS', tone: 'info' });
  return badges;
}

/** "12 pods on 4 nodes", "3/4 pods ready". */
export function podSummary(endpoints: Endpoint[]): string {
  const nodes = new Set(endpoints.map(e => e.node).filter(Boolean)).size;
  const ready = endpoints.filter(e => e.ready).length;
  const pods = `${endpoints.length} pod${endpoints.length === 1 ? '' : 's'}`;
  const on = nodes ? ` on ${nodes} node${nodes === 1 ? '' : 's'}` : '';
  return ready === endpoints.length ? `${pods}${on}` : `${ready}/${pods} ready${on}`;
}

function endpointStatus(e: Endpoint): HopStatus {
  if (e.ready) return 'ok';
  return e.serving ? 'degraded' : 'broken';
}

/** Whether a hop stops the verdict's client. */
function blocking(verdict: Verdict | undefined, kind: HopKind): boolean {
  return verdict?.allowed === false && verdict.blockedAt === kind;
}

export function layoutRoute(route: Route, options: { expandedPods?: boolean } = {}): GraphLayout {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const rowY = (row: number) => MARGIN + row * (NODE_HEIGHT + ROW_GAP);
  let column = 0;
  let previous: string[] = [];
  let asideNode: string | undefined;
  let maxRow = 0;

  route.hops.forEach((hop, hopIndex) => {
    const x = MARGIN + column * (NODE_WIDTH + COLUMN_GAP);
    const base = {
      hopIndex,
      kind: hop.kind,
      title: titles[hop.kind],
      status: hop.status,
      x,
      badges: hopBadges(hop),
      blocks: blocking(route.verdict, hop.kind),
    };
    if (hop.kind === 'service' && !hop.onPath) {
      // Not on the way: drawn below the line, linked to the pods it selects.
      const id = `${hopIndex}`;
      nodes.push({ ...base, id, label: hop.label, y: rowY(1), aside: true });
      asideNode = id;
      maxRow = Math.max(maxRow, 1);
      column++;
      return;
    }
    let ids: string[];
    if (hop.kind === 'pod' && hop.endpoints.length > 1 && options.expandedPods) {
      const shown = hop.endpoints.slice(0, MAX_EXPANDED_PODS);
      ids = shown.map((e, i) => {
        const id = `${hopIndex}.${i}`;
        nodes.push({ ...base, id, label: `${e.pod ?? e.address} · ${e.address}${e.node ? ` · ${e.node}` : ''}`, status: endpointStatus(e), y: rowY(i), aside: false, badges: [], endpoint: e, ...(i === 0 ? { expandable: { expanded: true, count: hop.endpoints.length } } : {}) });
        return id;
      });
      if (hop.endpoints.length > shown.length) {
        const id = `${hopIndex}.more`;
        nodes.push({ ...base, id, label: `+${hop.endpoints.length - shown.length} more pods`, y: rowY(shown.length), aside: false, badges: [] });
        ids.push(id);
      }
      maxRow = Math.max(maxRow, ids.length - 1);
    } else {
      const id = `${hopIndex}`;
      const label = hop.kind === 'pod' && hop.endpoints.length > 0 ? podSummary(hop.endpoints) : hop.label;
      nodes.push({
        ...base,
        id,
        label,
        y: rowY(0),
        aside: false,
        ...(hop.kind === 'pod' && hop.endpoints.length > 1 ? { expandable: { expanded: false, count: hop.endpoints.length } } : {}),
      });
      ids = [id];
    }
    for (const from of previous) for (const to of ids) edges.push({ from, to, style: 'path' });
    if (asideNode && hop.kind === 'pod') {
      for (const to of ids) edges.push({ from: asideNode, to, style: 'aside' });
      asideNode = undefined;
    }
    previous = ids;
    column++;
  });

  return {
    nodes,
    edges,
    width: MARGIN * 2 + column * NODE_WIDTH + Math.max(0, column - 1) * COLUMN_GAP,
    height: MARGIN * 2 + (maxRow + 1) * NODE_HEIGHT + maxRow * ROW_GAP,
  };
}
