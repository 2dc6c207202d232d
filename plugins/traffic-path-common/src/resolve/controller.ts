/*
 * The ingress controller behind an Ingress: the class (spec, legacy
 * annotation, or the default class) → IngressClass `spec.controller` → the
 * controller's pods (by their args or well-known labels) → the Service in
 * front of them (`--publish-service`, a Service selecting them, or the
 * LoadBalancer whose address the Ingress status carries).
 */
import { ClusterIndex, isListed } from '../index/clusterIndex';
import { ControllerKind, IngressControllerHop, KubeObject } from '../model';
import {
  annotation,
  namespaceOf,
  records,
  str,
  strings,
  stringMap,
} from '../util/fields';

export type ControllerResolution = {
  className?: string;
  classSource: IngressControllerHop['classSource'];
  ingressClass?: KubeObject;
  /** True when the class is named and IngressClasses were listed without it. */
  classMissing: boolean;
  /** Several default IngressClasses: the API server refuses such Ingresses. */
  ambiguousDefault: boolean;
  controllerName?: string;
  controller: ControllerKind;
  pods: KubeObject[];
  service?: KubeObject;
  /** ingress-nginx ConfigMap (from `--configmap`), for forwarded headers and proxy protocol. */
  config: Record<string, string>;
};

export function args(pod: KubeObject): string[] {
  return records(pod, 'spec.containers').flatMap(c => [
    ...strings(c, 'args'),
    ...strings(c, 'command'),
  ]);
}

function argValue(pod: KubeObject, name: string): string | undefined {
  const prefix = `--${name}=`;
  const arg = args(pod).find(a => a.startsWith(prefix));
  // Helm charts pass `$(POD_NAMESPACE)/name`: the kubelet expands it from the pod's namespace.
  return arg
    ?.slice(prefix.length)
    .replace(/^"|"$/g, '')
    .replace('$(POD_NAMESPACE)', namespaceOf(pod));
}

export function podKind(pod: KubeObject): ControllerKind {
  const labels = stringMap(pod, 'metadata.labels');
  const name = `${labels['app.kubernetes.io/name'] ?? ''} ${labels.app ?? ''}`;
  const image = records(pod, 'spec.containers')
    .map(c => str(c, 'image') ?? '')
    .join(' ');
  if (
    /ingress-nginx|nginx-ingress/.test(name) ||
    /ingress-nginx\/controller/.test(image)
  )
    return 'ingress-nginx';
  if (/traefik/.test(name) || /traefik/.test(image)) return 'traefik';
  return 'generic';
}

function kindOfController(
  controllerName: string | undefined,
): ControllerKind | undefined {
  if (!controllerName) return undefined;
  if (
    controllerName === 'k8s.io/ingress-nginx' ||
    controllerName.includes('ingress-nginx')
  )
    return 'ingress-nginx';
  if (controllerName.startsWith('traefik.io/')) return 'traefik';
  return 'generic';
}

/** Does this controller pod serve the class? Its args decide; defaults otherwise. */
function servesClass(
  pod: KubeObject,
  className: string | undefined,
  controllerName: string | undefined,
): boolean {
  const controllerClass = argValue(pod, 'controller-class');
  const ingressClass =
    argValue(pod, 'ingress-class') ??
    argValue(pod, 'providers.kubernetesingress.ingressclass');
  const kind = podKind(pod);
  if (controllerClass && controllerName)
    return controllerClass === controllerName;
  if (ingressClass && className) return ingressClass === className;
  if (kind === 'ingress-nginx') {
    // ingress-nginx defaults: controller class k8s.io/ingress-nginx, class "nginx".
    return controllerName
      ? controllerName === 'k8s.io/ingress-nginx'
      : className === undefined || className === 'nginx';
  }
  if (kind === 'traefik')
    return controllerName
      ? controllerName.startsWith('traefik.io/')
      : className === undefined || className === 'traefik';
  return false;
}

