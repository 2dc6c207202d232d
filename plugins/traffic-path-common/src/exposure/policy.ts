/*
 * Exposure policy as code: rules over the entry points of a report (the
 * `.traffic-path.yaml` of a repository). Each violation is a finding with its
 * own POLICY_* code. Entry points whose exposure the input cannot show are not
 * judged: a rule is only broken where the report proves it.
 */
import { Finding, HopKind, ObjectRef, Report, Severity } from '../model';
import { hostMatches } from '../resolve/ingress';
import { compareText, exposureEntries, ExposureEntry } from './summary';

type RuleBase = { severity?: Severity; enabled?: boolean };

export type ExposurePolicy = {
  rules?: {
    /** Public entry points need a source restriction, unless their host is listed. */
    publicNeedsSourceRestriction?: RuleBase & { exceptHosts?: string[] };
    /** Public hosts need TLS, unless listed. */
    publicNeedsTls?: RuleBase & { exceptHosts?: string[] };
    /** Which load-balancer exposures entry points of a namespace may have. */
    loadBalancerExposure?: RuleBase & {
      default?: ('public' | 'internal')[];
      namespaces?: Record<string, ('public' | 'internal')[]>;
    };
    /** No externalTrafficPolicy: Cluster in front of an allowlist (it then sees node addresses). */
    noSnatBeforeAllowlist?: RuleBase;
  };
};

export const policyCodes = {
  POLICY_PUBLIC_UNRESTRICTED: {
    rule: 'publicNeedsSourceRestriction',
    hop: 'load-balancer',
    hint: 'Restrict the sources (spec.loadBalancerSourceRanges, the provider ACL annotations or an ingress allowlist), or list the host under rules.publicNeedsSourceRestriction.exceptHosts if it is meant for the whole internet.',
  },
  POLICY_PUBLIC_WITHOUT_TLS: {
    rule: 'publicNeedsTls',
    hop: 'ingress',
    hint: 'Add spec.tls for this host (cert-manager can issue the Secret), or list the host under rules.publicNeedsTls.exceptHosts.',
  },
  POLICY_LB_EXPOSURE_NOT_ALLOWED: {
    rule: 'loadBalancerExposure',
    hop: 'load-balancer',
    hint: 'Use an ingress class or a load balancer of an allowed exposure for this namespace, or change rules.loadBalancerExposure.',
  },
  POLICY_SNAT_BEFORE_ALLOWLIST: {
    rule: 'noSnatBeforeAllowlist',
    hop: 'node-port',
    hint: 'Set externalTrafficPolicy: Local on the Service in front (or preserve the client address with proxy protocol), so that the allowlist sees clients instead of node addresses.',
  },
} satisfies Record<string, { rule: string; hop: HopKind; hint: string }>;

export type PolicyCode = keyof typeof policyCodes;

function where(e: ExposureEntry): string {
  const o = e.object;
  const obj = `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
  return e.host !== undefined || e.path !== undefined
    ? `${e.host ?? '*'}${e.path ?? ''} (${obj})`
    : `${obj}${e.port !== undefined ? ` port ${e.port}` : ''}`;
}

function reproduce(o: ObjectRef): string {
  return `kubectl get ${o.kind.toLowerCase()}${
    o.namespace ? ` -n ${o.namespace}` : ''
  } ${o.name} -o yaml`;
}

function listed(host: string | undefined, patterns: string[] | undefined) {
  return host !== undefined && (patterns ?? []).some(p => hostMatches(p, host));
}

/** The findings of a policy on a report, sorted by code and entry point. */
export function evaluatePolicy(
  report: Report,
  policy: ExposurePolicy,
): Finding[] {
  const rules = policy.rules ?? {};
  const on = (r: RuleBase | undefined): r is RuleBase =>
    !!r && r.enabled !== false;
  const out: Finding[] = [];
  const add = (
    code: PolicyCode,
    rule: RuleBase,
    e: ExposureEntry,
    routeId: string,
    message: string,
  ) =>
    out.push({
      code,
      severity: rule.severity ?? 'error',
      object: e.object,
      message,
      hint: policyCodes[code].hint,
      reproduce: reproduce(e.object),
      routeIds: [routeId],
      hop: policyCodes[code].hop,
    });
  for (const { entry: e, route } of exposureEntries(report)) {
    const restriction = rules.publicNeedsSourceRestriction;
    if (
      on(restriction) &&
      e.exposure === 'public' &&
      e.sourceRestriction.kind === 'none' &&
      !listed(e.host, restriction.exceptHosts)
    )
      add(
        'POLICY_PUBLIC_UNRESTRICTED',
        restriction,
        e,
        route.id,
        `${where(e)} is public with no source restriction${
          e.loadBalancer?.addresses.length
            ? ` (load balancer ${e.loadBalancer.addresses.join(', ')})`
            : ''
        }`,
      );
    const tls = rules.publicNeedsTls;
    if (
      on(tls) &&
      e.exposure === 'public' &&
      e.host !== undefined &&
      !e.tls &&
      !listed(e.host, tls.exceptHosts)
    )
      add(
        'POLICY_PUBLIC_WITHOUT_TLS',
        tls,
        e,
        route.id,
        `${where(e)} is public without TLS`,
      );
    const lb = rules.loadBalancerExposure;
    if (on(lb) && e.exposure !== 'unknown') {
      const namespace = e.object.namespace ?? 'default';
      const allowed = lb.namespaces?.[namespace] ?? lb.default;
      if (allowed && !allowed.includes(e.exposure))
        add(
          'POLICY_LB_EXPOSURE_NOT_ALLOWED',
          lb,
          e,
          route.id,
          `${where(e)} is ${e.exposure}; namespace ${namespace} allows ${
            allowed.length ? allowed.join(' or ') : 'no load-balancer exposure'
          }`,
        );
    }
    const snat = rules.noSnatBeforeAllowlist;
    const behind = e.sourceRestriction.rules.filter(
      r => r.hop !== 'load-balancer' && r.cidrs.length > 0 && !r.ignored,
    );
    if (
      on(snat) &&
      e.nodePort?.externalTrafficPolicy === 'Cluster' &&
      behind.length > 0
    )
      add(
        'POLICY_SNAT_BEFORE_ALLOWLIST',
        snat,
        e,
        route.id,
        `${where(e)} has an allowlist at the ${behind[0].hop} (${
          behind[0].origin
        }) behind ${
          e.nodePort.port !== undefined
            ? `node port ${e.nodePort.port}`
            : 'the node port (assigned at deploy)'
        } with externalTrafficPolicy Cluster: it sees node addresses, not clients`,
      );
  }
  return out.sort(
    (a, b) => compareText(a.code, b.code) || compareText(a.message, b.message),
  );
}
