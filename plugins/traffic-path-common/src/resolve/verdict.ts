/*
 * "May this client reach this route?" Evaluated hop by hop, each source
 * restriction against the address that hop really sees. A definite block
 * anywhere wins; otherwise a rule that is not visible makes it unknown.
 */
import {
  Hop,
  HopKind,
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
    if (!rules) continue;
    const outcome = evaluateHop(rules.rules, rules.seen, client, clientIp);
    if (outcome.result === 'block')
      return {
        clientIp,
        allowed: false,
        blockedAt: hop.kind,
        reason: outcome.reason,
      };
    if (outcome.result === 'unknown' && !unknown)
      unknown = { hop: hop.kind, reason: outcome.reason };
    if (outcome.result === 'pass' && rules.rules.length > 0)
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
