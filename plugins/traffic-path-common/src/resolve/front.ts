/*
 * The front of a route: the cloud load balancer, the node port and the
 * kube-proxy DNAT that bring a request from outside to the pods behind an
 * exposed Service (the app's own, or the ingress controller's). Also says
 * which source address those pods see.
 */
import {
  Endpoint,
  Hop,
  KubeObject,
  LoadBalancerHop,
  NodeAddress,
  NodePortHop,
  SourceAddress,
} from '../model';
import { isPrivateAddress } from '../net/cidr';
import { annotation, bool, namespaceOf, num, refOf, str } from '../util/fields';
import { ResolveContext } from './context';
import { describeLoadBalancer, EXTERNAL_LB_ANNOTATION } from './loadBalancer';
import { ServicePort, serviceType } from './service';

/**
 * Who reaches node ports without a load balancer in front: anyone, on a
 * public node address; a private one says nothing of an ExternalIP or a
 * firewall, so unknown.
 */
export function nodePortExposure(hop: NodePortHop): 'public' | 'unknown' {
  return hop.nodes.some(n => n.address && !isPrivateAddress(n.address))
    ? 'public'
    : 'unknown';
}

export type Front = {
  hops: Hop[];
  /** The address the pods behind the Service see as the request's source. */
  source: SourceAddress;
  loadBalancer?: LoadBalancerHop;
  nodePort?: NodePortHop;
};

function isExposed(service: KubeObject): boolean {
  const type = serviceType(service);
  return (
    type === 'LoadBalancer' ||
    type === 'NodePort' ||
    !!annotation(service, EXTERNAL_LB_ANNOTATION)
  );
}

/**
 * Manifests before deploy (helm template, kustomize): the Service has no
 * status and nothing runs behind it yet, only pod templates. The one test
 * of it, for the load balancer, the node port and the routes of a Service.
 */
export function beforeDeploy(
  service: KubeObject,
  endpoints: Endpoint[],
): boolean {
  return service.status === undefined && !endpoints.some(e => !e.template);
}

/** Service types that get node ports (a ClusterIP behind an external load balancer has none). */
function hasNodePorts(service: KubeObject): boolean {
  const type = serviceType(service);
  return type === 'NodePort' || type === 'LoadBalancer';
}

/** The load balancer in front of a Service; its findings are rules over it (findings/frontRules.ts). */
function loadBalancerHop(
  service: KubeObject,
  endpoints: Endpoint[],
): LoadBalancerHop | undefined {
  if (
    serviceType(service) !== 'LoadBalancer' &&
    !annotation(service, EXTERNAL_LB_ANNOTATION)
  )
    return undefined;
  const info = describeLoadBalancer(service);
  const ref = refOf(service);
  const problems: string[] = [];
  let status: LoadBalancerHop['status'] = 'ok';
  // Manifests (helm template, kustomize): nothing is pending yet.
  const notDeployed = beforeDeploy(service, endpoints);
  // Deployed, but the input lost the Service's status (a dump without it).
  const statusMissing = !notDeployed && service.status === undefined;
  if (info.pending && notDeployed) {
    status = 'unknown';
    problems.push(
      'not deployed: the cloud assigns the address when the Service is created',
    );
  } else if (info.pending && statusMissing) {
    status = 'unknown';
    problems.push(
      'the input has no status of the Service: its address is not known',
    );
  } else if (info.pending) {
    status = 'broken';
    problems.push('no address yet: the load balancer is pending');
  }
  let where = info.addresses.join(', ') || 'pending';
  if (info.pending && notDeployed) where = '(address assigned at deploy)';
  else if (info.pending && statusMissing) where = '(address not in the input)';
  return {
    kind: 'load-balancer',
    status,
    label: `${info.exposure} load balancer ${where} (${info.provider})`,
    object: ref,
    ...(problems.length ? { problems } : {}),
    addresses: info.addresses,
    exposure: info.exposure,
    provider: info.provider,
    ...(info.loadBalancerClass
      ? { loadBalancerClass: info.loadBalancerClass }
      : {}),
    ...(info.id ? { id: info.id } : {}),
    targetType: info.targetType,
    ports: info.ports,
    restrictions: info.restrictions,
    ...(info.invalidRanges.length ? { invalidRanges: info.invalidRanges } : {}),
    preservesClientIp: info.preservesClientIp,
    ...(notDeployed ? { notDeployed } : {}),
    ...(info.pending && statusMissing ? { statusMissing } : {}),
  };
}

