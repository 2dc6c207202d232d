import { StoredSummary } from '../../database/exposureStore';
import { exposureCsv, exposureMarkdown } from './report';

const summary = (over: Partial<StoredSummary> = {}): StoredSummary => ({
  entityRef: 'component:default/shop-web',
  owner: 'group:default/shop-team',
  cluster: 'prod',
  scannedAt: '2026-12-01T10:00:00.000Z',
  entries: [
    {
      key: 'shop.example.com/ Ingress web/shop',
      host: 'shop.example.com',
      path: '/',
      port: 443,
      entryKind: 'ingress-rule',
      object: { kind: 'Ingress', namespace: 'web', name: 'shop' },
      exposure: 'public',
      loadBalancer: {
        addresses: ['203.0.113.10'],
        provider: 'aws',
        object: { kind: 'Service', namespace: 'ingress', name: 'nginx' },
      },
      sourceRestriction: { kind: 'none', rules: [] },
      tls: true,
      health: 'healthy',
      findings: { error: 1, warning: 0, info: 2, codes: ['X'] },
    },
  ],
  ...over,
});

describe('exposure reports', () => {
  it('writes one CSV row per entry point, quoted and safe for spreadsheets', () => {
    const csv = exposureCsv([
      summary(),
      summary({
        entityRef: 'component:default/=cmd',
        entries: [],
        scannedAt: undefined,
        error: { reason: 'timeout', message: 'slow, "very"', at: 'T' },
      }),
    ]);
    const lines = csv.split('\r\n');
    expect(lines[1]).toBe(
      'component:default/shop-web,group:default/shop-team,,prod,2026-12-01T10:00:00.000Z,shop.example.com,/,443,public,ingress/nginx 203.0.113.10,none (open to the internet),,yes,unknown,1,0,2,',
    );
    // An entity without entry points still has its row; a formula-like cell is neutralised.
    expect(lines[2]).toBe(
      'component:default/=cmd,group:default/shop-team,,prod,never,,,,,,,,,,,,,"timeout at T: slow, ""very"""',
    );
    expect(csv).not.toMatch(/undefined/);
  });

  it('writes a Markdown table per owner', () => {
    const md = exposureMarkdown(
      [
        summary(),
        summary({ owner: undefined, entityRef: 'component:default/a|b' }),
      ],
      new Date('2026-12-01T12:00:00Z'),
    );
    expect(md).toContain('## group:default/shop-team');
    expect(md).toContain('## (no owner)');
    expect(md).toContain('component:default/a\\|b');
    expect(md).toContain(
      '| component:default/shop-web | prod | shop.example.com/ | public | ingress/nginx 203.0.113.10 | none (open to the internet) | yes | unknown | 1/0/2 | 2026-12-01T10:00:00.000Z |',
    );
    expect(md).not.toMatch(/undefined/);
  });
});