export function servicesSelecting(
  index: ClusterIndex,
  pods: KubeObject[],
): KubeObject[] {
  const namespaces = new Set(pods.map(namespaceOf));
  const out: KubeObject[] = [];
  for (const service of index.services.values()) {
    if (!namespaces.has(namespaceOf(service))) continue;
    const selector = Object.entries(stringMap(service, 'spec.selector'));
    if (selector.length === 0) continue;
    if (
      pods.some(
        p =>
          namespaceOf(p) === namespaceOf(service) &&
          selector.every(([k, v]) => stringMap(p, 'metadata.labels')[k] === v),
      )
    ) {
      out.push(service);
    }
  }
  const rank = (s: KubeObject) =>
    ({ LoadBalancer: 0, NodePort: 1 }[str(s, 'spec.type') ?? ''] ?? 2);
  return out.sort((a, b) => rank(a) - rank(b));
}

function configMapOf(
  index: ClusterIndex,
  pods: KubeObject[],
): Record<string, string> {
  for (const pod of pods) {
    const ref = argValue(pod, 'configmap');
    if (!ref) continue;
    const [ns, name] = ref.includes('/')
      ? ref.split('/')
      : [namespaceOf(pod), ref];
    const cm = index.configMaps.get(ns, name);
    if (cm) return stringMap(cm, 'data');
  }
  return {};
}

function classOf(
  ingress: KubeObject,
  index: ClusterIndex,
): Pick<
  ControllerResolution,
  'className' | 'classSource' | 'ambiguousDefault'
> {
  const spec = str(ingress, 'spec.ingressClassName');
  if (spec)
    return {
      className: spec,
      classSource: 'spec.ingressClassName',
      ambiguousDefault: false,
    };
  const legacy = annotation(ingress, 'kubernetes.io/ingress.class');
  if (legacy)
    return {
      className: legacy,
      classSource: 'annotation',
      ambiguousDefault: false,
    };
  const defaults = index.defaultIngressClasses;
  if (defaults.length >= 1) {
    return {
      className: defaults[0].metadata.name,
      classSource: 'default-class',
      ambiguousDefault: defaults.length > 1,
    };
  }
  return { className: undefined, classSource: 'none', ambiguousDefault: false };
}

/** Resolves the controller; cached per class so that 2k Ingresses cost a handful of lookups. */
export function resolveController(
  ingress: KubeObject,
  index: ClusterIndex,
  cache: Map<string, ControllerResolution>,
): ControllerResolution {
  const cls = classOf(ingress, index);
  const statusAddresses = records(ingress, 'status.loadBalancer.ingress')
    .map(i => str(i, 'ip') ?? str(i, 'hostname'))
    .filter((a): a is string => !!a);
  const cacheKey = `${cls.classSource}|${
    cls.className ?? ''
  }|${statusAddresses.join(',')}`;
  const cached = cache.get(cacheKey);
  if (cached) return cached;

  const ingressClass = cls.className
    ? index.ingressClasses.get(cls.className)
    : undefined;
  const classMissing =
    !!cls.className &&
    !ingressClass &&
    cls.classSource !== 'annotation' &&
    isListed(index, 'IngressClass');
  const controllerName = ingressClass
    ? str(ingressClass, 'spec.controller')
    : undefined;
  let pods = index.controllerPods.filter(p =>
    servesClass(p, cls.className, controllerName),
  );
  let controller =
    kindOfController(controllerName) ??
    (pods.length > 0 ? podKind(pods[0]) : 'generic');

  let service: KubeObject | undefined;
  const publish = pods.map(p => argValue(p, 'publish-service')).find(Boolean);
  if (publish) {
    const [ns, name] = publish.split('/');
    service = index.services.get(ns, name);
  }
  if (!service && pods.length > 0) service = servicesSelecting(index, pods)[0];
  if (!service) {
    // Last resort: the LoadBalancer Service whose address the Ingress carries.
    service = statusAddresses.flatMap(
      a => index.servicesByLbAddress.get(a) ?? [],
    )[0];
    if (service && pods.length === 0) {
      const selector = stringMap(service, 'spec.selector');
      pods = index.controllerPods.filter(
        p =>
          namespaceOf(p) === namespaceOf(service!) &&
          Object.entries(selector).every(
            ([k, v]) => stringMap(p, 'metadata.labels')[k] === v,
          ),
      );
      if (!controllerName && pods.length > 0) controller = podKind(pods[0]);
    }
  }
  const resolution: ControllerResolution = {
    ...cls,
    ingressClass,
    classMissing,
    controllerName,
    controller,
    pods,
    service,
    config: configMapOf(index, pods),
  };
  cache.set(cacheKey, resolution);
  return resolution;
}
