/*
 * "May this client reach this route?" Evaluated hop by hop, each source
 * restriction against the address that hop really sees. A definite block
 * anywhere wins; otherwise a rule that is not visible makes it unknown.
 */
import {
  Hop,
  HopKind,
  NetworkPolicyHop,
  PodPolicyEvaluation,
  SourceAddress,
  SourceRestriction,
  Verdict,
} from '../model';
import {
  cidrContains,
  IpAddress,
  isPrivateAddress,
  parseCidr,
  parseIp,
} from '../net/cidr';

type Outcome = { result: 'pass' | 'block' | 'unknown'; reason: string };

function inAny(cidrs: string[], ip: IpAddress): boolean {
  return cidrs.some(c => {
    const cidr = parseCidr(c);
    return cidr ? cidrContains(cidr, ip) : false;
  });
}

function evaluateRule(
  rule: SourceRestriction,
  address: IpAddress,
  addressText: string,
): Outcome {
  if (!rule.visible) {
    return {
      result: 'unknown',
      reason: `${
        rule.description ?? rule.origin
      }: its entries are not visible from the cluster`,
    };
  }
  const hit = inAny(rule.cidrs, address);
  if (rule.mode === 'deny') {
    return hit
      ? {
          result: 'block',
          reason: `${addressText} is in the denylist ${
            rule.origin
          } (${rule.cidrs.join(', ')})`,
        }
      : { result: 'pass', reason: `${addressText} not in denylist` };
  }
  // An allowlist with no valid entry is not applied by nginx or the clouds.
  if (rule.cidrs.length === 0)
    return { result: 'pass', reason: `${rule.origin} is empty` };
  return hit
    ? { result: 'pass', reason: `${addressText} is allowed by ${rule.origin}` }
    : {
        result: 'block',
        reason: `${addressText} is not in ${rule.origin} (${rule.cidrs.join(
          ', ',
        )})`,
      };
}

/** Evaluates the rules of one hop against the address it sees. */
function evaluateHop(
  rules: SourceRestriction[],
  seen: SourceAddress,
  client: IpAddress,
  clientText: string,
): Outcome {
  const active = rules.filter(r => !r.ignored);
  if (active.length === 0)
    return { result: 'pass', reason: 'no source restriction' };
  let candidates: { ip: IpAddress; text: string }[];
  if (seen.kind === 'client') {
    candidates = [{ ip: client, text: `client ${clientText}` }];
  } else if (seen.kind === 'node') {
    candidates = seen.addresses
      .map(a => ({ ip: parseIp(a)!, text: `node address ${a}` }))
      .filter(c => c.ip);
    if (candidates.length === 0)
      return {
        result: 'unknown',
        reason:
          'the rule sees a node address (SNAT), and the node addresses are not known',
      };
  } else {
    return {
      result: 'unknown',
      reason:
        seen.kind === 'load-balancer'
          ? 'the rule sees a load balancer address, not the client'
          : seen.reason,
    };
  }
  const perCandidate = candidates.map(c => {
    for (const rule of active) {
      const o = evaluateRule(rule, c.ip, c.text);
      if (o.result !== 'pass') return o;
    }
    return {
      result: 'pass' as const,
      reason: `${c.text} passes ${active.map(r => r.origin).join(', ')}`,
    };
  });
  if (perCandidate.every(o => o.result === 'pass')) {
    const note =
      seen.kind === 'node'
        ? ' — the rule sees node addresses (SNAT), so it lets every client through'
        : '';
    return { result: 'pass', reason: perCandidate[0].reason + note };
  }
  if (perCandidate.every(o => o.result === 'block')) {
    const note =
      seen.kind === 'node'
        ? ' — the rule sees node addresses (SNAT), not the client, so it blocks every client'
        : '';
    return { result: 'block', reason: perCandidate[0].reason + note };
  }
  const unknown = perCandidate.find(o => o.result === 'unknown');
  if (unknown) return unknown;
  return {
    result: 'unknown',
    reason:
      'the rule sees a node address (SNAT) and lets some nodes through but not others',
  };
}

function clientPasses(
  p: PodPolicyEvaluation,
  client: IpAddress,
): boolean | null {
  if (p.clientAllow === 'any' || p.isolatedBy.length === 0) return true;
  if (!p.clientAllow) return p.allowed;
  return p.clientAllow.some(b => {
    const range = parseCidr(b.cidr);
    return (
      !!range &&
      cidrContains(range, client) &&
      !b.except.some(e => {
        const ex = parseCidr(e);
        return ex ? cidrContains(ex, client) : false;
      })
    );
  });
}

