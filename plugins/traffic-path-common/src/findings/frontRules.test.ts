import { LoadBalancerHop } from '../model';
import {
  aclNotVisible,
  invalidSourceRanges,
  loadBalancerPending,
  noLocalEndpoint,
  publicWithoutSourceRestriction,
  sourceRangesIgnored,
} from './frontRules';
import { scenarioRoutes, yamlRoutes } from './__testUtils__/routes';

const web = { kind: 'Service', namespace: 'shop', name: 'web' };

/** A LoadBalancer Service of shop, deployed (it has a status) unless told. */
function lbService(
  spec: string[],
  status = 'status: { loadBalancer: { ingress: [{ ip: 34.120.50.7 }] } }',
) {
  return `
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec:
  type: LoadBalancer
  selector: { app: web }
  ports: [{ name: http, port: 80, targetPort: http, nodePort: 30080, protocol: TCP }]
${spec.map(line => `  ${line}\n`).join('')}${status}
`;
}

describe('front rules', () => {
  it('loadBalancerPending: a deployed LoadBalancer Service without an address', () => {
    const { ctx, route } = scenarioRoutes('lb-pending');
    expect(loadBalancerPending(route('service:shop/web:80'), ctx)).toEqual([
      expect.objectContaining({
        code: 'LB_PENDING',
        severity: 'error',
        hop: 'load-balancer',
        object: web,
        routeIds: ['service:shop/web:80'],
        message:
          'LoadBalancer Service shop/web has no address in status.loadBalancer.ingress: the cloud has not provisioned it',
      }),
    ]);
    // Manifests before deploy: the address is assigned at deploy, not pending.
    const manifests = scenarioRoutes('manifests-microservices-demo');
    const before = manifests.route('service:default/frontend-external:80');
    expect(before.hops.find(h => h.kind === 'load-balancer')).toMatchObject({
      addresses: [],
      notDeployed: true,
    });
    expect(loadBalancerPending(before, manifests.ctx)).toEqual([]);
  });

  it('invalidSourceRanges: entries of spec.loadBalancerSourceRanges and of nginx allowlists that are not CIDRs', () => {
    const { ctx, route } = yamlRoutes(
      `${lbService([
        'loadBalancerSourceRanges: [203.0.113.0/24, office-vpn]',
      ])}---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
  annotations:
    nginx.ingress.kubernetes.io/allowlist-source-range: 10.0.0.0/8, 10.300.0.0/16
spec:
  ingressClassName: nginx
  rules:
    - host: shop.example.com
      http:
        paths:
          - { path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }
`,
      ['_shared/ingress-nginx.yaml'],
    );
    const service = route('service:shop/web:80');
    expect(service.hops.find(h => h.kind === 'load-balancer')).toMatchObject({
      restrictions: [expect.objectContaining({ cidrs: ['203.0.113.0/24'] })],
      invalidRanges: [
        { field: 'spec.loadBalancerSourceRanges', value: 'office-vpn' },
      ],
    });
    expect(invalidSourceRanges(service, ctx)).toEqual([
      expect.objectContaining({
        code: 'INVALID_SOURCE_RANGE',
        object: web,
        hop: 'load-balancer',
        message:
          'spec.loadBalancerSourceRanges holds "office-vpn", which is not a CIDR',
      }),
    ]);
    const ingress = route('ingress:shop/web:0:0');
    expect(invalidSourceRanges(ingress, ctx)).toEqual([
      expect.objectContaining({
        code: 'INVALID_SOURCE_RANGE',
        object: { kind: 'Ingress', namespace: 'shop', name: 'web' },
        hop: 'ingress',
        routeIds: ['ingress:shop/web:0:0'],
        message:
          'nginx.ingress.kubernetes.io/allowlist-source-range holds "10.300.0.0/16", which is not a CIDR',
      }),
    ]);
    // Valid ranges only: nothing.
    const valid = scenarioRoutes('lb-source-ranges');
    expect(
      invalidSourceRanges(valid.route('service:shop/web:80'), valid.ctx),
    ).toEqual([]);
  });

  it('sourceRangesIgnored: the AWS Load Balancer Controller ignores the ranges without client IP preservation', () => {
    const { ctx, drafts } = scenarioRoutes('nlb-ip-target');
    const route = drafts.find(d => d.entry.kind === 'load-balancer-service')!;
    const lb = route.hops.find(
      (h): h is LoadBalancerHop => h.kind === 'load-balancer',
    )!;
    const ignored = lb.restrictions.filter(r => r.ignored);
    expect(ignored).not.toEqual([]);
    expect(sourceRangesIgnored(route, ctx)).toEqual(
      ignored.map(r =>
        expect.objectContaining({
          code: 'SOURCE_RANGES_IGNORED',
          severity: 'warning',
          object: lb.object,
          message: `${r.origin} (${r.cidrs.join(', ')}) is ${r.ignoredReason}`,
        }),
      ),
    );
    const applied = scenarioRoutes('lb-source-ranges');
    expect(
      sourceRangesIgnored(applied.route('service:shop/web:80'), applied.ctx),
    ).toEqual([]);
  });

  it('aclNotVisible: an Alibaba Cloud ACL by id, whose entries live in the cloud account', () => {
    const { ctx, drafts } = scenarioRoutes('seed-004');
    const app3 = drafts.find(d => d.entry.host === 'app3.qas.abc.com')!;
    const found = aclNotVisible(app3, ctx);
    expect(found).toHaveLength(1);
    const [f] = found;
    expect(f).toMatchObject({
      code: 'ACL_NOT_VISIBLE',
      severity: 'info',
      object: { kind: 'Service', name: 'nginx-ingress-lb-internal' },
      routeIds: [app3.id],
    });
    expect(f.message).toMatch(
      /^Alibaba Cloud ACL .* on the load balancer of Service kube-system\/nginx-ingress-lb-internal: its entries live in the cloud account, not in the cluster/,
    );
    // The public LB of app1 has no ACL.
    const app1 = drafts.find(d => d.entry.host === 'app1.qas.abc.com')!;
    expect(aclNotVisible(app1, ctx)).toEqual([]);
  });

  it('publicWithoutSourceRestriction: deployed, before deploy, and not when restricted or pending', () => {
    const open = yamlRoutes(lbService([]));
    expect(
      publicWithoutSourceRestriction(
        open.route('service:shop/web:80'),
        open.ctx,
      ),
    ).toEqual([
      expect.objectContaining({
        code: 'PUBLIC_WITHOUT_SOURCE_RESTRICTION',
        severity: 'info',
        object: web,
        message:
          'Public load balancer 34.120.50.7 of Service shop/web accepts every source address',
      }),
    ]);
    const manifests = yamlRoutes(lbService([], ''));
    expect(
      publicWithoutSourceRestriction(
        manifests.route('service:shop/web:80'),
        manifests.ctx,
      ),
    ).toEqual([
      expect.objectContaining({
        message:
          'The public load balancer of Service shop/web will accept every source address once deployed',
      }),
    ]);
    const restricted = yamlRoutes(
      lbService(['loadBalancerSourceRanges: [203.0.113.0/24]']),
    );
    expect(
      publicWithoutSourceRestriction(
        restricted.route('service:shop/web:80'),
        restricted.ctx,
      ),
    ).toEqual([]);
    // Pending: no address to accept anything on yet (LB_PENDING says why).
    const pending = scenarioRoutes('lb-pending');
    expect(
      publicWithoutSourceRestriction(
        pending.route('service:shop/web:80'),
        pending.ctx,
      ),
    ).toEqual([]);
  });

  describe('noLocalEndpoint', () => {
    const local = (ready: boolean, healthCheck = true) =>
      yamlRoutes(
        `${lbService([
          'externalTrafficPolicy: Local',
          ...(healthCheck ? ['healthCheckNodePort: 32100'] : []),
        ])}---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: web-8k2lm
  namespace: shop
  labels: { kubernetes.io/service-name: web }
addressType: IPv4
endpoints:
  - addresses: [10.244.0.21]
    conditions: { ready: ${ready}, serving: ${ready}, terminating: false }
    nodeName: worker-a
    targetRef: { kind: Pod, name: web-5f6d7c8b9-aaaaa, namespace: shop }
ports:
  - { name: http, port: 8080, protocol: TCP }
`,
        ['_shared/ingress-nginx.yaml'],
      );

    it('no ready endpoint on any node: the health check fails everywhere', () => {
      const { ctx, route } = local(false);
      // The hop states the fact the rule reads.
      expect(
        route('service:shop/web:80').hops.find(h => h.kind === 'node-port'),
      ).toMatchObject({ status: 'broken', noReadyLocalEndpoint: true });
      expect(noLocalEndpoint(route('service:shop/web:80'), ctx)).toEqual([
        expect.objectContaining({
          code: 'NODE_PORT_NO_LOCAL_ENDPOINT',
          hop: 'node-port',
          object: web,
          message:
            'Service shop/web has externalTrafficPolicy: Local and no ready endpoint on any node: the load balancer health check (node port 32100) fails on every node',
        }),
      ]);
      const noCheck = local(false, false);
      expect(
        noLocalEndpoint(noCheck.route('service:shop/web:80'), noCheck.ctx)[0]
          .message,
      ).toBe(
        'Service shop/web has externalTrafficPolicy: Local and no ready endpoint on any node: node port 30080 drops the traffic on every node',
      );
    });

    it('a ready endpoint on a node the input does not name: no claim, the hop is unknown', () => {
      const { ctx, route } = yamlRoutes(
        `${lbService(['externalTrafficPolicy: Local'])}---
apiVersion: v1
kind: Endpoints
metadata: { name: web, namespace: shop }
subsets:
  - addresses: [{ ip: 10.244.0.21 }]
    ports: [{ name: http, port: 8080, protocol: TCP }]
`,
      );
      const web80 = route('service:shop/web:80');
      const hop = web80.hops.find(h => h.kind === 'node-port');
      // The label does not say "no node": the nodes are only not in the input.
      expect(hop).toMatchObject({
        status: 'unknown',
        label:
          'NodePort 30080 on the nodes of the ready endpoints (not in the input) (externalTrafficPolicy Local)',
        problems: [
          'externalTrafficPolicy Local: the nodes of the ready endpoints are not in the input',
        ],
      });
      expect(hop).not.toHaveProperty('noReadyLocalEndpoint');
      expect(noLocalEndpoint(web80, ctx)).toEqual([]);
    });

    it('a ready endpoint on a node, policy Cluster, or pod templates: nothing', () => {
      const ready = local(true);
      expect(
        noLocalEndpoint(ready.route('service:shop/web:80'), ready.ctx),
      ).toEqual([]);
      // A Local controller Service with a ready controller pod in front of a
      // backend without ready pods: the node port sends to the controller,
      // whose pod is ready; the backend is SERVICE_NO_READY_ENDPOINTS' business.
      const behind = yamlRoutes(
        `apiVersion: v1
kind: Service
metadata: { name: ingress-nginx-controller, namespace: ingress-nginx }
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  healthCheckNodePort: 32200
  clusterIP: 10.96.100.10
  ports:
    - { name: http, port: 80, targetPort: http, nodePort: 31080, protocol: TCP }
    - { name: https, port: 443, targetPort: https, nodePort: 31443, protocol: TCP }
  selector:
    app.kubernetes.io/name: ingress-nginx
    app.kubernetes.io/component: controller
status:
  loadBalancer:
    ingress: [{ ip: 34.120.10.20 }]
`,
        ['_shared/ingress-nginx.yaml', 'service-no-ready-endpoints/cluster'],
      );
      const viaController = behind.route('ingress:shop/web:0:0');
      expect(viaController.hops.map(h => [h.kind, h.status])).toEqual(
        expect.arrayContaining([
          ['node-port', 'ok'],
          ['ingress-controller', 'ok'],
          ['pod', 'broken'],
        ]),
      );
      expect(
        viaController.hops.find(h => h.kind === 'node-port'),
      ).toMatchObject({ externalTrafficPolicy: 'Local' });
      expect(noLocalEndpoint(viaController, behind.ctx)).toEqual([]);
      const manifests = yamlRoutes(
        `${lbService(['externalTrafficPolicy: Local'], '')}---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: ghcr.io/example/shop-web:2.3.0
          ports: [{ name: http, containerPort: 8080 }]
`,
      );
      expect(
        noLocalEndpoint(manifests.route('service:shop/web:80'), manifests.ctx),
      ).toEqual([]);
    });
  });
});
