/*
 * Rules over the destination of a route: the backend Service the rule names,
 * its endpoints and the containers' ports.
 */
import { ObjectRef, ServiceHop } from '../model';
import type { RouteDraft } from '../resolve/plan';
import { makeFinding } from './catalog';
import { describeRef } from '../util/fields';
import { hopsOf, RouteRule } from './hops';

/** The Service hop of the route that is about this Service (it holds the port). */
function serviceOf(route: RouteDraft, ref: ObjectRef): ServiceHop | undefined {
  return hopsOf(route, 'service').find(
    h =>
      h.object?.name === ref.name &&
      h.object.namespace === ref.namespace &&
      h.port !== undefined,
  );
}

/** A named targetPort (the API keeps numbers as numbers). */
function isNamed(targetPort: string): boolean {
  return !/^\d+$/.test(targetPort);
}

/** The route names a Service the input shows does not exist. */
export const backendServiceNotFound: RouteRule = route =>
  hopsOf(route, 'service')
    .filter(h => h.notFound && h.object)
    .map(h =>
      makeFinding(
        'BACKEND_SERVICE_NOT_FOUND',
        route.entry.object,
        `${describeRef(route.entry.object)} sends to Service ${
          h.object!.name
        }, which does not exist in namespace ${h.object!.namespace}`,
        { routeIds: [route.id] },
      ),
    );

/** The route names a port the Service does not have. */
export const backendPortNotFound: RouteRule = route =>
  hopsOf(route, 'service')
    .filter(h => h.portNotFound && h.object)
    .map(h =>
      makeFinding(
        'BACKEND_PORT_NOT_FOUND',
        route.entry.object,
        `${describeRef(route.entry.object)} sends to port ${
          h.portNotFound!.wanted ?? '(none)'
        } of Service ${h.object!.name}: ${h.portNotFound!.reason}`,
        { routeIds: [route.id] },
      ),
    );

/**
 * The selector matches pods but the endpoints list none: the endpoints
 * controller skips pods on which a named targetPort does not resolve.
 */
export const endpointsSkipSelectedPods: RouteRule = route =>
  hopsOf(route, 'pod').flatMap(h => {
    const pods = h.unlistedPods ?? [];
    const service = h.object && serviceOf(route, h.object);
    if (pods.length === 0 || !h.object || !service?.port) return [];
    const { port, targetPort } = service.port;
    const name = describeRef(h.object);
    if (isNamed(targetPort) && pods.every(t => !t.declared))
      return [
        makeFinding(
          'TARGET_PORT_NOT_FOUND',
          h.object,
          `${name} port ${port} targets the named port "${targetPort}", which no container of ${pods
            .map(t => t.pod)
            .join(', ')} declares: the endpoints stay empty`,
          { routeIds: [route.id] },
        ),
      ];
    return [
      makeFinding(
        'SERVICE_NO_READY_ENDPOINTS',
        h.object,
        `${name} selects ${pods.length} pod(s) but its ${h.source} list no endpoint`,
        { routeIds: [route.id] },
      ),
    ];
  });

/**
 * No endpoint and no pod behind the Service. The hop is unknown when the
 * input holds no pods to derive endpoints from: then nothing is claimed.
 */
export const noEndpoints: RouteRule = route =>
  hopsOf(route, 'pod')
    .filter(
      h =>
        h.object &&
        h.endpoints.length === 0 &&
        !h.unlistedPods?.length &&
        h.status !== 'unknown',
    )
    .map(h =>
      h.source === 'none'
        ? makeFinding(
            'SERVICE_NO_READY_ENDPOINTS',
            h.object!,
            `${describeRef(h.object!)} has no selector and no endpoints`,
            { routeIds: [route.id] },
          )
        : makeFinding(
            'SERVICE_NO_MATCHING_PODS',
            h.object!,
            `${describeRef(
              h.object!,
            )} selects no pod: its selector matches nothing`,
            { routeIds: [route.id] },
          ),
    );

/** Containers that do not declare the port the Service targets: by name it fails, by number it is undocumented. */
export const targetPortUndeclared: RouteRule = route =>
  hopsOf(route, 'container').flatMap(h => {
    const pods = h.undeclared ?? [];
    const service = h.object && serviceOf(route, h.object);
    if (pods.length === 0 || !h.object || !service?.port) return [];
    const { port, targetPort } = service.port;
    const name = describeRef(h.object);
    return [
      isNamed(targetPort)
        ? makeFinding(
            'TARGET_PORT_NOT_FOUND',
            h.object,
            `${name} port ${port} targets the named port "${targetPort}", which no container of ${pods.join(
              ', ',
            )} declares`,
            { routeIds: [route.id] },
          )
        : makeFinding(
            'TARGET_PORT_UNDECLARED',
            h.object,
            `${name} port ${port} targets port ${targetPort}, which no container of ${pods.join(
              ', ',
            )} declares`,
            { routeIds: [route.id] },
          ),
    ];
  });

export const destinationRules: RouteRule[] = [
  backendServiceNotFound,
  backendPortNotFound,
  endpointsSkipSelectedPods,
  noEndpoints,
  targetPortUndeclared,
];
