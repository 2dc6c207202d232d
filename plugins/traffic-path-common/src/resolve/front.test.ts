/*
 * The front of exposed Services (load balancer, node port, kube-proxy) on
 * real Service YAML: before deploy, in a cluster, and in between (a dump
 * that lost the Service's status).
 */
import { mergeLoadResults, parseDocuments } from '../load/parse';
import { exposureOf as exposureSummary } from '../exposure/summary';
import { routeTitle } from '../export/text';
import { resolveReport } from '../report';
import { loadFiles, scenariosDir } from '../__testUtils__/scenarios';
import { loadBalancerPending } from '../findings/frontRules';
import { yamlRoutes } from '../findings/__testUtils__/routes';

/** A Service of shop selecting the `web` pods of _shared/shop-web.yaml. */
function service(lines: string[], status = '') {
  return `apiVersion: v1
kind: Service
metadata: { name: web-edge, namespace: shop }
spec:
  selector: { app: web }
${lines.map(l => `  ${l}\n`).join('')}${status}`;
}

const template = `---
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
          ports: [{ name: http, containerPort: 8080, protocol: TCP }]
`;

function report(text: string, include: string[]) {
  return resolveReport(
    mergeLoadResults([
      loadFiles(include, scenariosDir),
      parseDocuments('test.yaml', text),
    ]),
  );
}

describe('front', () => {
  it('before deploy the node port hop has no port number, not 0', () => {
    const { route } = yamlRoutes(
      service([
        'type: LoadBalancer',
        'ports: [{ name: http, port: 80, targetPort: http, protocol: TCP }]',
      ]) + template,
    );
    const hops = route('service:shop/web-edge:80').hops;
    const np = hops.find(h => h.kind === 'node-port');
    expect(np).toMatchObject({ status: 'unknown', notDeployed: true });
    expect(np).not.toHaveProperty('nodePort');
    expect(hops.find(h => h.kind === 'kube-proxy')?.label).toBe(
      'kube-proxy (unknown) will DNAT node:(node port) to a pod IP, SNAT to the node address',
    );
  });

  it('a ClusterIP Service behind an external load balancer gets no node port, before deploy either', () => {
    const { route } = yamlRoutes(
      `apiVersion: v1
kind: Service
metadata:
  name: web-edge
  namespace: shop
  annotations: { traffic-path.io/external-load-balancer: '198.51.100.20:443' }
spec:
  type: ClusterIP
  selector: { app: web }
  ports: [{ name: http, port: 80, targetPort: http, protocol: TCP }]
${template}`,
    );
    const kinds = route('service:shop/web-edge:80').hops.map(h => h.kind);
    expect(kinds).toContain('load-balancer');
    expect(kinds).not.toContain('node-port');
    expect(kinds).not.toContain('kube-proxy');
  });

  describe('a Service without status in front of live pods is deployed', () => {
    // A dump that lost the Services' status: the pods run, so the API has
    // assigned the node ports; the input only does not show them.
    const include = ['_shared/ingress-nginx.yaml', '_shared/shop-web.yaml'];

    it('a NodePort port without its nodePort gets no route (no ":?" entry)', () => {
      const { drafts } = yamlRoutes(
        service([
          'type: NodePort',
          'ports:',
          '  - { name: http, port: 80, targetPort: http, protocol: TCP }',
          '  - { name: admin, port: 9000, targetPort: http, nodePort: 30900, protocol: TCP }',
        ]),
        include,
      );
      const ids = drafts.map(d => d.id);
      expect(ids).not.toContain('service:shop/web-edge:80');
      expect(ids).toContain('service:shop/web-edge:9000');
    });

    it('the load balancer and the node port agree it is deployed', () => {
      const { ctx, route } = yamlRoutes(
        service([
          'type: LoadBalancer',
          'ports: [{ name: http, port: 80, targetPort: http, nodePort: 30080, protocol: TCP }]',
        ]),
        include,
      );
      const hops = route('service:shop/web-edge:80').hops;
      const lb = hops.find(h => h.kind === 'load-balancer');
      expect(lb).not.toHaveProperty('notDeployed');
      // Nor pending: the input only lost the status that names its address.
      expect(lb).toMatchObject({
        status: 'unknown',
        statusMissing: true,
        label: 'public load balancer (address not in the input) (unknown)',
        problems: [
          'the input has no status of the Service: its address is not known',
        ],
      });
      expect(
        loadBalancerPending(route('service:shop/web-edge:80'), ctx),
      ).toEqual([]);
      const np = hops.find(h => h.kind === 'node-port');
      expect(np).toMatchObject({ nodePort: 30080, status: 'ok' });
      expect(np).not.toHaveProperty('notDeployed');
    });
  });

  describe("a NodePort Service's entry exposure", () => {
    const nodePort = service([
      'type: NodePort',
      'ports: [{ name: http, port: 80, targetPort: http, nodePort: 30080, protocol: TCP }]',
    ]);

    it('private node addresses: unknown, in the route, the summary and the trace', () => {
      const r = report(nodePort, [
        '_shared/ingress-nginx.yaml',
        '_shared/shop-web.yaml',
      ]);
      const route = r.routes.find(x => x.id === 'service:shop/web-edge:80')!;
      expect(route.entry).toMatchObject({
        kind: 'node-port-service',
        port: 30080,
        exposure: 'unknown',
      });
      const entry = exposureSummary(r).entries.find(
        e => e.object.name === 'web-edge',
      );
      expect(entry?.exposure).toBe('unknown');
      expect(routeTitle(route)).toMatch(/\[unknown\]$/);
    });

    it('a public node address: public in both', () => {
      // Bare-metal nodes on public addresses (no private network).
      const r = report(
        `${nodePort}---
apiVersion: v1
kind: Node
metadata: { name: worker-a }
status:
  addresses: [{ type: InternalIP, address: 203.0.113.40 }]
  conditions: [{ type: Ready, status: 'True' }]
`,
        ['_shared/ingress-nginx.yaml', '_shared/shop-web.yaml'],
      );
      const route = r.routes.find(x => x.id === 'service:shop/web-edge:80')!;
      const entry = exposureSummary(r).entries.find(
        e => e.object.name === 'web-edge',
      );
      expect([route.entry.exposure, entry?.exposure]).toEqual([
        'public',
        'public',
      ]);
    });
  });
});
