import { buildIndex } from '../index/clusterIndex';
import { Hop, IngressHop, NetworkPolicyHop } from '../model';
import { createContext } from '../resolve/context';
import { RouteDraft } from '../resolve/plan';
import {
  allowlistSeesReplacedSource,
  endpointReadiness,
  ipBlockBehindSnat,
  policyBlocksProxy,
} from './rules';
import { scenarioRoutes } from './__testUtils__/routes';

const ingressRef = { kind: 'Ingress', namespace: 'shop', name: 'web' };
const policyRef = { kind: 'NetworkPolicy', namespace: 'shop', name: 'deny' };

function route(hops: Hop[]): RouteDraft {
  return {
    id: 'r1',
    entry: {
      kind: 'ingress-rule',
      object: ingressRef,
      tls: false,
      exposure: 'public',
    },
    backend: { kind: 'Service', namespace: 'shop', name: 'web' },
    hops,
  };
}

const rule = (over: Partial<IngressHop>): IngressHop => ({
  kind: 'ingress',
  status: 'ok',
  label: 'rule',
  object: ingressRef,
  tls: false,
  restrictions: [
    {
      origin: 'allowlist',
      mode: 'allow',
      cidrs: ['203.0.113.0/24'],
      visible: true,
    },
  ],
  sourceAddress: { kind: 'client' },
  ...over,
});

const policyHop = (over: Partial<NetworkPolicyHop>): NetworkPolicyHop => ({
  kind: 'network-policy',
  status: 'broken',
  label: 'policies',
  object: policyRef,
  enforcement: 'CNI',
  source: '1 pod of ingress-nginx',
  sourceAddress: { kind: 'unknown', reason: 'proxy' },
  policies: [policyRef],
  pods: [
    {
      pod: 'web-1',
      namespace: 'shop',
      isolatedBy: ['shop/deny'],
      allowed: false,
      reason: 'no rule admits the proxy pods',
    },
  ],
  ...over,
});

const controller: Hop = {
  kind: 'ingress-controller',
  status: 'ok',
  label: 'ingress-nginx',
  controller: 'ingress-nginx',
  classSource: 'spec.ingressClassName',
  pods: [],
  upstream: 'endpoints',
  sourceAddress: { kind: 'client' },
};

const ctx = createContext(
  buildIndex([
    {
      kind: 'NetworkPolicy',
      metadata: { name: 'deny', namespace: 'shop' },
      spec: { podSelector: {}, ingress: [] },
    },
  ]),
);

describe('route rules', () => {
  it('allowlistSeesReplacedSource: an allowlist behind SNAT', () => {
    expect(allowlistSeesReplacedSource(route([rule({})]), ctx)).toEqual([]);
    const found = allowlistSeesReplacedSource(
      route([
        rule({ sourceAddress: { kind: 'node', addresses: ['10.0.1.10'] } }),
      ]),
      ctx,
    );
    expect(found).toHaveLength(1);
    const [f] = found;
    expect(f).toMatchObject({
      code: 'CLIENT_IP_NOT_PRESERVED',
      object: ingressRef,
      routeIds: ['r1'],
      message:
        'The source allowlist of Ingress shop/web sees node addresses (10.0.1.10), not the client address, because the hops before it replace the source address',
    });
  });

  it('policyBlocksProxy: names the policies and what they admit instead', () => {
    const found = policyBlocksProxy(route([controller, policyHop({})]), ctx);
    expect(found).toHaveLength(1);
    const [f] = found;
    expect(f).toMatchObject({
      code: 'NETWORK_POLICY_BLOCKS_CONTROLLER',
      severity: 'error',
      object: policyRef,
      routeIds: ['r1'],
    });
    expect(f.message).toBe(
      'NetworkPolicy shop/deny isolates 1 of 1 pods behind Service shop/web and refuses 1 pod of ingress-nginx on 1 of them; it admits only: shop/deny: nothing',
    );
    const partlyBlocked = policyBlocksProxy(
      route([controller, policyHop({ status: 'degraded' })]),
      ctx,
    );
    expect(partlyBlocked).toHaveLength(1);
    const [partial] = partlyBlocked;
    expect(partial.severity).toBe('warning');
    // No proxy in front: not this rule's business.
    expect(policyBlocksProxy(route([policyHop({})]), ctx)).toEqual([]);
    expect(
      policyBlocksProxy(route([controller, policyHop({ status: 'ok' })]), ctx),
    ).toEqual([]);
  });

  it('ipBlockBehindSnat: policies that see node addresses', () => {
    const snat = policyHop({
      sourceAddress: { kind: 'node', addresses: ['10.0.1.10'] },
    });
    expect(ipBlockBehindSnat(route([snat]), ctx)).toEqual([
      expect.objectContaining({
        code: 'CLIENT_IP_NOT_PRESERVED',
        hop: 'network-policy',
        object: policyRef,
      }),
    ]);
    expect(
      ipBlockBehindSnat(
        route([policyHop({ sourceAddress: { kind: 'client' } })]),
        ctx,
      ),
    ).toEqual([]);
  });

  it('endpointReadiness: none or some of the endpoints ready', () => {
    const endpoint = (ready: boolean) => ({
      address: '10.244.0.5',
      ready,
      serving: ready,
      terminating: false,
    });
    const podHop = (readies: boolean[], template = false): Hop => ({
      kind: 'pod',
      status: 'ok',
      label: 'pods',
      object: { kind: 'Service', namespace: 'shop', name: 'web' },
      endpoints: readies.map(r => ({
        ...endpoint(r),
        ...(template ? { template: { kind: 'Deployment', name: 'web' } } : {}),
      })),
      source: 'EndpointSlice',
    });
    expect(endpointReadiness(route([podHop([true, true])]), ctx)).toEqual([]);
    expect(endpointReadiness(route([podHop([true, false])]), ctx)).toEqual([
      expect.objectContaining({
        code: 'ENDPOINTS_PARTIALLY_READY',
        message: 'Service shop/web: 1 of 2 endpoints ready',
        routeIds: ['r1'],
      }),
    ]);
    expect(endpointReadiness(route([podHop([false])]), ctx)).toEqual([
      expect.objectContaining({
        code: 'SERVICE_NO_READY_ENDPOINTS',
        message: 'Service shop/web has 1 endpoint(s), none ready',
      }),
    ]);
    // Manifests before deploy: readiness is not known, nothing is claimed.
    expect(endpointReadiness(route([podHop([false], true)]), ctx)).toEqual([]);
    expect(endpointReadiness(route([podHop([])]), ctx)).toEqual([]);
  });
});

