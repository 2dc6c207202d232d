/*
 * The engine's entry point: cluster objects in, a report out.
 * load → index → entries → walk → check → verdict.
 */
import { buildIndex, ClusterIndex } from './index/clusterIndex';
import { FindingSet, sortFindings } from './findings/catalog';
import { routeRules } from './findings/rules';
import { verdictRules } from './findings/verdictRules';
import { withDefaultNamespace } from './load/namespaces';
import { loadObjects, LoadResult, sourceAt } from './load/parse';
import {
  Hop,
  HopKind,
  InputError,
  KubeObject,
  Report,
  Route,
  RouteHealth,
} from './model';
import { createContext, ResolveContext } from './resolve/context';
import { selectMatching } from './resolve/ingress';
import { gatewayRouteRoutes } from './resolve/gateway';
import { traefikRoutes } from './resolve/traefik';
import { virtualServiceRoutes } from './resolve/istio';
import {
  hostPathConflicts,
  ingressRoutes,
  serviceRoutes,
} from './resolve/routes';
import { RouteDraft } from './resolve/plan';
import { parsePolicy } from './resolve/networkPolicy';
import { hopTable } from './resolve/table';
import { verdictFor } from './resolve/verdict';
import { describeRef, refOf } from './util/fields';

export type ResolveOptions = {
  /** Only routes a request for this host reaches (Ingress matching rules). */
  host?: string;
  /** Only routes a request for this path reaches (with or without host). */
  path?: string;
  /** Evaluate every route for a client at this address. */
  clientIp?: string;
  /** The namespace of objects that name none (as `kubectl apply -n`): `default` unless given. */
  namespace?: string;
};

export function routeHealth(hops: Hop[]): {
  health: RouteHealth;
  brokenAt?: HopKind;
} {
  const broken = hops.find(h => h.status === 'broken');
  if (broken) return { health: 'broken', brokenAt: broken.kind };
  if (hops.some(h => h.status === 'degraded')) return { health: 'degraded' };
  // Healthy only when every hop is known to be ok: one the input cannot
  // show (proxy, pods, endpoints, policies) leaves the route unknown.
  return {
    health: hops.some(h => h.status === 'unknown') ? 'unknown' : 'healthy',
  };
}

/** Resolves routes for each object on its own, so one bad object spoils only its own routes. */
function draftRoutes(
  objects: KubeObject[],
  walk: (o: KubeObject) => RouteDraft[],
  errors: InputError[],
): RouteDraft[] {
  const out: RouteDraft[] = [];
  for (const obj of objects) {
    try {
      out.push(...walk(obj));
    } catch (e) {
      errors.push({
        source: describeRef(refOf(obj)),
        item: describeRef(refOf(obj)),
        message: `could not be resolved (internal error: ${
          e instanceof Error ? e.message : String(e)
        })`,
      });
    }
  }
  return out;
}

/**
 * Every route of the index, before any rule runs: each entry kind in turn.
 * An object that fails to resolve is an input error, the others still resolve.
 */
export function resolveRoutes(
  ctx: ResolveContext,
  errors: InputError[],
): RouteDraft[] {
  const { index } = ctx;
  return [
    ...draftRoutes(index.ingresses, o => ingressRoutes(ctx, o), errors),
    ...draftRoutes(index.httpRoutes, o => gatewayRouteRoutes(ctx, o), errors),
    ...draftRoutes(index.otherRoutes, o => gatewayRouteRoutes(ctx, o), errors),
    ...draftRoutes(index.traefikRoutes, o => traefikRoutes(ctx, o), errors),
    ...draftRoutes(
      index.virtualServices,
      o => virtualServiceRoutes(ctx, o),
      errors,
    ),
    ...draftRoutes(
      [...index.services.values()],
      o => serviceRoutes(ctx, o),
      errors,
    ),
  ];
}

/** The path a route matches, in Ingress terms; Gateway API regular expressions are not matched. */
function candidatePath(d: RouteDraft): {
  path?: string;
  pathType?: 'Exact' | 'Prefix' | 'ImplementationSpecific';
} {
  if (d.entry.kind === 'ingress-rule')
    return {
      path: d.entry.path,
      pathType: d.entry.pathType as
        | 'Exact'
        | 'Prefix'
        | 'ImplementationSpecific'
        | undefined,
    };
  if (
    (d.entry.kind === 'http-route-rule' ||
      d.entry.kind === 'grpc-route-rule' ||
      d.entry.kind === 'traefik-route' ||
      d.entry.kind === 'istio-http-route') &&
    d.entry.pathType !== 'RegularExpression' &&
    d.entry.pathType !== 'Regexp'
  ) {
    return {
      path: d.entry.path,
      pathType: d.entry.pathType === 'Exact' ? 'Exact' : 'Prefix',
    };
  }
  return {};
}

function filterRoutes(
  drafts: RouteDraft[],
  options: ResolveOptions,
): RouteDraft[] {
  if (options.host === undefined && options.path === undefined) return drafts;
  const candidates = drafts
    .filter(
      d =>
        d.entry.kind.startsWith('ingress') ||
        d.entry.kind === 'http-route-rule' ||
        d.entry.kind === 'grpc-route-rule' ||
        d.entry.kind === 'traefik-route' ||
        d.entry.kind === 'istio-http-route' ||
        (options.host !== undefined && d.entry.host !== undefined),
    )
    .map(d => ({ item: d, host: d.entry.host, ...candidatePath(d) }));
  return selectMatching(candidates, options.host, options.path);
}

