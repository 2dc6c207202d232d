/*
 * Traefik's own routes: IngressRoute and IngressRouteTCP (traefik.io and the
 * older traefik.containo.us). Each route of the object × entryPoint × match
 * alternative × host × path × service is an adapter's plan: the entryPoint
 * leads to a port of the Traefik Service through `--entryPoints.<name>.address`,
 * middlewares `ipAllowList` / `ipWhiteList` become the rule hop's
 * restrictions, evaluated against the address Traefik really sees; what is
 * not modelled (other middlewares and matchers, TraefikServices) is a
 * not-modelled hop.
 */
import { isListed, isListedIn } from '../index/clusterIndex';
import {
  Endpoint,
  Hop,
  IngressControllerHop,
  IngressHop,
  InvalidSourceRange,
  KubeObject,
  NotModelledHop,
  SourceAddress,
  SourceRestriction,
} from '../model';
import { parseCidr } from '../net/cidr';
import {
  field,
  isRecord,
  namespaceOf,
  num,
  records,
  refOf,
  str,
  strings,
} from '../util/fields';
import { ResolveContext } from './context';
import { args, podKind, servicesSelecting } from './controller';
import { serviceEndpoints } from './endpoints';
import { Front, frontOf } from './front';
import { assembleRoute, BackendTarget, ProxiedPlan, RouteDraft } from './plan';
import { ServicePort, servicePorts } from './service';
import { MatchAlternative, parseMatch } from './traefikMatch';

export type TraefikInstance = {
  pods: KubeObject[];
  service?: KubeObject;
  /** entryPoint name → the container port it listens on. */
  entryPoints: Map<string, number>;
};

const ENTRY_POINT_ARG = /^--entry[pP]oints\.([^.=]+)\.address=(.*)$/;

/** The entry points of a Traefik pod, from its args, else its container port names. */
function entryPointsOf(pod: KubeObject): Map<string, number> {
  const out = new Map<string, number>();
  for (const arg of args(pod)) {
    const m = ENTRY_POINT_ARG.exec(arg);
    if (!m) continue;
    // `:8000/tcp`, `0.0.0.0:8000`, `[::]:8443/udp`
    const port = Number(/:(\d+)(\/\w+)?$/.exec(m[2])?.[1]);
    if (port) out.set(m[1].toLowerCase(), port);
  }
  if (out.size === 0)
    for (const c of records(pod, 'spec.containers'))
      for (const p of records(c, 'ports')) {
        const name = str(p, 'name');
        const port = num(p, 'containerPort');
        if (name && port) out.set(name.toLowerCase(), port);
      }
  return out;
}

/** The Traefik that serves CRDs, found once per report. */
function traefikInstance(ctx: ResolveContext): TraefikInstance | undefined {
  if (!ctx.traefik.has('')) {
    const all = ctx.index.controllerPods.filter(p => podKind(p) === 'traefik');
    const crd = all.filter(p =>
      args(p).some(a => a.startsWith('--providers.kubernetescrd')),
    );
    const pods = crd.length > 0 ? crd : all;
    ctx.traefik.set(
      '',
      pods.length === 0
        ? undefined
        : {
            pods,
            service: servicesSelecting(ctx.index, pods)[0],
            entryPoints: entryPointsOf(pods[0]),
          },
    );
  }
  return ctx.traefik.get('');
}

function servicePortFor(
  service: KubeObject | undefined,
  entryPoint: string,
  containerPort: number | undefined,
): ServicePort | undefined {
  if (!service) return undefined;
  return servicePorts(service).find(
    p =>
      (typeof p.targetPort === 'string' &&
        p.targetPort.toLowerCase() === entryPoint) ||
      (containerPort !== undefined && p.targetPort === containerPort) ||
      p.name?.toLowerCase() === entryPoint,
  );
}

function podEndpoints(pods: KubeObject[]): Endpoint[] {
  return pods.map(pod => {
    const ready = records(pod, 'status.conditions').some(
      c => str(c, 'type') === 'Ready' && str(c, 'status') === 'True',
    );
    return {
      pod: pod.metadata.name,
      namespace: namespaceOf(pod),
      address: str(pod, 'status.podIP') ?? '',
      node: str(pod, 'spec.nodeName'),
      ready,
      serving: ready,
      terminating: false,
    };
  });
}