/** NetworkPolicies: against the client when the pods see it, else what they decided for the proxy. */
function evaluatePolicies(
  hop: NetworkPolicyHop,
  client: IpAddress,
  clientText: string,
): Outcome {
  const names = hop.policies.map(p => `${p.namespace}/${p.name}`).join(', ');
  if (hop.status === 'broken')
    return {
      result: 'block',
      reason: `NetworkPolicy ${names} refuses ${hop.source} on every pod, whoever the client is`,
    };
  if (hop.policies.length === 0)
    return { result: 'pass', reason: 'no NetworkPolicy isolates the pods' };
  if (hop.sourceAddress.kind !== 'client') {
    if (hop.status === 'unknown')
      return {
        result: 'unknown',
        reason: `NetworkPolicy ${names}: ${hop.problems?.[0] ?? 'not known'}`,
      };
    return {
      result: 'pass',
      reason: `NetworkPolicy ${names} admits ${hop.source}${
        hop.status === 'degraded' ? ' on some pods only' : ''
      }`,
    };
  }
  const results = hop.pods.map(p => clientPasses(p, client));
  if (results.every(r => r === true))
    return {
      result: 'pass',
      reason: `client ${clientText} is admitted by NetworkPolicy ${names}`,
    };
  if (results.every(r => r === false))
    return {
      result: 'block',
      reason: `client ${clientText} is not admitted by NetworkPolicy ${names} (${
        hop.pods.find(p => p.allowed !== true)?.reason ?? 'no rule admits it'
      })`,
    };
  const refused = results.filter(r => r === false).length;
  return {
    result: 'unknown',
    reason:
      refused > 0
        ? `NetworkPolicy ${names} refuses client ${clientText} on ${refused} of ${hop.pods.length} pods`
        : `NetworkPolicy ${names}: some pods cannot be evaluated`,
  };
}

function hopRules(
  hop: Hop,
): { rules: SourceRestriction[]; seen: SourceAddress } | undefined {
  if (hop.kind === 'load-balancer')
    return { rules: hop.restrictions, seen: { kind: 'client' } };
  if (hop.kind === 'ingress')
    return { rules: hop.restrictions, seen: hop.sourceAddress };
  return undefined;
}

export function verdictFor(hops: Hop[], clientIp: string): Verdict {
  const client = parseIp(clientIp);
  if (!client)
    return {
      clientIp,
      allowed: null,
      reason: `"${clientIp}" is not an IPv4 or IPv6 address`,
    };
  let unknown: { hop: HopKind; reason: string } | undefined;
  const passed: string[] = [];
  for (const hop of hops) {
    if (
      hop.kind === 'load-balancer' &&
      hop.exposure === 'internal' &&
      !isPrivateAddress(clientIp)
    ) {
      return {
        clientIp,
        allowed: false,
        blockedAt: 'load-balancer',
        reason: `the load balancer ${hop.addresses.join(
          ', ',
        )} is internal: not reachable from the public address ${clientIp}`,
      };
    }
    const rules = hopRules(hop);
    if (!rules && hop.kind !== 'network-policy') continue;
    const outcome =
      hop.kind === 'network-policy'
        ? evaluatePolicies(hop, client, clientIp)
        : evaluateHop(rules!.rules, rules!.seen, client, clientIp);
    if (outcome.result === 'block')
      return {
        clientIp,
        allowed: false,
        blockedAt: hop.kind,
        reason: outcome.reason,
      };
    if (outcome.result === 'unknown' && !unknown)
      unknown = { hop: hop.kind, reason: outcome.reason };
    if (
      outcome.result === 'pass' &&
      (hop.kind === 'network-policy'
        ? hop.policies.length > 0
        : rules!.rules.length > 0)
    )
      passed.push(`${hop.kind}: ${outcome.reason}`);
  }
  if (unknown)
    return {
      clientIp,
      allowed: null,
      reason: `${unknown.hop}: ${unknown.reason}`,
    };
  return {
    clientIp,
    allowed: true,
    reason:
      passed.length > 0
        ? passed.join('; ')
        : 'no source restriction on the way',
  };
}
