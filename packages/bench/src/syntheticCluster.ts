/*
 * A synthetic cluster of a given size, as `kubectl get -o json` would print
 * it: per 10 pods one Service with an EndpointSlice, per 25 pods one Ingress,
 * per 100 pods one HTTPRoute, per 30 pods one Node, spread over namespaces of
 * 1000 pods, each with a NetworkPolicy (deny all but the proxies), behind
 * one ingress-nginx controller and one Envoy Gateway, each with a public
 * LoadBalancer.
 */
type Json = Record<string, unknown>;

export type ClusterSize = {
  pods: number;
  services: number;
  ingresses: number;
  httpRoutes: number;
  networkPolicies: number;
  nodes: number;
};

export function sizeFor(pods: number): ClusterSize {
  return {
    pods,
    services: Math.ceil(pods / 10),
    ingresses: Math.ceil(pods / 25),
    httpRoutes: Math.ceil(pods / 100),
    networkPolicies: Math.ceil(pods / 1000),
    nodes: Math.ceil(pods / 30),
  };
}

function ip(base: number, n: number): string {
  return `10.${base}.${Math.floor(n / 256) % 256}.${n % 256}`;
}

export function syntheticCluster(pods: number): {
  text: string;
  size: ClusterSize;
} {
  const size = sizeFor(pods);
  const items: Json[] = [];
  const nodeName = (i: number) => `node-${i % size.nodes}`;
  for (let n = 0; n < size.nodes; n++) {
    items.push({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: `node-${n}` },
      status: {
        addresses: [{ type: 'InternalIP', address: ip(200, n) }],
        conditions: [{ type: 'Ready', status: 'True' }],
      },
    });
  }
  items.push({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'kube-proxy', namespace: 'kube-system' },
    data: { 'config.conf': 'mode: ipvs\n' },
  });
  items.push({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: {
      name: 'nginx',
      annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' },
    },
    spec: { controller: 'k8s.io/ingress-nginx' },
  });
  items.push({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'ingress-nginx-controller', namespace: 'ingress-nginx' },
    spec: {
      type: 'LoadBalancer',
      clusterIP: '10.96.0.10',
      externalTrafficPolicy: 'Local',
      healthCheckNodePort: 32000,
      selector: { 'app.kubernetes.io/name': 'ingress-nginx' },
      ports: [
        { name: 'http', port: 80, targetPort: 'http', nodePort: 30080 },
        { name: 'https', port: 443, targetPort: 'https', nodePort: 30443 },
      ],
    },
    status: { loadBalancer: { ingress: [{ ip: '203.0.113.10' }] } },
  });
  for (let c = 0; c < 3; c++) {
    items.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `ingress-nginx-controller-${c}`,
        namespace: 'ingress-nginx',
        labels: {
          'app.kubernetes.io/name': 'ingress-nginx',
          'app.kubernetes.io/component': 'controller',
        },
      },
      spec: {
        nodeName: nodeName(c),
        containers: [
          {
            name: 'controller',
            args: [
              '/nginx-ingress-controller',
              '--publish-service=$(POD_NAMESPACE)/ingress-nginx-controller',
            ],
            ports: [
              { name: 'http', containerPort: 80 },
              { name: 'https', containerPort: 443 },
            ],
          },
        ],
      },
      status: {
        phase: 'Running',
        podIP: ip(250, c),
        conditions: [{ type: 'Ready', status: 'True' }],
      },
    });
  }
  // Envoy Gateway: a GatewayClass, a Gateway and the Service and pods it makes.
  items.push(
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'GatewayClass',
      metadata: { name: 'eg' },
      spec: { controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' },
    },
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'public', namespace: 'infra' },
      spec: {
        gatewayClassName: 'eg',
        listeners: [
          {
            name: 'https',
            protocol: 'HTTPS',
            port: 443,
            hostname: '*.example.com',
            allowedRoutes: { namespaces: { from: 'All' } },
          },
        ],
      },
      status: { addresses: [{ type: 'IPAddress', value: '203.0.113.20' }] },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'envoy-infra-public',
        namespace: 'envoy-gateway-system',
        labels: {
          'gateway.envoyproxy.io/owning-gateway-name': 'public',
          'gateway.envoyproxy.io/owning-gateway-namespace': 'infra',
        },
      },
      spec: {
        type: 'LoadBalancer',
        clusterIP: '10.96.0.20',
        externalTrafficPolicy: 'Local',
        healthCheckNodePort: 32001,
        selector: { 'app.kubernetes.io/name': 'envoy' },
        ports: [
          { name: 'https', port: 443, targetPort: 10443, nodePort: 30444 },
        ],
      },
      status: { loadBalancer: { ingress: [{ ip: '203.0.113.20' }] } },
    },
  );
  for (let c = 0; c < 2; c++) {
    items.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `envoy-infra-public-${c}`,
        namespace: 'envoy-gateway-system',
        labels: { 'app.kubernetes.io/name': 'envoy' },
      },
      spec: {
        nodeName: nodeName(c + 3),
        containers: [
          { name: 'envoy', ports: [{ name: 'https', containerPort: 10443 }] },
        ],
      },
      status: {
        phase: 'Running',
        podIP: ip(251, c),
        conditions: [{ type: 'Ready', status: 'True' }],
      },
    });
  }
  // Per namespace: deny all ingress but from the two proxies' namespaces.
  for (let n = 0; n < size.networkPolicies; n++) {
    items.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-proxies', namespace: `team-${n}` },
      spec: {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: ['ingress-nginx', 'envoy-gateway-system'].map(ns => ({
              namespaceSelector: {
                matchLabels: { 'kubernetes.io/metadata.name': ns },
              },
            })),
            ports: [{ protocol: 'TCP', port: 'http' }],
          },
        ],
      },
    });
  }
  let podIndex = 0;
  for (let s = 0; s < size.services; s++) {
    const namespace = `team-${Math.floor((s * 10) / 1000)}`;
    const app = `svc-${s}`;
    items.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: app, namespace },
      spec: {
        type: 'ClusterIP',
        clusterIP: ip(96, s),
        selector: { app },
        ports: [{ name: 'http', port: 80, targetPort: 'http' }],
      },
    });
    const endpoints: Json[] = [];
    for (let p = 0; p < 10 && podIndex < pods; p++, podIndex++) {
      const name = `${app}-pod-${p}`;
      items.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace, labels: { app, tier: 'web' } },
        spec: {
          nodeName: nodeName(podIndex),
          containers: [
            {
              name: 'app',
              image: 'example/app:1',
              ports: [{ name: 'http', containerPort: 8080 }],
            },
          ],
        },
        status: {
          phase: 'Running',
          podIP: ip(100, podIndex),
          conditions: [{ type: 'Ready', status: 'True' }],
        },
      });
      endpoints.push({
        addresses: [ip(100, podIndex)],
        conditions: { ready: true, serving: true, terminating: false },
        nodeName: nodeName(podIndex),
        targetRef: { kind: 'Pod', name, namespace },
      });
    }
    items.push({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: `${app}-abcde`,
        namespace,
        labels: { 'kubernetes.io/service-name': app },
      },
      addressType: 'IPv4',
      endpoints,
      ports: [{ name: 'http', port: 8080 }],
    });
  }
  for (let i = 0; i < size.ingresses; i++) {
    // Spread Ingresses over the Services: every other one of the first ones.
    const s = (i * 2) % size.services;
    const namespace = `team-${Math.floor((s * 10) / 1000)}`;
    items.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: `ing-${i}`, namespace },
      spec: {
        ingressClassName: 'nginx',
        tls: [{ hosts: [`svc-${s}.example.com`], secretName: `svc-${s}-tls` }],
        rules: [
          {
            host: `svc-${s}.example.com`,
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: {
                    service: { name: `svc-${s}`, port: { number: 80 } },
                  },
                },
              ],
            },
          },
        ],
      },
      status: { loadBalancer: { ingress: [{ ip: '203.0.113.10' }] } },
    });
  }
  for (let r = 0; r < size.httpRoutes; r++) {
    // Every tenth Service also gets an HTTPRoute through the Gateway.
    const s = (r * 10 + 1) % size.services;
    const namespace = `team-${Math.floor((s * 10) / 1000)}`;
    items.push({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: `route-${r}`, namespace },
      spec: {
        parentRefs: [{ name: 'public', namespace: 'infra' }],
        hostnames: [`svc-${s}.gw.example.com`],
        rules: [
          {
            matches: [{ path: { type: 'PathPrefix', value: '/' } }],
            backendRefs: [{ name: `svc-${s}`, port: 80 }],
          },
        ],
      },
    });
  }
  return {
    text: JSON.stringify({ apiVersion: 'v1', kind: 'List', items }),
    size,
  };
}