/** No entry kind of its own yet for Traefik's UDP routers: a UDP route's rule. */
function entryKindOf(route: {
  udp?: boolean;
  tcp?: boolean;
}): 'udp-route-rule' | 'traefik-tcp-route' | 'traefik-route' {
  if (route.udp) return 'udp-route-rule';
  return route.tcp ? 'traefik-tcp-route' : 'traefik-route';
}

/** A referenced Traefik object, or why it cannot be used. */
function lookup(
  ctx: ResolveContext,
  kind: 'Middleware' | 'MiddlewareTCP' | 'TraefikService',
  ns: string,
  name: string,
): { found: KubeObject } | { status: 'broken' | 'unknown'; text: string } {
  const objects = {
    Middleware: ctx.index.middlewares,
    MiddlewareTCP: ctx.index.middlewareTcps,
    TraefikService: ctx.index.traefikServices,
  }[kind];
  const found = objects.get(ns, name);
  if (found) return { found };
  return isListed(ctx.index, kind)
    ? {
        status: 'broken',
        text: `${kind} ${ns}/${name} not found: Traefik does not create this router`,
      }
    : { status: 'unknown', text: `${kind} ${ns}/${name} is not in the input` };
}

type MiddlewareReading = {
  restrictions: SourceRestriction[];
  /** Allowlist entries that are not CIDRs: Traefik ignores them. */
  invalidRanges: InvalidSourceRange[];
  /** Where the allowlists look (ipStrategy), when not at the connection's address. */
  strategy?: string;
  notModelled: string[];
  problems: { status: 'broken' | 'unknown'; text: string }[];
};

/**
 * Reads the route's middlewares (MiddlewareTCPs for an IngressRouteTCP):
 * allowlists are modelled, the rest is named. A TCP allowlist judges the
 * connection's address (it has no ipStrategy).
 */
function readMiddlewares(
  ctx: ResolveContext,
  owner: KubeObject,
  refs: Record<string, unknown>[],
  kind: 'Middleware' | 'MiddlewareTCP',
): MiddlewareReading {
  const out: MiddlewareReading = {
    restrictions: [],
    invalidRanges: [],
    notModelled: [],
    problems: [],
  };
  const ownerNs = namespaceOf(owner);
  for (const ref of refs) {
    const name = str(ref, 'name') ?? '';
    const ns = str(ref, 'namespace') ?? ownerNs;
    const found = lookup(ctx, kind, ns, name);
    if (!('found' in found)) {
      out.problems.push(found);
      continue;
    }
    const middleware = found.found;
    const spec = isRecord(middleware.spec) ? middleware.spec : {};
    const what = kind === 'Middleware' ? 'middleware' : 'MiddlewareTCP';
    for (const [type, value] of Object.entries(spec)) {
      if (type !== 'ipAllowList' && type !== 'ipWhiteList') {
        out.notModelled.push(`${what} ${ns}/${name} (${type})`);
        continue;
      }
      const origin = `Traefik ${kind} ${ns}/${name} ${type}.sourceRange`;
      const cidrs = strings(value, 'sourceRange').filter(c => {
        if (parseCidr(c)) return true;
        out.invalidRanges.push({ field: origin, value: c });
        return false;
      });
      out.restrictions.push({ origin, mode: 'allow', cidrs, visible: true });
      const depth = num(value, 'ipStrategy.depth') ?? 0;
      const excluded = strings(value, 'ipStrategy.excludedIPs');
      if (depth > 0)
        out.strategy = `ipStrategy.depth ${depth} of ${ns}/${name} takes the address ${depth} from the right of X-Forwarded-For (excludedIPs ignored)`;
      else if (excluded.length > 0)
        out.strategy = `ipStrategy.excludedIPs of ${ns}/${name} takes the first address of X-Forwarded-For from the right that is not ${excluded.join(
          ', ',
        )}`;
    }
  }
  return out;
}

