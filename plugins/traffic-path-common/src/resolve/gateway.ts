/*
 * Gateway API routes: HTTPRoute, GRPCRoute, TLSRoute, TCPRoute and UDPRoute
 * rules → the parent Gateway's listener (sectionName, port, protocol,
 * allowedRoutes, hostname intersection) → the Service the implementation
 * publishes (its load balancer) → the implementation's pods → the backend
 * Service's endpoints, with weights and ReferenceGrants. Implementations
 * (Envoy Gateway, Istio, Cilium, NGINX Gateway Fabric) proxy to endpoint
 * IPs, so the backend Service is drawn aside, as for ingress-nginx.
 */
import { FindingCode, makeFinding } from '../findings/catalog';
import { isListed, isListedIn } from '../index/clusterIndex';
import {
  EntryKind,
  Endpoint,
  HopStatus,
  IngressControllerHop,
  IngressHop,
  KubeObject,
  ObjectRef,
} from '../model';
import { namespaceOf, num, records, refOf, str } from '../util/fields';
import { readLabelSelector } from '../util/labelSelector';
import { ResolveContext } from './context';
import { serviceEndpoints } from './endpoints';
import { frontOf } from './front';
import {
  assembleRoute,
  BackendTarget,
  clientHop,
  ProxiedPlan,
  RouteDraft,
} from './plan';
import { servicePorts } from './service';

const GROUP = 'gateway.networking.k8s.io';

/** What each route kind attaches to and how it is drawn. */
const routeKinds: Record<
  string,
  { entry: EntryKind; protocols: string[]; hostnames: boolean }
> = {
  HTTPRoute: {
    entry: 'http-route-rule',
    protocols: ['HTTP', 'HTTPS'],
    hostnames: true,
  },
  GRPCRoute: {
    entry: 'grpc-route-rule',
    protocols: ['HTTP', 'HTTPS'],
    hostnames: true,
  },
  TLSRoute: { entry: 'tls-route-rule', protocols: ['TLS'], hostnames: true },
  TCPRoute: { entry: 'tcp-route-rule', protocols: ['TCP'], hostnames: false },
  UDPRoute: { entry: 'udp-route-rule', protocols: ['UDP'], hostnames: false },
};

export type Listener = {
  name: string;
  hostname?: string;
  port: number;
  protocol: string;
  /** `Same`, `All` or `Selector` (allowedRoutes.namespaces.from). */
  allowedFrom: string;
  allowedSelector?: unknown;
  /** allowedRoutes.kinds; empty: the kinds the protocol supports. */
  allowedKinds: string[];
  tlsMode?: string;
  certificateRefs: { namespace?: string; name: string; kind: string }[];
};

/** Labels Gateway implementations put on the Service they create for a Gateway. */
const OWNER_LABELS: [name: string, namespace?: string][] = [
  ['gateway.networking.k8s.io/gateway-name'],
  [
    'gateway.envoyproxy.io/owning-gateway-name',
    'gateway.envoyproxy.io/owning-gateway-namespace',
  ],
  ['io.cilium.gateway/owning-gateway'],
];

export function listeners(gateway: KubeObject): Listener[] {
  return records(gateway, 'spec.listeners').map(l => ({
    name: str(l, 'name') ?? '',
    hostname: str(l, 'hostname'),
    port: num(l, 'port') ?? 0,
    protocol: str(l, 'protocol') ?? 'HTTP',
    allowedFrom: str(l, 'allowedRoutes.namespaces.from') ?? 'Same',
    allowedSelector: (
      (l.allowedRoutes as { namespaces?: { selector?: unknown } } | undefined)
        ?.namespaces ?? {}
    ).selector,
    allowedKinds: records(l, 'allowedRoutes.kinds')
      .map(k => str(k, 'kind'))
      .filter((k): k is string => !!k),
    tlsMode: str(l, 'tls.mode'),
    certificateRefs: records(l, 'tls.certificateRefs').map(c => ({
      namespace: str(c, 'namespace'),
      name: str(c, 'name') ?? '',
      kind: str(c, 'kind') ?? 'Secret',
    })),
  }));
}

