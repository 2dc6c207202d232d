/*
 * Claims of the engine that need a small cluster of their own.
 */
import { KubeObject } from './model';
import { resolveReport } from './report';

const pod = (
  name: string,
  ip: string,
  port: number,
  extra: Record<string, unknown> = {},
): KubeObject => ({
  kind: 'Pod',
  metadata: { name, namespace: 'shop', labels: { app: 'web' }, ...extra },
  spec: {
    nodeName: 'n1',
    containers: [
      { name: 'web', ports: [{ name: 'http', containerPort: port }] },
    ],
  },
  status: { podIP: ip, conditions: [{ type: 'Ready', status: 'True' }] },
});

const service: KubeObject = {
  kind: 'Service',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    type: 'NodePort',
    selector: { app: 'web' },
    ports: [{ name: 'http', port: 80, targetPort: 'http', nodePort: 30080 }],
  },
};

describe('resolveReport', () => {
  it('resolves a named targetPort per pod, to different numbers on different pods', () => {
    const report = resolveReport([
      service,
      pod('web-a', '10.0.0.1', 8080),
      pod('web-b', '10.0.0.2', 9090),
    ]);
    const container = report.routes[0].hops.find(h => h.kind === 'container');
    expect(
      container &&
        container.kind === 'container' &&
        container.targets.map(t => [t.pod, t.port]),
    ).toEqual([
      ['web-a', 8080],
      ['web-b', 9090],
    ]);
    const pods = report.routes[0].hops.find(h => h.kind === 'pod');
    expect(pods).toMatchObject({
      source: 'derived',
      endpoints: [
        expect.objectContaining({ derived: true, port: 8080 }),
        expect.objectContaining({ derived: true, port: 9090 }),
      ],
    });
  });

  it('keeps ready, serving and terminating apart, and sends no traffic to terminating endpoints', () => {
    const slice: KubeObject = {
      kind: 'EndpointSlice',
      metadata: {
        name: 'web-x',
        namespace: 'shop',
        labels: { 'kubernetes.io/service-name': 'web' },
      },
      endpoints: [
        { addresses: ['10.0.0.1'], conditions: { ready: true } },
        {
          addresses: ['10.0.0.2'],
          conditions: { ready: false, serving: true, terminating: true },
        },
      ],
      ports: [{ name: 'http', port: 8080 }],
    };
    const report = resolveReport([service, slice]);
    const pods = report.routes[0].hops.find(h => h.kind === 'pod');
    expect(pods).toMatchObject({
      status: 'degraded',
      endpoints: [
        { address: '10.0.0.1', ready: true, serving: true, terminating: false },
        { address: '10.0.0.2', ready: false, serving: true, terminating: true },
      ],
    });
    expect(report.findings.map(f => f.code)).toContain(
      'ENDPOINTS_PARTIALLY_READY',
    );
  });

  it('lets forwarded headers carry the client address to an ingress-nginx allowlist behind SNAT', () => {
    const objects: KubeObject[] = [
      {
        kind: 'IngressClass',
        metadata: { name: 'nginx' },
        spec: { controller: 'k8s.io/ingress-nginx' },
      },
      {
        kind: 'Node',
        metadata: { name: 'n1' },
        status: { addresses: [{ type: 'InternalIP', address: '10.9.0.1' }] },
      },
      {
        kind: 'ConfigMap',
        metadata: { name: 'nginx-config', namespace: 'ingress' },
        data: { 'use-forwarded-headers': 'true' },
      },
      {
        kind: 'Service',
        metadata: { name: 'ctrl', namespace: 'ingress' },
        spec: {
          type: 'LoadBalancer',
          selector: { app: 'ctrl' },
          ports: [{ name: 'http', port: 80, targetPort: 80, nodePort: 31000 }],
        },
        status: { loadBalancer: { ingress: [{ ip: '34.0.0.1' }] } },
      },
      {
        kind: 'Pod',
        metadata: {
          name: 'ctrl-1',
          namespace: 'ingress',
          labels: { app: 'ctrl', 'app.kubernetes.io/name': 'ingress-nginx' },
        },
        spec: {
          containers: [
            { name: 'c', args: ['--configmap=$(POD_NAMESPACE)/nginx-config'] },
          ],
        },
        status: {
          podIP: '10.1.0.5',
          conditions: [{ type: 'Ready', status: 'True' }],
        },
      },
      {
        kind: 'Service',
        metadata: { name: 'web', namespace: 'shop' },
        spec: {
          selector: { app: 'web' },
          ports: [{ port: 80, targetPort: 8080 }],
        },
      },
      {
        kind: 'Ingress',
        metadata: {
          name: 'web',
          namespace: 'shop',
          annotations: {
            'nginx.ingress.kubernetes.io/allowlist-source-range':
              '203.0.113.0/24',
          },
        },
        spec: {
          ingressClassName: 'nginx',
          rules: [
            {
              host: 'shop.example.com',
              http: {
                paths: [
                  {
                    path: '/',
                    pathType: 'Prefix',
                    backend: { service: { name: 'web', port: { number: 80 } } },
                  },
                ],
              },
            },
          ],
        },
      },
    ];
    const report = resolveReport(objects, {
      host: 'shop.example.com',
      clientIp: '203.0.113.5',
    });
    expect(report.routes[0].verdict).toMatchObject({
      allowed: true,
      reason:
        'ingress: client 203.0.113.5 passes nginx.ingress.kubernetes.io/allowlist-source-range',
    });
    expect(report.findings.map(f => f.code)).not.toContain(
      'CLIENT_IP_NOT_PRESERVED',
    );
  });

  it('reports objects without kind or name as input errors and resolves the rest', () => {
    const report = resolveReport([
      service,
      { metadata: { name: 'x' } } as unknown as KubeObject,
      { kind: 'Pod', metadata: {} } as unknown as KubeObject,
    ]);
    expect(report.routes).toHaveLength(1);
    expect(report.inputErrors.map(e => e.field)).toEqual([
      'kind',
      'metadata.name',
    ]);
  });
});
