/*
 * The endpoints of a Service port: from EndpointSlices, else from legacy
 * Endpoints, else derived from the selector and the pods (marked derived).
 * Conditions keep their Kubernetes meaning: not-ready endpoints get no
 * traffic unless the Service publishes not-ready addresses.
 */
import { ClusterIndex, selectPods, templateOf } from '../index/clusterIndex';
import { Endpoint, KubeObject, NodeAddress } from '../model';
import {
  bool,
  isRecord,
  namespaceOf,
  num,
  records,
  str,
  stringMap,
} from '../util/fields';
import { nodeAddress, nodeReady } from './nodes';
import { resolveTargetPort, ServicePort } from './service';

export type EndpointSet = {
  endpoints: Endpoint[];
  source: 'EndpointSlice' | 'Endpoints' | 'derived' | 'none';
};

export function allNodes(index: ClusterIndex): NodeAddress[] {
  const out: NodeAddress[] = [];
  for (const node of index.nodes.values()) {
    const address = nodeAddress(node);
    if (address)
      out.push({ node: node.metadata.name, address, ready: nodeReady(node) });
  }
  return out;
}

function podReady(pod: KubeObject): boolean {
  const ready = records(pod, 'status.conditions').find(
    c => str(c, 'type') === 'Ready',
  );
  return ready ? str(ready, 'status') === 'True' : false;
}

function withNode(index: ClusterIndex, endpoint: Endpoint): Endpoint {
  if (!endpoint.node) return endpoint;
  const address = index.nodeAddresses.get(endpoint.node);
  if (address) endpoint.nodeAddress = address;
  return endpoint;
}

const NONE: Record<string, unknown> = Object.freeze({});

function flag(value: unknown, unset: boolean): boolean {
  return typeof value === 'boolean' ? value : unset;
}

function fromSlices(
  index: ClusterIndex,
  slices: KubeObject[],
  servicePort: ServicePort,
  publishNotReady: boolean,
): Endpoint[] {
  const out: Endpoint[] = [];
  for (const slice of slices) {
    const ns = namespaceOf(slice);
    // The slice port with the Service port's name carries the resolved number.
    const slicePort = records(slice, 'ports').find(
      p => (str(p, 'name') ?? '') === (servicePort.name ?? ''),
    );
    const resolved = slicePort ? num(slicePort, 'port') : undefined;
    for (const ep of records(slice, 'endpoints')) {
      // Read directly: this loop runs once per endpoint of every route.
      const addresses = ep.addresses;
      const address =
        Array.isArray(addresses) && typeof addresses[0] === 'string'
          ? addresses[0]
          : undefined;
      if (!address) continue;
      const conditions = isRecord(ep.conditions) ? ep.conditions : NONE;
      // Per the API, unset ready and serving mean true, unset terminating false.
      const ready = flag(conditions.ready, true);
      const serving = flag(conditions.serving, ready);
      const terminating = flag(conditions.terminating, false);
      const target = isRecord(ep.targetRef) ? ep.targetRef : NONE;
      const podName =
        target.kind === 'Pod' && typeof target.name === 'string'
          ? target.name
          : undefined;
      const podNamespace =
        typeof target.namespace === 'string' ? target.namespace : ns;
      out.push(
        withNode(index, {
          pod: podName,
          namespace: podName ? podNamespace : undefined,
          address,
          node: typeof ep.nodeName === 'string' ? ep.nodeName : undefined,
          ready: ready || publishNotReady,
          serving,
          terminating,
          port: resolved ?? portOnPod(index, ns, podName, servicePort),
        }),
      );
    }
  }
  return out;
}

function portOnPod(
  index: ClusterIndex,
  ns: string,
  podName: string | undefined,
  servicePort: ServicePort,
): number | undefined {
  if (typeof servicePort.targetPort === 'number') return servicePort.targetPort;
  const pod = podName ? index.pods.get(ns, podName) : undefined;
  return pod
    ? resolveTargetPort(pod, servicePort.targetPort, servicePort.protocol).port
    : undefined;
}