/** The address the allowlist judges: the connection's, or what X-Forwarded-For says. */
function allowlistSource(front: Front, strategy?: string): SourceAddress {
  if (!strategy) return front.source;
  return {
    kind: 'unknown',
    header: 'X-Forwarded-For',
    reason: `${strategy}; no hop before Traefik sets that header (the load balancer forwards TCP), so it holds what the client sends`,
  };
}

type Route = {
  object: KubeObject;
  routeIndex: number;
  match: string;
  entryPoints: string[];
  middlewares: Record<string, unknown>[];
  services: Record<string, unknown>[];
  tcp: boolean;
  /** IngressRouteUDP: no match, every datagram of the entry point. */
  udp: boolean;
};

function routesOf(obj: KubeObject, instance?: TraefikInstance): Route[] {
  const declared = strings(obj, 'spec.entryPoints').map(e => e.toLowerCase());
  // Without entryPoints a route listens on every entry point of Traefik.
  const entryPoints =
    declared.length > 0 ? declared : [...(instance?.entryPoints.keys() ?? [])];
  return records(obj, 'spec.routes').map((r, routeIndex) => ({
    object: obj,
    routeIndex,
    match: str(r, 'match') ?? '',
    entryPoints: entryPoints.length > 0 ? entryPoints : [''],
    middlewares: records(r, 'middlewares'),
    services: records(r, 'services'),
    tcp: obj.kind === 'IngressRouteTCP',
    udp: obj.kind === 'IngressRouteUDP',
  }));
}

function notModelledHop(
  obj: KubeObject,
  what: string[],
): NotModelledHop | undefined {
  if (what.length === 0) return undefined;
  return {
    kind: 'not-modelled',
    status: 'unknown',
    label: `not modelled: ${what.join('; ')}`,
    object: refOf(obj),
    problems: [
      'Traffic Path does not model these parts of the route: what they do to a request is not shown',
    ],
    what: what.join('; '),
  };
}

export function traefikRoutes(
  ctx: ResolveContext,
  obj: KubeObject,
): RouteDraft[] {
  const instance = traefikInstance(ctx);
  const drafts: RouteDraft[] = [];
  const ns = namespaceOf(obj);
  const prefix = `${obj.kind.toLowerCase()}:${ns}/${obj.metadata.name}`;
  for (const route of routesOf(obj, instance)) {
    // UDP routers have no rule: they take every datagram of their entry points.
    const parsed: ReturnType<typeof parseMatch> = route.udp
      ? {
          ok: true,
          alternatives: [{ hosts: [], hostRegexps: [], paths: [], other: [] }],
        }
      : parseMatch(route.match);
    const alternatives: (MatchAlternative & { error?: string })[] = parsed.ok
      ? parsed.alternatives
      : [
          {
            hosts: [],
            hostRegexps: [],
            paths: [],
            other: [],
            error: `match "${route.match}" cannot be read: ${parsed.error}`,
          },
        ];
    for (const entryPoint of route.entryPoints) {
      alternatives.forEach((alt, altIndex) => {
        const hosts = alt.hosts.length > 0 ? alt.hosts : [undefined];
        const paths = alt.paths.length > 0 ? alt.paths : [undefined];
        hosts.forEach((host, hostIndex) =>
          paths.forEach((path, pathIndex) =>
            route.services.forEach((service, serviceIndex) =>
              backendsOf(ctx, route, service, serviceIndex).forEach(backend => {
                const id = `${prefix}:${route.routeIndex}:${
                  entryPoint || '-'
                }:${altIndex}:${hostIndex}:${pathIndex}:${backend.id}`;
                drafts.push(
                  assembleRoute(
                    ctx,
                    traefikPlan(ctx, {
                      id,
                      instance,
                      route,
                      entryPoint,
                      alt,
                      host,
                      path,
                      service: backend.service,
                      backend,
                    }),
                  ),
                );
              }),
            ),
          ),
        );
      });
    }
  }
  return drafts;
}

/**
 * One backend a route's service leads to: a Kubernetes Service, or one of
 * the Services a TraefikService spreads over (weighted round robin, nested),
 * with its share of the route's traffic and what the TraefikServices on the
 * way do (mirrors) or what is not modelled of them.
 */
