/*
 * Rules over the front of a route: the load balancer and the node port in
 * front of an exposed Service (the app's own, or its proxy's). A front is
 * shared by every route through it: each route raises the same finding and
 * the report keeps it once, with all their ids.
 */
import { LoadBalancerHop, SourceRestriction } from '../model';
import { makeFinding } from './catalog';
import { describeRef } from '../util/fields';
import { hopsOf, RouteRule } from './hops';

/** Restrictions the load balancer applies (not those it ignores). */
function active(h: LoadBalancerHop): SourceRestriction[] {
  return h.restrictions.filter(r => !r.ignored);
}

/** A deployed load balancer the cloud has not given an address. */
export const loadBalancerPending: RouteRule = route =>
  hopsOf(route, 'load-balancer')
    .filter(
      h =>
        h.object &&
        h.addresses.length === 0 &&
        !h.notDeployed &&
        !h.statusMissing,
    )
    .map(h =>
      makeFinding(
        'LB_PENDING',
        h.object!,
        `LoadBalancer ${describeRef(
          h.object!,
        )} has no address in status.loadBalancer.ingress: the cloud has not provisioned it`,
        { routeIds: [route.id] },
      ),
    );

/** Source range entries that are not CIDRs, on the load balancer or an Ingress allowlist. */
export const invalidSourceRanges: RouteRule = route => {
  // Most routes have none: only then are the hops walked, in route order.
  const hasInvalid = (h: { invalidRanges?: unknown[] }) =>
    (h.invalidRanges?.length ?? 0) > 0;
  if (
    !hopsOf(route, 'load-balancer').some(hasInvalid) &&
    !hopsOf(route, 'ingress').some(hasInvalid)
  )
    return [];
  return route.hops.flatMap(h => {
    if ((h.kind !== 'load-balancer' && h.kind !== 'ingress') || !h.object)
      return [];
    return (h.invalidRanges ?? []).map(bad =>
      makeFinding(
        'INVALID_SOURCE_RANGE',
        h.object!,
        `${bad.field} holds "${bad.value}", which is not a CIDR`,
        { routeIds: [route.id], hop: h.kind },
      ),
    );
  });
};

/** Source ranges the load balancer ignores in this configuration. */
export const sourceRangesIgnored: RouteRule = route =>
  hopsOf(route, 'load-balancer').flatMap(h =>
    h.restrictions
      .filter(r => r.ignored && h.object)
      .map(r =>
        makeFinding(
          'SOURCE_RANGES_IGNORED',
          h.object!,
          `${r.origin} (${r.cidrs.join(', ')}) is ${r.ignoredReason}`,
          { routeIds: [route.id] },
        ),
      ),
  );

/** Cloud ACLs whose entries the cluster does not hold. */
export const aclNotVisible: RouteRule = route =>
  hopsOf(route, 'load-balancer').flatMap(h =>
    active(h)
      .filter(r => !r.visible && h.object)
      .map(r =>
        makeFinding(
          'ACL_NOT_VISIBLE',
          h.object!,
          `${r.description ?? r.origin} on the load balancer of ${describeRef(
            h.object!,
          )}: its entries live in the cloud account, not in the cluster${
            r.mode === 'allow'
              ? ' (per the ACK docs an empty whitelist lets all traffic through)'
              : ''
          }`,
          { routeIds: [route.id] },
        ),
      ),
  );

/**
 * A public load balancer that restricts no source. Before deploy that is
 * what a CI gate on manifests is for; a pending one has no address to say it of.
 */
export const publicWithoutSourceRestriction: RouteRule = route =>
  hopsOf(route, 'load-balancer').flatMap(h => {
    if (!h.object || h.exposure !== 'public' || active(h).length > 0) return [];
    const name = describeRef(h.object);
    let message: string | undefined;
    if (h.addresses.length > 0)
      message = `Public load balancer ${h.addresses.join(
        ', ',
      )} of ${name} accepts every source address`;
    else if (h.notDeployed)
      message = `The public load balancer of ${name} will accept every source address once deployed`;
    return message
      ? [
          makeFinding('PUBLIC_WITHOUT_SOURCE_RESTRICTION', h.object, message, {
            routeIds: [route.id],
          }),
        ]
      : [];
  });

/** externalTrafficPolicy Local with no ready endpoint on any node: every node fails the health check. */
export const noLocalEndpoint: RouteRule = route =>
  hopsOf(route, 'node-port').flatMap(h => {
    // The resolver states it only of deployed endpoints (front.ts).
    if (!h.object || !h.noReadyLocalEndpoint || h.notDeployed) return [];
    const effect =
      h.healthCheckNodePort !== undefined
        ? `the load balancer health check (node port ${h.healthCheckNodePort}) fails on every node`
        : `node port ${h.nodePort} drops the traffic on every node`;
    return [
      makeFinding(
        'NODE_PORT_NO_LOCAL_ENDPOINT',
        h.object,
        `${describeRef(
          h.object,
        )} has externalTrafficPolicy: Local and no ready endpoint on any node: ${effect}`,
        { routeIds: [route.id] },
      ),
    ];
  });

export const frontRules: RouteRule[] = [
  loadBalancerPending,
  invalidSourceRanges,
  sourceRangesIgnored,
  aclNotVisible,
  publicWithoutSourceRestriction,
  noLocalEndpoint,
];
