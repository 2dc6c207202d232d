/*
 * The finding codes: part of the public API (JSON, UI, docs/findings.md).
 * Add codes freely; never rename or remove one.
 */
import { Finding, HopKind, ObjectRef, Severity } from '../model';
import { keepShape } from '../util/shapes';

type CodeInfo = { severity: Severity; hop?: HopKind; hint: string };

export const findingCodes = {
  LB_PENDING: {
    severity: 'error',
    hop: 'load-balancer',
    hint: 'The cloud has not provisioned the load balancer: read the Service events for quota, shape or permission errors.',
  },
  INGRESS_NO_ADDRESS: {
    severity: 'warning',
    hop: 'dns',
    hint: 'The controller has not published an address for this Ingress: check that it watches this class and that --publish-service points at its LoadBalancer Service.',
  },
  INGRESS_CLASS_NOT_FOUND: {
    severity: 'error',
    hop: 'ingress-controller',
    hint: 'Create the IngressClass, or set spec.ingressClassName to an existing one (kubectl get ingressclasses).',
  },
  INGRESS_CONTROLLER_NOT_FOUND: {
    severity: 'error',
    hop: 'ingress-controller',
    hint: 'Install a controller for this class, or check its --controller-class / --ingress-class arguments.',
  },
  BACKEND_SERVICE_NOT_FOUND: {
    severity: 'error',
    hop: 'service',
    hint: 'Create the Service, or fix the backend service name (Services are looked up in the Ingress namespace).',
  },
  BACKEND_PORT_NOT_FOUND: {
    severity: 'error',
    hop: 'service',
    hint: "Use one of the Service's `port` numbers or port names (not its nodePort or targetPort).",
  },
  SERVICE_NO_MATCHING_PODS: {
    severity: 'error',
    hop: 'pod',
    hint: 'Make the Service selector match the pod labels (kubectl get pods --show-labels).',
  },
  SERVICE_NO_READY_ENDPOINTS: {
    severity: 'error',
    hop: 'pod',
    hint: 'No endpoint is ready: check the pods readiness probes and events.',
  },
  ENDPOINTS_PARTIALLY_READY: {
    severity: 'warning',
    hop: 'pod',
    hint: 'Some endpoints are not ready and get no traffic: check those pods.',
  },
  TARGET_PORT_NOT_FOUND: {
    severity: 'error',
    hop: 'container',
    hint: 'Name the port in the container spec (ports[].name), or use the port number in targetPort.',
  },
  TARGET_PORT_UNDECLARED: {
    severity: 'warning',
    hop: 'container',
    hint: 'Declare the port in the container spec (ports[].containerPort) so that it is documented and can be named; check the process really listens on it.',
  },
  TLS_SECRET_NOT_FOUND: {
    severity: 'error',
    hop: 'ingress',
    hint: 'Create the TLS Secret in the Ingress namespace (or let cert-manager issue it); the controller serves its default certificate meanwhile.',
  },
  TLS_HOST_NOT_COVERED: {
    severity: 'warning',
    hop: 'ingress',
    hint: 'Add the host to spec.tls[].hosts, or the controller serves HTTPS for it with its default certificate.',
  },
  HOST_PATH_CONFLICT: {
    severity: 'warning',
    hop: 'ingress',
    hint: 'Keep each host and path in one Ingress: which one wins depends on the controller.',
  },
  PUBLIC_WITHOUT_SOURCE_RESTRICTION: {
    severity: 'info',
    hop: 'load-balancer',
    hint: 'If this entry point is not meant for the whole internet, set spec.loadBalancerSourceRanges or the provider ACL annotations.',
  },
  CLIENT_IP_NOT_PRESERVED: {
    severity: 'warning',
    hop: 'ingress',
    hint: 'Set externalTrafficPolicy: Local on the controller Service, or enable proxy protocol / forwarded headers on both the LB and the controller.',
  },
  ACL_BLOCKS_CLIENT: {
    severity: 'warning',
    hint: 'Add the client range to the rule if this client is meant to reach the service.',
  },
  INVALID_SOURCE_RANGE: {
    severity: 'error',
    hint: 'Fix the CIDR: it is ignored (or rejected) by the component that applies it.',
  },
  INGRESS_CLASS_AMBIGUOUS: {
    severity: 'warning',
    hop: 'ingress-controller',
    hint: 'Set spec.ingressClassName: several IngressClasses are marked as default.',
  },
  ACL_NOT_VISIBLE: {
    severity: 'info',
    hop: 'load-balancer',
    hint: 'The ACL entries live in the cloud account: review them there.',
  },
  SOURCE_RANGES_IGNORED: {
    severity: 'warning',
    hop: 'load-balancer',
    hint: 'The load balancer ignores spec.loadBalancerSourceRanges in this configuration: restrict sources with security groups or enable client IP preservation.',
  },
  NODE_PORT_NO_LOCAL_ENDPOINT: {
    severity: 'warning',
    hop: 'node-port',
    hint: 'With externalTrafficPolicy: Local only nodes that run a ready endpoint pass the LB health check.',
  },
  INGRESS_BACKEND_NOT_SERVICE: {
    severity: 'info',
    hop: 'service',
    hint: 'Resource backends are served by the controller itself; Traffic Path does not follow them.',
  },
  GATEWAY_NOT_FOUND: {
    severity: 'error',
    hop: 'ingress-controller',
    hint: 'Create the Gateway, or fix parentRefs (name, namespace) of the HTTPRoute: kubectl get gateways -A.',
  },
  HTTPROUTE_NOT_ACCEPTED: {
    severity: 'error',
    hop: 'ingress',
    hint: "Let the Gateway's listener accept routes from this namespace (allowedRoutes), or fix what the route's status.parents conditions name.",
  },
  NETWORK_POLICY_BLOCKS_CONTROLLER: {
    severity: 'error',
    hop: 'network-policy',
    hint: "Add an ingress rule that admits the proxy's pods (namespaceSelector on its namespace's kubernetes.io/metadata.name label, with a podSelector on its labels) on the pods' port, or remove the policy that isolates them.",
  },
  GATEWAY_CLASS_NOT_FOUND: {
    severity: 'error',
    hop: 'ingress-controller',
    hint: 'Create the GatewayClass (kubectl get gatewayclasses), or set spec.gatewayClassName of the Gateway to an existing one.',
  },
  ROUTE_NOT_ACCEPTED: {
    severity: 'error',
    hop: 'ingress',
    hint: "Let the Gateway's listener accept this route (allowedRoutes namespaces and kinds, sectionName, port, protocol), or fix what the route's status.parents conditions name.",
  },
  ROUTE_HOSTNAME_MISMATCH: {
    severity: 'error',
    hop: 'ingress',
    hint: "Make the route's hostnames fit a listener hostname of its Gateway (a listener *.example.com serves a.example.com and a.b.example.com, not example.com), or add a listener for them.",
  },
  REFERENCE_NOT_PERMITTED: {
    severity: 'error',
    hop: 'service',
    hint: 'Create a ReferenceGrant in the namespace of the referred object, from the route (or Gateway) kind and namespace to that object kind, or move the object into the same namespace.',
  },
  DNS_UNRESOLVED: {
    severity: 'warning',
    hop: 'dns',
    hint: 'Create the A/AAAA (or CNAME) record for this host pointing at the entry point address. A host kept in a private zone resolves only inside its network: run the check from there.',
  },
  DNS_MISMATCH: {
    severity: 'warning',
    hop: 'dns',
    hint: 'Point the record at the entry point address shown. When a CDN or WAF sits in front on purpose, this warning is expected.',
  },
} satisfies Record<string, CodeInfo>;

