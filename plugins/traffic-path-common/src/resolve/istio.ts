/*
 * Istio's own routes: a VirtualService bound to Gateways (networking.istio.io).
 * The Gateway's `selector` picks the ingress gateway pods (in any namespace)
 * and the Service in front of them; a server's port number is a port of that
 * Service. Each `http` route × match × host × destination is an adapter's
 * plan. What is not modelled (tcp and tls routes, the mesh gateway, header
 * matches, DestinationRule subsets, hosts outside the cluster) is shown as
 * not modelled, never dropped.
 */
import { selectPods } from '../index/clusterIndex';
import {
  Endpoint,
  Hop,
  HopStatus,
  IngressControllerHop,
  IngressHop,
  KubeObject,
  NotModelledHop,
  ObjectRef,
} from '../model';
import {
  namespaceOf,
  num,
  records,
  refOf,
  str,
  stringMap,
  strings,
} from '../util/fields';
import { ResolveContext } from './context';
import { servicesSelecting } from './controller';
import { serviceEndpoints } from './endpoints';
import { frontOf } from './front';
import { hostnameIntersection } from './gateway';
import {
  assembleRoute,
  BackendTarget,
  clientHop,
  ProxiedPlan,
  RouteDraft,
} from './plan';
import { servicePorts } from './service';

export type IstioGatewayPods = { pods: KubeObject[]; service?: KubeObject };

type Server = {
  port: number;
  name: string;
  protocol: string;
  hosts: string[];
  tls: boolean;
  credentialName?: string;
};

function serversOf(gateway: KubeObject): Server[] {
  return records(gateway, 'spec.servers').map(s => ({
    port: num(s, 'port.number') ?? 0,
    name: str(s, 'port.name') ?? '',
    protocol: (str(s, 'port.protocol') ?? 'HTTP').toUpperCase(),
    // `namespace/host` limits which namespaces' VirtualServices may bind.
    hosts: strings(s, 'hosts'),
    tls: (str(s, 'port.protocol') ?? '').toUpperCase() === 'HTTPS',
    credentialName: str(s, 'tls.credentialName'),
  }));
}

/** The ingress gateway pods a Gateway's selector picks, and their Service; once per Gateway. */
function gatewayPods(
  ctx: ResolveContext,
  gateway: KubeObject,
): IstioGatewayPods {
  const key = `${namespaceOf(gateway)}/${gateway.metadata.name}`;
  let found = ctx.istio.get(key);
  if (!found) {
    const selector = stringMap(gateway, 'spec.selector');
    const pods = [...ctx.index.pods.namespaces()].flatMap(ns =>
      selectPods(ctx.index, ns, selector),
    );
    found = { pods, service: servicesSelecting(ctx.index, pods)[0] };
    ctx.istio.set(key, found);
  }
  return found;
}

/** `ns/name` or `name` (in the VirtualService's namespace). */
function gatewayRef(text: string, ns: string): { ns: string; name: string } {
  const [a, b] = text.split('/');
  return b === undefined ? { ns, name: a } : { ns: a, name: b };
}

/** A server host (`*`, `*.example.com`, `ns/host`) that admits the VirtualService's namespace. */
function serverHosts(server: Server, vsNs: string): string[] {
  return server.hosts
    .map(h => {
      const [a, b] = h.split('/');
      if (b === undefined) return a;
      return a === '*' || a === '.' || a === vsNs ? b : undefined;
    })
    .filter((h): h is string => !!h);
}

function intersectHosts(vsHosts: string[], allowed: string[]): string[] {
  const out = new Set<string>();
  for (const a of allowed)
    for (const h of vsHosts) {
      if (a === '*') out.add(h);
      else if (h === '*') out.add(a);
      else {
        const both = hostnameIntersection(a, h);
        if (both) out.add(both);
      }
    }
  return [...out];
}

type UriMatch = { path?: string; pathType?: string; other: string[] };

