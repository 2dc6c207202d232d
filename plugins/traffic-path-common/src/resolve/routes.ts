/*
 * Entry points and the routes behind them: every Ingress rule and default
 * backend, every LoadBalancer / NodePort Service, and ExternalName and
 * headless Services for what they are. Hops come in the order a request
 * meets them.
 */
import { isListed, isListedIn, templateOf } from '../index/clusterIndex';
import { makeFinding } from '../findings/catalog';
import { parseCidr, splitList } from '../net/cidr';
import {
  Endpoint,
  IngressControllerHop,
  IngressHop,
  InvalidSourceRange,
  KubeObject,
  SourceAddress,
  SourceRestriction,
} from '../model';
import { annotation, namespaceOf, records, refOf, str } from '../util/fields';
import { backOf, serviceHop, templateText } from './destination';
import {
  assembleRoute,
  BackendTarget,
  clientHop,
  ProxiedPlan,
  RouteDraft,
} from './plan';
import { ResolveContext } from './context';
import { resolveController, ControllerResolution } from './controller';
import { serviceEndpoints } from './endpoints';
import { beforeDeploy, Front, frontOf } from './front';
import {
  defaultBackend,
  IngressBackend,
  ingressPaths,
  ingressTls,
  tlsFor,
} from './ingress';
import { ServicePort, servicePorts, serviceType, isHeadless } from './service';
import { EXTERNAL_LB_ANNOTATION } from './loadBalancer';

const NGINX = 'nginx.ingress.kubernetes.io/';

/** The controller Service port a route enters by: 443 for TLS, else 80. */
export function entryPort(
  service: KubeObject | undefined,
  tls: boolean,
): ServicePort | undefined {
  if (!service) return undefined;
  const ports = servicePorts(service);
  const wanted = tls ? [443, 'https'] : [80, 'http'];
  return (
    ports.find(p => p.port === wanted[0]) ??
    ports.find(p => p.name === wanted[1]) ??
    ports[0]
  );
}

/** Which address the controller (and its allowlists) sees, given the hops before. */
function sourceAtController(
  front: Front,
  resolution: ControllerResolution,
): SourceAddress {
  if (front.source.kind === 'client') return front.source;
  if (resolution.controller === 'ingress-nginx') {
    if (resolution.config['use-proxy-protocol'] === 'true')
      return { kind: 'client' };
    if (resolution.config['use-forwarded-headers'] === 'true')
      return { kind: 'client' };
  }
  return front.source;
}

/** The allowlists of ingress-nginx, and the entries of them that are not CIDRs. */
function allowlists(
  ingress: KubeObject,
  resolution: ControllerResolution,
): { restrictions: SourceRestriction[]; invalid: InvalidSourceRange[] } {
  const out: SourceRestriction[] = [];
  const invalid: InvalidSourceRange[] = [];
  if (resolution.controller !== 'ingress-nginx')
    return { restrictions: out, invalid };
  const read = (
    annotationKey: string,
    mode: 'allow' | 'deny',
    configKey: string,
  ) => {
    const fromAnnotation = annotation(ingress, NGINX + annotationKey);
    const value = fromAnnotation ?? resolution.config[configKey];
    if (value === undefined) return;
    const origin =
      fromAnnotation !== undefined
        ? `${NGINX}${annotationKey}`
        : `ingress-nginx ConfigMap ${configKey}`;
    const cidrs = splitList(value).filter(c => {
      if (parseCidr(c)) return true;
      invalid.push({ field: origin, value: c });
      return false;
    });
    out.push({ origin, mode, cidrs, visible: true });
  };
  read('denylist-source-range', 'deny', 'denylist-source-range');
  const allowKey =
    annotation(ingress, `${NGINX}allowlist-source-range`) !== undefined
      ? 'allowlist-source-range'
      : 'whitelist-source-range';
  read(allowKey, 'allow', 'whitelist-source-range');
  return { restrictions: out, invalid };
}

const upstreamText: Record<IngressControllerHop['upstream'], string> = {
  endpoints: 'pod IPs directly',
  'cluster-ip': 'through the ClusterIP',
  unknown: 'unknown',
};