/**
 * The hostname a route hostname and a listener hostname have in common, as
 * the Gateway API defines it: `*.` is a suffix match over one or more
 * labels; of two names that match, the more specific one is used.
 */
export function hostnameIntersection(
  listener: string | undefined,
  route: string,
): string | undefined {
  const r = route.toLowerCase();
  if (!listener) return r;
  const l = listener.toLowerCase();
  if (l === r) return r;
  const suffixMatch = (name: string, wildcard: string) =>
    name.endsWith(wildcard.slice(1)) && name.length > wildcard.length - 1;
  if (l.startsWith('*.') && suffixMatch(r, l)) return r;
  if (r.startsWith('*.') && suffixMatch(l, r)) return l;
  return undefined;
}

/** The Service in front of a Gateway, found once per report: every route through it shares it. */
function gatewayService(
  ctx: ResolveContext,
  gateway: KubeObject,
): KubeObject | undefined {
  const key = `${namespaceOf(gateway)}/${gateway.metadata.name}`;
  if (!ctx.gatewayServices.has(key))
    ctx.gatewayServices.set(key, findGatewayService(ctx, gateway));
  return ctx.gatewayServices.get(key);
}

function findGatewayService(
  ctx: ResolveContext,
  gateway: KubeObject,
): KubeObject | undefined {
  const ns = namespaceOf(gateway);
  for (const service of ctx.index.services.values()) {
    const labels = service.metadata.labels ?? {};
    for (const [nameLabel, nsLabel] of OWNER_LABELS) {
      if (labels[nameLabel] !== gateway.metadata.name) continue;
      const owningNamespace = nsLabel ? labels[nsLabel] : namespaceOf(service);
      if (owningNamespace === ns) return service;
    }
  }
  for (const address of gatewayAddresses(gateway)) {
    const [service] = ctx.index.servicesByLbAddress.get(address) ?? [];
    if (service) return service;
  }
  return undefined;
}

function gatewayAddresses(gateway: KubeObject): string[] {
  return records(gateway, 'status.addresses')
    .map(a => str(a, 'value'))
    .filter((a): a is string => !!a);
}

/** The route's own verdict from the controller, when it wrote one for this parent. */
function parentRejection(
  route: KubeObject,
  gatewayNs: string,
  gatewayName: string,
): string | undefined {
  const parent = records(route, 'status.parents').find(
    p =>
      str(p, 'parentRef.name') === gatewayName &&
      (str(p, 'parentRef.namespace') ?? namespaceOf(route)) === gatewayNs,
  );
  const failed = records(parent ?? {}, 'conditions').find(
    c =>
      (str(c, 'type') === 'Accepted' || str(c, 'type') === 'ResolvedRefs') &&
      str(c, 'status') === 'False',
  );
  return failed
    ? `${str(failed, 'type')}=False (${
        str(failed, 'reason') ?? 'no reason'
      }): ${str(failed, 'message') ?? ''}`.trim()
    : undefined;
}

type Match = { path?: string; pathType?: string; text: string };

/** How a rule matches: HTTP paths, gRPC service/method; TLS/TCP/UDP match by listener only. */
function matches(kind: string, rule: Record<string, unknown>): Match[] {
  const list = records(rule, 'matches');
  if (kind === 'GRPCRoute') {
    if (list.length === 0) return [{ text: 'any gRPC method' }];
    return list.map(m => {
      const service = str(m, 'method.service');
      const method = str(m, 'method.method');
      // A gRPC method is the HTTP/2 path /<service>/<method>.
      let path = '/';
      if (service) path = method ? `/${service}/${method}` : `/${service}/`;
      return {
        path,
        pathType: service && method ? 'Exact' : 'PathPrefix',
        text: `gRPC ${service ?? 'any service'}/${method ?? 'any method'}`,
      };
    });
  }
  if (kind !== 'HTTPRoute') return [{ text: 'every connection' }];
  if (list.length === 0)
    return [{ path: '/', pathType: 'PathPrefix', text: '/ (PathPrefix)' }];
  return list.map(m => {
    const path = str(m, 'path.value') ?? '/';
    const pathType = str(m, 'path.type') ?? 'PathPrefix';
    return { path, pathType, text: `${path} (${pathType})` };
  });
}

