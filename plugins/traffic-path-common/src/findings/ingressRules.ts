/*
 * Rules over the proxy part of an Ingress route: its controller, the DNS
 * record the controller publishes, and the rule hop (TLS, backend).
 */
import { makeFinding } from './catalog';
import { describeRef } from '../util/fields';
import { hopsOf, RouteRule } from './hops';

/** `Ingress shop/web`. */
/** Several default IngressClasses: the API server refuses an Ingress that names none. */
export const ingressClassAmbiguous: RouteRule = route =>
  hopsOf(route, 'ingress-controller')
    .filter(h => (h.defaultClasses?.length ?? 0) > 1)
    .map(h =>
      makeFinding(
        'INGRESS_CLASS_AMBIGUOUS',
        route.entry.object,
        `${describeRef(route.entry.object)} names no class and ${
          h.defaultClasses!.length
        } IngressClasses are marked default`,
        { routeIds: [route.id] },
      ),
    );

export const ingressClassNotFound: RouteRule = route =>
  hopsOf(route, 'ingress-controller')
    .filter(h => h.notFound === 'ingress-class')
    .map(h =>
      makeFinding(
        'INGRESS_CLASS_NOT_FOUND',
        route.entry.object,
        `${describeRef(route.entry.object)} names IngressClass "${
          h.className
        }", which does not exist`,
        { routeIds: [route.id] },
      ),
    );

/** No controller serves the class, and the input would show one (it lists other namespaces' pods). */
export const ingressControllerNotFound: RouteRule = route =>
  hopsOf(route, 'ingress-controller')
    .filter(h => h.notFound === 'controller')
    .map(h => {
      const which = h.className
        ? `class "${h.className}"${
            h.controllerName ? ` (${h.controllerName})` : ''
          }`
        : 'Ingresses without a class';
      return makeFinding(
        'INGRESS_CONTROLLER_NOT_FOUND',
        route.entry.object,
        `No ingress controller serving ${which} was found for ${describeRef(
          route.entry.object,
        )}`,
        { routeIds: [route.id] },
      );
    });

/** A deployed Ingress that no controller has admitted (no address in its status). */
export const ingressNoAddress: RouteRule = route =>
  hopsOf(route, 'dns')
    .filter(h => h.noStatusAddress && h.object)
    .map(h =>
      makeFinding(
        'INGRESS_NO_ADDRESS',
        h.object!,
        `${describeRef(
          h.object!,
        )} has no address in status.loadBalancer: no controller has admitted it${
          h.expected.length
            ? `; its controller's load balancer is ${h.expected.join(', ')}`
            : ''
        }`,
        { routeIds: [route.id] },
      ),
    );

export const tlsSecretNotFound: RouteRule = route =>
  hopsOf(route, 'ingress').flatMap(h => {
    if (!h.object) return [];
    if (h.tlsSecretNotFound)
      return [
        makeFinding(
          'TLS_SECRET_NOT_FOUND',
          h.object,
          `${describeRef(h.object)} uses TLS Secret ${
            h.tlsSecret
          }, which does not exist in namespace ${h.object.namespace}`,
          { routeIds: [route.id] },
        ),
      ];
    // Before deploy only a cluster can tell: said, but not an error.
    if (h.tlsSecretAtDeploy)
      return [
        makeFinding(
          'TLS_SECRET_NOT_FOUND',
          h.object,
          `${describeRef(h.object)} uses TLS Secret ${
            h.tlsSecret
          }, which is not in the manifests of namespace ${
            h.object.namespace
          }: it must exist once deployed (cert-manager or another controller may create it)`,
          { routeIds: [route.id], severity: 'info' },
        ),
      ];
    return [];
  });

/** A host that spec.tls does not cover: HTTPS for it gets the controller's default certificate. */
export const tlsHostNotCovered: RouteRule = route =>
  hopsOf(route, 'ingress')
    .filter(h => h.otherTlsHosts && h.host && h.object)
    .map(h =>
      makeFinding(
        'TLS_HOST_NOT_COVERED',
        h.object!,
        `${describeRef(h.object!)} has TLS for ${
          h.otherTlsHosts!.join(', ') || 'no host'
        } but not for ${h.host}`,
        { routeIds: [route.id] },
      ),
    );

/** A rule that sends to a resource, not a Service: no hops follow it. */
export const ingressBackendNotService: RouteRule = route =>
  hopsOf(route, 'ingress')
    .filter(h => h.resourceBackend && h.object)
    .map(h =>
      makeFinding(
        'INGRESS_BACKEND_NOT_SERVICE',
        h.object!,
        `${describeRef(h.object!)} sends ${h.host ?? '*'}${h.path ?? ''} to ${
          h.resourceBackend
        }`,
        { routeIds: [route.id] },
      ),
    );

export const ingressRules: RouteRule[] = [
  ingressClassAmbiguous,
  ingressClassNotFound,
  ingressControllerNotFound,
  ingressNoAddress,
  tlsSecretNotFound,
  tlsHostNotCovered,
  ingressBackendNotService,
];
