import { resolveReport } from '../report';
import { loadScenario } from '../__testUtils__/scenarios';
import { aclBlocksClient } from './verdictRules';

describe('verdict rules', () => {
  const { load } = loadScenario('lb-source-ranges');
  const routeOf = (clientIp: string) =>
    resolveReport(load, { clientIp }).routes.find(
      r => r.id === 'service:shop/web:80',
    )!;

  it('aclBlocksClient: the hop that refuses the client, with its reason', () => {
    const route = routeOf('203.0.113.7');
    expect(aclBlocksClient(route)).toEqual([
      expect.objectContaining({
        code: 'ACL_BLOCKS_CLIENT',
        severity: 'warning',
        hop: 'load-balancer',
        object: { kind: 'Service', namespace: 'shop', name: 'web' },
        routeIds: ['service:shop/web:80'],
        message:
          'Client 203.0.113.7 is blocked at the load-balancer hop of Service shop/web: client 203.0.113.7 is not in spec.loadBalancerSourceRanges (198.51.100.0/24, 2001:db8:10::/48)',
      }),
    ]);
  });

  it('aclBlocksClient: nothing for an admitted client or without a verdict', () => {
    expect(aclBlocksClient(routeOf('198.51.100.40'))).toEqual([]);
    const { verdict: _none, ...route } = routeOf('203.0.113.7');
    expect(aclBlocksClient(route)).toEqual([]);
  });
});
