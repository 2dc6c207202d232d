/*
 * Gateway API routes: HTTPRoute rule → parent Gateway listener → the
 * Service the Gateway implementation publishes (its load balancer) → the
 * implementation's pods → the backend Service's endpoints. Implementations
 * (Envoy Gateway, Istio, Cilium, NGINX Gateway Fabric) proxy to endpoint
 * IPs, so the backend Service is drawn aside, as for ingress-nginx.
 */
import { makeFinding } from '../findings/catalog';
import { isListed } from '../index/clusterIndex';
import {
  Endpoint,
  IngressControllerHop,
  IngressHop,
  KubeObject,
} from '../model';
import { namespaceOf, records, refOf, str } from '../util/fields';
import { ResolveContext } from './context';
import { serviceEndpoints } from './endpoints';
import { frontOf } from './front';
import { hostMatches } from './ingress';
import { assembleRoute, BackendTarget, ProxiedPlan, RouteDraft } from './plan';
import { servicePorts } from './service';

type Listener = {
  name: string;
  hostname?: string;
  port: number;
  protocol: string;
  allowedFrom: string;
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

function listeners(gateway: KubeObject): Listener[] {
  return records(gateway, 'spec.listeners').map(l => ({
    name: str(l, 'name') ?? '',
    hostname: str(l, 'hostname'),
    port: Number((l as { port?: unknown }).port) || 0,
    protocol: str(l, 'protocol') ?? 'HTTP',
    allowedFrom: str(l, 'allowedRoutes.namespaces.from') ?? 'Same',
  }));
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

type Match = { path: string; pathType: string };

function matches(rule: Record<string, unknown>): Match[] {
  const list = records(rule, 'matches');
  if (list.length === 0) return [{ path: '/', pathType: 'PathPrefix' }];
  return list.map(m => ({
    path: str(m, 'path.value') ?? '/',
    pathType: str(m, 'path.type') ?? 'PathPrefix',
  }));
}

function routeHosts(
  route: KubeObject,
  listener: Listener,
): (string | undefined)[] {
  const hostnames = ((route.spec as { hostnames?: unknown })?.hostnames ??
    []) as unknown[];
  const names = hostnames.filter((h): h is string => typeof h === 'string');
  if (names.length === 0) return [listener.hostname];
  // A route hostname must fit the listener's (which may be a wildcard).
  return names.filter(
    h =>
      !listener.hostname ||
      hostMatches(listener.hostname, h) ||
      hostMatches(h, listener.hostname),
  );
}

export function httpRouteRoutes(
  ctx: ResolveContext,
  route: KubeObject,
): RouteDraft[] {
  const routeRef = refOf(route);
  const ns = namespaceOf(route);
  const drafts: RouteDraft[] = [];
  const rules = records(route, 'spec.rules');
  records(route, 'spec.parentRefs').forEach((parentRef, parentIndex) => {
    const kind = str(parentRef, 'kind') ?? 'Gateway';
    if (kind !== 'Gateway') return;
    const gwNs = str(parentRef, 'namespace') ?? ns;
    const gwName = str(parentRef, 'name') ?? '';
    const section = str(parentRef, 'sectionName');
    const gateway = ctx.index.gateways.get(gwNs, gwName);
    const idBase = `httproute:${ns}/${route.metadata.name}:${parentIndex}`;
    const rejection = parentRejection(route, gwNs, gwName);
    const candidates = gateway
      ? listeners(gateway).filter(
          l =>
            (!section || l.name === section) &&
            (l.protocol === 'HTTP' || l.protocol === 'HTTPS'),
        )
      : [
          {
            name: '',
            port: 80,
            protocol: 'HTTP',
            allowedFrom: 'All',
          } as Listener,
        ];
    for (const listener of candidates) {
      routeHosts(route, listener).forEach((host, hostIndex) => {
        rules.forEach((rule, ruleIndex) => {
          const backendRefs = records(rule, 'backendRefs');
          matches(rule).forEach((match, matchIndex) => {
            backendRefs.forEach((backendRef, backendIndex) => {
              const id = `${idBase}:${
                listener.name || '-'
              }:${hostIndex}:${ruleIndex}:${matchIndex}:${backendIndex}`;
              drafts.push(
                assembleRoute(
                  ctx,
                  httpRoutePlan(ctx, {
                    id,
                    route,
                    routeRef,
                    gateway,
                    gwNs,
                    gwName,
                    listener,
                    host,
                    match,
                    backendRef,
                    weighted: backendRefs.length > 1,
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

type Entry = {
  id: string;
  route: KubeObject;
  routeRef: ReturnType<typeof refOf>;
  gateway?: KubeObject;
  gwNs: string;
  gwName: string;
  listener: Listener;
  host?: string;
  match: Match;
  backendRef: Record<string, unknown>;
  weighted: boolean;
  rejection?: string;
};

/** The adapter of an HTTPRoute match towards one backendRef, through one listener: its plan. */
function httpRoutePlan(ctx: ResolveContext, e: Entry): ProxiedPlan {
  const { route, routeRef, gateway, listener } = e;
  const routeIds = [e.id];
  const ns = namespaceOf(route);
  const tls = listener.protocol === 'HTTPS';
  const service = gateway ? gatewayService(ctx, gateway) : undefined;
  const port = service
    ? servicePorts(service).find(p => p.port === listener.port) ??
      servicePorts(service)[0]
    : undefined;
  const pods: Endpoint[] =
    service && port ? serviceEndpoints(ctx.index, service, port).endpoints : [];
  const front = frontOf(ctx, service, port, pods, routeIds);
  const gatewayRef = { kind: 'Gateway', namespace: e.gwNs, name: e.gwName };

  // The controller: the Gateway, its class and its implementation's pods.
  const className = gateway ? str(gateway, 'spec.gatewayClassName') : undefined;
  const controllerName = className
    ? str(ctx.index.gatewayClasses.get(className) ?? {}, 'spec.controllerName')
    : undefined;
  const ctrlProblems: string[] = [];
  let ctrlStatus: IngressControllerHop['status'] = 'ok';
  if (!gateway) {
    // Only input that lists Gateways can prove this one missing.
    const listed = isListed(ctx.index, 'Gateway');
    ctrlStatus = listed ? 'broken' : 'unknown';
    ctrlProblems.push(
      `Gateway ${e.gwNs}/${e.gwName} not ${listed ? 'found' : 'in the input'}`,
    );
    if (listed) {
      ctx.findings.add(
        makeFinding(
          'GATEWAY_NOT_FOUND',
          routeRef,
          `HTTPRoute ${routeRef.namespace}/${routeRef.name} is attached to Gateway ${e.gwNs}/${e.gwName}, which does not exist`,
          { routeIds },
        ),
      );
    }
  } else if (!service) {
    ctrlStatus = 'unknown';
    ctrlProblems.push(
      'the Service of the Gateway implementation was not found in the input',
    );
  } else if (pods.length > 0 && pods.every(p => p.template)) {
    ctrlStatus = 'unknown';
    ctrlProblems.push(
      'not deployed: the pods of the Gateway implementation come from pod templates',
    );
  } else if (pods.length > 0 && !pods.some(p => p.ready)) {
    ctrlStatus = 'broken';
    ctrlProblems.push('no pod of the Gateway implementation is ready');
  }
  const ctrlHop: IngressControllerHop = {
    kind: 'ingress-controller',
    status: ctrlStatus,
    label: `Gateway ${e.gwNs}/${e.gwName}${
      className
        ? ` (class ${className}${controllerName ? `, ${controllerName}` : ''})`
        : ''
    }, listener ${listener.name || '?'} ${listener.protocol}/${
      listener.port
    }, ${pods.length} pod${
      pods.length === 1 ? '' : 's'
    }, upstream pod IPs directly`,
    object: gatewayRef,
    ...(ctrlProblems.length ? { problems: ctrlProblems } : {}),
    controller: 'generic',
    ...(className ? { className } : {}),
    ...(controllerName ? { controllerName } : {}),
    classSource: 'gateway',
    pods,
    ...(service ? { service: refOf(service) } : {}),
    upstream: 'endpoints',
    sourceAddress: front.source,
  };

  // The route rule: refused by the controller, or by the listener's allowedRoutes.
  const ruleProblems: string[] = [];
  let ruleStatus: IngressHop['status'] = 'ok';
  const notAllowed =
    gateway && listener.allowedFrom === 'Same' && namespaceOf(gateway) !== ns;
  const refusal =
    e.rejection ??
    (notAllowed
      ? `listener ${listener.name} of Gateway ${e.gwNs}/${e.gwName} accepts routes from its own namespace only (allowedRoutes.namespaces.from: Same)`
      : undefined);
  if (refusal) {
    ruleStatus = 'broken';
    ruleProblems.push(refusal);
    ctx.findings.add(
      makeFinding(
        'HTTPROUTE_NOT_ACCEPTED',
        routeRef,
        `HTTPRoute ${routeRef.namespace}/${routeRef.name} is not accepted by Gateway ${e.gwNs}/${e.gwName}: ${refusal}`,
        { routeIds },
      ),
    );
  }
  const where = `${e.host ?? '*'}${e.match.path}`;
  const ruleHop: IngressHop = {
    kind: 'ingress',
    status: ruleStatus,
    label: `HTTPRoute ${routeRef.namespace}/${routeRef.name}: ${where} (${
      e.match.pathType
    })${tls ? ', TLS at the Gateway' : ''}${
      e.weighted
        ? `, weight ${
            (e.backendRef as { weight?: number }).weight ?? 1
          } of a split`
        : ''
    }`,
    object: routeRef,
    ...(ruleProblems.length ? { problems: ruleProblems } : {}),
    ...(e.host ? { host: e.host } : {}),
    path: e.match.path,
    pathType: e.match.pathType,
    tls,
    restrictions: [],
    sourceAddress: front.source,
  };

  // DNS should lead to the address the Gateway publishes, else to its load balancer.
  const published = gateway ? gatewayAddresses(gateway) : [];
  const expected =
    published.length > 0 ? published : front.loadBalancer?.addresses ?? [];
  const backendKind = str(e.backendRef, 'kind') ?? 'Service';
  const backendPort = (e.backendRef as { port?: unknown }).port;
  const target: BackendTarget =
    backendKind === 'Service'
      ? {
          kind: 'service',
          namespace: str(e.backendRef, 'namespace') ?? ns,
          name: str(e.backendRef, 'name') ?? '',
          port: typeof backendPort === 'number' ? backendPort : undefined,
        }
      : { kind: 'none' };
  return {
    via: 'proxy',
    id: e.id,
    entry: {
      kind: 'http-route-rule',
      object: routeRef,
      ...(e.host ? { host: e.host } : {}),
      path: e.match.path,
      pathType: e.match.pathType,
      port: listener.port,
      tls,
    },
    owner: route,
    front,
    dns: { expected, object: gatewayRef, problems: [] },
    proxy: ctrlHop,
    rule: ruleHop,
    target,
  };
}