type Backend = {
  /** `2`, or `2.0.1` through TraefikServices. */
  id: string;
  service: Record<string, unknown>;
  weight?: { weight: number; share: number };
  /** What the TraefikServices on the way do, in words. */
  via: string[];
  facts: string[];
  notModelled: string[];
  problems: { status: 'broken' | 'unknown'; text: string }[];
};

/** Weighted services share the traffic: weight/(sum of weights), unset 1. */
function weightsOf(
  services: Record<string, unknown>[],
): { weight: number; share: number }[] {
  const weights = services.map(s => num(s, 'weight') ?? 1);
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map(weight => ({
    weight,
    share: total > 0 ? weight / total : 0,
  }));
}

const MAX_TRAEFIK_SERVICE_DEPTH = 8;

function backendsOf(
  ctx: ResolveContext,
  route: Route,
  service: Record<string, unknown>,
  serviceIndex: number,
): Backend[] {
  const weighted =
    route.services.length > 1 || num(service, 'weight') !== undefined;
  const weight = weighted ? weightsOf(route.services)[serviceIndex] : undefined;
  return expand(ctx, namespaceOf(route.object), service, {
    id: String(serviceIndex),
    service,
    ...(weight ? { weight } : {}),
    via: [],
    facts: [],
    notModelled: [],
    problems: [],
  });
}

/** Follows a service through TraefikServices to the Kubernetes Services at its ends. */
function expand(
  ctx: ResolveContext,
  ownerNs: string,
  service: Record<string, unknown>,
  at: Backend,
  depth = 0,
): Backend[] {
  const kind = str(service, 'kind') ?? 'Service';
  if (kind !== 'TraefikService') return [{ ...at, service }];
  const ns = str(service, 'namespace') ?? ownerNs;
  const name = str(service, 'name') ?? '';
  const none = { name: '', kind: 'none' };
  const found = lookup(ctx, 'TraefikService', ns, name);
  if (!('found' in found))
    return [{ ...at, service: none, problems: [...at.problems, found] }];
  if (depth >= MAX_TRAEFIK_SERVICE_DEPTH)
    return [
      {
        ...at,
        service: none,
        notModelled: [
          ...at.notModelled,
          `TraefikService ${ns}/${name} nested deeper than ${MAX_TRAEFIK_SERVICE_DEPTH} levels`,
        ],
      },
    ];
  const spec = found.found.spec;
  const children = records(spec, 'weighted.services');
  if (children.length > 0) {
    const shares = weightsOf(children);
    return children.flatMap((child, i) => {
      const share = (at.weight?.share ?? 1) * shares[i].share;
      return expand(
        ctx,
        ns,
        child,
        {
          ...at,
          id: `${at.id}.${i}`,
          weight: { weight: shares[i].weight, share },
          via: [
            ...at.via,
            `TraefikService ${ns}/${name} weight ${
              shares[i].weight
            } (${Math.round(shares[i].share * 100)}% of it)`,
          ],
        },
        depth + 1,
      );
    });
  }
  const mirroring = field(spec, 'mirroring');
  if (isRecord(mirroring)) {
    // The main service receives all traffic; mirrors get a copy of a percentage.
    const mirrors = records(mirroring, 'mirrors').map(
      m =>
        `TraefikService ${ns}/${name} mirrors ${
          num(m, 'percent') ?? 0
        }% of requests to ${str(m, 'kind') ?? 'Service'} ${
          str(m, 'namespace') ?? ns
        }/${str(m, 'name') ?? '?'}${
          num(m, 'port') !== undefined ? `:${num(m, 'port')}` : ''
        } (its responses are ignored)`,
    );
    return expand(
      ctx,
      ns,
      mirroring,
      {
        ...at,
        via: [...at.via, `TraefikService ${ns}/${name} (mirroring)`],
        facts: [...at.facts, ...mirrors],
      },
      depth + 1,
    );
  }
  const type = Object.keys(isRecord(spec) ? spec : {})[0] ?? 'empty spec';
  return [
    {
      ...at,
      service: none,
      notModelled: [
        ...at.notModelled,
        `TraefikService ${ns}/${name} (${type})`,
      ],
    },
  ];
}

