/*
 * The cloud load balancer in front of a LoadBalancer Service: its address,
 * whether it is public, which provider runs it, whether it targets nodes or
 * pods, and the source restrictions it applies. See docs/reference.md for
 * the annotations and their traps.
 */
import { LoadBalancerHop, KubeObject, SourceRestriction } from '../model';
import { isPrivateAddress, parseCidr, splitList } from '../net/cidr';
import { annotation, records, str, strings, stringMap } from '../util/fields';
import { servicePorts } from './service';

const ALIBABA = 'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-';
const ALICLOUD = 'service.beta.kubernetes.io/alicloud-loadbalancer-';
const AWS = 'service.beta.kubernetes.io/aws-load-balancer-';

/** Annotation of Traffic Path for a load balancer Kubernetes does not manage. */
export const EXTERNAL_LB_ANNOTATION = 'traffic-path.io/external-load-balancer';

export type LoadBalancerInfo = Omit<
  LoadBalancerHop,
  'kind' | 'status' | 'label' | 'object' | 'problems'
> & {
  pending: boolean;
  invalidRanges: { field: string; value: string }[];
};

function alibaba(obj: KubeObject, suffix: string): string | undefined {
  return (
    annotation(obj, ALIBABA + suffix) ?? annotation(obj, ALICLOUD + suffix)
  );
}

function detectProvider(service: KubeObject): string {
  const keys = Object.keys(stringMap(service, 'metadata.annotations'));
  const lbClass = str(service, 'spec.loadBalancerClass') ?? '';
  if (
    keys.some(k => k.startsWith(ALIBABA) || k.startsWith(ALICLOUD)) ||
    lbClass.startsWith('alibabacloud.com/')
  )
    return 'alibaba-cloud';
  if (
    keys.some(k => k.startsWith(AWS)) ||
    lbClass.startsWith('service.k8s.aws/')
  )
    return 'aws';
  if (
    keys.some(
      k =>
        k.startsWith('networking.gke.io/') || k.startsWith('cloud.google.com/'),
    )
  )
    return 'gke';
  if (keys.some(k => k.startsWith('service.beta.kubernetes.io/azure-')))
    return 'azure';
  if (
    keys.some(
      k => k.startsWith('metallb.universe.tf/') || k.startsWith('metallb.io/'),
    )
  )
    return 'metallb';
  if (annotation(service, EXTERNAL_LB_ANNOTATION)) return 'external';
  return 'unknown';
}

/** Addresses from the Service status (or the external-LB annotation). */
export function loadBalancerAddresses(service: KubeObject): string[] {
  const out: string[] = [];
  for (const ing of records(service, 'status.loadBalancer.ingress')) {
    const addr = str(ing, 'ip') ?? str(ing, 'hostname');
    if (addr) out.push(addr);
  }
  const external = annotation(service, EXTERNAL_LB_ANNOTATION);
  if (external)
    out.push(...splitList(external).map(a => a.replace(/:\d+$/, '')));
  return out;
}

/** The port an external load balancer listens on, from `address:port`. */
function externalPort(service: KubeObject): number | undefined {
  const m = /:(\d+)$/.exec(
    splitList(annotation(service, EXTERNAL_LB_ANNOTATION))[0] ?? '',
  );
  return m ? Number(m[1]) : undefined;
}

function annotatedExposure(
  service: KubeObject,
  provider: string,
): 'public' | 'internal' | undefined {
  switch (provider) {
    case 'alibaba-cloud':
      return alibaba(service, 'address-type') === 'intranet'
        ? 'internal'
        : 'public';
    case 'aws': {
      const scheme = annotation(service, `${AWS}scheme`);
      if (scheme) return scheme === 'internet-facing' ? 'public' : 'internal';
      if (annotation(service, `${AWS}internal`) === 'true') return 'internal';
      const type = annotation(service, `${AWS}type`);
      const controllerManaged =
        type === 'external' ||
        type === 'nlb-ip' ||
        (str(service, 'spec.loadBalancerClass') ?? '').startsWith(
          'service.k8s.aws/',
        );
      // The AWS Load Balancer Controller defaults to internal; the legacy in-tree one to internet-facing.
      return controllerManaged ? 'internal' : 'public';
    }
    case 'gke': {
      const t =
        annotation(service, 'networking.gke.io/load-balancer-type') ??
        annotation(service, 'cloud.google.com/load-balancer-type');
      return t?.toLowerCase() === 'internal' ? 'internal' : undefined;
    }
    case 'azure':
      return annotation(
        service,
        'service.beta.kubernetes.io/azure-load-balancer-internal',
      ) === 'true'
        ? 'internal'
        : undefined;
    default:
      return undefined;
  }
}

function awsPreservesClientIp(
  service: KubeObject,
  targetType: 'nodes' | 'pods',
): boolean {
  const attrs = annotation(service, `${AWS}target-group-attributes`) ?? '';
  const explicit = /preserve_client_ip\.enabled=(true|false)/.exec(attrs);
  if (explicit) return explicit[1] === 'true';
  return targetType === 'nodes';
}

