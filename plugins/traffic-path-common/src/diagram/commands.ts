/*
 * The commands that check each hop by hand, built from the route: what an
 * on-call engineer pastes into a terminal to see the same thing.
 */
import { kubeProxyCheckCommand } from '../resolve/kubeProxyCommand';
import { Hop, KubeProxyMode, Route } from '../model';

export type HopCommand = { hop: Hop['kind']; title: string; command: string };

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function hopCommands(
  route: Route,
  kubeProxyMode: KubeProxyMode,
): HopCommand[] {
  const out: HopCommand[] = [];
  const host =
    route.entry.host && !route.entry.host.startsWith('*')
      ? route.entry.host
      : undefined;
  const lb = route.hops.find(h => h.kind === 'load-balancer');
  const address =
    lb && lb.kind === 'load-balancer' ? lb.addresses[0] : undefined;
  const port = route.entry.port ?? (route.entry.tls ? 443 : 80);
  const path = route.entry.path ?? '/';
  if (host)
    out.push({
      hop: 'dns',
      title: `What ${host} resolves to`,
      command: `dig +short ${host} A ${host} AAAA`,
    });
  if (host && address) {
    const scheme = route.entry.tls ? 'https' : 'http';
    // --resolve keeps the TLS name and Host header right while going to the LB directly.
    const target = /:/.test(address) ? `[${address}]` : address;
    out.push({
      hop: 'load-balancer',
      title: 'The request, sent to the load balancer',
      command: `curl -sv --resolve ${host}:${port}:${address} ${quote(
        `${scheme}://${host}${path}`,
      )}`,
    });
    if (!/[a-z]/i.test(address))
      out.push({
        hop: 'ingress',
        title: 'The same with an explicit Host header',
        command: `curl -sv -H ${quote(`Host: ${host}`)} ${quote(
          `http://${target}${path}`,
        )}`,
      });
  }
  for (const hop of route.hops) {
    if (hop.kind === 'service' && hop.object) {
      out.push({
        hop: 'pod',
        title: `Endpoints of Service ${hop.object.namespace}/${hop.object.name}`,
        command: `kubectl get endpointslices -n ${hop.object.namespace} -l kubernetes.io/service-name=${hop.object.name} -o wide`,
      });
    }
    // Before deploy there is no node port yet to look for.
    if (hop.kind === 'node-port' && !hop.notDeployed) {
      const node = hop.nodes[0]?.address;
      // iptables rules match the node port, not a node address (KUBE-NODEPORTS).
      const command =
        kubeProxyMode === 'iptables' || kubeProxyMode === 'unknown'
          ? `iptables-save -t nat | grep -- '--dport ${hop.nodePort}'`
          : kubeProxyCheckCommand(
              kubeProxyMode,
              node ?? '<node-ip>',
              hop.nodePort,
            );
      out.push({
        hop: 'kube-proxy',
        title: `kube-proxy rules for node port ${hop.nodePort} (${kubeProxyMode}), on a node`,
        command,
      });
    }
    if (hop.kind === 'kube-proxy' && hop.from === 'cluster-ip') {
      const [ip, p] = hop.destination.split(/:(?=\d+$)/);
      if (ip && p)
        out.push({
          hop: 'kube-proxy',
          title: `kube-proxy rules for ClusterIP ${hop.destination}`,
          command: kubeProxyCheckCommand(kubeProxyMode, ip, Number(p)),
        });
    }
  }
  return out;
}
