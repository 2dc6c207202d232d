/*
 * Gateway API routes: HTTPRoute, GRPCRoute, TLSRoute, TCPRoute and UDPRoute
 * rules → the parent Gateway's listener (sectionName, port, protocol,
 * allowedRoutes, hostname intersection) → the Service the implementation
 * publishes (its load balancer) → the implementation's pods → the backend
 * Service's endpoints, with weights and ReferenceGrants. Implementations
 * (Envoy Gateway, Istio, Cilium, NGINX Gateway Fabric) proxy to endpoint
 * IPs, so the backend Service is drawn aside, as for ingress-nginx.
 */
import type { FindingCode } from '../findings/catalog';
import { isListed, isListedIn } from '../index/clusterIndex';
import {
  EntryKind,
  Endpoint,
  HopStatus,
  IngressControllerHop,
  IngressHop,
  KubeObject,
  NotModelledHop,
  ObjectRef,
} from '../model';
import {
  field,
  namespaceOf,
  num,
  records,
  refOf,
  str,
  strings,
} from '../util/fields';
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

/**
 * What each route kind attaches to and how it is drawn. `terminated`: the
 * protocols whose listener also takes the kind when it terminates TLS
 * (tls.mode Terminate): a TCPRoute on a TLS listener gets the decrypted
 * stream; TLS passthrough is for TLSRoutes only (Gateway API, TLSModeType).
 */
const routeKinds: Record<
  string,
  {
    entry: EntryKind;
    protocols: string[];
    terminated?: string[];
    hostnames: boolean;
  }
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
  TCPRoute: {
    entry: 'tcp-route-rule',
    protocols: ['TCP'],
    terminated: ['TLS'],
    hostnames: false,
  },
  UDPRoute: { entry: 'udp-route-rule', protocols: ['UDP'], hostnames: false },
};

/** The listener's TLS mode: `Terminate` is the API's default when tls is set. */
function tlsModeOf(listener: Listener): string | undefined {
  if (listener.protocol !== 'TLS' && listener.protocol !== 'HTTPS')
    return undefined;
  return listener.tlsMode ?? 'Terminate';
}

/** Whether a listener's protocol (and TLS mode) takes routes of this kind. */
export function listenerTakes(kind: string, listener: Listener): boolean {
  const info = routeKinds[kind];
  if (!info) return false;
  if (info.protocols.includes(listener.protocol)) return true;
  return (
    !!info.terminated?.includes(listener.protocol) &&
    tlsModeOf(listener) === 'Terminate'
  );
}

/** The protocols a kind attaches to, in words: `TCP, or TLS with tls.mode Terminate`. */
function protocolsText(kind: string): string {
  const info = routeKinds[kind];
  const plain = `protocol ${info.protocols.join(' or ')}`;
  return info.terminated
    ? `${plain}, or ${info.terminated.join(' or ')} with tls.mode Terminate`
    : plain;
}