function fromEndpoints(
  index: ClusterIndex,
  endpoints: KubeObject,
  servicePort: ServicePort,
  publishNotReady: boolean,
): Endpoint[] {
  const out: Endpoint[] = [];
  const ns = namespaceOf(endpoints);
  for (const subset of records(endpoints, 'subsets')) {
    const port =
      records(subset, 'ports').find(
        p => (str(p, 'name') ?? '') === (servicePort.name ?? ''),
      ) ??
      (records(subset, 'ports').length === 1
        ? records(subset, 'ports')[0]
        : undefined);
    const resolved = port ? num(port, 'port') : undefined;
    const add = (a: Record<string, unknown>, ready: boolean) => {
      const address = str(a, 'ip');
      if (!address) return;
      const podName =
        str(a, 'targetRef.kind') === 'Pod'
          ? str(a, 'targetRef.name')
          : undefined;
      out.push(
        withNode(index, {
          pod: podName,
          namespace: podName ? ns : undefined,
          address,
          node: str(a, 'nodeName'),
          ready: ready || publishNotReady,
          serving: ready,
          terminating: false,
          port: resolved ?? portOnPod(index, ns, podName, servicePort),
        }),
      );
    };
    records(subset, 'addresses').forEach(a => add(a, true));
    records(subset, 'notReadyAddresses').forEach(a => add(a, false));
  }
  return out;
}

function derived(
  index: ClusterIndex,
  service: KubeObject,
  servicePort: ServicePort,
  publishNotReady: boolean,
): Endpoint[] {
  const ns = namespaceOf(service);
  const pods = selectPods(index, ns, stringMap(service, 'spec.selector'));
  const out: Endpoint[] = [];
  for (const pod of pods) {
    const phase = str(pod, 'status.phase');
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    const template = templateOf(pod);
    const ready = !template && podReady(pod);
    const terminating = str(pod, 'metadata.deletionTimestamp') !== undefined;
    const target = resolveTargetPort(
      pod,
      servicePort.targetPort,
      servicePort.protocol,
    );
    out.push(
      withNode(index, {
        pod: pod.metadata.name,
        namespace: ns,
        // A pod without status (an applied manifest) has no address yet.
        address: str(pod, 'status.podIP') ?? '',
        node: str(pod, 'spec.nodeName'),
        ready: (ready || publishNotReady) && !terminating,
        serving: ready,
        terminating,
        port: target.port,
        derived: true,
        ...(template ? { template } : {}),
      }),
    );
  }
  return out;
}

/** The endpoints of a Service port; computed once per index, Service and port. */
export function serviceEndpoints(
  index: ClusterIndex,
  service: KubeObject,
  servicePort: ServicePort,
): EndpointSet {
  let perPort = index.endpointSets.get(service);
  if (!perPort) {
    perPort = new Map();
    index.endpointSets.set(service, perPort);
  }
  const portKey = `${servicePort.name ?? ''}|${servicePort.targetPort}|${
    servicePort.protocol
  }`;
  let set = perPort.get(portKey);
  if (!set) {
    set = computeServiceEndpoints(index, service, servicePort);
    perPort.set(portKey, set);
  }
  return set;
}

function computeServiceEndpoints(
  index: ClusterIndex,
  service: KubeObject,
  servicePort: ServicePort,
): EndpointSet {
  const publishNotReady =
    bool(service, 'spec.publishNotReadyAddresses') ?? false;
  const slices = index.slicesByService.get(
    namespaceOf(service),
    service.metadata.name,
  );
  if (slices && slices.length > 0) {
    return {
      endpoints: fromSlices(index, slices, servicePort, publishNotReady),
      source: 'EndpointSlice',
    };
  }
  const legacy = index.endpoints.get(
    namespaceOf(service),
    service.metadata.name,
  );
  if (legacy) {
    return {
      endpoints: fromEndpoints(index, legacy, servicePort, publishNotReady),
      source: 'Endpoints',
    };
  }
  if (Object.keys(stringMap(service, 'spec.selector')).length > 0) {
    return {
      endpoints: derived(index, service, servicePort, publishNotReady),
      source: 'derived',
    };
  }
  return { endpoints: [], source: 'none' };
}