function hostnamesOf(route: KubeObject): string[] {
  const list = (route.spec as { hostnames?: unknown } | undefined)?.hostnames;
  return Array.isArray(list)
    ? list.filter((h): h is string => typeof h === 'string')
    : [];
}

type Admission = { status: HopStatus; problem?: string };

/** Whether a listener's allowedRoutes admit a route of this kind and namespace. */
function admission(
  ctx: ResolveContext,
  gateway: KubeObject,
  listener: Listener,
  kind: string,
  routeNs: string,
): Admission {
  const where = `listener ${listener.name} of Gateway ${namespaceOf(gateway)}/${
    gateway.metadata.name
  }`;
  if (listener.allowedKinds.length > 0 && !listener.allowedKinds.includes(kind))
    return {
      status: 'broken',
      problem: `${where} admits ${listener.allowedKinds.join(
        ', ',
      )} only (allowedRoutes.kinds), not ${kind}`,
    };
  if (listener.allowedFrom === 'All') return { status: 'ok' };
  if (listener.allowedFrom === 'Selector') {
    const selector = readLabelSelector(
      listener.allowedSelector,
      'allowedRoutes.namespaces.selector',
    );
    const ns = ctx.index.namespaces.get(routeNs);
    let labels: Record<string, string> | undefined;
    if (ns)
      labels = {
        ...(ns.metadata.labels ?? {}),
        'kubernetes.io/metadata.name': routeNs,
      };
    else if (
      isListed(ctx.index, 'Namespace') ||
      selector.keys.every(k => k === 'kubernetes.io/metadata.name')
    )
      labels = { 'kubernetes.io/metadata.name': routeNs };
    if (!labels)
      return {
        status: 'unknown',
        problem: `${where} admits namespaces ${selector.text} (allowedRoutes Selector): the Namespaces are not in the input`,
      };
    return selector.matches(labels)
      ? { status: 'ok' }
      : {
          status: 'broken',
          problem: `${where} admits routes from namespaces ${selector.text} only (allowedRoutes.namespaces.from: Selector), not from ${routeNs}`,
        };
  }
  return namespaceOf(gateway) === routeNs
    ? { status: 'ok' }
    : {
        status: 'broken',
        problem: `${where} accepts routes from its own namespace only (allowedRoutes.namespaces.from: Same)`,
      };
}

/**
 * Whether a ReferenceGrant in the target's namespace lets objects of
 * `fromKind` in `fromNs` refer to `toKind` `toName` there. null: the input
 * does not say which grants exist.
 */
export function referenceGranted(
  ctx: ResolveContext,
  from: { kind: string; namespace: string },
  to: { group: string; kind: string; namespace: string; name: string },
): boolean | null {
  const grants = [...ctx.index.referenceGrants.valuesIn(to.namespace)];
  if (grants.length === 0 && !isListed(ctx.index, 'ReferenceGrant'))
    return null;
  return grants.some(
    g =>
      records(g, 'spec.from').some(
        f =>
          (str(f, 'group') ?? '') === GROUP &&
          str(f, 'kind') === from.kind &&
          str(f, 'namespace') === from.namespace,
      ) &&
      records(g, 'spec.to').some(
        t =>
          (str(t, 'group') ?? '') === to.group &&
          str(t, 'kind') === to.kind &&
          (str(t, 'name') === undefined || str(t, 'name') === to.name),
      ),
  );
}