function nodeCount(
  count: number,
  policy: 'Cluster' | 'Local',
  readyElsewhere: boolean,
): string {
  if (count > 0) return `${count} node${count === 1 ? '' : 's'}`;
  if (readyElsewhere)
    return 'the nodes of the ready endpoints (not in the input)';
  return policy === 'Local' ? 'no node' : 'every node (no Nodes in the input)';
}

function trafficPolicy(service: KubeObject): 'Cluster' | 'Local' {
  return str(service, 'spec.externalTrafficPolicy') === 'Local'
    ? 'Local'
    : 'Cluster';
}

/**
 * The node port of a Service that is not deployed. The manifest proves the
 * policy, so whether the nodes SNAT, and the port when it sets one; the API
 * assigns the port at create, and which nodes take the traffic is known
 * only in a cluster.
 */
function plannedNodePortHop(
  service: KubeObject,
  port: ServicePort,
): NodePortHop | undefined {
  // Without node ports the load balancer does not send to nodes.
  if (!hasNodePorts(service)) return undefined;
  if (
    port.nodePort === undefined &&
    bool(service, 'spec.allocateLoadBalancerNodePorts') === false
  )
    return undefined;
  const policy = trafficPolicy(service);
  const healthCheckNodePort = num(service, 'spec.healthCheckNodePort');
  return {
    kind: 'node-port',
    status: 'unknown',
    label: `NodePort ${port.nodePort ?? '(assigned at deploy)'} on ${
      policy === 'Local'
        ? 'the nodes that will run a ready endpoint'
        : 'every node'
    } (externalTrafficPolicy ${policy})`,
    object: refOf(service),
    problems: [
      port.nodePort === undefined
        ? 'not deployed: the node port is assigned when the Service is created; the nodes are known only in a cluster'
        : 'not deployed: the nodes that take the traffic are known only in a cluster',
    ],
    // Absent until the API assigns it, when the Service is created.
    ...(port.nodePort !== undefined ? { nodePort: port.nodePort } : {}),
    externalTrafficPolicy: policy,
    ...(policy === 'Local' && healthCheckNodePort !== undefined
      ? { healthCheckNodePort }
      : {}),
    nodes: [],
    snat: policy === 'Cluster',
    notDeployed: true,
  };
}

function nodePortHop(
  ctx: ResolveContext,
  service: KubeObject,
  port: ServicePort,
  endpoints: Endpoint[],
): NodePortHop | undefined {
  if (beforeDeploy(service, endpoints))
    return plannedNodePortHop(service, port);
  if (port.nodePort === undefined) return undefined;
  const policy = trafficPolicy(service);
  const ref = refOf(service);
  const readyNodes = new Set(
    endpoints.filter(e => e.ready && e.node).map(e => e.node!),
  );
  // Nodes not in the input are still known by the endpoints that run on them.
  const known: NodeAddress[] =
    ctx.nodes.length > 0
      ? ctx.nodes
      : [
          ...new Map(
            endpoints
              .filter(e => e.node)
              .map(e => [
                e.node!,
                { node: e.node!, address: e.nodeAddress ?? '', ready: true },
              ]),
          ).values(),
        ];
  const nodes =
    policy === 'Local'
      ? known.filter(n => readyNodes.has(n.node))
      : known.filter(n => n.ready);
  const problems: string[] = [];
  let status: NodePortHop['status'] = 'ok';
  const deployed = endpoints.some(e => !e.template);
  let readyElsewhere = false;
  let noReadyLocalEndpoint = false;
  if (
    policy === 'Local' &&
    readyNodes.size === 0 &&
    endpoints.length > 0 &&
    deployed
  ) {
    if (endpoints.some(e => e.ready)) {
      readyElsewhere = true;
      // Ready endpoints whose node the input does not name: no claim.
      status = 'unknown';
      problems.push(
        'externalTrafficPolicy Local: the nodes of the ready endpoints are not in the input',
      );
    } else {
      // The finding reads the fact: findings/frontRules.ts (noLocalEndpoint).
      noReadyLocalEndpoint = true;
      status = 'broken';
      problems.push(
        'externalTrafficPolicy Local and no node runs a ready endpoint: every node fails the health check',
      );
    }
  }
  const healthCheckNodePort = num(service, 'spec.healthCheckNodePort');
  return {
    kind: 'node-port',
    status,
    label: `NodePort ${port.nodePort} on ${nodeCount(
      nodes.length,
      policy,
      readyElsewhere,
    )} (externalTrafficPolicy ${policy})`,
    object: ref,
    ...(problems.length ? { problems } : {}),
    nodePort: port.nodePort,
    externalTrafficPolicy: policy,
    ...(policy === 'Local' && healthCheckNodePort !== undefined
      ? { healthCheckNodePort }
      : {}),
    nodes,
    snat: policy === 'Cluster',
    ...(noReadyLocalEndpoint ? { noReadyLocalEndpoint } : {}),
  };
}