/** ingress-nginx and Traefik send to endpoint IPs; nginx uses the ClusterIP only when told to. */
function upstreamOf(
  resolution: ControllerResolution,
  ingress: KubeObject,
): IngressControllerHop['upstream'] {
  if (resolution.controller === 'ingress-nginx')
    return annotation(ingress, `${NGINX}service-upstream`) === 'true'
      ? 'cluster-ip'
      : 'endpoints';
  if (resolution.controller === 'traefik') return 'endpoints';
  return 'unknown';
}

/** The controller of an Ingress; its findings are rules over it (findings/ingressRules.ts). */
function controllerHop(
  resolution: ControllerResolution,
  pods: Endpoint[],
  source: SourceAddress,
  ingress: KubeObject,
  ctx: ResolveContext,
): IngressControllerHop {
  const problems: string[] = [];
  let status: IngressControllerHop['status'] = 'ok';
  let notFound: IngressControllerHop['notFound'];
  if (resolution.classMissing) {
    status = 'broken';
    notFound = 'ingress-class';
    problems.push(`IngressClass ${resolution.className} not found`);
  } else if (resolution.pods.length === 0 && !resolution.service) {
    // Controllers run in their own namespace: only a dump with pods beyond the
    // Ingress's namespace can show that none serves this class. Pod templates
    // (manifests before deploy) do not: the controller may be installed apart.
    const listed = [...ctx.index.podNamespaces].some(
      ns => ns !== namespaceOf(ingress),
    );
    status = listed ? 'broken' : 'unknown';
    const which = resolution.className
      ? `class "${resolution.className}"${
          resolution.controllerName ? ` (${resolution.controllerName})` : ''
        }`
      : 'Ingresses without a class';
    problems.push(`no controller for ${which} in the input`);
    if (listed) notFound = 'controller';
  } else if (pods.length > 0 && pods.every(p => p.template)) {
    status = 'unknown';
    problems.push(
      'not deployed: the controller pods come from pod templates, their readiness is known only in a cluster',
    );
  } else if (pods.length > 0) {
    const ready = pods.filter(p => p.ready).length;
    if (ready === 0) {
      status = 'broken';
      problems.push('no controller pod is ready');
    } else if (ready < pods.length) {
      status = 'degraded';
      problems.push(
        `${pods.length - ready} of ${pods.length} controller pods not ready`,
      );
    }
  }
  const upstream = upstreamOf(resolution, ingress);
  const controllerObject = resolution.service ?? resolution.ingressClass;
  // Before deploy a pod stands for a workload's template: say that, not "1 pod".
  const templates =
    pods.length > 0 && pods.every(p => p.template)
      ? [...new Set(pods.map(p => templateText(p.template!)))].join(', ')
      : undefined;
  const label = `${resolution.controller} (${
    resolution.className ? `class ${resolution.className}` : 'no class'
  }), ${
    templates ?? `${pods.length} pod${pods.length === 1 ? '' : 's'}`
  }, upstream ${upstreamText[upstream]}`;
  // Built field by field, in the report's key order: a spread per optional
  // field costs several times more, and this runs once per Ingress path.
  const hop = {
    kind: 'ingress-controller',
    status,
    label,
  } as IngressControllerHop;
  if (controllerObject) hop.object = refOf(controllerObject);
  if (problems.length) hop.problems = problems;
  hop.controller = resolution.controller;
  if (resolution.className) hop.className = resolution.className;
  if (resolution.controllerName) hop.controllerName = resolution.controllerName;
  hop.classSource = resolution.classSource;
  hop.pods = pods;
  if (resolution.service) hop.service = refOf(resolution.service);
  hop.upstream = upstream;
  hop.sourceAddress = source;
  if (notFound) hop.notFound = notFound;
  if (resolution.ambiguousDefault)
    hop.defaultClasses = ctx.index.defaultIngressClasses.map(
      c => c.metadata.name,
    );
  return hop;
}