function describe(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace}/${ref.name}`;
}

type Attachment = {
  gateway?: KubeObject;
  gwNs: string;
  gwName: string;
  listener: Listener;
  hosts: (string | undefined)[];
  /** Why the route does not attach here; status broken or unknown. */
  refusal?: Admission & { code: FindingCode };
};

/** The listeners a parentRef attaches the route to, each with the hostnames it serves there. */
function attachments(
  ctx: ResolveContext,
  route: KubeObject,
  parentRef: Record<string, unknown>,
): Attachment[] {
  const kind = route.kind;
  const info = routeKinds[kind];
  const ns = namespaceOf(route);
  const gwNs = str(parentRef, 'namespace') ?? ns;
  const gwName = str(parentRef, 'name') ?? '';
  const section = str(parentRef, 'sectionName');
  const port = num(parentRef, 'port');
  const gateway = ctx.index.gateways.get(gwNs, gwName);
  const routeHostnames = info.hostnames ? hostnamesOf(route) : [];
  const notAccepted: FindingCode =
    kind === 'HTTPRoute' ? 'HTTPROUTE_NOT_ACCEPTED' : 'ROUTE_NOT_ACCEPTED';
  if (!gateway)
    return [
      {
        gwNs,
        gwName,
        listener: {
          name: section ?? '',
          port: port ?? (info.protocols[0] === 'HTTP' ? 80 : 0),
          protocol: info.protocols[0],
          allowedFrom: 'All',
          allowedKinds: [],
          certificateRefs: [],
        },
        hosts: routeHostnames.length > 0 ? routeHostnames : [undefined],
      },
    ];
  const all = listeners(gateway);
  const candidates = all.filter(
    l =>
      (!section || l.name === section) &&
      (port === undefined || l.port === port) &&
      info.protocols.includes(l.protocol),
  );
  if (candidates.length === 0) {
    const wanted = [
      section ? `sectionName ${section}` : '',
      port !== undefined ? `port ${port}` : '',
      `protocol ${info.protocols.join(' or ')}`,
    ]
      .filter(Boolean)
      .join(', ');
    return [
      {
        gateway,
        gwNs,
        gwName,
        listener: all.find(
          l => l.name === section || (port !== undefined && l.port === port),
        ) ??
          all[0] ?? {
            name: section ?? '',
            port: port ?? 0,
            protocol: info.protocols[0],
            allowedFrom: 'Same',
            allowedKinds: [],
            certificateRefs: [],
          },
        hosts: routeHostnames.length > 0 ? routeHostnames : [undefined],
        refusal: {
          status: 'broken',
          code: notAccepted,
          problem: `no listener of Gateway ${gwNs}/${gwName} has ${wanted} (listeners: ${
            all.map(l => `${l.name} ${l.protocol}/${l.port}`).join(', ') ||
            'none'
          })`,
        },
      },
    ];
  }
  const out: Attachment[] = [];
  for (const listener of candidates) {
    const hosts =
      routeHostnames.length === 0
        ? [listener.hostname]
        : routeHostnames
            .map(h => hostnameIntersection(listener.hostname, h))
            .filter((h): h is string => !!h);
    if (hosts.length === 0) continue;
    const admitted = admission(ctx, gateway, listener, kind, ns);
    out.push({
      gateway,
      gwNs,
      gwName,
      listener,
      hosts,
      ...(admitted.status !== 'ok'
        ? { refusal: { ...admitted, code: notAccepted } }
        : {}),
    });
  }
  if (out.length > 0) return out;
  // No listener hostname intersects the route's: the route is not attached anywhere.
  return [
    {
      gateway,
      gwNs,
      gwName,
      listener: candidates[0],
      hosts: routeHostnames,
      refusal: {
        status: 'broken',
        code: 'ROUTE_HOSTNAME_MISMATCH',
        problem: `no hostname of the route (${routeHostnames.join(
          ', ',
        )}) intersects a listener hostname of Gateway ${gwNs}/${gwName} (${candidates
          .map(l => `${l.name}: ${l.hostname ?? 'any'}`)
          .join(', ')})`,
      },
    },
  ];
}

/** Routes of every Gateway API route kind. */
export function gatewayRouteRoutes(
  ctx: ResolveContext,
  route: KubeObject,
): RouteDraft[] {
  if (!routeKinds[route.kind]) return [];
  const ns = namespaceOf(route);
  const drafts: RouteDraft[] = [];
  const rules = records(route, 'spec.rules');
  records(route, 'spec.parentRefs').forEach((parentRef, parentIndex) => {
    const parentKind = str(parentRef, 'kind') ?? 'Gateway';
    if (parentKind !== 'Gateway') {
      drafts.push(meshRoute(route, parentRef, parentKind, parentIndex));
      return;
    }
    const idBase = `${route.kind.toLowerCase()}:${ns}/${
      route.metadata.name
    }:${parentIndex}`;
    for (const attachment of attachments(ctx, route, parentRef)) {
      const rejection = parentRejection(
        route,
        attachment.gwNs,
        attachment.gwName,
      );
      attachment.hosts.forEach((host, hostIndex) => {
        rules.forEach((rule, ruleIndex) => {
          const backendRefs = records(rule, 'backendRefs');
          const weights = backendRefs.map(b => num(b, 'weight') ?? 1);
          const total = weights.reduce((a, b) => a + b, 0);
          matches(route.kind, rule).forEach((match, matchIndex) => {
            backendRefs.forEach((backendRef, backendIndex) => {
              const id = `${idBase}:${
                attachment.listener.name || '-'
              }:${hostIndex}:${ruleIndex}:${matchIndex}:${backendIndex}`;
              const weighted =
                backendRefs.length > 1 ||
                num(backendRef, 'weight') !== undefined;
              drafts.push(
                assembleRoute(
                  ctx,
                  gatewayRoutePlan(ctx, {
                    id,
                    route,
                    attachment,
                    host,
                    match,
                    backendRef,
                    ...(weighted
                      ? {
                          weight: {
                            weight: weights[backendIndex],
                            share:
                              total > 0 ? weights[backendIndex] / total : 0,
                          },
                        }
                      : {}),
                    rejection,
                  }),
                ),
              );
            });
          });
        });
      });
    }
  });
  return drafts;
}

/** A route whose parent is not a Gateway (a Service: GAMMA mesh routing) is shown as not modelled. */
function meshRoute(
  route: KubeObject,
  parentRef: Record<string, unknown>,
  parentKind: string,
  parentIndex: number,
): RouteDraft {
  const routeRef = refOf(route);
  const ns = namespaceOf(route);
  const parent = `${parentKind} ${str(parentRef, 'namespace') ?? ns}/${
    str(parentRef, 'name') ?? '?'
  }`;
  return {
    id: `${route.kind.toLowerCase()}:${ns}/${
      route.metadata.name
    }:${parentIndex}:mesh`,
    entry: {
      kind: routeKinds[route.kind].entry,
      object: routeRef,
      tls: false,
      exposure: 'cluster',
    },
    hops: [
      clientHop(),
      {
        kind: 'not-modelled',
        status: 'unknown',
        label: `${describe(routeRef)} attached to ${parent}: not modelled`,
        object: routeRef,
        problems: [
          `a ${parentKind} parent (service mesh routing, GAMMA) is not modelled: the way inside the mesh is not drawn`,
        ],
        what: `${route.kind} with a ${parentKind} parent (GAMMA mesh routing)`,
      },
    ],
  };
}

type Entry = {
  id: string;
  route: KubeObject;
  attachment: Attachment;
  host?: string;
  match: Match;
  backendRef: Record<string, unknown>;
  weight?: { weight: number; share: number };
  rejection?: string;
};

function proxyHop(
  ctx: ResolveContext,
  e: Entry,
  routeIds: string[],
  pods: Endpoint[],
  service: KubeObject | undefined,
  source: IngressControllerHop['sourceAddress'],
): IngressControllerHop {
  const { gateway, gwNs, gwName, listener } = e.attachment;
  const routeRef = refOf(e.route);
  const className = gateway ? str(gateway, 'spec.gatewayClassName') : undefined;
  const controllerName = className
    ? str(ctx.index.gatewayClasses.get(className) ?? {}, 'spec.controllerName')
    : undefined;
  const problems: string[] = [];
  let status: IngressControllerHop['status'] = 'ok';
  if (!gateway) {
    // Only input that lists Gateways can prove this one missing.
    const listed = isListed(ctx.index, 'Gateway');
    status = listed ? 'broken' : 'unknown';
    problems.push(
      `Gateway ${gwNs}/${gwName} not ${listed ? 'found' : 'in the input'}`,
    );
    if (listed) {
      ctx.findings.add(
        makeFinding(
          'GATEWAY_NOT_FOUND',
          routeRef,
          `${describe(
            routeRef,
          )} is attached to Gateway ${gwNs}/${gwName}, which does not exist`,
          { routeIds },
        ),
      );
    }
  } else if (
    className &&
    isListed(ctx.index, 'GatewayClass') &&
    !ctx.index.gatewayClasses.has(className)
  ) {
    // No class, no controller: nobody programs this Gateway.
    status = 'broken';
    problems.push(`GatewayClass ${className} not found`);
    ctx.findings.add(
      makeFinding(
        'GATEWAY_CLASS_NOT_FOUND',
        { kind: 'Gateway', namespace: gwNs, name: gwName },
        `Gateway ${gwNs}/${gwName} names GatewayClass "${className}", which does not exist: no implementation programs it`,
        { routeIds },
      ),
    );
  } else if (!service) {
    status = 'unknown';
    problems.push(
      'the Service of the Gateway implementation was not found in the input',
    );
  } else if (pods.length > 0 && pods.every(p => p.template)) {
    status = 'unknown';
    problems.push(
      'not deployed: the pods of the Gateway implementation come from pod templates',
    );
  } else if (pods.length > 0 && !pods.some(p => p.ready)) {
    status = 'broken';
    problems.push('no pod of the Gateway implementation is ready');
  }
  return {
    kind: 'ingress-controller',
    status,
    label: `Gateway ${gwNs}/${gwName}${
      className
        ? ` (class ${className}${controllerName ? `, ${controllerName}` : ''})`
        : ''
    }, listener ${listener.name || '?'} ${listener.protocol}/${
      listener.port
    }, ${pods.length} pod${
      pods.length === 1 ? '' : 's'
    }, upstream pod IPs directly`,
    object: { kind: 'Gateway', namespace: gwNs, name: gwName },
    ...(problems.length ? { problems } : {}),
    controller: 'generic',
    ...(className ? { className } : {}),
    ...(controllerName ? { controllerName } : {}),
    classSource: 'gateway',
    pods,
    ...(service ? { service: refOf(service) } : {}),
    upstream: 'endpoints',
    sourceAddress: source,
  };
}

/** Certificates in another namespace need a ReferenceGrant from the Gateway. */
function certificateProblems(
  ctx: ResolveContext,
  e: Entry,
  routeIds: string[],
): Admission[] {
  const { gateway, listener } = e.attachment;
  if (!gateway) return [];
  const gwNs = namespaceOf(gateway);
  const out: Admission[] = [];
  for (const ref of listener.certificateRefs) {
    const secretNs = ref.namespace ?? gwNs;
    // Only input that lists the namespace's Secrets can prove one missing.
    if (
      ref.kind === 'Secret' &&
      isListedIn(ctx.index, 'Secret', secretNs) &&
      !ctx.index.secrets.has(secretNs, ref.name)
    ) {
      out.push({
        status: 'degraded',
        problem: `TLS Secret ${secretNs}/${ref.name} of listener ${listener.name} not found`,
      });
      ctx.findings.add(
        makeFinding(
          'TLS_SECRET_NOT_FOUND',
          refOf(gateway),
          `Gateway ${gwNs}/${gateway.metadata.name} listener ${listener.name} uses TLS Secret ${ref.name}, which does not exist in namespace ${secretNs}`,
          { routeIds },
        ),
      );
    }
    if (!ref.namespace || ref.namespace === gwNs) continue;
    const granted = referenceGranted(
      ctx,
      { kind: 'Gateway', namespace: gwNs },
      { group: '', kind: ref.kind, namespace: ref.namespace, name: ref.name },
    );
    if (granted) continue;
    const what = `certificateRef ${ref.kind} ${ref.namespace}/${ref.name} of listener ${listener.name}`;
    if (granted === null) {
      out.push({
        status: 'unknown',
        problem: `${what} lies in another namespace: the ReferenceGrants are not in the input`,
      });
      continue;
    }
    out.push({
      status: 'broken',
      problem: `${what} lies in another namespace and no ReferenceGrant there permits it: the listener serves no certificate`,
    });
    ctx.findings.add(
      makeFinding(
        'REFERENCE_NOT_PERMITTED',
        refOf(gateway),
        `Gateway ${gwNs}/${gateway.metadata.name}: ${what} is not permitted by a ReferenceGrant in namespace ${ref.namespace}`,
        { routeIds, hop: 'ingress-controller' },
      ),
    );
  }
  return out;
}

/** A backendRef into another namespace needs a ReferenceGrant there. */
function backendTarget(
  ctx: ResolveContext,
  e: Entry,
  routeIds: string[],
  problems: Admission[],
): BackendTarget {
  const ns = namespaceOf(e.route);
  const kind = str(e.backendRef, 'kind') ?? 'Service';
  const group = str(e.backendRef, 'group') ?? '';
  const port = num(e.backendRef, 'port');
  const target = {
    namespace: str(e.backendRef, 'namespace') ?? ns,
    name: str(e.backendRef, 'name') ?? '',
  };
  if (kind !== 'Service' || group !== '') return { kind: 'none' };
  const serviceRef = { kind: 'Service', ...target };
  if (target.namespace !== ns) {
    const granted = referenceGranted(
      ctx,
      { kind: e.route.kind, namespace: ns },
      { group: '', kind: 'Service', ...target },
    );
    if (granted === false) {
      const routeRef = refOf(e.route);
      ctx.findings.add(
        makeFinding(
          'REFERENCE_NOT_PERMITTED',
          routeRef,
          `${describe(routeRef)} sends to Service ${target.namespace}/${
            target.name
          } in another namespace, and no ReferenceGrant in ${
            target.namespace
          } permits ${e.route.kind}s of ${ns} to refer to it`,
          { routeIds },
        ),
      );
      return {
        kind: 'invalid',
        object: serviceRef,
        label: `Service ${target.namespace}/${target.name}: reference not permitted`,
        reason: `not permitted: no ReferenceGrant in namespace ${target.namespace} lets ${e.route.kind}s of ${ns} refer to this Service (the implementation answers 500)`,
      };
    }
    if (granted === null)
      problems.push({
        status: 'unknown',
        problem: `the backend Service ${target.namespace}/${target.name} lies in another namespace: the ReferenceGrants are not in the input`,
      });
  }
  return {
    kind: 'service',
    ...target,
    ...(port !== undefined ? { port } : {}),
    ...(e.weight ? { weight: e.weight } : {}),
  };
}

/** The adapter of a Gateway API route match towards one backendRef, through one listener: its plan. */
function gatewayRoutePlan(ctx: ResolveContext, e: Entry): ProxiedPlan {
  const { route } = e;
  const { gateway, listener, gwNs, gwName } = e.attachment;
  const info = routeKinds[route.kind];
  const routeRef = refOf(route);
  const routeIds = [e.id];
  const tls =
    listener.protocol === 'HTTPS' ||
    listener.protocol === 'TLS' ||
    route.kind === 'TLSRoute';
  const service = gateway ? gatewayService(ctx, gateway) : undefined;
  const port = service
    ? servicePorts(service).find(p => p.port === listener.port) ??
      servicePorts(service)[0]
    : undefined;
  const pods: Endpoint[] =
    service && port ? serviceEndpoints(ctx.index, service, port).endpoints : [];
  const front = frontOf(ctx, service, port, pods, routeIds);
  const proxy = proxyHop(ctx, e, routeIds, pods, service, front.source);

  // The rule: refused by the controller, by the listener, or resolved with doubts.
  const problems: Admission[] = [...certificateProblems(ctx, e, routeIds)];
  const target = backendTarget(ctx, e, routeIds, problems);
  const refusal = e.rejection
    ? ({
        status: 'broken',
        problem: e.rejection,
        code:
          route.kind === 'HTTPRoute'
            ? 'HTTPROUTE_NOT_ACCEPTED'
            : 'ROUTE_NOT_ACCEPTED',
      } as const)
    : e.attachment.refusal;
  if (refusal) {
    problems.unshift(refusal);
    if (refusal.status === 'broken')
      ctx.findings.add(
        makeFinding(
          refusal.code,
          routeRef,
          refusal.code === 'ROUTE_HOSTNAME_MISMATCH'
            ? `${describe(
                routeRef,
              )} is attached to no listener of Gateway ${gwNs}/${gwName}: ${
                refusal.problem
              }`
            : `${describe(
                routeRef,
              )} is not accepted by Gateway ${gwNs}/${gwName}: ${
                refusal.problem
              }`,
          { routeIds },
        ),
      );
  }
  let status: HopStatus = 'ok';
  if (problems.some(p => p.status === 'broken')) status = 'broken';
  else if (problems.some(p => p.status === 'degraded')) status = 'degraded';
  else if (problems.some(p => p.status === 'unknown')) status = 'unknown';
  const weightText = e.weight
    ? `, weight ${e.weight.weight} (${Math.round(
        e.weight.share * 100,
      )}% of the rule)${e.weight.weight === 0 ? ': gets no traffic' : ''}`
    : '';
  let tlsText = '';
  if (route.kind === 'TLSRoute')
    tlsText = `, TLS ${
      listener.tlsMode === 'Terminate' ? 'terminated' : 'passthrough (SNI)'
    }`;
  else if (tls) tlsText = ', TLS at the Gateway';
  const ruleHop: IngressHop = {
    kind: 'ingress',
    status,
    label: `${route.kind} ${routeRef.namespace}/${routeRef.name}: ${
      info.hostnames ? `${e.host ?? '*'} ` : ''
    }${e.match.text}${tlsText}${weightText}`,
    object: routeRef,
    ...(problems.length ? { problems: problems.map(p => p.problem!) } : {}),
    ...(e.host ? { host: e.host } : {}),
    ...(e.match.path !== undefined
      ? { path: e.match.path, pathType: e.match.pathType }
      : {}),
    tls,
    restrictions: [],
    sourceAddress: front.source,
  };

  // DNS should lead to the address the Gateway publishes, else to its load balancer.
  const published = gateway ? gatewayAddresses(gateway) : [];
  const expected =
    published.length > 0 ? published : front.loadBalancer?.addresses ?? [];
  return {
    via: 'proxy',
    id: e.id,
    entry: {
      kind: info.entry,
      object: routeRef,
      ...(e.host ? { host: e.host } : {}),
      ...(e.match.path !== undefined
        ? { path: e.match.path, pathType: e.match.pathType }
        : {}),
      port: listener.port,
      tls,
    },
    owner: route,
    front,
    dns: {
      expected,
      object: { kind: 'Gateway', namespace: gwNs, name: gwName },
      problems: [],
    },
    proxy,
    rule: ruleHop,
    target,
  };
}