function targetTypeOf(service: KubeObject, provider: string): 'nodes' | 'pods' {
  if (provider === 'aws') {
    const t = annotation(service, `${AWS}nlb-target-type`);
    if (t === 'ip' || annotation(service, `${AWS}type`) === 'nlb-ip')
      return 'pods';
  }
  if (
    provider === 'alibaba-cloud' &&
    alibaba(service, 'backend-type') === 'eni'
  )
    return 'pods';
  const neg = annotation(service, 'cloud.google.com/neg') ?? '';
  if (
    provider === 'gke' &&
    /"exposed_ports"|"ingress"\s*:\s*true/.test(neg) &&
    str(service, 'spec.type') !== 'LoadBalancer'
  )
    return 'pods';
  return 'nodes';
}

function sourceRanges(
  service: KubeObject,
  provider: string,
  invalid: LoadBalancerInfo['invalidRanges'],
): string[] {
  const validate = (fieldName: string, values: string[]) =>
    values.filter(v => {
      if (parseCidr(v)) return true;
      invalid.push({ field: fieldName, value: v });
      return false;
    });
  const spec = strings(service, 'spec.loadBalancerSourceRanges');
  if (spec.length > 0) return validate('spec.loadBalancerSourceRanges', spec);
  const ann = splitList(
    annotation(
      service,
      'service.beta.kubernetes.io/load-balancer-source-ranges',
    ),
  );
  const ranges = validate(
    'metadata.annotations[service.beta.kubernetes.io/load-balancer-source-ranges]',
    ann,
  );
  if (provider === 'azure') {
    const azure = splitList(
      annotation(service, 'service.beta.kubernetes.io/azure-allowed-ip-ranges'),
    );
    ranges.push(
      ...validate(
        'metadata.annotations[service.beta.kubernetes.io/azure-allowed-ip-ranges]',
        azure,
      ),
    );
  }
  return ranges;
}

function restrictionsOf(
  service: KubeObject,
  provider: string,
  targetType: 'nodes' | 'pods',
  preservesClientIp: boolean,
  invalid: LoadBalancerInfo['invalidRanges'],
): SourceRestriction[] {
  const out: SourceRestriction[] = [];
  const ranges = sourceRanges(service, provider, invalid);
  if (ranges.length > 0) {
    const restriction: SourceRestriction = {
      origin:
        strings(service, 'spec.loadBalancerSourceRanges').length > 0
          ? 'spec.loadBalancerSourceRanges'
          : 'load-balancer-source-ranges annotation',
      mode: 'allow',
      cidrs: ranges,
      visible: true,
    };
    if (provider === 'aws') {
      if (annotation(service, `${AWS}security-groups`)) {
        restriction.ignored = true;
        restriction.ignoredReason =
          'ignored by the AWS Load Balancer Controller because aws-load-balancer-security-groups is set';
      } else if (!preservesClientIp) {
        restriction.ignored = true;
        restriction.ignoredReason = `ignored by the AWS Load Balancer Controller: client IP preservation is off (target type ${
          targetType === 'pods' ? 'ip' : 'instance'
        })`;
      }
    }
    out.push(restriction);
  }
  if (provider === 'azure') {
    const tags = splitList(
      annotation(
        service,
        'service.beta.kubernetes.io/azure-allowed-service-tags',
      ),
    );
    if (tags.length > 0) {
      out.push({
        origin: 'azure-allowed-service-tags annotation',
        mode: 'allow',
        cidrs: [],
        visible: false,
        description: `Azure service tags: ${tags.join(', ')}`,
      });
    }
  }
  if (provider === 'alibaba-cloud' && alibaba(service, 'acl-status') === 'on') {
    const id = alibaba(service, 'acl-id');
    const type = alibaba(service, 'acl-type') === 'black' ? 'black' : 'white';
    out.push({
      origin: 'alibaba-cloud-loadbalancer-acl annotations',
      mode: type === 'black' ? 'deny' : 'allow',
      cidrs: [],
      visible: false,
      description: `Alibaba Cloud ACL ${id ?? '(no acl-id)'} (${type}list)`,
    });
  }
  return out;
}

export function describeLoadBalancer(service: KubeObject): LoadBalancerInfo {
  const provider = detectProvider(service);
  const addresses = loadBalancerAddresses(service);
  const targetType = targetTypeOf(service, provider);
  let preservesClientIp =
    provider === 'aws' ? awsPreservesClientIp(service, targetType) : true;
  // With target nodes and policy Cluster the node SNATs; that is the node-port hop's
  // business. The LB itself keeps the client address unless it proxies.
  if (targetType === 'pods' && provider !== 'aws') preservesClientIp = true;
  const invalidRanges: LoadBalancerInfo['invalidRanges'] = [];
  const exposure =
    annotatedExposure(service, provider) ??
    (addresses.length > 0 &&
    addresses.every(a => isPrivateAddress(a) || /internal/i.test(a))
      ? 'internal'
      : 'public');
  const id =
    alibaba(service, 'id') ??
    annotation(service, 'service.beta.kubernetes.io/aws-load-balancer-name');
  return {
    addresses,
    exposure,
    provider,
    loadBalancerClass: str(service, 'spec.loadBalancerClass'),
    ...(id ? { id } : {}),
    targetType,
    ports: servicePorts(service).map(p => ({
      port: externalPort(service) ?? p.port,
      protocol: p.protocol,
      nodePort: p.nodePort,
      targetPort: String(p.targetPort),
    })),
    restrictions: restrictionsOf(
      service,
      provider,
      targetType,
      preservesClientIp,
      invalidRanges,
    ),
    preservesClientIp,
    pending: addresses.length === 0,
    invalidRanges,
  };
}
