import {
  backendPortNotFound,
  backendServiceNotFound,
  endpointsSkipSelectedPods,
  noEndpoints,
  targetPortUndeclared,
} from './destinationRules';
import { scenarioRoutes, yamlRoutes } from './__testUtils__/routes';

const ingressRef = { kind: 'Ingress', namespace: 'shop', name: 'web' };
const web = { kind: 'Service', namespace: 'shop', name: 'web' };
const routeId = 'ingress:shop/web:0:0';

const ingress = `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web, namespace: shop }
spec:
  ingressClassName: nginx
  rules:
    - host: shop.example.com
      http:
        paths:
          - { path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }
`;

/** The Service web of shop, with what the test sets in its spec. */
const service = (spec: string[]) => `---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec:
  clusterIP: 10.96.50.20
  ports: [{ name: http, port: 80, targetPort: 8080, protocol: TCP }]
${spec.map(line => `  ${line}\n`).join('')}`;

const pod = `---
apiVersion: v1
kind: Pod
metadata: { name: web-5f6d7c8b9-aaaaa, namespace: shop, labels: { app: web } }
spec:
  nodeName: worker-a
  containers:
    - name: web
      image: ghcr.io/example/shop-web:2.3.0
      ports: [{ name: http, containerPort: 8080, protocol: TCP }]
status:
  podIP: 10.244.0.21
  conditions: [{ type: Ready, status: 'True' }]
`;

const emptySlice = `---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: web-8k2lm
  namespace: shop
  labels: { kubernetes.io/service-name: web }
addressType: IPv4
endpoints: []
ports: [{ name: http, port: 8080, protocol: TCP }]
`;

const nginx = ['_shared/ingress-nginx.yaml'];

