import {
  backendReferenceNotPermitted,
  gatewayClassNotFound,
  gatewayNotFound,
  listenerCertificateNotPermitted,
  listenerTlsSecretNotFound,
  routeKindRules,
  routeNotAccepted,
} from './routeKindRules';
import { scenarioRoutes } from './__testUtils__/routes';

const l4 = scenarioRoutes('gateway-api-l4');
const crossNamespace = scenarioRoutes('gateway-api-cross-namespace');
const gatewayApi = scenarioRoutes('gateway-api');

/** Every finding the route kinds' rules raise on a route, by code. */
function codesOn(resolved: typeof l4, id: string): string[] {
  const route = resolved.route(id);
  return routeKindRules
    .flatMap(rule => rule(route, resolved.ctx))
    .map(f => f.code)
    .sort();
}

describe('route kind rules', () => {
  it('gatewayNotFound: a route attached to a Gateway the input lists and lacks', () => {
    const id = 'httproute:shop/legacy:0:-:0:0:0:0';
    expect(gatewayNotFound(gatewayApi.route(id), gatewayApi.ctx)).toEqual([
      expect.objectContaining({
        code: 'GATEWAY_NOT_FOUND',
        object: { kind: 'HTTPRoute', namespace: 'shop', name: 'legacy' },
        routeIds: [id],
        message:
          'HTTPRoute shop/legacy is attached to Gateway infra/old-gateway, which does not exist',
      }),
    ]);
    // The Gateway of the other routes exists.
    expect(
      gatewayNotFound(
        gatewayApi.route('httproute:shop/web:0:http:0:0:0:0'),
        gatewayApi.ctx,
      ),
    ).toEqual([]);
  });

  it('gatewayClassNotFound: a Gateway whose GatewayClass does not exist', () => {
    const id = 'httproute:apps/orphaned:0:http:0:0:0:0';
    expect(gatewayClassNotFound(l4.route(id), l4.ctx)).toEqual([
      expect.objectContaining({
        code: 'GATEWAY_CLASS_NOT_FOUND',
        object: { kind: 'Gateway', namespace: 'apps', name: 'orphan' },
        routeIds: [id],
        message:
          'Gateway apps/orphan names GatewayClass "nginx-gateway", which does not exist: no implementation programs it',
      }),
    ]);
    expect(
      gatewayClassNotFound(
        l4.route('tcproute:apps/postgres:0:tcp:0:0:0:0'),
        l4.ctx,
      ),
    ).toEqual([]);
  });

  it('listenerTlsSecretNotFound and listenerCertificateNotPermitted: the HTTPS listener whose certificate lies in another namespace, missing and not granted', () => {
    const id = 'httproute:apps/web:0:https:0:0:0:0';
    const route = l4.route(id);
    // The hops say it: the rule hop is broken by the certificate.
    expect(route.hops.find(h => h.kind === 'ingress')?.problems).toEqual([
      'TLS Secret certs/wildcard-tls of listener https not found',
      'certificateRef Secret certs/wildcard-tls of listener https lies in another namespace and no ReferenceGrant there permits it: the listener serves no certificate',
    ]);
    expect(listenerTlsSecretNotFound(route, l4.ctx)).toEqual([
      expect.objectContaining({
        code: 'TLS_SECRET_NOT_FOUND',
        object: { kind: 'Gateway', namespace: 'apps', name: 'edge' },
        routeIds: [id],
        message:
          'Gateway apps/edge listener https uses TLS Secret wildcard-tls, which does not exist in namespace certs',
      }),
    ]);
    expect(listenerCertificateNotPermitted(route, l4.ctx)).toEqual([
      expect.objectContaining({
        code: 'REFERENCE_NOT_PERMITTED',
        object: { kind: 'Gateway', namespace: 'apps', name: 'edge' },
        hop: 'ingress-controller',
        message:
          'Gateway apps/edge: certificateRef Secret certs/wildcard-tls of listener https is not permitted by a ReferenceGrant in namespace certs',
      }),
    ]);
    // The passthrough listener's route has no certificate of the Gateway's.
    expect(codesOn(l4, 'tlsroute:apps/vault:0:tls:0:0:0:0')).toEqual([]);
  });

  it('backendReferenceNotPermitted: a backendRef into a namespace without a ReferenceGrant for the route', () => {
    const id = 'httproute:store-ns/store:0:https:0:1:0:0';
    const route = crossNamespace.route(id);
    expect(route.hops).toContainEqual(
      expect.objectContaining({
        kind: 'service',
        status: 'broken',
        object: { kind: 'Service', namespace: 'shared-svc', name: 'search' },
      }),
    );
    expect(backendReferenceNotPermitted(route, crossNamespace.ctx)).toEqual([
      expect.objectContaining({
        code: 'REFERENCE_NOT_PERMITTED',
        object: { kind: 'HTTPRoute', namespace: 'store-ns', name: 'store' },
        routeIds: [id],
        message:
          'HTTPRoute store-ns/store sends to Service shared-svc/search in another namespace, and no ReferenceGrant in shared-svc permits HTTPRoutes of store-ns to refer to it',
      }),
    ]);
    // A granted reference (site-ns/search) is no finding.
    expect(
      backendReferenceNotPermitted(
        crossNamespace.route('httproute:site-ns/search:0:https:0:0:0:0'),
        crossNamespace.ctx,
      ),
    ).toEqual([]);
  });

  it('routeNotAccepted: refused by the listener (allowedRoutes), by hostname, or by no listener of the kind', () => {
    const blog = 'httproute:blog-ns/blog:0:https:0:0:0:0';
    expect(
      routeNotAccepted(crossNamespace.route(blog), crossNamespace.ctx),
    ).toEqual([
      expect.objectContaining({
        code: 'HTTPROUTE_NOT_ACCEPTED',
        routeIds: [blog],
        message:
          'HTTPRoute blog-ns/blog is not accepted by Gateway infra-ns/shared-gateway: listener https of Gateway infra-ns/shared-gateway admits routes from namespaces shared-gateway-access=true only (allowedRoutes.namespaces.from: Selector), not from blog-ns',
      }),
    ]);
    expect(
      routeNotAccepted(
        crossNamespace.route('httproute:site-ns/legacy:0:https:0:0:0:0'),
        crossNamespace.ctx,
      ),
    ).toEqual([
      expect.objectContaining({
        code: 'ROUTE_HOSTNAME_MISMATCH',
        message:
          'HTTPRoute site-ns/legacy is attached to no listener of Gateway infra-ns/shared-gateway: no hostname of the route (www.example.org) intersects a listener hostname of Gateway infra-ns/shared-gateway (https: *.example.com)',
      }),
    ]);
    const tcp = scenarioRoutes('kinds-gateway-tcp-tls');
    expect(
      routeNotAccepted(
        tcp.route('tcproute:data/postgres-passthrough:0:passthrough:0:0:0:0'),
        tcp.ctx,
      ),
    ).toEqual([
      expect.objectContaining({
        code: 'ROUTE_NOT_ACCEPTED',
        object: {
          kind: 'TCPRoute',
          namespace: 'data',
          name: 'postgres-passthrough',
        },
      }),
    ]);
    // The TLS listener that terminates takes the TCPRoute.
    expect(codesOn(tcp, 'tcproute:data/postgres-tls:0:pg-tls:0:0:0:0')).toEqual(
      [],
    );
  });

  it('raise nothing on routes of other kinds', () => {
    const traefik = scenarioRoutes('traefik-ingressroute');
    for (const route of traefik.drafts)
      expect(routeKindRules.flatMap(rule => rule(route, traefik.ctx))).toEqual(
        [],
      );
  });
});
