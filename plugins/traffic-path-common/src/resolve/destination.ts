/*
 * The back of a route: the Service (on the way, or aside when traffic goes
 * straight to endpoints), kube-proxy when the ClusterIP is really used, the
 * endpoints (pods on their nodes) and the containers' ports.
 */
import { isListedIn, selectPods } from '../index/clusterIndex';
import {
  ContainerHop,
  ContainerTarget,
  Endpoint,
  Hop,
  KubeObject,
  PodHop,
  PodTemplateOf,
  ServiceHop,
} from '../model';
import { namespaceOf, refOf, str, stringMap } from '../util/fields';
import { ResolveContext } from './context';
import { EndpointSet, serviceEndpoints } from './endpoints';
import {
  clusterIPs,
  findServicePort,
  isHeadless,
  resolveTargetPort,
  ServicePort,
  serviceType,
} from './service';

export type Back = { hops: Hop[]; endpoints: Endpoint[] };

export function serviceHop(
  service: KubeObject,
  port: ServicePort | undefined,
  onPath: boolean,
): ServiceHop {
  const ips = clusterIPs(service);
  const type = serviceType(service);
  const headless = isHeadless(service);
  // Manifests before deploy carry no ClusterIP: the API assigns it.
  let where =
    ips.join(', ') ||
    (service.status === undefined
      ? 'ClusterIP assigned at deploy'
      : 'no ClusterIP');
  if (headless) where = 'headless';
  if (type === 'ExternalName')
    where = `→ ${str(service, 'spec.externalName') ?? '?'}`;
  return {
    kind: 'service',
    status: 'ok',
    label: `Service ${service.metadata.namespace ?? 'default'}/${
      service.metadata.name
    } (${type}, ${where}${port ? `, port ${port.port}` : ''})${
      onPath ? '' : ' — used to find endpoints, not on the way'
    }`,
    object: refOf(service),
    type,
    clusterIPs: headless ? [] : ips,
    ...(port
      ? {
          port: {
            ...(port.name ? { name: port.name } : {}),
            port: port.port,
            targetPort: String(port.targetPort),
            ...(port.nodePort !== undefined ? { nodePort: port.nodePort } : {}),
          },
        }
      : {}),
    onPath,
    ...(type === 'ExternalName'
      ? { externalName: str(service, 'spec.externalName') }
      : {}),
    headless,
  };
}

/** `template of Deployment shop/web, 3 replicas`. */
export function templateText(t: PodTemplateOf): string {
  let count = t.kind === 'DaemonSet' ? ', one pod per node' : '';
  if (t.replicas !== undefined)
    count = `, ${t.replicas} replica${t.replicas === 1 ? '' : 's'}`;
  return `template of ${t.kind} ${t.name}${count}`;
}

/** The endpoints of a Service; its findings are rules over it (findings/destinationRules.ts). */
function podHop(
  ctx: ResolveContext,
  service: KubeObject,
  port: ServicePort,
  set: EndpointSet,
): PodHop {
  const ref = refOf(service);
  let readyCount = 0;
  const nodes = new Set<string>();
  for (const e of set.endpoints) {
    if (e.ready) readyCount++;
    if (e.node) nodes.add(e.node);
  }
  const problems: string[] = [];
  let status: PodHop['status'] = 'ok';
  const templates = set.endpoints.filter(e => e.template);
  if (templates.length > 0 && templates.length === set.endpoints.length) {
    // Manifests before deploy: what the templates say is known, readiness is not.
    const what = [
      ...new Set(templates.map(e => templateText(e.template!))),
    ].join(', ');
    return {
      kind: 'pod',
      status: 'unknown',
      label: `${what} (not deployed)`,
      object: ref,
      problems: [
        'not deployed: the pods come from pod templates; their readiness, addresses and nodes are known only in a cluster',
      ],
      endpoints: set.endpoints,
      source: set.source,
    };
  }
  // Empty endpoints although the selector matches pods: the endpoints controller
  // skips pods on which a named targetPort does not resolve.
  const selected =
    set.endpoints.length === 0 && set.source !== 'derived'
      ? selectPods(
          ctx.index,
          namespaceOf(service),
          stringMap(service, 'spec.selector'),
        )
      : [];
  let unlistedPods: ContainerTarget[] | undefined;
  if (selected.length > 0) {
    status = 'broken';
    unlistedPods = selected.map(p =>
      resolveTargetPort(p, port.targetPort, port.protocol),
    );
    if (
      typeof port.targetPort === 'string' &&
      unlistedPods.every(t => !t.declared)
    ) {
      problems.push(
        `no container port named "${port.targetPort}" on the ${selected.length} selected pod(s)`,
      );
    } else {
      problems.push(
        `the selector matches ${selected.length} pod(s) but the ${set.source} list no endpoint`,
      );
    }
  } else if (set.endpoints.length === 0) {
    status =
      set.source === 'derived' &&
      !isListedIn(ctx.index, 'Pod', namespaceOf(service))
        ? 'unknown'
        : 'broken';
    if (status === 'broken') {
      problems.push(
        set.source !== 'none'
          ? 'the selector matches no pod'
          : 'no endpoints and no selector',
      );
    } else {
      problems.push('no pods in the input to derive endpoints from');
    }
  } else if (readyCount === 0) {
    status = 'broken';
    // The findings follow from the hop: findings/rules.ts (endpointReadiness).
    problems.push(`none of ${set.endpoints.length} endpoints is ready`);
  } else if (readyCount < set.endpoints.length) {
    status = 'degraded';
    problems.push(
      `${set.endpoints.length - readyCount} of ${
        set.endpoints.length
      } endpoints not ready`,
    );
  }
  return {
    kind: 'pod',
    status,
    label: `${readyCount}/${set.endpoints.length} pods ready on ${
      nodes.size
    } node${nodes.size === 1 ? '' : 's'}${
      set.source === 'derived' ? ' (derived from selector)' : ''
    }`,
    object: ref,
    ...(problems.length ? { problems } : {}),
    endpoints: set.endpoints,
    source: set.source,
    ...(unlistedPods ? { unlistedPods } : {}),
  };
}

