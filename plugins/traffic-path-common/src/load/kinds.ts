/*
 * The kinds the engine reads, with the plural names the API (and dumps
 * named after it, like `services.json`) use for them.
 */
const pluralToKind: Record<string, string> = {
  services: 'Service',
  pods: 'Pod',
  nodes: 'Node',
  endpoints: 'Endpoints',
  endpointslices: 'EndpointSlice',
  ingresses: 'Ingress',
  ingressclasses: 'IngressClass',
  configmaps: 'ConfigMap',
  secrets: 'Secret',
  networkpolicies: 'NetworkPolicy',
  deployments: 'Deployment',
  statefulsets: 'StatefulSet',
  daemonsets: 'DaemonSet',
  replicasets: 'ReplicaSet',
  events: 'Event',
  namespaces: 'Namespace',
  gateways: 'Gateway',
  gatewayclasses: 'GatewayClass',
  httproutes: 'HTTPRoute',
  grpcroutes: 'GRPCRoute',
  tlsroutes: 'TLSRoute',
  tcproutes: 'TCPRoute',
  udproutes: 'UDPRoute',
  referencegrants: 'ReferenceGrant',
  jobs: 'Job',
  cronjobs: 'CronJob',
  ingressroutes: 'IngressRoute',
  ingressroutetcps: 'IngressRouteTCP',
  ingressrouteudps: 'IngressRouteUDP',
  middlewares: 'Middleware',
  middlewaretcps: 'MiddlewareTCP',
  traefikservices: 'TraefikService',
  virtualservices: 'VirtualService',
};

/**
 * The kind a plural name stands for: `services` → `Service`. Also looks at
 * the words of a file name (`2-services` → `Service`).
 */
export function kindFromPlural(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (Object.hasOwn(pluralToKind, lower)) return pluralToKind[lower];
  const words = lower.split(/[^a-z]+/).filter(Boolean);
  for (const word of words.reverse()) {
    if (Object.hasOwn(pluralToKind, word)) return pluralToKind[word];
  }
  return undefined;
}