/**
 * The hops from the client to the pods behind an exposed Service. Returns no
 * hops for a Service that is not exposed (the caller decides what that means).
 */
export function frontOf(
  ctx: ResolveContext,
  service: KubeObject | undefined,
  port: ServicePort | undefined,
  endpoints: Endpoint[],
  // Not read: kept optional until the route kinds' callers drop it.
  _routeIds?: string[],
): Front {
  if (!service || !port || !isExposed(service)) {
    return {
      hops: [],
      source: {
        kind: 'unknown',
        reason: 'no load balancer or node port in front of it was found',
      },
    };
  }
  // Every Ingress behind one controller shares its front: compute it once.
  const cacheKey = `${namespaceOf(service)}/${service.metadata.name}:${
    port.port
  }`;
  let front = ctx.fronts.get(cacheKey);
  if (!front) {
    front = computeFront(ctx, service, port, endpoints);
    ctx.fronts.set(cacheKey, front);
  }
  return front;
}

function computeFront(
  ctx: ResolveContext,
  service: KubeObject,
  port: ServicePort,
  endpoints: Endpoint[],
): Front {
  const hops: Hop[] = [];
  const lb = loadBalancerHop(service, endpoints);
  if (lb) hops.push(lb);
  let np: NodePortHop | undefined;
  let source: SourceAddress = { kind: 'client' };
  if (lb && lb.targetType === 'pods') {
    // The LB sends straight to pod IPs: no node port, no kube-proxy.
    source = lb.preservesClientIp
      ? { kind: 'client' }
      : { kind: 'load-balancer', addresses: [] };
  } else {
    np = nodePortHop(ctx, service, port, endpoints);
    if (np) {
      hops.push(np);
      hops.push(
        np.notDeployed
          ? {
              kind: 'kube-proxy',
              status: 'unknown',
              label: `kube-proxy (${ctx.kubeProxyMode}) will DNAT node:${
                np.nodePort ?? '(node port)'
              } to a pod IP${np.snat ? ', SNAT to the node address' : ''}`,
              problems: [
                'not deployed: kube-proxy programs the rules when the Service is created',
              ],
              mode: ctx.kubeProxyMode,
              from: 'node-port',
              destination: `pod IP:${port.targetPort}`,
            }
          : {
              kind: 'kube-proxy',
              status: 'ok',
              label: `kube-proxy (${ctx.kubeProxyMode}) DNATs node:${
                np.nodePort
              } to a pod IP${np.snat ? ', SNAT to the node address' : ''}`,
              mode: ctx.kubeProxyMode,
              from: 'node-port',
              destination: `pod IP:${port.targetPort}`,
            },
      );
      if (np.snat)
        source = {
          kind: 'node',
          addresses: np.nodes.map(n => n.address).filter(Boolean),
        };
      else if (lb && !lb.preservesClientIp)
        source = { kind: 'load-balancer', addresses: [] };
    } else if (lb && !lb.preservesClientIp) {
      source = { kind: 'load-balancer', addresses: [] };
    } else if (lb && beforeDeploy(service, endpoints)) {
      // Not deployed: the node port is assigned at deploy; with policy
      // Cluster the nodes will SNAT, with Local the client address stays.
      source =
        str(service, 'spec.externalTrafficPolicy') === 'Local'
          ? { kind: 'client' }
          : { kind: 'node', addresses: [] };
    }
  }
  return { hops, source, loadBalancer: lb, nodePort: np };
}
