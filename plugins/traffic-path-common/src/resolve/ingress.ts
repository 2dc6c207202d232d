/*
 * Ingress rules as Kubernetes defines them, for networking.k8s.io/v1 and the
 * old v1beta1 forms (`serviceName` / `servicePort`, `spec.backend`), and the
 * matching of a request's host and path against them.
 */
import { KubeObject } from '../model';
import {
  field,
  intOrString,
  isRecord,
  records,
  str,
  strings,
} from '../util/fields';

export type IngressBackend =
  | { kind: 'service'; service: string; port?: number | string }
  | { kind: 'resource'; resource: string }
  | { kind: 'invalid'; reason: string };

export type IngressPath = {
  host?: string;
  path: string;
  pathType: 'Exact' | 'Prefix' | 'ImplementationSpecific';
  backend: IngressBackend;
  ruleIndex: number;
  pathIndex: number;
};

export type IngressTls = { hosts: string[]; secretName?: string };

export function readBackend(b: unknown, where: string): IngressBackend {
  if (!isRecord(b))
    return { kind: 'invalid', reason: `${where} is not an object` };
  if (isRecord(b.service)) {
    const name = str(b, 'service.name');
    if (!name)
      return { kind: 'invalid', reason: `${where}.service.name is missing` };
    const port =
      field(b, 'service.port.number') ?? field(b, 'service.port.name');
    return {
      kind: 'service',
      service: name,
      port:
        typeof port === 'number' || typeof port === 'string' ? port : undefined,
    };
  }
  const legacyName = str(b, 'serviceName');
  if (legacyName)
    return {
      kind: 'service',
      service: legacyName,
      port: intOrString(b, 'servicePort'),
    };
  if (isRecord(b.resource)) {
    return {
      kind: 'resource',
      resource: `${str(b, 'resource.kind') ?? '?'} ${
        str(b, 'resource.name') ?? '?'
      }`,
    };
  }
  return {
    kind: 'invalid',
    reason: `${where} names neither a service nor a resource`,
  };
}

function pathTypeOf(p: unknown): IngressPath['pathType'] {
  const t = str(p, 'pathType');
  if (t === 'Exact' || t === 'Prefix' || t === 'ImplementationSpecific')
    return t;
  // v1beta1 had no required pathType; its behaviour was implementation specific.
  return 'ImplementationSpecific';
}

export function ingressPaths(ingress: KubeObject): IngressPath[] {
  const out: IngressPath[] = [];
  records(ingress, 'spec.rules').forEach((rule, ruleIndex) => {
    const host = str(rule, 'host') || undefined;
    records(rule, 'http.paths').forEach((p, pathIndex) => {
      out.push({
        host,
        path: str(p, 'path') ?? '/',
        pathType: pathTypeOf(p),
        backend: readBackend(
          p.backend,
          `spec.rules[${ruleIndex}].http.paths[${pathIndex}].backend`,
        ),
        ruleIndex,
        pathIndex,
      });
    });
  });
  return out;
}

export function defaultBackend(
  ingress: KubeObject,
): IngressBackend | undefined {
  const b =
    field(ingress, 'spec.defaultBackend') ?? field(ingress, 'spec.backend');
  if (b === undefined) return undefined;
  return readBackend(
    b,
    isRecord(field(ingress, 'spec.defaultBackend'))
      ? 'spec.defaultBackend'
      : 'spec.backend',
  );
}

export function ingressTls(ingress: KubeObject): IngressTls[] {
  return records(ingress, 'spec.tls').map(t => ({
    hosts: strings(t, 'hosts'),
    secretName: str(t, 'secretName'),
  }));
}

/** Exact host, or `*.example.com` matching exactly one more label. */
export function hostMatches(
  pattern: string | undefined,
  host: string,
): boolean {
  if (!pattern) return true;
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (!p.startsWith('*.')) return p === h;
  const suffix = p.slice(1); // ".example.com"
  if (!h.endsWith(suffix)) return false;
  const first = h.slice(0, h.length - suffix.length);
  return first.length > 0 && !first.includes('.');
}

/** The TLS entry that covers a host, if any. */
export function tlsFor(
  tls: IngressTls[],
  host: string | undefined,
): IngressTls | undefined {
  if (!host) return tls.find(t => t.hosts.length === 0);
  return tls.find(t => t.hosts.some(h => hostMatches(h, host)));
}

/** Prefix matching is element-wise: `/foo` matches `/foo/bar`, not `/foobar`. */
export function pathMatches(
  pathType: IngressPath['pathType'],
  rulePath: string,
  path: string,
): boolean {
  if (pathType === 'Exact') return rulePath === path;
  if (pathType === 'ImplementationSpecific') return path.startsWith(rulePath);
  const ruleParts = rulePath.split('/').filter(Boolean);
  const parts = path.split('/').filter(Boolean);
  if (ruleParts.length > parts.length) return false;
  return ruleParts.every((part, i) => parts[i] === part);
}

export type Candidate<T> = {
  item: T;
  host?: string;
  path?: string;
  pathType?: IngressPath['pathType'];
};

/**
 * The candidates a request for host and path reaches: exact hosts beat
 * wildcards, which beat rules without host; then the longest matching path,
 * Exact before Prefix at equal length. Candidates without a path (default
 * backends, Services) are only taken when no rule matches.
 */
export function selectMatching<T>(
  candidates: Candidate<T>[],
  host: string | undefined,
  path: string | undefined,
): T[] {
  let pool = candidates;
  if (host !== undefined) {
    const exact = pool.filter(
      c =>
        c.host !== undefined &&
        !c.host.startsWith('*.') &&
        hostMatches(c.host, host),
    );
    const wildcard = pool.filter(
      c => c.host?.startsWith('*.') && hostMatches(c.host, host),
    );
    const any = pool.filter(c => c.host === undefined);
    pool = [exact, wildcard, any].find(list => list.length > 0) ?? [];
  }
  if (path === undefined) return pool.map(c => c.item);
  const withPath = pool.filter(
    c =>
      c.path !== undefined && pathMatches(c.pathType ?? 'Prefix', c.path, path),
  );
  if (withPath.length === 0)
    return pool.filter(c => c.path === undefined).map(c => c.item);
  const score = (c: Candidate<T>) =>
    (c.path ?? '').replace(/\/+$/, '').length * 2 +
    (c.pathType === 'Exact' ? 1 : 0);
  const best = Math.max(...withPath.map(score));
  return withPath.filter(c => score(c) === best).map(c => c.item);
}