function httpMatches(route: Record<string, unknown>): UriMatch[] {
  const list = records(route, 'match');
  if (list.length === 0) return [{ other: [] }];
  return list.map(m => {
    const other = Object.keys(m)
      .filter(k => k !== 'uri' && k !== 'name')
      .map(k => `match.${k}`);
    const exact = str(m, 'uri.exact');
    const prefix = str(m, 'uri.prefix');
    const regex = str(m, 'uri.regex');
    if (exact !== undefined) return { path: exact, pathType: 'Exact', other };
    if (prefix !== undefined)
      return { path: prefix, pathType: 'Prefix', other };
    if (regex !== undefined)
      return {
        path: regex,
        pathType: 'Regexp',
        other: [...other, 'uri.regex'],
      };
    return { other };
  });
}

/** A destination host: a Service of the cluster (short, namespaced or FQDN), or outside it. */
function destinationService(
  host: string,
  vsNs: string,
): { namespace: string; name: string } | undefined {
  const parts = host.split('.');
  if (parts.length === 1) return { namespace: vsNs, name: host };
  if (parts.length === 2) return { namespace: parts[1], name: parts[0] };
  if (parts[2] === 'svc') return { namespace: parts[1], name: parts[0] };
  return undefined;
}

function notModelled(ref: ObjectRef, what: string[]): NotModelledHop {
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

export function virtualServiceRoutes(
  ctx: ResolveContext,
  vs: KubeObject,
): RouteDraft[] {
  const ns = namespaceOf(vs);
  const ref = refOf(vs);
  const prefix = `virtualservice:${ns}/${vs.metadata.name}`;
  const drafts: RouteDraft[] = [];
  const vsHosts = strings(vs, 'spec.hosts');
  const gateways = strings(vs, 'spec.gateways');
  // Sections and bindings that are not modelled are routes of their own.
  const unmodelled: string[] = [];
  if (gateways.length === 0 || gateways.includes('mesh'))
    unmodelled.push('routing inside the mesh (gateway "mesh": sidecars)');
  for (const section of ['tcp', 'tls'])
    if (records(vs, `spec.${section}`).length > 0)
      unmodelled.push(`spec.${section} routes`);
  if (unmodelled.length > 0)
    drafts.push({
      id: `${prefix}:not-modelled`,
      entry: {
        kind: 'istio-http-route',
        object: ref,
        ...(vsHosts[0] ? { host: vsHosts[0] } : {}),
        tls: false,
        exposure: 'cluster',
      },
      hops: [clientHop(), notModelled(ref, unmodelled)],
    });
  gateways
    .filter(g => g !== 'mesh')
    .forEach((g, gatewayIndex) => {
      const { ns: gwNs, name: gwName } = gatewayRef(g, ns);
      const gateway = ctx.index.istioGateways.get(gwNs, gwName);
      const servers = gateway
        ? serversOf(gateway).filter(s =>
            ['HTTP', 'HTTPS', 'HTTP2', 'GRPC'].includes(s.protocol),
          )
        : [];
      const bindings = gateway
        ? servers.map(server => ({
            server,
            hosts: intersectHosts(vsHosts, serverHosts(server, ns)),
          }))
        : [{ server: undefined, hosts: vsHosts }];
      bindings.forEach(({ server, hosts }, serverIndex) => {
        records(vs, 'spec.http').forEach((http, httpIndex) => {
          const destinations = records(http, 'route');
          const weights = destinations.map(d => num(d, 'weight') ?? 0);
          const total = weights.reduce((a, b) => a + b, 0);
          // Istio's validation refuses several destinations whose weights are all unset or 0.
          const noWeight = destinations.length > 1 && total === 0;
          httpMatches(http).forEach((match, matchIndex) =>
            (hosts.length > 0 ? hosts : [undefined]).forEach(
              (host, hostIndex) =>
                destinations.forEach((destination, destinationIndex) => {
                  const weight = destinationWeight(
                    destinations,
                    destinationIndex,
                    total,
                  );
                  drafts.push(
                    assembleRoute(
                      ctx,
                      istioPlan(ctx, {
                        id: `${prefix}:${gatewayIndex}:${serverIndex}:${httpIndex}:${matchIndex}:${hostIndex}:${destinationIndex}`,
                        vs,
                        gwNs,
                        gwName,
                        gateway,
                        server,
                        hostsMatch: hosts.length > 0,
                        host: host === '*' ? undefined : host,
                        match,
                        destination,
                        weight,
                        noWeight,
                      }),
                    ),
                  );
                }),
            ),
          );
        });
      });
    });
  return drafts;
}

/**
 * A destination's weight and share, as Istio documents them: a destination
 * receives weight/(sum of all weights); the only destination of a route
 * receives all traffic whatever its weight; otherwise an unset weight is 0
 * and gets no traffic.
 */
export function destinationWeight(
  destinations: Record<string, unknown>[],
  index: number,
  total: number,
): { weight: number; share: number } | undefined {
  const declared = num(destinations[index], 'weight');
  if (destinations.length === 1)
    return declared !== undefined ? { weight: declared, share: 1 } : undefined;
  const weight = declared ?? 0;
  return { weight, share: total > 0 ? weight / total : 0 };
}

type Entry = {
  id: string;
  vs: KubeObject;
  gwNs: string;
  gwName: string;
  gateway?: KubeObject;
  server?: Server;
  hostsMatch: boolean;
  host?: string;
  match: UriMatch;
  destination: Record<string, unknown>;
  weight?: { weight: number; share: number };
  /** Several destinations and no weight among them. */
  noWeight?: boolean;
};

function weightText(e: Entry): string {
  if (!e.weight) return '';
  const unset = num(e.destination, 'weight') === undefined;
  if (e.noWeight) return ', weight unset';
  const share = `${Math.round(e.weight.share * 100)}%`;
  if (e.weight.share === 1 && !unset && e.weight.weight !== 100)
    return `, weight ${e.weight.weight} (${share}: the only destination)`;
  return `, ${unset ? 'weight unset' : `weight ${e.weight.weight}`} (${share})${
    e.weight.share === 0 ? ': gets no traffic' : ''
  }`;
}

function istioPlan(ctx: ResolveContext, e: Entry): ProxiedPlan {
  const ref = refOf(e.vs);
  const ns = namespaceOf(e.vs);
  const routeIds = [e.id];
  const found = e.gateway ? gatewayPods(ctx, e.gateway) : { pods: [] };
  const port = found.service
    ? servicePorts(found.service).find(p => p.port === e.server?.port) ??
      servicePorts(found.service).find(p => p.targetPort === e.server?.port)
    : undefined;
  let pods: Endpoint[] = [];
  if (found.service && port)
    pods = serviceEndpoints(ctx.index, found.service, port).endpoints;
  const front = frontOf(ctx, found.service, port, pods, routeIds);

  const proxyProblems: string[] = [];
  let proxyStatus: HopStatus = 'ok';
  if (!e.gateway) {
    proxyStatus = 'unknown';
    proxyProblems.push(
      `Istio Gateway ${e.gwNs}/${e.gwName} is not in the input`,
    );
  } else if (found.pods.length === 0 || !found.service) {
    proxyStatus = 'unknown';
    proxyProblems.push(
      `no ${
        found.pods.length === 0 ? 'pods' : 'Service'
      } of the ingress gateway the selector ${JSON.stringify(
        stringMap(e.gateway, 'spec.selector'),
      )} picks is in the input`,
    );
  } else if (pods.length > 0 && pods.every(p => p.template)) {
    proxyStatus = 'unknown';
    proxyProblems.push(
      'not deployed: the ingress gateway pods come from pod templates',
    );
  } else if (pods.length > 0 && !pods.some(p => p.ready)) {
    proxyStatus = 'broken';
    proxyProblems.push('no ingress gateway pod is ready');
  }
  const service = found.service;
  const proxy: IngressControllerHop = {
    kind: 'ingress-controller',
    status: proxyStatus,
    label: `Istio Gateway ${e.gwNs}/${e.gwName}${
      e.server
        ? `, server ${e.server.name || '?'} ${e.server.protocol}/${
            e.server.port
          }`
        : ''
    }${
      service ? ` on ${namespaceOf(service)}/${service.metadata.name}` : ''
    }, ${pods.length} pod${
      pods.length === 1 ? '' : 's'
    }, upstream pod IPs directly`,
    object: { kind: 'Gateway', namespace: e.gwNs, name: e.gwName },
    ...(proxyProblems.length ? { problems: proxyProblems } : {}),
    controller: 'istio',
    classSource: 'crd',
    pods,
    ...(service ? { service: refOf(service) } : {}),
    upstream: 'endpoints',
    sourceAddress: front.source,
  };

  const problems: { status: HopStatus; text: string }[] = [];
  if (e.gateway && !e.server)
    problems.push({
      status: 'broken',
      text: `Gateway ${e.gwNs}/${e.gwName} has no HTTP or HTTPS server`,
    });
  if (e.gateway && e.server && !e.hostsMatch)
    problems.push({
      status: 'broken',
      text: `no host of the VirtualService (${strings(e.vs, 'spec.hosts').join(
        ', ',
      )}) is served by server ${e.server.name} of Gateway ${e.gwNs}/${
        e.gwName
      } (hosts ${e.server.hosts.join(', ')})`,
    });
  if (e.noWeight)
    problems.push({
      status: 'broken',
      text: "none of the route's destinations has a weight: Istio's validation rejects the VirtualService (total destination weight = 0); a destination receives weight/(sum of all weights), an unset weight is 0",
    });
  const what: string[] = [...e.match.other];
  const destHost = str(e.destination, 'destination.host') ?? '';
  const subset = str(e.destination, 'destination.subset');
  if (subset)
    what.push(
      `subset ${subset} (DestinationRule): all pods of the Service are shown`,
    );
  const target: BackendTarget = (() => {
    const svc = destinationService(destHost, ns);
    if (!svc) {
      what.push(`destination ${destHost} outside the cluster (ServiceEntry)`);
      return { kind: 'none' };
    }
    const destPort = num(e.destination, 'destination.port.number');
    return {
      kind: 'service',
      ...svc,
      ...(destPort !== undefined ? { port: destPort } : {}),
      ...(e.weight ? { weight: e.weight } : {}),
    };
  })();
  let status: HopStatus = 'ok';
  if (problems.some(p => p.status === 'broken')) status = 'broken';
  const tls = !!e.server?.tls;
  const rule: IngressHop = {
    kind: 'ingress',
    status,
    label: `VirtualService ${ref.namespace}/${ref.name}: ${e.host ?? '*'}${
      e.match.path !== undefined ? ` ${e.match.path} (${e.match.pathType})` : ''
    } → ${destHost}${subset ? ` subset ${subset}` : ''}${
      tls
        ? `, TLS at the gateway${
            e.server?.credentialName ? ` (${e.server.credentialName})` : ''
          }`
        : ''
    }${weightText(e)}`,
    object: ref,
    ...(problems.length ? { problems: problems.map(p => p.text) } : {}),
    ...(e.host ? { host: e.host } : {}),
    ...(e.match.path !== undefined
      ? { path: e.match.path, pathType: e.match.pathType }
      : {}),
    tls,
    ...(e.server?.credentialName ? { tlsSecret: e.server.credentialName } : {}),
    restrictions: [],
    sourceAddress: front.source,
  };
  const extra: Hop[] = what.length > 0 ? [notModelled(ref, what)] : [];
  const entryPort = port?.port ?? e.server?.port;
  return {
    via: 'proxy',
    id: e.id,
    entry: {
      kind: 'istio-http-route',
      object: ref,
      ...(e.host ? { host: e.host } : {}),
      ...(e.match.path !== undefined
        ? { path: e.match.path, pathType: e.match.pathType }
        : {}),
      ...(entryPort !== undefined ? { port: entryPort } : {}),
      tls,
    },
    owner: e.vs,
    front,
    dns: {
      expected: front.loadBalancer?.addresses ?? [],
      object: { kind: 'Gateway', namespace: e.gwNs, name: e.gwName },
      problems: [],
    },
    proxy,
    rule,
    extra,
    target,
  };
}