function controllerPods(
  ctx: ResolveContext,
  resolution: ControllerResolution,
  port: ServicePort | undefined,
): Endpoint[] {
  if (resolution.service && port) {
    const set = serviceEndpoints(ctx.index, resolution.service, port);
    if (set.endpoints.length > 0) return set.endpoints;
  }
  return resolution.pods.map(pod => {
    const ready = records(pod, 'status.conditions').some(
      c => str(c, 'type') === 'Ready' && str(c, 'status') === 'True',
    );
    const template = templateOf(pod);
    return {
      pod: pod.metadata.name,
      namespace: namespaceOf(pod),
      address: str(pod, 'status.podIP') ?? '',
      node: str(pod, 'spec.nodeName'),
      ready,
      serving: ready,
      terminating: false,
      ...(template ? { template } : {}),
    };
  });
}

type IngressEntry = {
  ingress: KubeObject;
  id: string;
  host?: string;
  path?: string;
  pathType?: string;
  backend: IngressBackend;
  kind: 'ingress-rule' | 'ingress-default-backend';
};

/** The adapter of an Ingress rule (or default backend): its plan. */
function ingressPlan(ctx: ResolveContext, e: IngressEntry): ProxiedPlan {
  const { ingress } = e;
  const ref = refOf(ingress);
  const ns = namespaceOf(ingress);
  const resolution = resolveController(ingress, ctx.index, ctx.controllers);
  const tlsEntries = ingressTls(ingress);
  const tls = tlsFor(tlsEntries, e.host);
  const port = entryPort(resolution.service, !!tls);
  const pods = controllerPods(ctx, resolution, port);
  const front = frontOf(ctx, resolution.service, port, pods);
  const source = sourceAtController(front, resolution);

  // DNS: the host should lead to the Ingress address, which the controller publishes.
  const statusAddresses = records(ingress, 'status.loadBalancer.ingress')
    .map(i => str(i, 'ip') ?? str(i, 'hostname'))
    .filter((a): a is string => !!a);
  const expected =
    statusAddresses.length > 0
      ? statusAddresses
      : front.loadBalancer?.addresses ?? [];
  const dnsProblems: string[] = [];
  const noStatusAddress =
    statusAddresses.length === 0 &&
    isListed(ctx.index, 'Ingress') &&
    ingress.status !== undefined;
  if (noStatusAddress)
    dnsProblems.push('the Ingress has no address in its status');

  const { restrictions, invalid } = allowlists(ingress, resolution);
  const ingressProblems: string[] = [];
  let ingressStatus: IngressHop['status'] = 'ok';
  const tlsSecretMissing =
    !!tls?.secretName &&
    isListedIn(ctx.index, 'Secret', ns) &&
    !ctx.index.secrets.has(ns, tls.secretName);
  // Manifests (no status): cert-manager or a hook may create the Secret at deploy.
  const tlsSecretAtDeploy = tlsSecretMissing && ingress.status === undefined;
  const tlsSecretNotFound = tlsSecretMissing && !tlsSecretAtDeploy;
  if (tlsSecretNotFound) {
    ingressStatus = 'degraded';
    ingressProblems.push(`TLS Secret ${tls!.secretName} not found`);
  } else if (tlsSecretAtDeploy) {
    ingressStatus = 'unknown';
    ingressProblems.push(
      `not deployed: TLS Secret ${
        tls!.secretName
      } is not in the input; cert-manager or another controller may create it at deploy`,
    );
  }
  const tlsNotCovering = !tls && tlsEntries.length > 0 && !!e.host;
  if (tlsNotCovering) ingressProblems.push(`host ${e.host} is not in spec.tls`);
  const where = `${e.host ?? '*'}${e.path ?? ''}`;
  // Built field by field, in the report's key order: a spread per optional
  // field costs several times more, and this runs once per Ingress path.
  const ingressHop = {
    kind: 'ingress',
    status: ingressStatus,
    label:
      e.kind === 'ingress-default-backend'
        ? `Ingress ${ref.namespace}/${ref.name} default backend`
        : `Ingress ${ref.namespace}/${ref.name}: ${where} (${e.pathType})${
            tls ? ', TLS' : ''
          }`,
    object: ref,
  } as IngressHop;
  if (ingressProblems.length) ingressHop.problems = ingressProblems;
  if (e.host) ingressHop.host = e.host;
  if (e.path !== undefined) {
    ingressHop.path = e.path;
    ingressHop.pathType = e.pathType;
  }
  ingressHop.tls = !!tls;
  if (tls?.secretName) ingressHop.tlsSecret = tls.secretName;
  ingressHop.restrictions = restrictions;
  if (invalid.length) ingressHop.invalidRanges = invalid;
  ingressHop.sourceAddress = source;
  if (tlsSecretNotFound) ingressHop.tlsSecretNotFound = tlsSecretNotFound;
  if (tlsSecretAtDeploy) ingressHop.tlsSecretAtDeploy = tlsSecretAtDeploy;
  if (tlsNotCovering)
    ingressHop.otherTlsHosts = tlsEntries.flatMap(t => t.hosts);
  if (e.backend.kind === 'resource')
    ingressHop.resourceBackend = e.backend.resource;

  const ctrlHop = controllerHop(resolution, pods, source, ingress, ctx);
  let target: BackendTarget;
  if (e.backend.kind === 'service') {
    target = {
      kind: 'service',
      namespace: ns,
      name: e.backend.service,
      port: e.backend.port,
    };
  } else if (e.backend.kind === 'resource') {
    // Served by the controller itself: the rule hop says so (resourceBackend).
    target = { kind: 'none' };
  } else {
    target = { kind: 'invalid', object: ref, reason: e.backend.reason };
  }
  return {
    via: 'proxy',
    id: e.id,
    entry: {
      kind: e.kind,
      object: ref,
      ...(e.host ? { host: e.host } : {}),
      ...(e.path !== undefined ? { path: e.path, pathType: e.pathType } : {}),
      port: tls ? 443 : 80,
      tls: !!tls,
    },
    front,
    dns: {
      expected,
      object: ref,
      problems: dnsProblems,
      ...(noStatusAddress ? { noStatusAddress } : {}),
    },
    proxy: ctrlHop,
    rule: ingressHop,
    target,
  };
}

