import { loadScenario } from '../__testUtils__/scenarios';
import { resolveReport } from '../report';

describe('hop table', () => {
  it('says on the step into the pods what the NetworkPolicies predict', () => {
    const { load } = loadScenario('network-policy-ingress-nginx');
    const report = resolveReport(load);
    const actions = (id: string) =>
      report.routes.find(r => r.id === id)!.table.map(r => [r.hop, r.action]);
    expect(actions('ingress:shop/web:0:0')).toContainEqual([
      'ingress',
      expect.stringMatching(
        /proxies straight to a backend pod IP.*; NetworkPolicy shop\/default-deny-all, shop\/web-allow-frontend refuses it \(prediction: the CNI enforces it\)$/,
      ),
    ]);
    expect(actions('ingress:shop/web:1:0')).toContainEqual([
      'ingress',
      expect.stringContaining(
        'NetworkPolicy shop/default-deny-all, shop/api-allow-ingress-nginx admits it',
      ),
    ]);
    // A route no policy isolates says nothing of policies.
    expect(
      actions('service:ingress-nginx/ingress-nginx-controller:80').flat(),
    ).not.toContainEqual(expect.stringContaining('NetworkPolicy'));
  });

  it('says it on the DNAT into the pods for a Service of its own', () => {
    const { load } = loadScenario('network-policy-ipblock-lb');
    const report = resolveReport(load);
    const table = (id: string) =>
      report.routes.find(r => r.id === id)!.table.map(r => [r.hop, r.action]);
    expect(table('service:pay/pay-cluster:443')).toContainEqual([
      'kube-proxy',
      expect.stringContaining(
        'NetworkPolicy pay/pay-allow-partners refuses it',
      ),
    ]);
    // The pods see the client: which clients pass is the verdict's answer.
    expect(table('service:pay/pay:443')).toContainEqual([
      'kube-proxy',
      expect.stringContaining(
        'NetworkPolicy pay/pay-allow-partners admits only clients its ipBlocks allow (see the verdict)',
      ),
    ]);
  });

  it('before deploy: the HTTPS route enters the load balancer on 443, the node port is not numbered', () => {
    const report = resolveReport(loadScenario('rules-before-deploy-snat').load);
    const rows = report.routes.find(
      r => r.id === 'ingress:shop/web:0:0',
    )!.table;
    expect(rows.find(r => r.hop === 'load-balancer')?.to).toBe(
      '(address assigned at deploy):443',
    );
    expect(rows.find(r => r.hop === 'node-port')?.to).toBe('node:(node port)');
  });

  it('says the proxy answers a redirect itself, with no backend behind it', () => {
    const { load } = loadScenario('kinds-gateway-filters');
    const report = resolveReport(load);
    const route = report.routes.find(
      r => r.id === 'httproute:shop/https-redirect:0:http:0:0:0:-',
    )!;
    expect(route.table[route.table.length - 1]).toMatchObject({
      hop: 'ingress',
      to: '(answered by the proxy)',
      action: expect.stringContaining(
        'answers the request itself: no backend is reached',
      ),
    });
    expect(JSON.stringify(route.table)).not.toMatch(/no endpoint|undefined/);
  });
});
