/*
 * The DNS check, pure: given what resolvers answered for each host, does
 * each route's host lead to its entry point's address? The lookups
 * themselves are I/O and live in the backend.
 */
import { makeFinding, sortFindings } from '../findings/catalog';
import { DnsHop, Finding, Report, Route } from '../model';
import { routeHealth } from '../report';

/** What the resolver said about one name. */
export type DnsAnswer = {
  addresses: string[];
  cnames: string[];
  /** Why nothing came back: NXDOMAIN, NODATA, TIMEOUT, SERVFAIL… */
  error?: string;
};

const isHostname = (value: string) =>
  /[a-z]/i.test(value) && !value.includes(':');

/** The names a DNS check must look up: route hosts and the LB hostnames they should lead to. */
export function dnsQuestions(report: Report): string[] {
  const names = new Set<string>();
  for (const { hop } of dnsHops(report.routes)) {
    if (!checkable(hop)) continue;
    names.add(hop.host!);
    hop.expected.filter(isHostname).forEach(n => names.add(n));
  }
  return [...names].sort();
}

function dnsHops(routes: Route[]): { route: Route; hop: DnsHop }[] {
  return routes.flatMap(route =>
    route.hops
      .filter((h): h is DnsHop => h.kind === 'dns')
      .map(hop => ({ route, hop })),
  );
}

/**
 * Wildcard and cluster-internal names (headless Services' pod IPs included)
 * cannot be checked from outside; nor can a route with no address to compare.
 */
function checkable(hop: DnsHop): boolean {
  return (
    hop.recordType !== 'pod IPs' &&
    !!hop.host &&
    !hop.host.startsWith('*') &&
    !hop.host.endsWith('.svc') &&
    hop.expected.length > 0
  );
}

const normalise = (name: string) => name.toLowerCase().replace(/\.$/, '');

/** True when the answer for the host reaches one of the expected addresses or names. */
function leadsTo(
  answer: DnsAnswer,
  expected: string[],
  answers: Map<string, DnsAnswer>,
): boolean {
  const names = new Set(answer.cnames.map(normalise));
  const addresses = new Set(answer.addresses);
  return expected.some(target => {
    if (!isHostname(target)) return addresses.has(target);
    if (names.has(normalise(target))) return true;
    // An alias record (Route 53 ALIAS, flattened CNAME) gives the LB's addresses, not its name.
    return (answers.get(target)?.addresses ?? []).some(a => addresses.has(a));
  });
}

/**
 * Fills the `resolved` field of DNS hops and adds DNS_UNRESOLVED /
 * DNS_MISMATCH. Hosts absent from `answers` are left unchecked.
 */
export function applyDnsAnswers(
  report: Report,
  answers: Map<string, DnsAnswer>,
): Report {
  const findings: Finding[] = [];
  const byKey = new Map<string, Finding>();
  const routes = report.routes.map(route => {
    let changed = false;
    const hops = route.hops.map(hop => {
      if (hop.kind !== 'dns' || !checkable(hop)) return hop;
      const answer = answers.get(hop.host!);
      if (!answer) return hop;
      changed = true;
      const resolved = [...answer.cnames, ...answer.addresses];
      const dig = `dig +short ${hop.host} A; dig +short ${hop.host} AAAA`;
      let problem:
        | { code: 'DNS_UNRESOLVED' | 'DNS_MISMATCH'; message: string }
        | undefined;
      if (resolved.length === 0) {
        problem = {
          code: 'DNS_UNRESOLVED',
          message: `${hop.host} does not resolve (${
            answer.error ?? 'no records'
          }); its entry point is ${hop.expected.join(', ')}`,
        };
      } else if (!leadsTo(answer, hop.expected, answers)) {
        problem = {
          code: 'DNS_MISMATCH',
          message: `${hop.host} resolves to ${resolved.join(
            ', ',
          )}, but its entry point is ${hop.expected.join(', ')}`,
        };
      }
      if (problem && hop.object) {
        const key = `${problem.code}|${problem.message}`;
        const existing = byKey.get(key);
        if (existing) existing.routeIds!.push(route.id);
        else {
          const finding = makeFinding(
            problem.code,
            hop.object,
            problem.message,
            { routeIds: [route.id], reproduce: dig },
          );
          byKey.set(key, finding);
          findings.push(finding);
        }
      }
      return {
        ...hop,
        resolved,
        ...(problem
          ? {
              status:
                hop.status === 'broken' ? hop.status : ('degraded' as const),
              problems: [...(hop.problems ?? []), problem.message],
            }
          : {}),
      };
    });
    return changed ? { ...route, hops, ...routeHealth(hops) } : route;
  });
  return {
    ...report,
    routes,
    findings: sortFindings([...report.findings, ...findings]),
  };
}
