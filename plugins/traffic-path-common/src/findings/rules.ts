/*
 * Findings that are rules over a resolved route: each reads the hops (facts)
 * and says what is wrong with them. One small rule per concern, each with
 * its own test beside it; resolveReport runs them all (routeRules). The
 * front, Ingress and destination rules live in files of their own.
 */
import { IngressHop, NetworkPolicyHop, SourceAddress } from '../model';
import { describeAllowed, parsePolicy } from '../resolve/networkPolicy';
import type { ResolveContext } from '../resolve/context';
import { describeRef } from '../util/fields';
import { makeFinding } from './catalog';
import { destinationRules } from './destinationRules';
import { frontRules } from './frontRules';
import { hopsOf, RouteRule } from './hops';
import { ingressRules } from './ingressRules';
import { routeKindRules } from './routeKindRules';

export type { RouteRule } from './hops';

function seenText(source: SourceAddress): string {
  if (source.kind === 'node')
    return `node addresses (${source.addresses.join(', ') || 'unknown'})`;
  if (source.kind === 'load-balancer') return 'load balancer addresses';
  return 'an unknown address';
}

/** An allowlist on the rule hop that sees an address the hops before it replaced. */
export const allowlistSeesReplacedSource: RouteRule = route =>
  hopsOf(route, 'ingress')
    .filter(
      (h: IngressHop) =>
        h.object &&
        h.sourceAddress.kind !== 'client' &&
        // A header the client sets is its own problem, not a replaced address.
        !(h.sourceAddress.kind === 'unknown' && h.sourceAddress.header) &&
        h.restrictions.some(r => r.cidrs.length > 0),
    )
    .map(h =>
      makeFinding(
        'CLIENT_IP_NOT_PRESERVED',
        h.object!,
        `The source allowlist of ${describeRef(h.object!)} sees ${seenText(
          h.sourceAddress,
        )}, not the client address, because the hops before it replace the source address`,
        { routeIds: [route.id] },
      ),
    );

function policiesText(ctx: ResolveContext, hop: NetworkPolicyHop): string {
  const parsed = hop.policies.flatMap(ref => {
    const obj = ctx.index.networkPolicies.get(ref.namespace ?? '', ref.name);
    return obj ? [parsePolicy(obj)] : [];
  });
  return describeAllowed(parsed);
}

/** NetworkPolicies that isolate the pods and do not admit the proxy in front of them. */
export const policyBlocksProxy: RouteRule = (route, ctx) => {
  const proxy = hopsOf(route, 'ingress-controller')[0];
  if (!proxy) return [];
  return hopsOf(route, 'network-policy')
    .filter(h => h.status === 'broken' || h.status === 'degraded')
    .map(h => {
      const refused = h.pods.filter(p => p.allowed === false).length;
      const isolated = h.pods.filter(p => p.isolatedBy.length > 0).length;
      const one = h.policies.length === 1;
      return makeFinding(
        'NETWORK_POLICY_BLOCKS_CONTROLLER',
        h.object!,
        `NetworkPolicy ${h.policies
          .map(p => `${p.namespace}/${p.name}`)
          .join(', ')} isolate${one ? 's' : ''} ${isolated} of ${
          h.pods.length
        } pods behind ${describeRef(
          route.backend ?? route.entry.object,
        )} and refuse${one ? 's' : ''} ${h.source} on ${refused} of them; ${
          one ? 'it admits' : 'they admit'
        } only: ${policiesText(ctx, h)}`,
        {
          routeIds: [route.id],
          ...(h.status === 'degraded' ? { severity: 'warning' as const } : {}),
        },
      );
    });
};

/** An ipBlock that is meant for clients but sees node addresses behind SNAT. */
export const ipBlockBehindSnat: RouteRule = route =>
  hopsOf(route, 'network-policy')
    .filter(
      h =>
        h.sourceAddress.kind === 'node' &&
        h.policies.length > 0 &&
        h.pods.some(p => p.isolatedBy.length > 0),
    )
    .map(h =>
      makeFinding(
        'CLIENT_IP_NOT_PRESERVED',
        h.object!,
        `NetworkPolicy ${h.policies
          .map(p => `${p.namespace}/${p.name}`)
          .join(', ')} sees ${seenText(
          h.sourceAddress,
        )}, not the client address: externalTrafficPolicy Cluster SNATs the traffic before it reaches the pods, so ipBlock rules judge the node, not the client`,
        { routeIds: [route.id], hop: 'network-policy' },
      ),
    );

/** Endpoints that get no traffic because they are not ready (templates are not deployed: no claim). */
export const endpointReadiness: RouteRule = route =>
  hopsOf(route, 'pod').flatMap(h => {
    const total = h.endpoints.length;
    if (!h.object || total === 0) return [];
    // One pass: this reads every endpoint of every route.
    let ready = 0;
    for (const e of h.endpoints) {
      if (e.template) return [];
      if (e.ready) ready++;
    }
    const name = `${h.object.namespace}/${h.object.name}`;
    if (ready === 0)
      return [
        makeFinding(
          'SERVICE_NO_READY_ENDPOINTS',
          h.object,
          `Service ${name} has ${total} endpoint(s), none ready`,
          { routeIds: [route.id] },
        ),
      ];
    if (ready < total)
      return [
        makeFinding(
          'ENDPOINTS_PARTIALLY_READY',
          h.object,
          `Service ${name}: ${ready} of ${total} endpoints ready`,
          { routeIds: [route.id] },
        ),
      ];
    return [];
  });

/** Every rule over a route, in the order a request meets the hops they read. */
export const routeRules: RouteRule[] = [
  ...frontRules,
  ...ingressRules,
  allowlistSeesReplacedSource,
  policyBlocksProxy,
  ipBlockBehindSnat,
  ...destinationRules,
  endpointReadiness,
  ...routeKindRules,
];
