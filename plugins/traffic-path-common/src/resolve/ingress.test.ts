import fc from 'fast-check';
import { KubeObject } from '../model';
import {
  defaultBackend,
  hostMatches,
  ingressPaths,
  pathMatches,
  selectMatching,
} from './ingress';

describe('hostMatches', () => {
  it('matches exact hosts case-insensitively', () => {
    expect(hostMatches('app1.qas.abc.com', 'APP1.qas.abc.com')).toBe(true);
    expect(hostMatches('app1.qas.abc.com', 'app2.qas.abc.com')).toBe(false);
  });

  it('lets a wildcard cover exactly one label', () => {
    expect(hostMatches('*.qas.abc.com', 'app1.qas.abc.com')).toBe(true);
    expect(hostMatches('*.qas.abc.com', 'a.app1.qas.abc.com')).toBe(false);
    expect(hostMatches('*.qas.abc.com', 'qas.abc.com')).toBe(false);
  });

  it('never lets a wildcard match a host with a dot in the first label (property)', () => {
    const label = fc.stringMatching(/^[a-z0-9]{1,10}$/);
    fc.assert(
      fc.property(label, label, label, (a, b, domain) => {
        expect(hostMatches(`*.${domain}.com`, `${a}.${domain}.com`)).toBe(true);
        expect(hostMatches(`*.${domain}.com`, `${a}.${b}.${domain}.com`)).toBe(
          false,
        );
      }),
    );
  });
});

describe('pathMatches', () => {
  it('matches Prefix element-wise, as Kubernetes defines it', () => {
    expect(pathMatches('Prefix', '/foo', '/foo/bar')).toBe(true);
    expect(pathMatches('Prefix', '/foo/', '/foo')).toBe(true);
    expect(pathMatches('Prefix', '/foo', '/foobar')).toBe(false);
    expect(pathMatches('Prefix', '/', '/anything')).toBe(true);
  });

  it('matches Exact only on the same string', () => {
    expect(pathMatches('Exact', '/foo', '/foo')).toBe(true);
    expect(pathMatches('Exact', '/foo', '/foo/')).toBe(false);
  });

  it('never matches a Prefix path that is not a path-element prefix (property)', () => {
    const segment = fc.stringMatching(/^[a-z]{1,6}$/);
    fc.assert(
      fc.property(
        fc.array(segment, { minLength: 1, maxLength: 4 }),
        segment,
        (parts, extra) => {
          const rule = `/${parts.join('/')}`;
          expect(pathMatches('Prefix', rule, `${rule}/${extra}`)).toBe(true);
          expect(pathMatches('Prefix', rule, `${rule}${extra}`)).toBe(false);
        },
      ),
    );
  });
});

describe('selectMatching', () => {
  const c = (
    item: string,
    host?: string,
    path?: string,
    pathType: 'Exact' | 'Prefix' = 'Prefix',
  ) => ({ item, host, path, pathType });
  const rules = [
    c('exact-root', 'shop.example.com', '/'),
    c('exact-api', 'shop.example.com', '/api'),
    c('exact-api-exact', 'shop.example.com', '/api', 'Exact'),
    c('wildcard', '*.example.com', '/'),
    c('any-host', undefined, '/'),
    c('default', undefined, undefined),
  ];

  it('prefers the exact host, then the longest path, then Exact over Prefix', () => {
    expect(selectMatching(rules, 'shop.example.com', '/api')).toEqual([
      'exact-api-exact',
    ]);
    expect(selectMatching(rules, 'shop.example.com', '/api/v1')).toEqual([
      'exact-api',
    ]);
    expect(selectMatching(rules, 'shop.example.com', '/cart')).toEqual([
      'exact-root',
    ]);
  });

  it('falls back to wildcard hosts, then to rules without host', () => {
    expect(selectMatching(rules, 'blog.example.com', '/')).toEqual([
      'wildcard',
    ]);
    expect(selectMatching(rules, 'other.org', '/x')).toEqual(['any-host']);
  });

  it('returns every rule of the host when no path is asked', () => {
    expect(selectMatching(rules, 'shop.example.com', undefined)).toEqual([
      'exact-root',
      'exact-api',
      'exact-api-exact',
    ]);
  });
});

describe('ingressPaths', () => {
  it('reads the old extensions/v1beta1 form', () => {
    const ingress: KubeObject = {
      apiVersion: 'extensions/v1beta1',
      kind: 'Ingress',
      metadata: { name: 'legacy', namespace: 'shop' },
      spec: {
        backend: { serviceName: 'fallback', servicePort: 'http' },
        rules: [
          {
            host: 'legacy.example.com',
            http: {
              paths: [
                { path: '/', backend: { serviceName: 'web', servicePort: 80 } },
              ],
            },
          },
        ],
      },
    };
    expect(ingressPaths(ingress)).toEqual([
      {
        host: 'legacy.example.com',
        path: '/',
        pathType: 'ImplementationSpecific',
        backend: { kind: 'service', service: 'web', port: 80 },
        ruleIndex: 0,
        pathIndex: 0,
      },
    ]);
    expect(defaultBackend(ingress)).toEqual({
      kind: 'service',
      service: 'fallback',
      port: 'http',
    });
  });

  it('says which field of a backend is missing', () => {
    const ingress: KubeObject = {
      kind: 'Ingress',
      metadata: { name: 'bad' },
      spec: {
        rules: [
          {
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { port: { number: 80 } } },
                },
              ],
            },
          },
        ],
      },
    };
    expect(ingressPaths(ingress)[0].backend).toEqual({
      kind: 'invalid',
      reason: 'spec.rules[0].http.paths[0].backend.service.name is missing',
    });
  });
});
