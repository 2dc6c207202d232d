/*
 * The endpoints of a Service port: from EndpointSlices, else from legacy
 * Endpoints, else derived from the selector and the pods (marked derived).
 * Conditions keep their Kubernetes meaning: not-ready endpoints get no
 * traffic unless the Service publishes not-ready addresses.
 */
import { ClusterIndex, selectPods } from '../index/clusterIndex';
import { Endpoint, KubeObject, NodeAddress } from '../model';
import { bool, key, namespaceOf, num, records, str, strings, stringMap } from '../util/fields';
import { resolveTargetPort, ServicePort } from './service';

export type EndpointSet = {
  endpoints: Endpoint[];
  source: 'EndpointSlice' | 'Endpoints' | 'derived' | 'none';
};

/** The address other nodes use for a node: InternalIP, else ExternalIP. */
export function nodeAddress(node: KubeObject | undefined): string | undefined {
  if (!node) return undefined;
  const addresses = records(node, 'status.addresses');
  const pick = (type: string) => addresses.find(a => str(a, 'type') === type);
  return str(pick('InternalIP') ?? pick('ExternalIP') ?? {}, 'address');
}

export function nodeReady(node: KubeObject): boolean {
  const ready = records(node, 'status.conditions').find(c => str(c, 'type') === 'Ready');
  // A node without status (an applied manifest) is taken as ready.
  return ready ? str(ready, 'status') === 'True' : true;
}

export function allNodes(index: ClusterIndex): NodeAddress[] {
  const out: NodeAddress[] = [];
  for (const node of index.nodes.values()) {
    const address = nodeAddress(node);
    if (address) out.push({ node: node.metadata.name, address, ready: nodeReady(node) });
  }
  return out;
}

function podReady(pod: KubeObject): boolean {
  const ready = records(pod, 'status.conditions').find(c => str(c, 'type') === 'Ready');
  return ready ? str(ready, 'status') === 'True' : false;
}

function withNode(index: ClusterIndex, endpoint: Endpoint): Endpoint {
  if (!endpoint.node) return endpoint;
  const address = nodeAddress(index.nodes.get(endpoint.node));
  return address ? { ...endpoint, nodeAddress: address } : endpoint;
}

function fromSlices(index: ClusterIndex, slices: KubeObject[], servicePort: ServicePort, publishNotReady: boolean): Endpoint[] {
  const out: Endpoint[] = [];
  for (const slice of slices) {
    const ns = namespaceOf(slice);
    // The slice port with the Service port's name carries the resolved number.
    const slicePort = records(slice, 'ports').find(p => (str(p, 'name') ?? '') === (servicePort.name ?? ''));
    const resolved = slicePort ? num(slicePort, 'port') : undefined;
    for (const ep of records(slice, 'endpoints')) {
      const address = strings(ep, 'addresses')[0];
      if (!address) continue;
      // Per the API, unset ready and serving mean true, unset terminating false.
      const ready = bool(ep, 'conditions.ready') ?? true;
      const serving = bool(ep, 'conditions.serving') ?? ready;
      const terminating = bool(ep, 'conditions.terminating') ?? false;
      const podName = str(ep, 'targetRef.kind') === 'Pod' ? str(ep, 'targetRef.name') : undefined;
      out.push(
        withNode(index, {
          pod: podName,
          namespace: podName ? str(ep, 'targetRef.namespace') ?? ns : undefined,
          address,
          node: str(ep, 'nodeName'),
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

function portOnPod(index: ClusterIndex, ns: string, podName: string | undefined, servicePort: ServicePort): number | undefined {
  if (typeof servicePort.targetPort === 'number') return servicePort.targetPort;
  const pod = podName ? index.pods.get(key(ns, podName)) : undefined;
  return pod ? resolveTargetPort(pod, servicePort.targetPort, servicePort.protocol).port : undefined;
}

function fromEndpoints(index: ClusterIndex, endpoints: KubeObject, servicePort: ServicePort, publishNotReady: boolean): Endpoint[] {
  const out: Endpoint[] = [];
  const ns = namespaceOf(endpoints);
  for (const subset of records(endpoints, 'subsets')) {
    const port = records(subset, 'ports').find(p => (str(p, 'name') ?? '') === (servicePort.name ?? '')) ?? (records(subset, 'ports').length === 1 ? records(subset, 'ports')[0] : undefined);
    const resolved = port ? num(port, 'port') : undefined;
    const add = (a: Record<string, unknown>, ready: boolean) => {
      const address = str(a, 'ip');
      if (!address) return;
      const podName = str(a, 'targetRef.kind') === 'Pod' ? str(a, 'targetRef.name') : undefined;
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

function derived(index: ClusterIndex, service: KubeObject, servicePort: ServicePort, publishNotReady: boolean): Endpoint[] {
  const ns = namespaceOf(service);
  const pods = selectPods(index, ns, stringMap(service, 'spec.selector'));
  const out: Endpoint[] = [];
  for (const pod of pods) {
    const phase = str(pod, 'status.phase');
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    const ready = podReady(pod);
    const terminating = str(pod, 'metadata.deletionTimestamp') !== undefined;
    const target = resolveTargetPort(pod, servicePort.targetPort, servicePort.protocol);
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
      }),
    );
  }
  return out;
}

export function serviceEndpoints(index: ClusterIndex, service: KubeObject, servicePort: ServicePort): EndpointSet {
  const k = key(namespaceOf(service), service.metadata.name);
  const publishNotReady = bool(service, 'spec.publishNotReadyAddresses') ?? false;
  const slices = index.slicesByService.get(k);
  if (slices && slices.length > 0) {
    return { endpoints: fromSlices(index, slices, servicePort, publishNotReady), source: 'EndpointSlice' };
  }
  const legacy = index.endpoints.get(k);
  if (legacy) {
    return { endpoints: fromEndpoints(index, legacy, servicePort, publishNotReady), source: 'Endpoints' };
  }
  if (Object.keys(stringMap(service, 'spec.selector')).length > 0) {
    return { endpoints: derived(index, service, servicePort, publishNotReady), source: 'derived' };
  }
  return { endpoints: [], source: 'none' };
}
