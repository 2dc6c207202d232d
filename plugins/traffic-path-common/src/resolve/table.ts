/*
 * The hop table of a route: where a packet goes at each step, with the
 * addresses it really has. NodePort traffic is DNATed straight to a pod,
 * and ingress-nginx / Traefik connect to pod IPs, not to the ClusterIP.
 */
import {
  Endpoint,
  Hop,
  HopTableRow,
  IngressControllerHop,
  LoadBalancerHop,
  NetworkPolicyHop,
  NodePortHop,
  PodHop,
  ServiceHop,
} from '../model';

function first<T>(list: T[]): T | undefined {
  return list.length > 0 ? list[0] : undefined;
}

function many(count: number, noun: string): string {
  return count > 1 ? ` (1 of ${count} ${noun})` : '';
}

function endpointAddress(endpoints: Endpoint[]): string {
  const ready = endpoints.filter(e => e.ready);
  const pick = first(ready) ?? first(endpoints);
  if (!pick) return '(no endpoint)';
  return `${pick.address || pick.pod || '?'}:${pick.port ?? '?'}`;
}

export function hopTable(
  hops: Hop[],
  clientIp?: string,
  entryPort?: number,
): HopTableRow[] {
  const rows: HopTableRow[] = [];
  const add = (hop: Hop['kind'], from: string, to: string, action: string) =>
    rows.push({ step: rows.length + 1, hop, from, to, action });
  const client = `${clientIp ?? 'client'}:any`;
  const dns = hops.find(h => h.kind === 'dns');
  const lb = hops.find((h): h is LoadBalancerHop => h.kind === 'load-balancer');
  const np = hops.find((h): h is NodePortHop => h.kind === 'node-port');
  const ctrl = hops.find(
    (h): h is IngressControllerHop => h.kind === 'ingress-controller',
  );
  const service = hops.find((h): h is ServiceHop => h.kind === 'service');
  const pods = hops.find((h): h is PodHop => h.kind === 'pod');
  const podEndpoints = pods?.endpoints ?? [];
  const resolved =
    dns && dns.kind === 'dns' && dns.host ? `resolves ${dns.host} and ` : '';

  // Where the outside traffic lands: the pods behind the exposed Service.
  const frontTargets = ctrl ? ctrl.pods : podEndpoints;
  const frontTarget = endpointAddress(frontTargets);
  // A Gateway is named by its class; an Ingress controller by its kind.
  const ctrlName =
    ctrl?.classSource === 'gateway'
      ? `the Gateway implementation (class ${ctrl.className ?? '?'})`
      : ctrl?.controller;
  const frontWhat = ctrl ? `controller pod (${ctrlName})` : 'backend pod';
  let previous = client;

  if (lb) {
    // Before deploy no node port is assigned yet: no listener to match it to.
    const lbPort =
      np?.nodePort !== undefined
        ? lb.ports.find(p => p.nodePort === np.nodePort)?.port
        : entryPort;
    const noAddress =
      lb.status === 'unknown' ? '(address assigned at deploy)' : '(pending)';
    const lbAddress = `${first(lb.addresses) ?? noAddress}:${
      lbPort ?? entryPort ?? '?'
    }`;
    add(
      'load-balancer',
      previous,
      lbAddress,
      `client ${resolved}connects to the ${lb.exposure} load balancer (${lb.provider})`,
    );
    previous = lbAddress;
    if (lb.targetType === 'pods') {
      add(
        'pod',
        lbAddress,
        frontTarget,
        `load balancer sends straight to a ${frontWhat} IP${many(
          frontTargets.length,
          'pods',
        )}: no node port`,
      );
      previous = frontTarget;
    }
  }
  if (np) {
    const node = first(np.nodes);
    const nodeAddress = `${node?.address || node?.node || 'node'}:${
      np.nodePort ?? '(node port)'
    }`;
    add(
      'node-port',
      previous,
      nodeAddress,
      `${
        lb ? 'load balancer forwards' : `client ${resolved}connects`
      } to the NodePort${many(np.nodes.length, 'nodes')}${
        np.externalTrafficPolicy === 'Local'
          ? ', only nodes with a ready local endpoint pass the health check'
          : ''
      }`,
    );
    const mode = hops.find(h => h.kind === 'kube-proxy');
    const modeText = mode && mode.kind === 'kube-proxy' ? mode.mode : 'unknown';
    add(
      'kube-proxy',
      nodeAddress,
      frontTarget,
      `kube-proxy (${modeText}) DNATs straight to a ${frontWhat}${many(
        frontTargets.length,
        'pods',
      )}${
        np.snat
          ? `; source SNATed to ${node?.address || 'the node address'}`
          : '; client address kept'
      }`,
    );
    previous = frontTarget;
  }
  if (ctrl) {
    const backendTarget = endpointAddress(podEndpoints);
    const clusterIp =
      service && service.clusterIPs[0] && service.port
        ? `${service.clusterIPs[0]}:${service.port.port}`
        : undefined;
    if (!service) {
      // A redirect, or a rule without backends: the proxy answers, nothing behind it is reached.
      add(
        'ingress',
        previous,
        '(answered by the proxy)',
        `${ctrlName} matches host and path and answers the request itself: no backend is reached`,
      );
    } else if (ctrl.upstream === 'cluster-ip' && clusterIp) {
      add(
        'ingress',
        previous,
        clusterIp,
        `${ctrlName} matches host and path, proxies to the Service ClusterIP (service-upstream)`,
      );
      add(
        'kube-proxy',
        clusterIp,
        backendTarget,
        `kube-proxy DNATs the ClusterIP to a backend pod${many(
          podEndpoints.length,
          'pods',
        )}`,
      );
    } else if (ctrl.upstream === 'unknown') {
      add(
        'ingress',
        previous,
        backendTarget,
        `${ctrlName} controller matches host and path and proxies to the backend${many(
          podEndpoints.length,
          'pods',
        )}; whether through the ClusterIP depends on the controller`,
      );
    } else {
      add(
        'ingress',
        previous,
        backendTarget,
        `${ctrlName} matches host and path, proxies straight to a backend pod IP${many(
          podEndpoints.length,
          'pods',
        )}${clusterIp ? `; ClusterIP ${clusterIp} not used` : ''}`,
      );
    }
    previous = backendTarget;
  } else if (!lb && !np && service && podEndpoints.length > 0) {
    // In-cluster only (headless): clients reach pod IPs from DNS.
    previous = endpointAddress(podEndpoints);
  }
  // The step into the pods is where NetworkPolicies judge the packet.
  const policy = hops.find(
    (h): h is NetworkPolicyHop => h.kind === 'network-policy',
  );
  if (policy && policy.policies.length > 0 && rows.length > 0) {
    const names = policy.policies
      .map(p => `${p.namespace}/${p.name}`)
      .join(', ');
    const clientDependent = policy.pods.some(p => Array.isArray(p.clientAllow));
    const judged = {
      ok: clientDependent
        ? 'admits only clients its ipBlocks allow (see the verdict)'
        : 'admits it',
      degraded: 'refuses it on some pods',
      broken: 'refuses it',
      unknown: 'may refuse it (not known from the input)',
    }[policy.status];
    rows[
      rows.length - 1
    ].action += `; NetworkPolicy ${names} ${judged} (prediction: the CNI enforces it)`;
  }
  const container = hops.find(h => h.kind === 'container');
  if (container && container.kind === 'container' && podEndpoints.length > 0) {
    const target =
      container.targets.find(t => t.declared) ?? first(container.targets);
    if (target?.port === undefined) {
      add(
        'container',
        previous,
        `${target?.pod ?? 'pod'}:${target?.portName ?? '?'}`,
        `no container of pod ${target?.pod ?? '?'} declares the port "${
          target?.portName ?? '?'
        }": the request cannot be delivered`,
      );
    } else {
      const who = target.container
        ? `container ${target.container} of pod ${target.pod}`
        : `pod ${target.pod}`;
      add(
        'container',
        previous,
        `${target.container ?? target.pod}:${target.port}`,
        `${who} receives the request on port ${target.port}${
          target.declared ? '' : ' (not declared in the pod spec)'
        }`,
      );
    }
  }
  return rows;
}
