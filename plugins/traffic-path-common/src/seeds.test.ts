/*
 * The two seed clusters, claim by claim: the addresses, ports and steps the
 * card and the CLI show for them.
 */
import { Route } from './model';
import { resolveReport } from './report';
import { loadScenario } from './__testUtils__/scenarios';

function hop<K extends Route['hops'][number]['kind']>(route: Route, kind: K) {
  return route.hops.find(h => h.kind === kind) as Extract<
    Route['hops'][number],
    { kind: K }
  >;
}

describe('seed 004: three domains, public and private load balancers', () => {
  const { load } = loadScenario('seed-004');
  const report = resolveReport(load);
  const byHost = (host: string) =>
    report.routes.find(
      r => r.entry.host === host && r.entry.kind === 'ingress-rule',
    )!;

  it('reads the IPVS mode from the kube-proxy ConfigMap', () => {
    expect(report.kubeProxyMode).toBe('ipvs');
  });

  it('sends app1 and app2 through the public LB and app3 through the internal one', () => {
    for (const host of ['app1.qas.abc.com', 'app2.qas.abc.com']) {
      const lb = hop(byHost(host), 'load-balancer');
      expect(lb).toMatchObject({
        addresses: ['47.100.21.10'],
        exposure: 'public',
        provider: 'alibaba-cloud',
        id: 'lb-uf6public01',
        targetType: 'nodes',
      });
      expect(lb.restrictions).toEqual([]);
      expect(hop(byHost(host), 'dns').expected).toEqual(['47.100.21.10']);
    }
    const lb3 = hop(byHost('app3.qas.abc.com'), 'load-balancer');
    expect(lb3).toMatchObject({
      addresses: ['10.17.0.200'],
      exposure: 'internal',
      id: 'lb-uf6private01',
    });
    expect(lb3.restrictions).toEqual([
      expect.objectContaining({
        mode: 'allow',
        visible: false,
        description: 'Alibaba Cloud ACL acl-2ze0app3 (whitelist)',
      }),
    ]);
  });

  it('finds each controller by its class and --publish-service', () => {
    const c1 = hop(byHost('app1.qas.abc.com'), 'ingress-controller');
    expect(c1).toMatchObject({
      controller: 'ingress-nginx',
      className: 'nginx',
      controllerName: 'k8s.io/ingress-nginx',
      service: { namespace: 'kube-system', name: 'nginx-ingress-lb' },
      upstream: 'endpoints',
    });
    expect(c1.pods.map(p => p.address).sort()).toEqual([
      '10.17.10.150',
      '10.17.10.21',
    ]);
    const c3 = hop(byHost('app3.qas.abc.com'), 'ingress-controller');
    expect(c3).toMatchObject({
      className: 'nginx-internal',
      controllerName: 'k8s.io/ingress-nginx-internal',
      service: { name: 'nginx-ingress-lb-internal' },
    });
    expect(c3.pods.map(p => p.address)).toEqual(['10.17.10.151']);
  });

  it('keeps the client address behind the public LB (Local) and SNATs behind the private one (Cluster)', () => {
    const np1 = hop(byHost('app1.qas.abc.com'), 'node-port');
    expect(np1).toMatchObject({
      nodePort: 30443,
      externalTrafficPolicy: 'Local',
      healthCheckNodePort: 31950,
      snat: false,
    });
    expect(
      hop(byHost('app1.qas.abc.com'), 'ingress-controller').sourceAddress,
    ).toEqual({ kind: 'client' });
    const np3 = hop(byHost('app3.qas.abc.com'), 'node-port');
    expect(np3).toMatchObject({
      nodePort: 31443,
      externalTrafficPolicy: 'Cluster',
      snat: true,
    });
    expect(
      hop(byHost('app3.qas.abc.com'), 'ingress-controller').sourceAddress,
    ).toEqual({ kind: 'node', addresses: ['10.17.10.11', '10.17.10.12'] });
  });

  it('shows the ClusterIP aside: ingress-nginx sends straight to the pod IPs', () => {
    const route = byHost('app1.qas.abc.com');
    expect(hop(route, 'service')).toMatchObject({
      clusterIPs: ['192.168.195.85'],
      onPath: false,
      port: { port: 8080, targetPort: 'http' },
    });
    expect(route.hops.filter(h => h.kind === 'kube-proxy')).toHaveLength(1);
    expect(
      hop(route, 'pod').endpoints.map(e => [
        e.address,
        e.port,
        e.node,
        e.nodeAddress,
      ]),
    ).toEqual([
      ['10.17.10.91', 8080, 'cn-shanghai.10.17.10.11', '10.17.10.11'],
      ['10.17.10.160', 8080, 'cn-shanghai.10.17.10.12', '10.17.10.12'],
    ]);
    expect(hop(route, 'container').targets[0]).toMatchObject({
      container: 'app1',
      port: 8080,
      portName: 'http',
      declared: true,
    });
  });

  it('writes the hop table with the addresses a packet really has', () => {
    expect(
      byHost('app3.qas.abc.com').table.map(r => [r.hop, r.from, r.to]),
    ).toEqual([
      ['load-balancer', 'client:any', '10.17.0.200:443'],
      ['node-port', '10.17.0.200:443', '10.17.10.11:31443'],
      ['kube-proxy', '10.17.10.11:31443', '10.17.10.151:443'],
      ['ingress', '10.17.10.151:443', '10.17.10.161:8080'],
      ['container', '10.17.10.161:8080', 'app3:8080'],
    ]);
    expect(byHost('app3.qas.abc.com').table[3].action).toContain(
      'ClusterIP 192.168.207.44:8080 not used',
    );
  });

  it('finds nothing broken', () => {
    expect(report.routes.every(r => r.health === 'healthy')).toBe(true);
    expect(report.findings.filter(f => f.severity !== 'info')).toEqual([]);
  });
});

describe('seed 003: NodePort 30001 behind an external load balancer', () => {
  const { load } = loadScenario('seed-003');
  const [route] = resolveReport(load).routes;

  it('has one route from example.com to the two pods', () => {
    expect(route.entry).toMatchObject({
      kind: 'load-balancer-service',
      host: 'example.com',
      port: 80,
    });
    expect(hop(route, 'node-port').nodes.map(n => n.address)).toEqual([
      '192.168.1.100',
      '192.168.1.101',
    ]);
    expect(hop(route, 'pod').endpoints.map(e => e.address)).toEqual([
      '10.244.1.2',
      '10.244.1.3',
    ]);
  });

  it('DNATs node:30001 straight to a pod, never through the ClusterIP 10.96.0.1', () => {
    expect(route.table.map(r => [r.step, r.from, r.to])).toEqual([
      [1, 'client:any', '192.168.1.1:80'],
      [2, '192.168.1.1:80', '192.168.1.100:30001'],
      [3, '192.168.1.100:30001', '10.244.1.2:8080'],
      [4, '10.244.1.2:8080', 'web:8080'],
    ]);
    expect(route.table.flatMap(r => [r.from, r.to]).join(' ')).not.toContain(
      '10.96.0.1',
    );
    expect(route.table[2].action).toContain('SNATed to 192.168.1.100');
    expect(hop(route, 'service')).toMatchObject({
      clusterIPs: ['10.96.0.1'],
      onPath: false,
    });
  });
});
