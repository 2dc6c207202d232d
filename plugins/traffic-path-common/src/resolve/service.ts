/*
 * Services: their ports, how a backend reference picks one, and how a
 * targetPort resolves on a pod (by number, or by container port name).
 */
import { ContainerTarget, KubeObject } from '../model';
import {
  intOrString,
  isRecord,
  num,
  records,
  str,
  strings,
} from '../util/fields';

export type ServicePort = {
  name?: string;
  port: number;
  protocol: string;
  targetPort: number | string;
  nodePort?: number;
};

export function servicePorts(service: KubeObject): ServicePort[] {
  const out: ServicePort[] = [];
  for (const p of records(service, 'spec.ports')) {
    const port = num(p, 'port');
    if (port === undefined) continue;
    out.push({
      name: str(p, 'name'),
      port,
      protocol: str(p, 'protocol') ?? 'TCP',
      // An omitted targetPort means the same number as port.
      targetPort: intOrString(p, 'targetPort') ?? port,
      nodePort: num(p, 'nodePort'),
    });
  }
  return out;
}

export function serviceType(service: KubeObject): string {
  return str(service, 'spec.type') ?? 'ClusterIP';
}

export function clusterIPs(service: KubeObject): string[] {
  const ips = strings(service, 'spec.clusterIPs');
  if (ips.length > 0) return ips;
  const ip = str(service, 'spec.clusterIP');
  return ip ? [ip] : [];
}

export function isHeadless(service: KubeObject): boolean {
  return str(service, 'spec.clusterIP') === 'None';
}

export type PortLookup =
  | { found: true; port: ServicePort }
  | { found: false; reason: string };

/** Finds the Service port an Ingress backend names, by number or by name. */
export function findServicePort(
  service: KubeObject,
  wanted: number | string | undefined,
): PortLookup {
  const ports = servicePorts(service);
  const name = service.metadata.name;
  if (wanted === undefined) {
    if (ports.length === 1) return { found: true, port: ports[0] };
    return {
      found: false,
      reason: `no port given and Service ${name} has ${ports.length} ports`,
    };
  }
  const match = ports.find(p =>
    typeof wanted === 'number' ? p.port === wanted : p.name === wanted,
  );
  if (match) return { found: true, port: match };
  const available =
    ports
      .map(p => (p.name ? `${p.port} (${p.name})` : `${p.port}`))
      .join(', ') || 'none';
  if (typeof wanted === 'number') {
    const asNodePort = ports.find(p => p.nodePort === wanted);
    if (asNodePort) {
      return {
        found: false,
        reason: `${wanted} is the nodePort of Service ${name} port ${asNodePort.port}, not a Service port (ports: ${available})`,
      };
    }
    const asTarget = ports.find(p => p.targetPort === wanted);
    if (asTarget) {
      return {
        found: false,
        reason: `${wanted} is the targetPort of Service ${name} port ${asTarget.port}, not a Service port (ports: ${available})`,
      };
    }
  }
  return {
    found: false,
    reason: `Service ${name} has no port ${
      typeof wanted === 'number' ? wanted : `named "${wanted}"`
    } (ports: ${available})`,
  };
}

/** How a targetPort resolves on one pod. */
export function resolveTargetPort(
  pod: KubeObject,
  targetPort: number | string,
  protocol: string,
): ContainerTarget {
  const podName = pod.metadata.name;
  // Read directly: this runs once per endpoint of every route.
  const spec = pod.spec;
  const containers =
    isRecord(spec) && Array.isArray(spec.containers) ? spec.containers : [];
  for (const container of containers) {
    if (!isRecord(container) || !Array.isArray(container.ports)) continue;
    for (const p of container.ports) {
      if (!isRecord(p)) continue;
      const portProtocol = typeof p.protocol === 'string' ? p.protocol : 'TCP';
      if (portProtocol !== protocol) continue;
      const containerPort =
        typeof p.containerPort === 'number' && Number.isFinite(p.containerPort)
          ? p.containerPort
          : undefined;
      const portName = typeof p.name === 'string' ? p.name : undefined;
      if (
        typeof targetPort === 'number'
          ? containerPort === targetPort
          : portName === targetPort
      ) {
        return {
          pod: podName,
          container:
            typeof container.name === 'string' ? container.name : undefined,
          port: containerPort,
          portName,
          declared: true,
        };
      }
    }
  }
  if (typeof targetPort === 'number') {
    // Undeclared ports still work: containerPort is informational.
    const only =
      containers.length === 1 && isRecord(containers[0])
        ? containers[0]
        : undefined;
    return {
      pod: podName,
      container: only ? str(only, 'name') : undefined,
      port: targetPort,
      declared: false,
    };
  }
  return { pod: podName, portName: targetPort, declared: false };
}