export function ingressEntries(ingress: KubeObject): IngressEntry[] {
  const id = `ingress:${namespaceOf(ingress)}/${ingress.metadata.name}`;
  const entries: IngressEntry[] = ingressPaths(ingress).map(p => ({
    ingress,
    id: `${id}:${p.ruleIndex}:${p.pathIndex}`,
    host: p.host,
    path: p.path,
    pathType: p.pathType,
    backend: p.backend,
    kind: 'ingress-rule',
  }));
  const fallback = defaultBackend(ingress);
  if (fallback)
    entries.push({
      ingress,
      id: `${id}:default`,
      backend: fallback,
      kind: 'ingress-default-backend',
    });
  return entries;
}

export function ingressRoutes(
  ctx: ResolveContext,
  ingress: KubeObject,
): RouteDraft[] {
  return ingressEntries(ingress).map(e =>
    assembleRoute(ctx, ingressPlan(ctx, e)),
  );
}

/** DNS names an exposed Service is known by (external-dns, or Traffic Path's own annotation). */
function serviceHosts(service: KubeObject): string[] {
  return [
    ...splitList(
      annotation(service, 'external-dns.alpha.kubernetes.io/hostname'),
    ),
    ...splitList(annotation(service, 'traffic-path.io/hosts')),
  ];
}

function exposedServiceRoutes(
  ctx: ResolveContext,
  service: KubeObject,
): RouteDraft[] {
  const ref = refOf(service);
  const type = serviceType(service);
  const kind =
    type === 'LoadBalancer' || annotation(service, EXTERNAL_LB_ANNOTATION)
      ? 'load-balancer-service'
      : 'node-port-service';
  const hosts = serviceHosts(service);
  return (
    servicePorts(service)
      // Before deploy the API has not assigned the node ports yet.
      .filter(
        p =>
          kind === 'load-balancer-service' ||
          p.nodePort !== undefined ||
          beforeDeploy(
            service,
            serviceEndpoints(ctx.index, service, p).endpoints,
          ),
      )
      .map(port =>
        assembleRoute(ctx, {
          via: 'service',
          id: `service:${ref.namespace}/${ref.name}:${port.port}`,
          entry: {
            kind,
            object: ref,
            ...(hosts[0] ? { host: hosts[0] } : {}),
            tls: false,
          },
          service,
          port,
          hosts,
        }),
      )
  );
}