describe('route rules on real YAML', () => {
  it('allowlistSeesReplacedSource: policy Cluster SNATs, Local keeps the client', () => {
    const snat = scenarioRoutes('ingress-allowlist-snat');
    expect(
      allowlistSeesReplacedSource(snat.route('ingress:shop/web:0:0'), snat.ctx),
    ).toEqual([
      expect.objectContaining({
        code: 'CLIENT_IP_NOT_PRESERVED',
        message:
          'The source allowlist of Ingress shop/web sees node addresses (10.0.1.10, 10.0.1.11), not the client address, because the hops before it replace the source address',
      }),
    ]);
    const local = scenarioRoutes('ingress-allowlist-local');
    expect(
      allowlistSeesReplacedSource(
        local.route('ingress:shop/web:0:0'),
        local.ctx,
      ),
    ).toEqual([]);
  });

  it('policyBlocksProxy: default-deny policies that do not admit ingress-nginx', () => {
    const { ctx: scenarioCtx, route: routeOf } = scenarioRoutes(
      'network-policy-ingress-nginx',
    );
    const found = policyBlocksProxy(
      routeOf('ingress:shop/web:0:0'),
      scenarioCtx,
    );
    expect(found).toHaveLength(1);
    const [f] = found;
    expect(f).toMatchObject({
      code: 'NETWORK_POLICY_BLOCKS_CONTROLLER',
      severity: 'error',
      object: { kind: 'NetworkPolicy', namespace: 'shop' },
    });
    expect(f.message).toMatch(
      /^NetworkPolicy shop\/default-deny-all, shop\/web-allow-frontend isolate 2 of 2 pods behind Service shop\/web and refuse 1 pod of ingress-nginx \(ingress-nginx\/ingress-nginx-controller\) on 2 of them/,
    );
  });

  it('ipBlockBehindSnat: the ipBlock sees the nodes behind policy Cluster, the client behind Local', () => {
    const { ctx: scenarioCtx, route: routeOf } = scenarioRoutes(
      'network-policy-ipblock-lb',
    );
    expect(
      ipBlockBehindSnat(routeOf('service:pay/pay-cluster:443'), scenarioCtx),
    ).toEqual([
      expect.objectContaining({
        code: 'CLIENT_IP_NOT_PRESERVED',
        hop: 'network-policy',
        object: {
          kind: 'NetworkPolicy',
          namespace: 'pay',
          name: 'pay-allow-partners',
        },
      }),
    ]);
    expect(
      ipBlockBehindSnat(routeOf('service:pay/pay:443'), scenarioCtx),
    ).toEqual([]);
  });

  it('endpointReadiness: one of two endpoints ready', () => {
    const { ctx: scenarioCtx, route: routeOf } = scenarioRoutes(
      'endpoints-partially-ready',
    );
    expect(
      endpointReadiness(routeOf('ingress:shop/web:0:0'), scenarioCtx),
    ).toEqual([
      expect.objectContaining({
        code: 'ENDPOINTS_PARTIALLY_READY',
        message: 'Service shop/web: 1 of 2 endpoints ready',
      }),
    ]);
  });
});
