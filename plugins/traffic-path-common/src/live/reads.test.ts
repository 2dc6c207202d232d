import {
  clusterWideReads,
  ISTIO_GATEWAY_LISTED,
  namespaceReads,
  snapshotReads,
  uniqueObjects,
} from './reads';

const byPath = (reads: { path: string }[]) => reads.map(r => r.path);

describe('the reads of a live cluster', () => {
  it('reads Namespaces and NetworkPolicies cluster-wide, listed in full', () => {
    const reads = clusterWideReads();
    expect(reads).toEqual(
      expect.arrayContaining([
        {
          path: '/api/v1/namespaces',
          kind: 'Namespace',
          listed: 'Namespace',
        },
        {
          path: '/apis/networking.k8s.io/v1/networkpolicies',
          kind: 'NetworkPolicy',
          listed: 'NetworkPolicy',
        },
      ]),
    );
  });

  it('reads the route CRDs cluster-wide, each as absent-ok, at the API versions they are served at', () => {
    const crds = snapshotReads({ secrets: false }).filter(r => r.absentOk);
    expect(Object.fromEntries(crds.map(r => [r.path, r.kind]))).toEqual({
      '/apis/gateway.networking.k8s.io/v1/gatewayclasses': 'GatewayClass',
      '/apis/gateway.networking.k8s.io/v1/gateways': 'Gateway',
      '/apis/gateway.networking.k8s.io/v1/httproutes': 'HTTPRoute',
      '/apis/gateway.networking.k8s.io/v1/grpcroutes': 'GRPCRoute',
      '/apis/gateway.networking.k8s.io/v1beta1/referencegrants':
        'ReferenceGrant',
      '/apis/gateway.networking.k8s.io/v1alpha2/tlsroutes': 'TLSRoute',
      '/apis/gateway.networking.k8s.io/v1alpha2/tcproutes': 'TCPRoute',
      '/apis/gateway.networking.k8s.io/v1alpha2/udproutes': 'UDPRoute',
      '/apis/traefik.io/v1alpha1/ingressroutes': 'IngressRoute',
      '/apis/traefik.io/v1alpha1/ingressroutetcps': 'IngressRouteTCP',
      '/apis/traefik.io/v1alpha1/ingressrouteudps': 'IngressRouteUDP',
      '/apis/traefik.io/v1alpha1/middlewares': 'Middleware',
      '/apis/traefik.io/v1alpha1/middlewaretcps': 'MiddlewareTCP',
      '/apis/traefik.io/v1alpha1/traefikservices': 'TraefikService',
      '/apis/traefik.containo.us/v1alpha1/ingressroutes': 'IngressRoute',
      '/apis/traefik.containo.us/v1alpha1/ingressroutetcps': 'IngressRouteTCP',
      '/apis/traefik.containo.us/v1alpha1/ingressrouteudps': 'IngressRouteUDP',
      '/apis/traefik.containo.us/v1alpha1/middlewares': 'Middleware',
      '/apis/traefik.containo.us/v1alpha1/middlewaretcps': 'MiddlewareTCP',
      '/apis/traefik.containo.us/v1alpha1/traefikservices': 'TraefikService',
      '/apis/networking.istio.io/v1/gateways': 'Gateway',
      '/apis/networking.istio.io/v1/virtualservices': 'VirtualService',
    });
  });

  it('claims a kind listed in full only where one read covers it', () => {
    const listed = snapshotReads({ secrets: false })
      .map(r => r.listed)
      .filter(Boolean);
    // Each claim once; Traefik's kinds come from two groups, so neither read claims them.
    expect(new Set(listed).size).toBe(listed.length);
    expect(listed).toContain(ISTIO_GATEWAY_LISTED);
    expect(listed).not.toContain('IngressRoute');
    expect(listed).not.toContain('Middleware');
    expect(listed).not.toContain('TraefikService');
  });

  it('never reads one path twice', () => {
    const paths = byPath(snapshotReads({ secrets: true }));
    expect(new Set(paths).size).toBe(paths.length);
    const inNamespace = byPath([
      ...clusterWideReads(),
      ...namespaceReads('team a', { secrets: true }),
    ]);
    expect(new Set(inNamespace).size).toBe(inNamespace.length);
  });

  it("reads one namespace's route CRDs under its encoded name", () => {
    const reads = namespaceReads('team a', { secrets: false });
    expect(byPath(reads)).toContain(
      '/apis/gateway.networking.k8s.io/v1/namespaces/team%20a/grpcroutes',
    );
    expect(byPath(reads)).toContain(
      '/apis/networking.istio.io/v1/namespaces/team%20a/virtualservices',
    );
    // One namespace's read does not cover the kind cluster-wide.
    expect(
      reads.find(r => r.kind === 'VirtualService')?.listed,
    ).toBeUndefined();
  });
});

describe('uniqueObjects', () => {
  const object = (apiVersion: string, kind: string, name: string) => ({
    apiVersion,
    kind,
    metadata: { namespace: 'edge', name },
  });

  it('keeps an object read twice once', () => {
    const pod = object('v1', 'Pod', 'web-1');
    expect(uniqueObjects([pod, { ...pod }])).toEqual([pod]);
  });

  it("keeps Istio's Gateway beside the Gateway API's of the same name", () => {
    const istio = object('networking.istio.io/v1', 'Gateway', 'public');
    const gatewayApi = object(
      'gateway.networking.k8s.io/v1',
      'Gateway',
      'public',
    );
    expect(uniqueObjects([istio, gatewayApi])).toEqual([istio, gatewayApi]);
  });
});