type Entry = {
  id: string;
  instance?: TraefikInstance;
  route: Route;
  entryPoint: string;
  alt: MatchAlternative & { error?: string };
  host?: string;
  path?: MatchAlternative['paths'][number];
  service: Record<string, unknown>;
  backend: Backend;
};

function proxyHop(
  e: Entry,
  pods: Endpoint[],
  port: ServicePort | undefined,
  front: Front,
): IngressControllerHop {
  const { instance } = e;
  const problems: string[] = [];
  let status: IngressControllerHop['status'] = 'ok';
  if (!instance) {
    status = 'unknown';
    problems.push('no Traefik pod in the input');
  } else if (pods.length > 0 && pods.every(p => p.template)) {
    status = 'unknown';
    problems.push('not deployed: the Traefik pods come from pod templates');
  } else if (pods.length > 0 && !pods.some(p => p.ready)) {
    status = 'broken';
    problems.push('no Traefik pod is ready');
  } else if (instance.service && !port) {
    status = 'unknown';
    problems.push(
      `no port of Service ${namespaceOf(instance.service)}/${
        instance.service.metadata.name
      } leads to entryPoint ${e.entryPoint}`,
    );
  }
  const service = instance?.service;
  return {
    kind: 'ingress-controller',
    status,
    label: `Traefik${
      service ? ` (${namespaceOf(service)}/${service.metadata.name})` : ''
    }, entryPoint ${e.entryPoint || '?'}${
      port ? ` (port ${port.port})` : ''
    }, ${pods.length} pod${
      pods.length === 1 ? '' : 's'
    }, upstream pod IPs directly`,
    ...(service ? { object: refOf(service) } : {}),
    ...(problems.length ? { problems } : {}),
    controller: 'traefik',
    classSource: 'crd',
    pods,
    ...(service ? { service: refOf(service) } : {}),
    upstream: 'endpoints',
    sourceAddress: front.source,
  };
}

