/*
 * Shared wording of the exporters: one line per hop, route titles, verdicts.
 */
import { Hop, Route, Verdict } from '../model';

function entryWhere(route: Route): string {
  const e = route.entry;
  if (e.kind === 'ingress-rule')
    return `${e.host ?? '*'}${e.path ?? ''} (${e.object.namespace}/${
      e.object.name
    })`;
  if (
    e.kind.endsWith('-route-rule') ||
    e.kind.startsWith('traefik-') ||
    e.kind.startsWith('istio-')
  )
    return `${e.host ?? '*'}${e.path ?? ''}${
      e.host || e.path ? '' : `:${e.port ?? '?'}`
    } (${e.object.kind} ${e.object.namespace}/${e.object.name})`;
  if (e.host) return e.host;
  if (e.kind === 'ingress-default-backend')
    return `${e.object.namespace}/${e.object.name} (default backend)`;
  return `${e.object.kind} ${e.object.namespace ?? ''}/${e.object.name}${
    e.port !== undefined ? `:${e.port}` : ''
  }`;
}

export function routeTitle(route: Route): string {
  const e = route.entry;
  return `${entryWhere(route)} [${e.exposure}${e.tls ? ', TLS' : ''}]`;
}

export function statusMark(status: Hop['status']): string {
  return {
    ok: 'ok',
    degraded: 'DEGRADED',
    broken: 'BROKEN',
    unknown: 'unknown',
  }[status];
}

export function verdictText(v: Verdict): string {
  let head = 'UNKNOWN';
  if (v.allowed === true) head = 'ALLOWED';
  if (v.allowed === false) head = `BLOCKED at ${v.blockedAt}`;
  return `${v.clientIp}: ${head} — ${v.reason}`;
}

/** Restrictions of a hop, as a short badge text. */
export function restrictionText(hop: Hop): string | undefined {
  if (hop.kind !== 'load-balancer' && hop.kind !== 'ingress') return undefined;
  const parts = hop.restrictions.map(r => {
    const what = r.visible
      ? r.cidrs.join(', ') || '(empty)'
      : r.description ?? 'not visible';
    return `${r.mode === 'allow' ? 'allow' : 'deny'} ${what}${
      r.ignored ? ' (ignored)' : ''
    }`;
  });
  return parts.length ? parts.join('; ') : undefined;
}