export type FindingCode = keyof typeof findingCodes;

/** The kubectl one-liner that shows the raw state behind a finding. */
export function reproduceCommand(code: FindingCode, object: ObjectRef): string {
  const ns = object.namespace ? ` -n ${object.namespace}` : '';
  const kind = object.kind.toLowerCase();
  switch (code) {
    case 'LB_PENDING':
      return `kubectl get events${ns} --field-selector involvedObject.kind=Service,involvedObject.name=${object.name}`;
    case 'SERVICE_NO_MATCHING_PODS':
      return `kubectl get service${ns} ${object.name} -o jsonpath='{.spec.selector}'; kubectl get pods${ns} --show-labels`;
    case 'SERVICE_NO_READY_ENDPOINTS':
    case 'ENDPOINTS_PARTIALLY_READY':
      return `kubectl get endpointslices${ns} -l kubernetes.io/service-name=${object.name} -o wide`;
    case 'INGRESS_CLASS_NOT_FOUND':
    case 'INGRESS_CLASS_AMBIGUOUS':
      return 'kubectl get ingressclasses -o wide';
    case 'GATEWAY_CLASS_NOT_FOUND':
      return `kubectl get gateway${ns} ${object.name} -o jsonpath='{.spec.gatewayClassName}'; kubectl get gatewayclasses`;
    case 'INGRESS_CONTROLLER_NOT_FOUND':
      return "kubectl get pods -A -l app.kubernetes.io/component=controller -o wide; kubectl get ingressclasses -o jsonpath='{.items[*].spec.controller}'";
    case 'HOST_PATH_CONFLICT':
      return `kubectl get ingress -A -o custom-columns=NS:.metadata.namespace,NAME:.metadata.name,HOSTS:.spec.rules[*].host,PATHS:.spec.rules[*].http.paths[*].path`;
    case 'TLS_SECRET_NOT_FOUND':
      return `kubectl get ingress${ns} ${object.name} -o jsonpath='{.spec.tls}'; kubectl get secrets${ns} --field-selector type=kubernetes.io/tls`;
    case 'TARGET_PORT_NOT_FOUND':
    case 'TARGET_PORT_UNDECLARED':
      return `kubectl get service${ns} ${object.name} -o jsonpath='{.spec.ports}'; kubectl get pods${ns} -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.spec.containers[*].ports}{"\\n"}{end}'`;
    case 'GATEWAY_NOT_FOUND':
    case 'HTTPROUTE_NOT_ACCEPTED':
    case 'ROUTE_NOT_ACCEPTED':
    case 'ROUTE_HOSTNAME_MISMATCH':
      return `kubectl get ${kind}${ns} ${object.name} -o jsonpath='{.spec.parentRefs}{"\\n"}{.spec.hostnames}{"\\n"}{.status.parents}'; kubectl get gateways -A -o jsonpath='{range .items[*]}{.metadata.namespace}/{.metadata.name}{" "}{.spec.listeners}{"\\n"}{end}'`;
    case 'REFERENCE_NOT_PERMITTED':
      return `kubectl get referencegrants -A -o yaml; kubectl get ${kind}${ns} ${object.name} -o yaml`;
    case 'NETWORK_POLICY_BLOCKS_CONTROLLER':
      return `kubectl get networkpolicies${ns} -o yaml; kubectl describe networkpolicy${ns} ${object.name}`;
    case 'NODE_PORT_NO_LOCAL_ENDPOINT':
      return `kubectl get endpointslices${ns} -l kubernetes.io/service-name=${object.name} -o jsonpath='{.items[*].endpoints[*].nodeName}'`;
    default:
      return `kubectl get ${kind}${ns} ${object.name} -o yaml`;
  }
}

