import { buildIndex } from '../index/clusterIndex';
import { Endpoint, Hop, KubeObject, NetworkPolicyHop } from '../model';
import { createContext } from './context';
import { networkPolicyHop, parsePolicy, TrafficSource } from './networkPolicy';

const service: KubeObject = {
  kind: 'Service',
  metadata: { name: 'api', namespace: 'shop' },
  spec: { selector: { app: 'api' } },
};

function pod(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  ip: string,
): KubeObject {
  return {
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: {
      containers: [
        {
          name: 'main',
          ports: [
            { name: 'http', containerPort: 8080 },
            { name: 'dns', containerPort: 8053, protocol: 'UDP' },
          ],
        },
      ],
    },
    status: { podIP: ip },
  };
}

const destination = pod('api-1', 'shop', { app: 'api' }, '10.244.0.5');
const controller = pod(
  'ingress-nginx-controller-1',
  'ingress-nginx',
  { 'app.kubernetes.io/name': 'ingress-nginx' },
  '10.244.1.9',
);

function policy(name: string, spec: Record<string, unknown>): KubeObject {
  return {
    kind: 'NetworkPolicy',
    metadata: { name, namespace: 'shop' },
    spec,
  };
}

const fromController: TrafficSource = {
  kind: 'pods',
  what: 'ingress-nginx',
  pods: [
    {
      pod: controller.metadata.name,
      namespace: 'ingress-nginx',
      address: '10.244.1.9',
      ready: true,
      serving: true,
      terminating: false,
    },
  ],
};

function evaluate(
  policies: KubeObject[],
  options: {
    source?: TrafficSource;
    port?: number;
    protocol?: string;
    extra?: KubeObject[];
    listedKinds?: string[];
  } = {},
): NetworkPolicyHop | undefined {
  const index = buildIndex(
    [destination, controller, ...policies, ...(options.extra ?? [])],
    options.listedKinds ?? ['NetworkPolicy'],
  );
  const ctx = createContext(index);
  const endpoint: Endpoint = {
    pod: 'api-1',
    namespace: 'shop',
    address: '10.244.0.5',
    ready: true,
    serving: true,
    terminating: false,
  };
  const back: Hop[] = [
    {
      kind: 'pod',
      status: 'ok',
      label: 'pods',
      endpoints: [endpoint],
      source: 'EndpointSlice',
    },
    {
      kind: 'container',
      status: 'ok',
      label: 'containers',
      targets: [{ pod: 'api-1', port: options.port ?? 8080, declared: true }],
    },
  ];
  return networkPolicyHop(
    ctx,
    service,
    options.protocol ?? 'TCP',
    back,
    options.source ?? fromController,
  );
}

const allowed = (hop: NetworkPolicyHop | undefined) => hop?.pods[0].allowed;

