/*
 * What the route rules share: their type, and reading a route's hops.
 */
import { Finding, Hop, HopKind } from '../model';
import type { RouteDraft } from '../resolve/plan';
import type { ResolveContext } from '../resolve/context';

/** A finding rule: reads the hops of one resolved route (facts) and says what is wrong. */
export type RouteRule = (route: RouteDraft, ctx: ResolveContext) => Finding[];

export type HopOf<K extends HopKind> = Extract<Hop, { kind: K }>;

export function hopsOf<K extends HopKind>(
  route: RouteDraft,
  kind: K,
): HopOf<K>[] {
  return route.hops.filter((h): h is HopOf<K> => h.kind === kind);
}

/**
 * `ns/name`, or `name` for an object without a namespace. Prefer describeRef
 * (util/fields.ts), which names the kind too; kept for the route kinds' rules.
 */
export function nameOf(ref: { namespace?: string; name: string }): string {
  return ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name;
}
