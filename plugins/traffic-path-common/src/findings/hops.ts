/*
 * What the route rules share: their type, and reading a route's hops.
 */
import { Finding, Hop, HopKind } from '../model';
import type { RouteDraft } from '../resolve/plan';
import type { ResolveContext } from '../resolve/context';

/** A finding rule: reads the hops of one resolved route (facts) and says what is wrong. */
export type RouteRule = (route: RouteDraft, ctx: ResolveContext) => Finding[];

export type HopOf<K extends HopKind> = Extract<Hop, { kind: K }>;

/**
 * A route's hops by kind, grouped in one pass the first time a rule asks:
 * some thirty rules read each route, most of them one kind of hop. Keyed by
 * the hops list, which the resolved route and its draft share.
 */
const hopsByKind = new WeakMap<readonly Hop[], Map<HopKind, Hop[]>>();

const NO_HOPS: readonly Hop[] = Object.freeze([]);

/** The route the rules read last: they run one route after the other. */
let last: { hops: readonly Hop[]; byKind: Map<HopKind, Hop[]> } | undefined;

function groupedHops(hops: readonly Hop[]): Map<HopKind, Hop[]> {
  if (last?.hops === hops) return last.byKind;
  let byKind = hopsByKind.get(hops);
  if (!byKind) {
    byKind = new Map();
    for (const h of hops) {
      const same = byKind.get(h.kind);
      if (same) same.push(h);
      else byKind.set(h.kind, [h]);
    }
    hopsByKind.set(hops, byKind);
  }
  last = { hops, byKind };
  return byKind;
}

/** The route's hops of one kind, in route order. Shared between rules: read it, do not change it. */
export function hopsOf<K extends HopKind>(
  route: RouteDraft,
  kind: K,
): readonly HopOf<K>[] {
  return (groupedHops(route.hops).get(kind) ?? NO_HOPS) as HopOf<K>[];
}

/**
 * `ns/name`, or `name` for an object without a namespace. Prefer describeRef
 * (util/fields.ts), which names the kind too; kept for the route kinds' rules.
 */
export function nameOf(ref: { namespace?: string; name: string }): string {
  return ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name;
}