describe('NetworkPolicy evaluation', () => {
  it('shows no hop when the input does not say which policies exist', () => {
    expect(evaluate([], { listedKinds: [] })).toBeUndefined();
  });

  it('allows everything when no policy selects the pod', () => {
    const hop = evaluate([
      policy('other', { podSelector: { matchLabels: { app: 'web' } } }),
    ]);
    expect(hop).toMatchObject({ status: 'ok', policies: [] });
    expect(hop?.pods[0]).toMatchObject({ allowed: true, isolatedBy: [] });
    expect(hop?.enforcement).toContain('CNI');
  });

  it('isolates with ingress: [] and allows all with ingress: [{}]', () => {
    const deny = policy('deny', { podSelector: {}, ingress: [] });
    expect(evaluate([deny])).toMatchObject({ status: 'broken' });
    const open = policy('open', { podSelector: {}, ingress: [{}] });
    expect(allowed(evaluate([deny, open]))).toBe(true);
  });

  it('defaults policyTypes as the API does: Ingress unless listed without it', () => {
    // Only egress rules and no policyTypes: the API sets [Ingress, Egress].
    const egressRulesOnly = policy('egress-rules', {
      podSelector: {},
      egress: [{}],
    });
    expect(allowed(evaluate([egressRulesOnly]))).toBe(false);
    const egressOnly = policy('egress-only', {
      podSelector: {},
      policyTypes: ['Egress'],
    });
    expect(evaluate([egressOnly])?.pods[0].isolatedBy).toEqual([]);
  });

  it('ANDs namespaceSelector and podSelector in one peer, ORs peers', () => {
    const and = policy('and', {
      podSelector: {},
      ingress: [
        {
          from: [
            {
              namespaceSelector: {
                matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' },
              },
              podSelector: { matchLabels: { app: 'frontend' } },
            },
          ],
        },
      ],
    });
    expect(allowed(evaluate([and]))).toBe(false);
    const or = policy('or', {
      podSelector: {},
      ingress: [
        {
          from: [
            {
              namespaceSelector: {
                matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' },
              },
            },
            { podSelector: { matchLabels: { app: 'frontend' } } },
          ],
        },
      ],
    });
    expect(allowed(evaluate([or]))).toBe(true);
  });

  it("reads a peer's podSelector alone as the policy's own namespace", () => {
    const sameNamespace = policy('same', {
      podSelector: {},
      ingress: [
        {
          from: [
            {
              podSelector: {
                matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' },
              },
            },
          ],
        },
      ],
    });
    expect(allowed(evaluate([sameNamespace]))).toBe(false);
  });

  it('says unknown for namespace labels when Namespaces were not listed, and reads them when they were', () => {
    const byTeam = policy('team', {
      podSelector: {},
      ingress: [
        { from: [{ namespaceSelector: { matchLabels: { team: 'edge' } } }] },
      ],
    });
    expect(evaluate([byTeam])).toMatchObject({ status: 'unknown' });
    const namespace: KubeObject = {
      kind: 'Namespace',
      metadata: { name: 'ingress-nginx', labels: { team: 'edge' } },
    };
    expect(allowed(evaluate([byTeam], { extra: [namespace] }))).toBe(true);
    expect(
      allowed(
        evaluate([byTeam], {
          extra: [{ ...namespace, metadata: { name: 'ingress-nginx' } }],
        }),
      ),
    ).toBe(false);
  });

  it('matches ports by number, by the destination pod’s port name, with endPort and protocol', () => {
    const rule = (ports: unknown[]) =>
      policy('ports', { podSelector: {}, ingress: [{ ports }] });
    expect(allowed(evaluate([rule([{ port: 8080 }])]))).toBe(true);
    expect(allowed(evaluate([rule([{ port: 9090 }])]))).toBe(false);
    expect(allowed(evaluate([rule([{ port: 'http' }])]))).toBe(true);
    expect(allowed(evaluate([rule([{ port: 'metrics' }])]))).toBe(false);
    expect(allowed(evaluate([rule([{ port: 8000, endPort: 8100 }])]))).toBe(
      true,
    );
    expect(allowed(evaluate([rule([{ protocol: 'UDP', port: 8080 }])]))).toBe(
      false,
    );
    // A named port resolves with its protocol: dns is UDP 8053.
    expect(
      allowed(
        evaluate([rule([{ protocol: 'UDP', port: 'dns' }])], {
          port: 8053,
          protocol: 'UDP',
        }),
      ),
    ).toBe(true);
  });

  it('evaluates an ipBlock with except against the pod IP of the proxy', () => {
    const block = (cidr: string, except: string[] = []) =>
      policy('block', {
        podSelector: {},
        ingress: [{ from: [{ ipBlock: { cidr, except } }] }],
      });
    expect(allowed(evaluate([block('10.244.0.0/16')]))).toBe(true);
    expect(allowed(evaluate([block('10.244.0.0/16', ['10.244.1.0/24'])]))).toBe(
      false,
    );
  });

  it('leaves the client question to the verdict when the pods see the client', () => {
    const hop = evaluate(
      [
        policy('partners', {
          podSelector: {},
          ingress: [
            {
              from: [
                {
                  ipBlock: {
                    cidr: '203.0.113.0/24',
                    except: ['203.0.113.128/25'],
                  },
                },
              ],
            },
          ],
        }),
      ],
      { source: { kind: 'address', seen: { kind: 'client' } } },
    );
    expect(hop?.status).toBe('ok');
    expect(hop?.pods[0]).toMatchObject({
      allowed: null,
      clientAllow: [
        {
          policy: 'shop/partners',
          cidr: '203.0.113.0/24',
          except: ['203.0.113.128/25'],
        },
      ],
    });
  });

  it('judges node addresses behind SNAT', () => {
    const hop = evaluate(
      [
        policy('partners', {
          podSelector: {},
          ingress: [{ from: [{ ipBlock: { cidr: '203.0.113.0/24' } }] }],
        }),
      ],
      {
        source: {
          kind: 'address',
          seen: { kind: 'node', addresses: ['10.0.1.10'] },
        },
      },
    );
    expect(hop).toMatchObject({
      status: 'broken',
      sourceAddress: { kind: 'node' },
    });
  });
});

describe('parsePolicy', () => {
  it('reports fields the API server drops or refuses', () => {
    const parsed = parsePolicy(
      policy('bad', {
        podSelector: { app: 'testapp' },
        ingress: [
          {
            from: [
              {},
              { ipBlock: { cidr: 'not-a-cidr' } },
              { ipBlock: { cidr: '10.0.0.0/8', except: '10.1.0.0/16' } },
              {
                podSelector: {
                  matchExpressions: [{ key: 'tier', operator: 'Near' }],
                },
              },
            ],
          },
        ],
      }),
    );
    expect(parsed.problems.map(p => p.field)).toEqual([
      'spec.podSelector.app',
      'spec.ingress[0].from[0]',
      'spec.ingress[0].from[1].ipBlock.cidr',
      'spec.ingress[0].from[2].ipBlock.except',
      'spec.ingress[0].from[3].podSelector.matchExpressions[0]',
    ]);
    // The API drops the unknown field: the selector selects every pod.
    expect(parsed.podSelector.empty).toBe(true);
  });
});