export function makeFinding(
  code: FindingCode,
  object: ObjectRef,
  message: string,
  extra: {
    hint?: string;
    routeIds?: string[];
    hop?: HopKind;
    severity?: Severity;
    reproduce?: string;
  } = {},
): Finding {
  const info: CodeInfo = findingCodes[code];
  const hop = extra.hop ?? info.hop;
  return {
    code,
    severity: extra.severity ?? info.severity,
    object,
    message,
    hint: extra.hint ?? info.hint,
    reproduce: extra.reproduce ?? reproduceCommand(code, object),
    ...(extra.routeIds ? { routeIds: extra.routeIds } : {}),
    ...(hop ? { hop } : {}),
  };
}

const severityRank: Record<Severity, number> = {
  error: 0,
  warning: 1,
  info: 2,
};

function findingId(f: Finding): string {
  return `${f.code}|${f.object.kind}|${f.object.namespace ?? ''}|${
    f.object.name
  }|${f.message}`;
}

/**
 * The findings of one report. The same finding met on several routes (the
 * controller's load balancer, say) is kept once, with all its route ids.
 */
export class FindingSet {
  private readonly byId = new Map<
    string,
    { finding: Finding; routeIds: Set<string> }
  >();

  /** Ids of shared findings, so that one met on every route is keyed once. */
  private readonly sharedIds = new WeakMap<Finding, string>();

  add(f: Finding): void {
    this.insert(findingId(f), f, f.routeIds ?? []);
  }

  /** Adds a finding shared by many routes (a controller's front) on behalf of these routes. */
  addShared(f: Finding, routeIds: string[]): void {
    let id = this.sharedIds.get(f);
    if (id === undefined) {
      id = findingId(f);
      this.sharedIds.set(f, id);
    }
    this.insert(id, f, routeIds);
  }

  private insert(id: string, f: Finding, routeIds: string[]): void {
    const existing = this.byId.get(id);
    if (existing) {
      for (const r of routeIds) existing.routeIds.add(r);
      return;
    }
    this.byId.set(id, { finding: f, routeIds: new Set(routeIds) });
  }

  list(): Finding[] {
    return [...this.byId.values()].map(({ finding, routeIds }) => {
      const { routeIds: _ignored, ...rest } = finding;
      return routeIds.size > 0 ? { ...rest, routeIds: [...routeIds] } : rest;
    });
  }
}

// Every report's context holds a FindingSet: see util/shapes.ts.
keepShape(new FindingSet());

/** Most severe first, then by code and object. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      severityRank[a.severity] - severityRank[b.severity] ||
      a.code.localeCompare(b.code) ||
      (a.object.namespace ?? '').localeCompare(b.object.namespace ?? '') ||
      a.object.name.localeCompare(b.object.name),
  );
}