function finish(
  draft: RouteDraft,
  options: ResolveOptions,
  findings: FindingSet,
): Route {
  const route: Route = {
    ...draft,
    table: hopTable(draft.hops, options.clientIp, draft.entry.port),
    ...routeHealth(draft.hops),
  };
  if (options.clientIp !== undefined) {
    route.verdict = verdictFor(draft.hops, options.clientIp);
    for (const rule of verdictRules)
      for (const f of rule(route)) findings.add(f);
  }
  return route;
}

/**
 * Runs every route rule over one route; a route whose rules fail is an
 * input error, the others are still checked. A function of the module,
 * called once per route from forEach: V8 keeps the code it compiles for it
 * across full collections. The code it compiled for a loop over the routes
 * (entered mid-way, on-stack replacement) was dropped by every one, and
 * compiled again in every report.
 */
function checkRoute(
  draft: RouteDraft,
  ctx: ResolveContext,
  errors: InputError[],
): void {
  try {
    for (const rule of routeRules)
      for (const f of rule(draft, ctx)) ctx.findings.add(f);
  } catch (e) {
    errors.push({
      source: describeRef(draft.entry.object),
      message: `findings of route ${
        draft.id
      } could not be checked (internal error: ${String(e)})`,
    });
  }
}

/** Dumps that overlap (`get all` and `get ingress` of the same cluster) hold objects twice. */
function duplicateErrors(
  duplicates: ClusterIndex['duplicates'],
  load: LoadResult,
): InputError[] {
  if (duplicates.length === 0) return [];
  // Positions are looked up only when there are duplicates: the sources say where each came from.
  const position = new Map(load.objects.map((o, i) => [o, i]));
  const copies = new Map<string, string[]>();
  for (const { earlier, later } of duplicates) {
    const what = describeRef(refOf(later));
    const sources = copies.get(what) ?? [
      sourceAt(load, position.get(earlier)!) ?? 'input',
    ];
    sources.push(sourceAt(load, position.get(later)!) ?? 'input');
    copies.set(what, sources);
  }
  return [...copies].map(([what, sources]) => {
    const files = [...new Set(sources)];
    const where =
      files.length > 1 ? `in ${files.join(' and ')}` : `in ${files[0]}`;
    return {
      source: sources[sources.length - 1],
      item: what,
      message: `${what} appears ${sources.length} times (${where}); the last copy is used`,
    };
  });
}

/** Fields of NetworkPolicies that the API server drops or refuses. */
function policyErrors(index: ClusterIndex, load: LoadResult): InputError[] {
  const out: InputError[] = [];
  let position: Map<KubeObject, number> | undefined;
  for (const policy of index.networkPolicies.values()) {
    const { problems } = parsePolicy(policy);
    if (problems.length === 0) continue;
    position ??= new Map(load.objects.map((o, i) => [o, i]));
    const at = position.get(policy);
    const item = describeRef(refOf(policy));
    for (const p of problems)
      out.push({
        source: (at !== undefined ? sourceAt(load, at) : undefined) ?? item,
        item,
        field: p.field,
        message: `${p.field} ${p.message}`,
      });
  }
  return out;
}

export function resolveReport(
  input: LoadResult | KubeObject[],
  options: ResolveOptions = {},
): Report {
  // Objects handed over directly get the same checks as parsed ones.
  const loaded = Array.isArray(input) ? loadObjects(input) : input;
  const load: LoadResult = {
    ...loaded,
    objects: withDefaultNamespace(loaded.objects, options.namespace),
  };
  const index = buildIndex(load.objects, load.listedKinds);
  const ctx = createContext(index);
  const errors: InputError[] = [
    ...load.errors,
    ...duplicateErrors(index.duplicates, load),
  ];
  try {
    errors.push(...policyErrors(index, load));
  } catch (e) {
    errors.push({
      source: 'NetworkPolicies',
      message: `policy fields could not be checked (internal error: ${String(
        e,
      )})`,
    });
  }
  const drafts = resolveRoutes(ctx, errors);
  // forEach, not a loop here: see checkRoute.
  drafts.forEach(draft => checkRoute(draft, ctx, errors));
  try {
    hostPathConflicts(ctx, index.ingresses);
  } catch (e) {
    errors.push({
      source: 'Ingresses',
      message: `host/path conflicts could not be checked (internal error: ${String(
        e,
      )})`,
    });
  }
  const shown = filterRoutes(drafts, options);
  const routes = shown.map(d => finish(d, options, ctx.findings));
  const shownIds = new Set(routes.map(r => r.id));
  const filtered = options.host !== undefined || options.path !== undefined;
  const findings = ctx.findings
    .list()
    .filter(
      f => !filtered || !f.routeIds || f.routeIds.some(id => shownIds.has(id)),
    );
  return {
    schemaVersion: 1,
    kubeProxyMode: ctx.kubeProxyMode,
    routes,
    findings: sortFindings(findings),
    inputErrors: errors,
  };
}
