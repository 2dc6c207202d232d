/*
 * Exposure as data: the entry points of a report, each with what decides who
 * may reach it (public or internal, source restriction, TLS, verdicts) and its
 * findings. Compact, sorted and free of timestamps, so that two summaries of
 * the same cluster are equal and a stored one can be compared with a new one
 * (diffExposure, the CLI's `diff`, the ownership review's change history).
 */
import { nodePortExposure } from '../resolve/front';
import {
  Finding,
  Hop,
  ObjectRef,
  Report,
  Route,
  RouteHealth,
  Severity,
  SourceRestriction,
} from '../model';

export type Exposure = 'public' | 'internal' | 'unknown';

export type SourceRestrictionKind =
  | 'none'
  | 'ranges'
  | 'cloud-acl'
  | 'allowlist'
  | 'unknown';

/** One rule that limits who may connect, where it applies. */
export type ExposureRule = {
  /** The hop that applies it: `load-balancer`, `ingress`, or a newer kind. */
  hop: string;
  /** Where the rule comes from, e.g. `spec.loadBalancerSourceRanges`. */
  origin: string;
  mode: 'allow' | 'deny';
  /** The ranges, when they are visible in the cluster. */
  cidrs: string[];
  /** What is known of a rule kept outside the cluster (a cloud ACL by id). */
  description?: string;
  /** The platform ignores the rule in this configuration. */
  ignored?: boolean;
};

export type SourceRestrictionSummary = {
  /**
   * The strongest restriction on the way: `ranges` (source ranges at the
   * load balancer), `cloud-acl` (an ACL kept in the cloud account),
   * `allowlist` (at the ingress), `none`, or `unknown` when the input does
   * not show the entry point's front.
   */
  kind: SourceRestrictionKind;
  rules: ExposureRule[];
};

export type ExposureLoadBalancer = {
  object?: ObjectRef;
  addresses: string[];
  provider: string;
  id?: string;
};

export type FindingCounts = Record<Severity, number>;

/** What the NetworkPolicies do to the route's traffic: all, some or none of its pods refuse it. */
export type NetworkPolicyVerdict =
  | 'allowed'
  | 'partly-blocked'
  | 'blocked'
  | 'unknown';

export type ExposureEntry = {
  /** Stable identity of the entry point across two states of a cluster. */
  key: string;
  host?: string;
  path?: string;
  port?: number;
  entryKind: string;
  /** The object that declares the entry point (Ingress, HTTPRoute, Service). */
  object: ObjectRef;
  backend?: ObjectRef;
  exposure: Exposure;
  loadBalancer?: ExposureLoadBalancer;
  /** The node port on the way and whether it SNATs (externalTrafficPolicy Cluster). */
  nodePort?: {
    /** Absent before deploy: the API assigns it when the Service is created. */
    port?: number;
    externalTrafficPolicy: string;
    snat: boolean;
  };
  sourceRestriction: SourceRestrictionSummary;
  tls: boolean;
  health: RouteHealth;
  brokenAt?: string;
  /** The client-IP verdict, when the report was made for a client. */
  verdict?: { clientIp: string; allowed: boolean | null; blockedAt?: string };
  /** The NetworkPolicy verdict, where the report has a NetworkPolicy hop. */
  networkPolicy?: {
    verdict: NetworkPolicyVerdict;
    /** The policies that isolate the route's pods. */
    policies: ObjectRef[];
    label: string;
  };
  findings: FindingCounts & { codes: string[] };
  /** Every object the route crosses, sorted. */
  objects: ObjectRef[];
};

export type ExposureSummary = {
  entries: ExposureEntry[];
};

/** Code-unit order: the same in every locale, so summaries sort alike everywhere. */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function refKey(ref: ObjectRef): string {
  return `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`;
}

function compareRefs(a: ObjectRef, b: ObjectRef): number {
  return compareText(refKey(a), refKey(b));
}