function clusterOnlyServiceRoute(
  ctx: ResolveContext,
  service: KubeObject,
): RouteDraft | undefined {
  const ref = refOf(service);
  const type = serviceType(service);
  const id = `service:${ref.namespace}/${ref.name}`;
  if (type === 'ExternalName') {
    const target = str(service, 'spec.externalName') ?? '?';
    return {
      id,
      entry: {
        kind: 'external-name-service',
        object: ref,
        tls: false,
        exposure: 'cluster',
      },
      backend: ref,
      hops: [
        clientHop(),
        {
          kind: 'dns',
          status: 'ok',
          label: `${ref.name}.${ref.namespace}.svc → CNAME ${target} (no proxying)`,
          object: ref,
          host: `${ref.name}.${ref.namespace}.svc`,
          expected: [target],
          recordType: 'CNAME',
        },
        serviceHop(service, undefined, false),
      ],
    };
  }
  if (isHeadless(service)) {
    const port = servicePorts(service)[0] ?? {
      port: 0,
      protocol: 'TCP',
      targetPort: 0,
    };
    const back = backOf(ctx, service, port, false);
    const podIps = back.endpoints.map(e => e.address).filter(Boolean);
    return {
      id,
      entry: {
        kind: 'headless-service',
        object: ref,
        tls: false,
        exposure: 'cluster',
      },
      backend: ref,
      hops: [
        clientHop(),
        {
          kind: 'dns',
          status: 'ok',
          label: `${ref.name}.${ref.namespace}.svc → pod IPs ${
            podIps.join(', ') ||
            (back.endpoints.some(e => e.template)
              ? '(assigned at deploy)'
              : '(none)')
          }`,
          object: ref,
          host: `${ref.name}.${ref.namespace}.svc`,
          expected: podIps,
          recordType: 'pod IPs',
        },
        ...back.hops,
      ],
    };
  }
  return undefined;
}

export function serviceRoutes(
  ctx: ResolveContext,
  service: KubeObject,
): RouteDraft[] {
  const type = serviceType(service);
  if (
    type === 'LoadBalancer' ||
    type === 'NodePort' ||
    annotation(service, EXTERNAL_LB_ANNOTATION)
  )
    return exposedServiceRoutes(ctx, service);
  const route = clusterOnlyServiceRoute(ctx, service);
  return route ? [route] : [];
}

/** Host and path claimed by two Ingresses of the same class. */
export function hostPathConflicts(
  ctx: ResolveContext,
  ingresses: KubeObject[],
): void {
  const claims = new Map<string, KubeObject[]>();
  for (const ingress of ingresses) {
    const cls =
      str(ingress, 'spec.ingressClassName') ??
      annotation(ingress, 'kubernetes.io/ingress.class') ??
      '';
    const seen = new Set<string>();
    for (const p of ingressPaths(ingress)) {
      const k = `${cls}|${(p.host ?? '*').toLowerCase()}|${p.path}|${
        p.pathType
      }`;
      if (seen.has(k)) continue;
      seen.add(k);
      const list = claims.get(k);
      if (list) list.push(ingress);
      else claims.set(k, [ingress]);
    }
  }
  for (const [k, list] of claims) {
    if (list.length < 2) continue;
    const [, host, path] = k.split('|');
    const names = list
      .map(i => `${namespaceOf(i)}/${i.metadata.name}`)
      .join(', ');
    for (const ingress of list) {
      const ref = refOf(ingress);
      const idx = ingressEntries(ingress)
        .filter(e => (e.host ?? '*').toLowerCase() === host && e.path === path)
        .map(e => e.id);
      ctx.findings.add(
        makeFinding(
          'HOST_PATH_CONFLICT',
          ref,
          `${host}${path} is claimed by several Ingresses: ${names}`,
          { routeIds: idx },
        ),
      );
    }
  }
}
