/*
 * Findings that are rules over routes of the Gateway API, Traefik and Istio
 * kinds: each reads the hops (facts) and says what is wrong with them; each
 * has its own test (findings/routeKindRules.test.ts). Where a fact belongs
 * to the Gateway's listener (its certificates, why it refuses the route),
 * the rule finds that listener again from the route's id, with what
 * resolve/gateway.ts computes for the hops, so that hops and findings agree.
 * Traefik's missing TLS Secrets and bad allowlist entries are facts of the
 * rule hop (tlsSecretNotFound, invalidRanges) that the Ingress and front
 * rules already read.
 */
import { isListed } from '../index/clusterIndex';
import {
  certificateFacts,
  certificateRefText,
  referenceGranted,
  routeAttachment,
} from '../resolve/gateway';
import { describeRef } from '../util/fields';
import { makeFinding } from './catalog';
import { hopsOf, nameOf, RouteRule } from './hops';

/** The Gateway a route goes through: its proxy hop, drawn for a Gateway. */
function gatewayHops(route: Parameters<RouteRule>[0]) {
  return hopsOf(route, 'ingress-controller').filter(
    h => h.classSource === 'gateway' && h.object?.kind === 'Gateway',
  );
}

/** A route attached to a Gateway that the input lists and does not hold. */
export const gatewayNotFound: RouteRule = (route, ctx) =>
  gatewayHops(route)
    .filter(
      h =>
        isListed(ctx.index, 'Gateway') &&
        !ctx.index.gateways.get(h.object!.namespace ?? '', h.object!.name),
    )
    .map(h =>
      makeFinding(
        'GATEWAY_NOT_FOUND',
        route.entry.object,
        `${describeRef(route.entry.object)} is attached to Gateway ${nameOf(
          h.object!,
        )}, which does not exist`,
        { routeIds: [route.id] },
      ),
    );

/** A Gateway whose GatewayClass the input lists and does not hold: nobody programs it. */
export const gatewayClassNotFound: RouteRule = (route, ctx) =>
  gatewayHops(route)
    .filter(
      h =>
        h.className &&
        isListed(ctx.index, 'GatewayClass') &&
        !ctx.index.gatewayClasses.has(h.className) &&
        ctx.index.gateways.get(h.object!.namespace ?? '', h.object!.name),
    )
    .map(h =>
      makeFinding(
        'GATEWAY_CLASS_NOT_FOUND',
        h.object!,
        `Gateway ${nameOf(h.object!)} names GatewayClass "${
          h.className
        }", which does not exist: no implementation programs it`,
        { routeIds: [route.id] },
      ),
    );

/** The certificates of the listener the route goes through. */
function listenerCertificates(
  route: Parameters<RouteRule>[0],
  ctx: Parameters<RouteRule>[1],
) {
  const found = routeAttachment(ctx, route);
  const gateway = found?.attachment.gateway;
  if (!found || !gateway) return [];
  const { listener } = found.attachment;
  return certificateFacts(ctx, gateway, listener).map(fact => ({
    fact,
    listener,
    gateway: {
      kind: 'Gateway',
      namespace: found.attachment.gwNs,
      name: gateway.metadata.name,
    },
  }));
}

/** A listener certificate Secret that the input lists the namespace of and does not hold. */
export const listenerTlsSecretNotFound: RouteRule = (route, ctx) =>
  listenerCertificates(route, ctx)
    .filter(c => c.fact.missing)
    .map(({ fact, listener, gateway }) =>
      makeFinding(
        'TLS_SECRET_NOT_FOUND',
        gateway,
        `Gateway ${nameOf(gateway)} listener ${listener.name} uses TLS Secret ${
          fact.ref.name
        }, which does not exist in namespace ${fact.ref.namespace}`,
        { routeIds: [route.id] },
      ),
    );

/** A listener certificate in another namespace that no ReferenceGrant there permits. */
export const listenerCertificateNotPermitted: RouteRule = (route, ctx) =>
  listenerCertificates(route, ctx)
    .filter(c => c.fact.granted === false)
    .map(({ fact, listener, gateway }) =>
      makeFinding(
        'REFERENCE_NOT_PERMITTED',
        gateway,
        `Gateway ${nameOf(gateway)}: ${certificateRefText(
          fact,
          listener,
        )} is not permitted by a ReferenceGrant in namespace ${
          fact.ref.namespace
        }`,
        { routeIds: [route.id], hop: 'ingress-controller' },
      ),
    );

/** A backend Service in another namespace that no ReferenceGrant there lets the route refer to. */
export const backendReferenceNotPermitted: RouteRule = (route, ctx) => {
  const owner = route.entry.object;
  if (!routeAttachment(ctx, route)) return [];
  return hopsOf(route, 'service')
    .filter(
      h =>
        h.object?.kind === 'Service' &&
        h.object.namespace !== owner.namespace &&
        referenceGranted(
          ctx,
          { kind: owner.kind, namespace: owner.namespace ?? '' },
          {
            group: '',
            kind: 'Service',
            namespace: h.object.namespace ?? '',
            name: h.object.name,
          },
        ) === false,
    )
    .map(h =>
      makeFinding(
        'REFERENCE_NOT_PERMITTED',
        owner,
        `${describeRef(owner)} sends to Service ${nameOf(
          h.object!,
        )} in another namespace, and no ReferenceGrant in ${
          h.object!.namespace
        } permits ${owner.kind}s of ${owner.namespace} to refer to it`,
        { routeIds: [route.id] },
      ),
    );
};

/** A route its Gateway does not accept: by its status, by the listener, or by hostname. */
export const routeNotAccepted: RouteRule = (route, ctx) => {
  const found = routeAttachment(ctx, route);
  const refusal = found?.refusal;
  if (!found || !refusal || refusal.status !== 'broken') return [];
  const owner = route.entry.object;
  const gateway = `${found.attachment.gwNs}/${found.attachment.gwName}`;
  return [
    makeFinding(
      refusal.code,
      owner,
      refusal.code === 'ROUTE_HOSTNAME_MISMATCH'
        ? `${describeRef(
            owner,
          )} is attached to no listener of Gateway ${gateway}: ${
            refusal.problem
          }`
        : `${describeRef(owner)} is not accepted by Gateway ${gateway}: ${
            refusal.problem
          }`,
      { routeIds: [route.id] },
    ),
  ];
};

export const routeKindRules: RouteRule[] = [
  gatewayNotFound,
  gatewayClassNotFound,
  routeNotAccepted,
  listenerTlsSecretNotFound,
  listenerCertificateNotPermitted,
  backendReferenceNotPermitted,
];
