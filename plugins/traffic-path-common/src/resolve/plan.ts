/*
 * One route pipeline. Every entry kind (an Ingress rule, a Gateway API route
 * match, an exposed Service port, ...) is a small adapter that produces a
 * plan: where the request enters (host, path, port, TLS), the proxy in front
 * and its rule hop, and the backend it is sent to with its weight. One
 * assembler turns any plan into hops with the shared stages: client, DNS,
 * the front (load balancer, node port, kube-proxy), the proxy, the rule, the
 * destination (Service, NetworkPolicies, pods, containers).
 */
import {
  DnsHop,
  Hop,
  IngressControllerHop,
  IngressHop,
  KubeObject,
  ObjectRef,
  Route,
  RouteEntry,
  ServiceHop,
} from '../model';
import { refOf } from '../util/fields';
import { ResolveContext } from './context';
import { backOf, lookupBackend } from './destination';
import { Front, frontOf, nodePortExposure } from './front';
import { loadBalancerAddresses } from './loadBalancer';
import { networkPolicyHop, TrafficSource } from './networkPolicy';
import { ServicePort } from './service';

/** A route before its table, health and verdict are computed. */
export type RouteDraft = Omit<
  Route,
  'table' | 'health' | 'brokenAt' | 'verdict'
>;

/** Where a rule sends the request. */
export type BackendTarget =
  | {
      kind: 'service';
      namespace: string;
      name: string;
      port?: number | string;
      /** Gateway API weight of this backend and its share of the rule's traffic. */
      weight?: { weight: number; share: number };
    }
  /** Served by the proxy itself (an Ingress resource backend): no hops follow. */
  | { kind: 'none' }
  | { kind: 'invalid'; object: ObjectRef; reason: string; label?: string };

/** A route that enters through a proxy: ingress controller, Gateway, ... */
export type ProxiedPlan = {
  via: 'proxy';
  id: string;
  entry: Omit<RouteEntry, 'exposure'>;
  /**
   * Not read: the destination findings are about `entry.object`. Optional
   * until the route kinds that still set it (gateway, traefik, istio) drop it.
   */
  owner?: KubeObject;
  front: Front;
  dns: {
    expected: string[];
    object: ObjectRef;
    problems: string[];
    /** The object is deployed and its status publishes no address. */
    noStatusAddress?: boolean;
  };
  proxy: IngressControllerHop;
  rule: IngressHop;
  /** Hops after the rule, before the backend (what is not modelled). */
  extra?: Hop[];
  target: BackendTarget;
};

/** A route that enters through a Service's own load balancer or node port. */
export type ServicePlan = {
  via: 'service';
  id: string;
  /** Its exposure follows from the front (exposureOf). */
  entry: Omit<RouteEntry, 'exposure'>;
  service: KubeObject;
  port: ServicePort;
  /** DNS names the Service is known by; the DNS hop is shown when there is a name to resolve. */
  hosts: string[];
};

export type RoutePlan = ProxiedPlan | ServicePlan;

export function clientHop(): Hop {
  return { kind: 'client', status: 'ok', label: 'client' };
}

export function dnsHop(
  host: string | undefined,
  expected: string[],
  ref: ObjectRef,
  problems: string[] = [],
  noStatusAddress = false,
): DnsHop {
  const hostname = expected.find(a => /[a-z]/i.test(a) && !a.includes(':'));
  return {
    kind: 'dns',
    status: problems.length ? 'degraded' : 'ok',
    label: `${host ?? 'any host'} → ${
      expected.join(', ') || '(address not known yet)'
    }`,
    object: ref,
    ...(problems.length ? { problems } : {}),
    ...(host ? { host } : {}),
    expected,
    recordType: hostname ? 'CNAME' : 'A/AAAA',
    ...(noStatusAddress ? { noStatusAddress } : {}),
  };
}

/**
 * Who can reach the entry: the load balancer says; node ports without one
 * are public only on a public node address (a private one says nothing of
 * an ExternalIP or a firewall). The exposure summary reads it (exposure/summary.ts).
 */
export function exposureOf(
  front: Front,
  otherwise: RouteEntry['exposure'],
): RouteEntry['exposure'] {
  if (front.loadBalancer) return front.loadBalancer.exposure;
  if (front.nodePort) return nodePortExposure(front.nodePort);
  return otherwise;
}