describe('destination rules', () => {
  it('backendServiceNotFound: only when the input lists the namespace Services', () => {
    const { ctx, route } = scenarioRoutes('backend-service-not-found');
    expect(backendServiceNotFound(route(routeId), ctx)).toEqual([
      expect.objectContaining({
        code: 'BACKEND_SERVICE_NOT_FOUND',
        hop: 'service',
        object: ingressRef,
        message:
          'Ingress shop/web sends to Service web-frontend, which does not exist in namespace shop',
      }),
    ]);
    // No Service of shop in the input: the Service may well exist.
    const unknown = yamlRoutes(ingress, nginx);
    expect(unknown.route(routeId).hops).toContainEqual(
      expect.objectContaining({ kind: 'service', status: 'unknown' }),
    );
    expect(backendServiceNotFound(unknown.route(routeId), unknown.ctx)).toEqual(
      [],
    );
  });

  it('backendPortNotFound: the route names the targetPort, not a Service port', () => {
    const { ctx, route } = scenarioRoutes('backend-port-not-found');
    expect(backendPortNotFound(route(routeId), ctx)).toEqual([
      expect.objectContaining({
        code: 'BACKEND_PORT_NOT_FOUND',
        object: ingressRef,
        message:
          'Ingress shop/web sends to port 8080 of Service web: 8080 is the targetPort of Service web port 80, not a Service port (ports: 80 (http))',
      }),
    ]);
    const fine = scenarioRoutes('service-no-ready-endpoints');
    expect(backendPortNotFound(fine.route(routeId), fine.ctx)).toEqual([]);
  });

  describe('endpointsSkipSelectedPods', () => {
    it('a named targetPort no selected pod declares: the endpoints stay empty', () => {
      const { ctx, route } = scenarioRoutes('target-port-not-found');
      expect(endpointsSkipSelectedPods(route(routeId), ctx)).toEqual([
        expect.objectContaining({
          code: 'TARGET_PORT_NOT_FOUND',
          hop: 'container',
          object: web,
          message:
            'Service shop/web port 80 targets the named port "web-http", which no container of web-5f6d7c8b9-aaaaa, web-5f6d7c8b9-bbbbb declares: the endpoints stay empty',
        }),
      ]);
    });

    it('pods selected but not in the EndpointSlice: no ready endpoint', () => {
      const { ctx, route } = yamlRoutes(
        `${ingress}${service(['selector: { app: web }'])}${pod}${emptySlice}`,
        nginx,
      );
      expect(route(routeId).hops).toContainEqual(
        expect.objectContaining({
          kind: 'pod',
          unlistedPods: [
            expect.objectContaining({
              pod: 'web-5f6d7c8b9-aaaaa',
              declared: true,
            }),
          ],
        }),
      );
      expect(endpointsSkipSelectedPods(route(routeId), ctx)).toEqual([
        expect.objectContaining({
          code: 'SERVICE_NO_READY_ENDPOINTS',
          object: web,
          message:
            'Service shop/web selects 1 pod(s) but its EndpointSlice list no endpoint',
        }),
      ]);
    });

    it('endpoints listed: nothing', () => {
      const { ctx, route } = scenarioRoutes('service-no-ready-endpoints');
      expect(endpointsSkipSelectedPods(route(routeId), ctx)).toEqual([]);
    });
  });

  describe('noEndpoints', () => {
    it('a selector that matches no pod', () => {
      const { ctx, route } = scenarioRoutes('service-no-matching-pods');
      expect(noEndpoints(route(routeId), ctx)).toEqual([
        expect.objectContaining({
          code: 'SERVICE_NO_MATCHING_PODS',
          object: web,
          message:
            'Service shop/web selects no pod: its selector matches nothing',
        }),
      ]);
    });

    it('no selector and no endpoints', () => {
      const { ctx, route } = yamlRoutes(`${ingress}${service([])}`, nginx);
      expect(noEndpoints(route(routeId), ctx)).toEqual([
        expect.objectContaining({
          code: 'SERVICE_NO_READY_ENDPOINTS',
          message: 'Service shop/web has no selector and no endpoints',
        }),
      ]);
    });

    it('no pods of the namespace in the input: unknown, nothing claimed', () => {
      const { ctx, route } = yamlRoutes(
        `${ingress}${service(['selector: { app: web }'])}`,
        nginx,
      );
      expect(route(routeId).hops).toContainEqual(
        expect.objectContaining({ kind: 'pod', status: 'unknown' }),
      );
      expect(noEndpoints(route(routeId), ctx)).toEqual([]);
    });

    it('selected pods that the endpoints skip are the other rule', () => {
      const { ctx, route } = scenarioRoutes('target-port-not-found');
      expect(noEndpoints(route(routeId), ctx)).toEqual([]);
    });
  });

  describe('targetPortUndeclared', () => {
    it('a port number no container declares: a warning', () => {
      const { ctx, route } = scenarioRoutes('target-port-undeclared');
      expect(targetPortUndeclared(route(routeId), ctx)).toEqual([
        expect.objectContaining({
          code: 'TARGET_PORT_UNDECLARED',
          severity: 'warning',
          object: web,
          message:
            'Service shop/web port 80 targets port 9090, which no container of web-5f6d7c8b9-aaaaa, web-5f6d7c8b9-bbbbb declares',
        }),
      ]);
    });

    it('a port name no container declares: an error', () => {
      const { ctx, route } = scenarioRoutes('target-port-named-missing');
      expect(targetPortUndeclared(route(routeId), ctx)).toEqual([
        expect.objectContaining({
          code: 'TARGET_PORT_NOT_FOUND',
          severity: 'error',
          message:
            'Service shop/web port 80 targets the named port "web-http", which no container of web-5f6d7c8b9-aaaaa, web-5f6d7c8b9-bbbbb declares',
        }),
      ]);
    });

    it('declared ports, and endpoints whose pods are not in the input: nothing', () => {
      const declared = scenarioRoutes('service-no-ready-endpoints');
      expect(
        targetPortUndeclared(declared.route(routeId), declared.ctx),
      ).toEqual([]);
      const slice = emptySlice.replace(
        'endpoints: []',
        `endpoints:
  - addresses: [10.244.0.21]
    conditions: { ready: true, serving: true, terminating: false }
    nodeName: worker-a`,
      );
      const podless = yamlRoutes(
        `${ingress}${service(['selector: { app: web }'])}${slice}`,
        nginx,
      );
      expect(targetPortUndeclared(podless.route(routeId), podless.ctx)).toEqual(
        [],
      );
    });
  });
});