function listenerText(l: Listener): string {
  const mode = l.protocol === 'TLS' ? ` ${tlsModeOf(l)}` : '';
  return `${l.name} ${l.protocol}/${l.port}${mode}`;
}

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
  refusal?: Refusal;
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
      listenerTakes(kind, l),
  );
  if (candidates.length === 0) {
    const wanted = [
      section ? `sectionName ${section}` : '',
      port !== undefined ? `port ${port}` : '',
      protocolsText(kind),
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
            all.map(listenerText).join(', ') || 'none'
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
            const idRule = `${idBase}:${
              attachment.listener.name || '-'
            }:${hostIndex}:${ruleIndex}:${matchIndex}`;
            // A rule without backends (a redirect) is a route too: it ends at the Gateway.
            if (backendRefs.length === 0)
              drafts.push(
                assembleRoute(
                  ctx,
                  gatewayRoutePlan(ctx, {
                    id: `${idRule}:-`,
                    route,
                    attachment,
                    host,
                    match,
                    rule,
                    rejection,
                  }),
                ),
              );
            backendRefs.forEach((backendRef, backendIndex) => {
              const id = `${idRule}:${backendIndex}`;
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
                    rule,
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
  rule: Record<string, unknown>;
  /** Absent: the rule has no backendRefs. */
  backendRef?: Record<string, unknown>;
  weight?: { weight: number; share: number };
  rejection?: string;
};

/** What a rule's (or a backendRef's) filters do, as facts; what is not modelled, named. */
type FilterReading = {
  facts: string[];
  /** The redirect the Gateway answers with instead of forwarding. */
  redirect?: string;
  notModelled: string[];
  problems: Admission[];
};

function headerText(
  filter: Record<string, unknown>,
  modifier: string,
): string | undefined {
  const pairs = (op: string) =>
    records(filter, `${modifier}.${op}`).map(
      h => `${str(h, 'name') ?? '?'}: ${str(h, 'value') ?? ''}`,
    );
  const parts = [
    ...pairs('set').map(p => `set ${p}`),
    ...pairs('add').map(p => `add ${p}`),
    ...strings(filter, `${modifier}.remove`).map(n => `remove ${n}`),
  ];
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/** A path modifier of a redirect or a rewrite, in words. */
function pathModifierText(modifier: unknown, match: Match): string | undefined {
  const type = str(modifier, 'type');
  if (type === 'ReplaceFullPath')
    return `path ${str(modifier, 'replaceFullPath') ?? ''}`;
  if (type === 'ReplacePrefixMatch')
    return `path prefix ${match.path ?? '/'} replaced by ${
      str(modifier, 'replacePrefixMatch') || '/'
    }`;
  return undefined;
}

/** The Location a RequestRedirect answers with: unset parts keep the request's. */
function redirectText(filter: Record<string, unknown>, e: Entry): string {
  const scheme = str(filter, 'requestRedirect.scheme');
  const host = str(filter, 'requestRedirect.hostname');
  const explicitPort = num(filter, 'requestRedirect.port');
  // Unset port: the scheme's well-known port, else the listener's (Gateway API).
  let port = explicitPort ?? e.attachment.listener.port;
  if (explicitPort === undefined && scheme)
    port = scheme === 'https' ? 443 : 80;
  const status = num(filter, 'requestRedirect.statusCode') ?? 302;
  const path =
    pathModifierText(field(filter, 'requestRedirect.path'), e.match) ??
    'path unchanged';
  const requestHost = e.host && !e.host.startsWith('*') ? e.host : undefined;
  return `redirects (${status}) to ${scheme ?? "the request's scheme"}://${
    host ?? requestHost ?? "the request's host"
  }:${port}, ${path}`;
}

function mirrorText(
  ctx: ResolveContext,
  filter: Record<string, unknown>,
  routeNs: string,
  problems: Admission[],
): string {
  const ref = field(filter, 'requestMirror.backendRef');
  const ns = str(ref, 'namespace') ?? routeNs;
  const name = str(ref, 'name') ?? '?';
  const kind = str(ref, 'kind') ?? 'Service';
  const port = num(ref, 'port');
  const percent = num(filter, 'requestMirror.percent');
  const numerator = num(filter, 'requestMirror.fraction.numerator');
  const denominator = num(filter, 'requestMirror.fraction.denominator') ?? 100;
  let share = 100;
  if (percent !== undefined) share = percent;
  else if (numerator !== undefined && denominator > 0)
    share = (numerator / denominator) * 100;
  if (
    kind === 'Service' &&
    isListedIn(ctx.index, 'Service', ns) &&
    !ctx.index.services.has(ns, name)
  )
    problems.push({
      status: 'degraded',
      problem: `the RequestMirror backend Service ${ns}/${name} does not exist: the implementation drops the mirror (ResolvedRefs False)`,
    });
  return `mirrors ${
    Math.round(share * 100) / 100
  }% of requests to ${kind} ${ns}/${name}${
    port !== undefined ? `:${port}` : ''
  } (its responses are ignored)`;
}

/**
 * Reads HTTPRoute and GRPCRoute filters: header modifiers, redirects,
 * rewrites and mirrors are stated as facts; ExtensionRef and the filters
 * Traffic Path does not model are named, never dropped.
 */
function readFilters(
  ctx: ResolveContext,
  e: Entry,
  filters: Record<string, unknown>[],
  scope: string,
): FilterReading {
  const out: FilterReading = { facts: [], notModelled: [], problems: [] };
  const routeNs = namespaceOf(e.route);
  for (const filter of filters) {
    const type = str(filter, 'type') ?? '?';
    if (type === 'RequestHeaderModifier' || type === 'ResponseHeaderModifier') {
      const key =
        type === 'RequestHeaderModifier'
          ? 'requestHeaderModifier'
          : 'responseHeaderModifier';
      const text = headerText(filter, key);
      if (text)
        out.facts.push(
          `${
            type === 'RequestHeaderModifier' ? 'request' : 'response'
          } headers${scope}: ${text}`,
        );
    } else if (type === 'RequestRedirect') {
      out.redirect = redirectText(filter, e);
    } else if (type === 'URLRewrite') {
      const host = str(filter, 'urlRewrite.hostname');
      const path = pathModifierText(field(filter, 'urlRewrite.path'), e.match);
      const parts = [
        ...(host ? [`Host ${host}`] : []),
        ...(path ? [path] : []),
      ];
      if (parts.length > 0)
        out.facts.push(`rewrites${scope} to ${parts.join(', ')}`);
    } else if (type === 'RequestMirror') {
      out.facts.push(mirrorText(ctx, filter, routeNs, out.problems));
    } else if (type === 'ExtensionRef') {
      const ref = field(filter, 'extensionRef');
      out.notModelled.push(
        `filter ExtensionRef ${str(ref, 'group') ?? ''}/${
          str(ref, 'kind') ?? '?'
        } ${str(ref, 'name') ?? '?'}${scope}`,
      );
    } else {
      out.notModelled.push(`filter ${type}${scope}`);
    }
  }
  return out;
}

/** The filters of the rule, then those of its backendRef (applied only on the way to it). */
function entryFilters(ctx: ResolveContext, e: Entry): FilterReading {
  if (e.route.kind !== 'HTTPRoute' && e.route.kind !== 'GRPCRoute')
    return { facts: [], notModelled: [], problems: [] };
  const rule = readFilters(ctx, e, records(e.rule, 'filters'), '');
  const backend = e.backendRef
    ? readFilters(
        ctx,
        e,
        records(e.backendRef, 'filters'),
        ' (on the way to this backend)',
      )
    : { facts: [], notModelled: [], problems: [] };
  const redirect =
    rule.redirect ??
    (backend.redirect
      ? `${backend.redirect} (on the way to this backend)`
      : undefined);
  return {
    facts: [...rule.facts, ...backend.facts],
    ...(redirect ? { redirect } : {}),
    notModelled: [...rule.notModelled, ...backend.notModelled],
    problems: [...rule.problems, ...backend.problems],
  };
}

function proxyHop(
  ctx: ResolveContext,
  e: Entry,
  pods: Endpoint[],
  service: KubeObject | undefined,
  source: IngressControllerHop['sourceAddress'],
): IngressControllerHop {
  const { gateway, gwNs, gwName, listener } = e.attachment;
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
  } else if (
    className &&
    isListed(ctx.index, 'GatewayClass') &&
    !ctx.index.gatewayClasses.has(className)
  ) {
    // No class, no controller: nobody programs this Gateway.
    status = 'broken';
    problems.push(`GatewayClass ${className} not found`);
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

/** What the input says about one certificateRef of a listener. */
export type CertificateFact = {
  ref: { kind: string; namespace: string; name: string };
  /** The input lists the namespace's Secrets and this one is not among them. */
  missing: boolean;
  /** For a ref into another namespace: whether a ReferenceGrant permits it (null: not known). */
  granted?: boolean | null;
};

/** The certificateRefs of a listener, with what the input proves about them. */
export function certificateFacts(
  ctx: ResolveContext,
  gateway: KubeObject,
  listener: Listener,
): CertificateFact[] {
  // Passthrough listeners ignore certificateRefs: the backend holds the certificate.
  if (tlsModeOf(listener) === 'Passthrough') return [];
  const gwNs = namespaceOf(gateway);
  return listener.certificateRefs.map(ref => {
    const namespace = ref.namespace ?? gwNs;
    // Only input that lists the namespace's Secrets can prove one missing.
    const missing =
      ref.kind === 'Secret' &&
      isListedIn(ctx.index, 'Secret', namespace) &&
      !ctx.index.secrets.has(namespace, ref.name);
    const fact: CertificateFact = {
      ref: { kind: ref.kind, namespace, name: ref.name },
      missing,
    };
    if (namespace !== gwNs)
      fact.granted = referenceGranted(
        ctx,
        { kind: 'Gateway', namespace: gwNs },
        { group: '', kind: ref.kind, namespace, name: ref.name },
      );
    return fact;
  });
}

/** `certificateRef Secret certs/wildcard-tls of listener https`. */
export function certificateRefText(
  fact: CertificateFact,
  listener: Listener,
): string {
  const { ref } = fact;
  return `certificateRef ${ref.kind} ${ref.namespace}/${ref.name} of listener ${listener.name}`;
}

/** Certificates that are missing, or in another namespace without a ReferenceGrant. */
function certificateProblems(ctx: ResolveContext, e: Entry): Admission[] {
  const { gateway, listener } = e.attachment;
  if (!gateway) return [];
  const out: Admission[] = [];
  for (const fact of certificateFacts(ctx, gateway, listener)) {
    const { ref } = fact;
    if (fact.missing)
      out.push({
        status: 'degraded',
        problem: `TLS Secret ${ref.namespace}/${ref.name} of listener ${listener.name} not found`,
      });
    if (fact.granted === undefined || fact.granted) continue;
    const what = certificateRefText(fact, listener);
    out.push(
      fact.granted === null
        ? {
            status: 'unknown',
            problem: `${what} lies in another namespace: the ReferenceGrants are not in the input`,
          }
        : {
            status: 'broken',
            problem: `${what} lies in another namespace and no ReferenceGrant there permits it: the listener serves no certificate`,
          },
    );
  }
  return out;
}

/** A backendRef into another namespace needs a ReferenceGrant there. */
function backendTarget(
  ctx: ResolveContext,
  e: Entry,
  problems: Admission[],
  notModelled: string[],
): BackendTarget {
  const ns = namespaceOf(e.route);
  const kind = str(e.backendRef, 'kind') ?? 'Service';
  const group = str(e.backendRef, 'group') ?? '';
  const port = num(e.backendRef, 'port');
  const target = {
    namespace: str(e.backendRef, 'namespace') ?? ns,
    name: str(e.backendRef, 'name') ?? '',
  };
  if (kind !== 'Service' || group !== '') {
    notModelled.push(
      `backendRef ${group ? `${group}/` : ''}${kind} ${target.namespace}/${
        target.name
      }`,
    );
    return { kind: 'none' };
  }
  const serviceRef = { kind: 'Service', ...target };
  if (target.namespace !== ns) {
    const granted = referenceGranted(
      ctx,
      { kind: e.route.kind, namespace: ns },
      { group: '', kind: 'Service', ...target },
    );
    if (granted === false) {
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

export type Refusal = Admission & { code: FindingCode };

/** Why the route does not attach to this listener: the controller's verdict first, else the listener's. */
function refusalOf(
  route: KubeObject,
  attachment: Attachment,
  rejection: string | undefined,
): Refusal | undefined {
  if (!rejection) return attachment.refusal;
  return {
    status: 'broken',
    problem: rejection,
    code:
      route.kind === 'HTTPRoute'
        ? 'HTTPROUTE_NOT_ACCEPTED'
        : 'ROUTE_NOT_ACCEPTED',
  };
}

/** The route object, parent and listener of a Gateway API route's draft (from its id), per context. */
const routeObjects = new WeakMap<ResolveContext, Map<string, KubeObject>>();

function routeObject(
  ctx: ResolveContext,
  kind: string,
  ns: string,
  name: string,
): KubeObject | undefined {
  let byKey = routeObjects.get(ctx);
  if (!byKey) {
    byKey = new Map();
    for (const r of [...ctx.index.httpRoutes, ...ctx.index.otherRoutes])
      byKey.set(`${r.kind}:${namespaceOf(r)}/${r.metadata.name}`, r);
    routeObjects.set(ctx, byKey);
  }
  return byKey.get(`${kind}:${ns}/${name}`);
}

export type RouteAttachment = {
  route: KubeObject;
  attachment: Attachment;
  /** Why the route does not attach there, when it does not. */
  refusal?: Refusal;
};

const attachmentsFound = new WeakMap<
  ResolveContext,
  Map<string, RouteAttachment | undefined>
>();

/**
 * The listener a Gateway API route's draft goes through, found again from
 * the draft's id (`kind:ns/name:parent:listener:…`, built by
 * gatewayRouteRoutes): the rules over its hops read the listener's facts.
 */
export function routeAttachment(
  ctx: ResolveContext,
  draft: { id: string; entry: { object: ObjectRef } },
): RouteAttachment | undefined {
  // Several rules ask for the same route's listener: found once per report.
  let memo = attachmentsFound.get(ctx);
  if (!memo) attachmentsFound.set(ctx, (memo = new Map()));
  if (!memo.has(draft.id)) memo.set(draft.id, findAttachment(ctx, draft));
  return memo.get(draft.id);
}

function findAttachment(
  ctx: ResolveContext,
  draft: { id: string; entry: { object: ObjectRef } },
): RouteAttachment | undefined {
  const { object } = draft.entry;
  if (!routeKinds[object.kind]) return undefined;
  const [, , parentText, listenerName] = draft.id.split(':');
  const parentIndex = Number(parentText);
  if (!Number.isInteger(parentIndex) || listenerName === undefined)
    return undefined;
  const route = routeObject(
    ctx,
    object.kind,
    object.namespace ?? '',
    object.name,
  );
  const parentRef = route
    ? records(route, 'spec.parentRefs')[parentIndex]
    : undefined;
  if (
    !route ||
    !parentRef ||
    (str(parentRef, 'kind') ?? 'Gateway') !== 'Gateway'
  )
    return undefined;
  const attachment = attachments(ctx, route, parentRef).find(
    a => (a.listener.name || '-') === listenerName,
  );
  if (!attachment) return undefined;
  const refusal = refusalOf(
    route,
    attachment,
    parentRejection(route, attachment.gwNs, attachment.gwName),
  );
  return { route, attachment, ...(refusal ? { refusal } : {}) };
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
  const proxy = proxyHop(ctx, e, pods, service, front.source);

  // The rule: refused by the controller, by the listener, or resolved with doubts.
  const problems: Admission[] = [...certificateProblems(ctx, e)];
  const filters = entryFilters(ctx, e);
  problems.push(...filters.problems);
  const notModelled = [...filters.notModelled];
  // A redirect answers at the Gateway: the request does not reach a backend.
  let target: BackendTarget = { kind: 'none' };
  if (e.backendRef && !filters.redirect)
    target = backendTarget(ctx, e, problems, notModelled);
  else if (!e.backendRef && !filters.redirect)
    problems.push({
      status: 'broken',
      problem:
        'the rule has no backendRefs and no RequestRedirect: matching requests reach no backend (the Gateway answers with an error, 500 when the rule has no filters)',
    });
  const refusal = refusalOf(route, e.attachment, e.rejection);
  if (refusal) problems.unshift(refusal);
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
      tlsModeOf(listener) === 'Terminate' ? 'terminated' : 'passthrough (SNI)'
    }`;
  else if (listener.protocol === 'TLS')
    tlsText =
      tlsModeOf(listener) === 'Terminate'
        ? ', TLS terminated at the Gateway, the decrypted stream forwarded'
        : ', TLS passthrough (SNI)';
  else if (tls) tlsText = ', TLS at the Gateway';
  // A TLS listener matches the SNI against its hostname, whatever the route kind.
  const showsHost = info.hostnames || listener.protocol === 'TLS';
  const ruleHop: IngressHop = {
    kind: 'ingress',
    status,
    label: `${route.kind} ${routeRef.namespace}/${routeRef.name}: ${
      showsHost ? `${e.host ?? '*'} ` : ''
    }${e.match.text}${tlsText}${weightText}${[
      ...filters.facts,
      ...(filters.redirect
        ? [
            `${filters.redirect}: answered by the Gateway, no backend is reached`,
          ]
        : []),
    ]
      .map(f => `; ${f}`)
      .join('')}`,
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
    extra:
      notModelled.length > 0 ? [notModelledHop(routeRef, notModelled)] : [],
    target,
  };
}

function notModelledHop(ref: ObjectRef, what: string[]): NotModelledHop {
  return {
    kind: 'not-modelled',
    status: 'unknown',
    label: `not modelled: ${what.join('; ')}`,
    object: ref,
    problems: [
      'Traffic Path does not model these parts of the route: what they do to a request is not shown',
    ],
    what: what.join('; '),
  };
}