/** The proxy in words: `ingress-nginx (ingress-nginx/ingress-nginx-controller)`, `Gateway shop/eg`. */
function proxyName(proxy: IngressControllerHop): string {
  const where = (ref: ObjectRef | undefined) =>
    ref ? `${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}` : undefined;
  if (proxy.classSource === 'gateway')
    return `Gateway ${where(proxy.object) ?? '?'}`;
  const service = where(proxy.service);
  return service ? `${proxy.controller} (${service})` : proxy.controller;
}

/** The hops from the rule's backend to the containers, or the one hop saying why there are none. */
function destinationHops(ctx: ResolveContext, plan: ProxiedPlan): Hop[] {
  const { target } = plan;
  if (target.kind === 'none') return [];
  if (target.kind === 'invalid') {
    const hop: ServiceHop = {
      kind: 'service',
      status: 'broken',
      label: target.label ?? 'invalid backend',
      object: target.object,
      problems: [target.reason],
      type: 'unknown',
      clusterIPs: [],
      onPath: false,
      headless: false,
    };
    return [hop];
  }
  const lookup = lookupBackend(ctx, target.namespace, target.name, target.port);
  if (!lookup.ok) return [lookup.hop];
  const source: TrafficSource = {
    kind: 'pods',
    what: proxyName(plan.proxy),
    pods: plan.proxy.pods,
  };
  const back = backOf(
    ctx,
    lookup.service,
    lookup.port,
    plan.proxy.upstream === 'cluster-ip',
  );
  return withPolicies(ctx, back.hops, lookup.service, lookup.port, source);
}

/** Puts the NetworkPolicy hop where traffic enters the pods: just before them. */
function withPolicies(
  ctx: ResolveContext,
  back: Hop[],
  service: KubeObject,
  port: ServicePort,
  source: TrafficSource,
): Hop[] {
  const at = back.findIndex(h => h.kind === 'pod');
  if (at < 0) return back;
  const hop = networkPolicyHop(ctx, service, port.protocol, back, source);
  return hop ? [...back.slice(0, at), hop, ...back.slice(at)] : back;
}

function assembleProxied(ctx: ResolveContext, plan: ProxiedPlan): RouteDraft {
  const hops: Hop[] = [
    clientHop(),
    dnsHop(
      plan.entry.host,
      plan.dns.expected,
      plan.dns.object,
      plan.dns.problems,
      plan.dns.noStatusAddress,
    ),
    ...plan.front.hops,
    plan.proxy,
    plan.rule,
    ...(plan.extra ?? []),
    ...destinationHops(ctx, plan),
  ];
  const target = plan.target;
  return {
    id: plan.id,
    entry: { ...plan.entry, exposure: exposureOf(plan.front, 'cluster') },
    ...(target.kind === 'service'
      ? {
          backend: {
            kind: 'Service',
            namespace: target.namespace,
            name: target.name,
          },
        }
      : {}),
    ...(target.kind === 'service' && target.weight
      ? { weight: target.weight }
      : {}),
    hops,
  };
}

function assembleService(ctx: ResolveContext, plan: ServicePlan): RouteDraft {
  const ref = refOf(plan.service);
  const back = backOf(ctx, plan.service, plan.port, false);
  const front = frontOf(ctx, plan.service, plan.port, back.endpoints);
  const addresses =
    front.loadBalancer?.addresses ?? loadBalancerAddresses(plan.service);
  const hops: Hop[] = [clientHop()];
  if (
    plan.hosts.length > 0 ||
    addresses.some(a => /[a-z]/i.test(a) && !a.includes(':'))
  ) {
    hops.push(dnsHop(plan.hosts[0], addresses, ref));
  }
  const source: TrafficSource = { kind: 'address', seen: front.source };
  hops.push(
    ...front.hops,
    ...withPolicies(ctx, back.hops, plan.service, plan.port, source),
  );
  return {
    id: plan.id,
    entry: {
      ...plan.entry,
      // The port clients connect to: the LB's listener, or the node port.
      port:
        plan.entry.kind === 'load-balancer-service'
          ? front.loadBalancer?.ports.find(
              p =>
                p.nodePort === plan.port.nodePort &&
                p.targetPort === String(plan.port.targetPort),
            )?.port ?? plan.port.port
          : plan.port.nodePort,
      // Neither a load balancer nor a node port found: nothing shows it public.
      exposure: exposureOf(front, 'unknown'),
    },
    backend: ref,
    hops,
  };
}

/** Turns any plan into the hops a request meets, in order. */
export function assembleRoute(
  ctx: ResolveContext,
  plan: RoutePlan,
): RouteDraft {
  return plan.via === 'proxy'
    ? assembleProxied(ctx, plan)
    : assembleService(ctx, plan);
}