function describe(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/** Hops are read by kind; kinds added later are only looked at for objects and restrictions. */
function hopOf<K extends Hop['kind']>(
  route: Route,
  kind: K,
): Extract<Hop, { kind: K }> | undefined {
  return route.hops.find(h => h.kind === kind) as
    | Extract<Hop, { kind: K }>
    | undefined;
}

function restrictionsOn(hop: Hop): SourceRestriction[] {
  const value = (hop as { restrictions?: unknown }).restrictions;
  return Array.isArray(value) ? (value as SourceRestriction[]) : [];
}

function exposureOfRoute(route: Route): Exposure {
  const lb = hopOf(route, 'load-balancer');
  if (lb) return lb.status === 'unknown' ? 'unknown' : lb.exposure;
  const nodePort = hopOf(route, 'node-port');
  // Node ports without a load balancer: the rule route entries follow too.
  if (nodePort) return nodePortExposure(nodePort);
  if (route.entry.exposure === 'public' || route.entry.exposure === 'internal')
    return route.entry.exposure;
  return 'unknown';
}

function rulesOf(route: Route): ExposureRule[] {
  const rules: ExposureRule[] = [];
  for (const hop of route.hops) {
    for (const r of restrictionsOn(hop)) {
      rules.push({
        hop: hop.kind,
        origin: r.origin,
        mode: r.mode,
        cidrs: [...r.cidrs].sort(),
        ...(r.visible ? {} : { description: r.description ?? 'not visible' }),
        ...(r.ignored ? { ignored: true } : {}),
      });
    }
  }
  return rules;
}

function restrictionOf(
  route: Route,
  exposure: Exposure,
  rules: ExposureRule[],
): SourceRestrictionSummary {
  const active = rules.filter(r => !r.ignored && r.mode === 'allow');
  const atFront = active.filter(r => r.hop === 'load-balancer');
  let kind: SourceRestrictionKind = 'none';
  if (atFront.some(r => r.description === undefined)) kind = 'ranges';
  else if (atFront.length > 0) kind = 'cloud-acl';
  else if (active.length > 0) kind = 'allowlist';
  else if (
    exposure === 'unknown' ||
    route.hops.some(h => h.kind === 'load-balancer' && h.status === 'unknown')
  )
    kind = 'unknown';
  return { kind, rules };
}

function networkPolicyOf(route: Route): ExposureEntry['networkPolicy'] {
  const hop = hopOf(route, 'network-policy');
  if (!hop) return undefined;
  const verdict: NetworkPolicyVerdict = {
    ok: 'allowed',
    degraded: 'partly-blocked',
    broken: 'blocked',
    unknown: 'unknown',
  }[hop.status] as NetworkPolicyVerdict;
  return {
    verdict,
    policies: [...(hop.policies ?? [])].sort(compareRefs),
    label: hop.label,
  };
}

function objectsOf(route: Route): ObjectRef[] {
  const seen = new Map<string, ObjectRef>();
  const add = (ref: ObjectRef | undefined) => {
    if (ref && typeof ref.name === 'string') seen.set(refKey(ref), ref);
  };
  add(route.entry.object);
  add(route.backend);
  for (const hop of route.hops) {
    add(hop.object);
    if (hop.kind === 'ingress-controller') add(hop.service);
  }
  return [...seen.values()]
    .map(r => ({
      kind: r.kind,
      ...(r.namespace ? { namespace: r.namespace } : {}),
      name: r.name,
    }))
    .sort(compareRefs);
}

function countFindings(findings: Finding[]): ExposureEntry['findings'] {
  const counts = { error: 0, warning: 0, info: 0 };
  const codes = new Set<string>();
  for (const f of findings) {
    counts[f.severity]++;
    codes.add(f.code);
  }
  return { ...counts, codes: [...codes].sort() };
}

/** Host and path (or port) and the declaring object; the front may change under a kept key. */
function entryKey(route: Route): string {
  const e = route.entry;
  const where =
    e.host !== undefined || e.path !== undefined
      ? `${e.host ?? '*'}${e.path ?? ''}`
      : `:${e.port ?? ''}`;
  return `${where} ${describe(e.object)}`;
}

/** Findings of a route: those naming it, and route-less ones about its objects. */
function findingsByRoute(report: Report): {
  byRoute: Map<string, Finding[]>;
  byObject: Map<string, Finding[]>;
} {
  const byRoute = new Map<string, Finding[]>();
  const byObject = new Map<string, Finding[]>();
  for (const f of report.findings) {
    if (f.routeIds && f.routeIds.length > 0) {
      for (const id of f.routeIds) {
        const list = byRoute.get(id) ?? [];
        list.push(f);
        byRoute.set(id, list);
      }
    } else {
      const list = byObject.get(refKey(f.object)) ?? [];
      list.push(f);
      byObject.set(refKey(f.object), list);
    }
  }
  return { byRoute, byObject };
}

/** The entry points of a report, each with the route it summarises, sorted by key. */
export function exposureEntries(
  report: Report,
): { entry: ExposureEntry; route: Route }[] {
  const { byRoute, byObject } = findingsByRoute(report);
  const entries: { entry: ExposureEntry; route: Route }[] = [];
  for (const route of report.routes) {
    // ExternalName and headless Services are names inside the cluster, not entry points.
    if (
      route.entry.kind === 'external-name-service' ||
      route.entry.kind === 'headless-service'
    )
      continue;
    const lbHop = hopOf(route, 'load-balancer');
    const nodePortHop = hopOf(route, 'node-port');
    const exposure = exposureOfRoute(route);
    const rules = rulesOf(route);
    const objects = objectsOf(route);
    const loadBalancer = lbHop
      ? {
          ...(lbHop.object ? { object: lbHop.object } : {}),
          addresses: [...lbHop.addresses].sort(),
          provider: lbHop.provider,
          ...(lbHop.id ? { id: lbHop.id } : {}),
        }
      : undefined;
    const findings = [
      ...(byRoute.get(route.id) ?? []),
      ...objects.flatMap(o => byObject.get(refKey(o)) ?? []),
    ];
    const e = route.entry;
    const networkPolicy = networkPolicyOf(route);
    const entry: ExposureEntry = {
      key: entryKey(route),
      ...(e.host !== undefined ? { host: e.host } : {}),
      ...(e.path !== undefined ? { path: e.path } : {}),
      ...(e.port !== undefined ? { port: e.port } : {}),
      entryKind: e.kind,
      object: e.object,
      ...(route.backend ? { backend: route.backend } : {}),
      exposure,
      ...(loadBalancer ? { loadBalancer } : {}),
      ...(nodePortHop
        ? {
            nodePort: {
              ...(nodePortHop.nodePort !== undefined
                ? { port: nodePortHop.nodePort }
                : {}),
              externalTrafficPolicy: nodePortHop.externalTrafficPolicy,
              snat: nodePortHop.snat,
            },
          }
        : {}),
      sourceRestriction: restrictionOf(route, exposure, rules),
      tls: e.tls,
      health: route.health,
      ...(route.brokenAt ? { brokenAt: route.brokenAt } : {}),
      ...(route.verdict
        ? {
            verdict: {
              clientIp: route.verdict.clientIp,
              allowed: route.verdict.allowed,
              ...(route.verdict.blockedAt
                ? { blockedAt: route.verdict.blockedAt }
                : {}),
            },
          }
        : {}),
      ...(networkPolicy ? { networkPolicy } : {}),
      findings: countFindings(findings),
      objects,
    };
    entries.push({ entry, route });
  }
  entries.sort((a, b) => compareText(a.entry.key, b.entry.key));
  // Two routes with one key (one host and path on two listeners of a Gateway) stay apart.
  const seen = new Map<string, number>();
  for (const { entry } of entries) {
    const n = (seen.get(entry.key) ?? 0) + 1;
    seen.set(entry.key, n);
    if (n > 1) entry.key = `${entry.key} #${n}`;
  }
  return entries;
}

/** The entry points of a report: routes that start outside the cluster. */
export function exposureOf(report: Report): ExposureSummary {
  return { entries: exposureEntries(report).map(e => e.entry) };
}