function containerHop(
  ctx: ResolveContext,
  service: KubeObject,
  port: ServicePort,
  endpoints: Endpoint[],
): ContainerHop {
  const ref = refOf(service);
  const targets: ContainerTarget[] = [];
  const undeclared: string[] = [];
  const ports = new Set<number>();
  let withPods = 0;
  const serviceNamespace = namespaceOf(service);
  // One pass: this runs once per endpoint of every route.
  for (const ep of endpoints) {
    const pod = ep.pod
      ? ctx.index.pods.get(ep.namespace ?? serviceNamespace, ep.pod)
      : undefined;
    if (pod) withPods++;
    const target = pod
      ? resolveTargetPort(pod, port.targetPort, port.protocol)
      : {
          pod: ep.pod ?? ep.address,
          port: ep.port,
          declared: ep.port !== undefined,
        };
    targets.push(target);
    if (!target.declared) undeclared.push(target.pod);
    if (target.port !== undefined) ports.add(target.port);
  }
  const problems: string[] = [];
  let status: ContainerHop['status'] = 'ok';
  // Declarations can be judged only on pod specs the input holds.
  const judged = withPods > 0 && undeclared.length > 0;
  if (judged) {
    if (typeof port.targetPort === 'string') {
      status = undeclared.length === targets.length ? 'broken' : 'degraded';
      problems.push(
        `no container port named "${port.targetPort}" on ${undeclared.join(
          ', ',
        )}`,
      );
    } else {
      problems.push(`no container declares port ${port.targetPort}`);
    }
  }
  return {
    kind: 'container',
    status,
    label: `container port ${[...ports].join(', ') || String(port.targetPort)}${
      typeof port.targetPort === 'string' ? ` (named "${port.targetPort}")` : ''
    }`,
    object: ref,
    ...(problems.length ? { problems } : {}),
    targets,
    ...(judged ? { undeclared } : {}),
  };
}

/** Hops from a Service to the containers; `viaClusterIp` puts the Service on the way. */
export function backOf(
  ctx: ResolveContext,
  service: KubeObject,
  port: ServicePort,
  viaClusterIp: boolean,
): Back {
  const set = serviceEndpoints(ctx.index, service, port);
  const hops: Hop[] = [serviceHop(service, port, viaClusterIp)];
  if (viaClusterIp) {
    hops.push({
      kind: 'kube-proxy',
      status: 'ok',
      label: `kube-proxy (${ctx.kubeProxyMode}) DNATs ClusterIP ${
        clusterIPs(service)[0] ?? '?'
      }:${port.port} to a pod IP`,
      mode: ctx.kubeProxyMode,
      from: 'cluster-ip',
      destination: `${clusterIPs(service)[0] ?? '?'}:${port.port}`,
    });
  }
  hops.push(podHop(ctx, service, port, set));
  hops.push(containerHop(ctx, service, port, set.endpoints));
  return { hops, endpoints: set.endpoints };
}

export type BackendLookup =
  | { ok: true; service: KubeObject; port: ServicePort }
  | { ok: false; hop: ServiceHop };

/** Finds a route backend's Service and port, or a broken service hop saying why (facts for findings/destinationRules.ts). */
export function lookupBackend(
  ctx: ResolveContext,
  namespace: string,
  serviceName: string,
  wantedPort: number | string | undefined,
): BackendLookup {
  const service = ctx.index.services.get(namespace, serviceName);
  const placeholder = (
    status: ServiceHop['status'],
    problem: string,
  ): ServiceHop => ({
    kind: 'service',
    status,
    label: `Service ${namespace}/${serviceName}`,
    object: { kind: 'Service', namespace, name: serviceName },
    problems: [problem],
    type: 'unknown',
    clusterIPs: [],
    onPath: false,
    headless: false,
  });
  if (!service) {
    if (!isListedIn(ctx.index, 'Service', namespace))
      return {
        ok: false,
        hop: placeholder(
          'unknown',
          `no Services of namespace ${namespace} in the input`,
        ),
      };
    return {
      ok: false,
      hop: {
        ...placeholder(
          'broken',
          `Service ${namespace}/${serviceName} not found`,
        ),
        notFound: true,
      },
    };
  }
  const lookup = findServicePort(service, wantedPort);
  if (!lookup.found) {
    const hop = serviceHop(service, undefined, false);
    return {
      ok: false,
      hop: {
        ...hop,
        status: 'broken',
        problems: [lookup.reason],
        portNotFound: {
          ...(wantedPort !== undefined ? { wanted: wantedPort } : {}),
          reason: lookup.reason,
        },
      },
    };
  }
  return { ok: true, service, port: lookup.port };
}