/** The adapter of one Traefik route towards one service: its plan. */
function traefikPlan(ctx: ResolveContext, e: Entry): ProxiedPlan {
  const { route, instance } = e;
  const obj = route.object;
  const ref = refOf(obj);
  const routeIds = [e.id];
  const containerPort = instance?.entryPoints.get(e.entryPoint);
  const port = servicePortFor(instance?.service, e.entryPoint, containerPort);
  let pods: Endpoint[] = [];
  if (instance?.service && port)
    pods = serviceEndpoints(ctx.index, instance.service, port).endpoints;
  if (pods.length === 0 && instance) pods = podEndpoints(instance.pods);
  const front = frontOf(ctx, instance?.service, port, pods, routeIds);
  const proxy = proxyHop(e, pods, port, front);

  const middlewares = readMiddlewares(
    ctx,
    obj,
    route.middlewares,
    route.tcp ? 'MiddlewareTCP' : 'Middleware',
  );
  const problems: {
    status: 'broken' | 'degraded' | 'unknown';
    text: string;
  }[] = [...middlewares.problems, ...e.backend.problems];
  if (e.alt.error) problems.unshift({ status: 'broken', text: e.alt.error });
  if (
    instance &&
    instance.entryPoints.size > 0 &&
    e.entryPoint &&
    !instance.entryPoints.has(e.entryPoint)
  )
    problems.push({
      status: 'broken',
      text: `entryPoint ${
        e.entryPoint
      } is not defined on Traefik (entry points: ${[
        ...instance.entryPoints.keys(),
      ].join(', ')})`,
    });
  const notModelled = [
    ...e.alt.other.map(m => `matcher ${m}`),
    ...e.alt.hostRegexps.map(h => `HostRegexp(\`${h}\`)`),
    ...(e.path?.pathType === 'Regexp'
      ? [`PathRegexp(\`${e.path.path}\`)`]
      : []),
    ...middlewares.notModelled,
    ...e.backend.notModelled,
  ];
  const kind = str(e.service, 'kind') ?? 'Service';
  if (kind !== 'Service' && kind !== 'none')
    notModelled.push(`${kind} ${str(e.service, 'name')}`);
  const { weight } = e.backend;
  const servicePort = (e.service as { port?: unknown }).port;
  const target: BackendTarget =
    kind === 'Service'
      ? {
          kind: 'service',
          namespace: str(e.service, 'namespace') ?? namespaceOf(obj),
          name: str(e.service, 'name') ?? '',
          ...(typeof servicePort === 'number' || typeof servicePort === 'string'
            ? { port: servicePort }
            : {}),
          ...(weight ? { weight } : {}),
        }
      : { kind: 'none' };

  const tlsSpec = isRecord(obj.spec) ? obj.spec.tls : undefined;
  const tls = isRecord(tlsSpec);
  let tlsText = '';
  if (
    tls &&
    route.tcp &&
    (tlsSpec as { passthrough?: unknown }).passthrough === true
  )
    tlsText = ', TLS passthrough (SNI)';
  else if (tls && str(tlsSpec, 'secretName'))
    tlsText = `, TLS with Secret ${str(tlsSpec, 'secretName')}`;
  else if (tls)
    tlsText = `, TLS by certResolver ${
      str(tlsSpec, 'certResolver') ?? '(default)'
    }`;
  const secretName = tls ? str(tlsSpec, 'secretName') : undefined;
  const secretNotFound =
    !!secretName &&
    isListedIn(ctx.index, 'Secret', namespaceOf(obj)) &&
    !ctx.index.secrets.has(namespaceOf(obj), secretName);
  if (secretNotFound)
    problems.push({
      status: 'degraded',
      text: `TLS Secret ${secretName} not found`,
    });
  let where = route.tcp
    ? `${e.host ?? 'any SNI'}`
    : `${e.host ?? '*'}${e.path ? ` ${e.path.path} (${e.path.pathType})` : ''}`;
  if (route.udp) where = 'every datagram';
  let status: IngressHop['status'] = 'ok';
  if (problems.some(p => p.status === 'broken')) status = 'broken';
  else if (problems.some(p => p.status === 'degraded')) status = 'degraded';
  else if (problems.some(p => p.status === 'unknown')) status = 'unknown';
  const rule: IngressHop = {
    kind: 'ingress',
    status,
    label: `${obj.kind} ${ref.namespace}/${ref.name}: ${where}${tlsText}${[
      ...e.backend.via,
      ...(weight && e.backend.via.length === 0
        ? [`weight ${weight.weight} (${Math.round(weight.share * 100)}%)`]
        : []),
      ...(weight && e.backend.via.length > 0
        ? [`${Math.round(weight.share * 100)}% of the route`]
        : []),
    ]
      .map(t => `, ${t}`)
      .join('')}${e.backend.facts.map(f => `; ${f}`).join('')}`,
    object: ref,
    ...(problems.length ? { problems: problems.map(p => p.text) } : {}),
    ...(e.host ? { host: e.host } : {}),
    ...(e.path ? { path: e.path.path, pathType: e.path.pathType } : {}),
    tls,
    ...(tls && str(tlsSpec, 'secretName')
      ? { tlsSecret: str(tlsSpec, 'secretName') }
      : {}),
    restrictions: middlewares.restrictions,
    ...(middlewares.invalidRanges.length
      ? { invalidRanges: middlewares.invalidRanges }
      : {}),
    sourceAddress: allowlistSource(front, middlewares.strategy),
    ...(secretNotFound ? { tlsSecretNotFound: true } : {}),
  };
  const extra: Hop[] = [];
  const unmodelled = notModelledHop(obj, notModelled);
  if (unmodelled) extra.push(unmodelled);
  return {
    via: 'proxy',
    id: e.id,
    entry: {
      kind: entryKindOf(route),
      object: ref,
      ...(e.host ? { host: e.host } : {}),
      ...(e.path ? { path: e.path.path, pathType: e.path.pathType } : {}),
      ...(port ? { port: port.port } : {}),
      tls,
    },
    owner: obj,
    front,
    dns: {
      expected: front.loadBalancer?.addresses ?? [],
      object: ref,
      problems: [],
    },
    proxy,
    rule,
    extra,
    target,
  };
}
