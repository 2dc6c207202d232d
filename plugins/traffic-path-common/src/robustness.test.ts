/*
 * Whatever objects come in, the engine answers: random objects and
 * mutations of a real scenario never make it throw, and never reach the
 * internal-error safety net.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { mergeLoadResults, parseDocuments } from './load/parse';
import { KubeObject, Report } from './model';
import { resolveReport } from './report';
import { toMarkdown } from './export/markdown';
import { toMermaid } from './export/mermaid';
import { toTable } from './export/table';

const seedDir = resolve(__dirname, '../../../test/scenarios/seed-004/cluster');
const seed = mergeLoadResults(
  readdirSync(seedDir)
    .filter(f => f.endsWith('.yaml'))
    .map(f => parseDocuments(f, readFileSync(join(seedDir, f), 'utf8'))),
);

function exercise(objects: KubeObject[], clientIp?: string): Report {
  const report = resolveReport(objects, { clientIp });
  toTable(report);
  toMermaid(report);
  toMarkdown(report);
  JSON.stringify(report);
  expect(
    report.inputErrors.filter(e => e.message.includes('internal error')),
  ).toEqual([]);
  return report;
}

const kinds = [
  'Service',
  'Pod',
  'Ingress',
  'IngressClass',
  'EndpointSlice',
  'Endpoints',
  'Node',
  'ConfigMap',
  'Secret',
];

/** Every path to a value inside an object, for mutation. */
function paths(
  value: unknown,
  prefix: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const p = [...prefix, Array.isArray(value) ? Number(k) : k];
      out.push(p);
      paths(v, p, out);
    }
  }
  return out;
}

function setAt(
  root: unknown,
  path: (string | number)[],
  replacement: unknown,
): void {
  let current = root as Record<string | number, unknown>;
  for (const step of path.slice(0, -1))
    current = current[step] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (replacement === undefined) delete current[last];
  else current[last] = replacement;
}

// Hundreds of property runs take about a second alone, several under a full
// parallel test run on two cores: more than Jest's 5 s default.
const PROPERTY_TIMEOUT_MS = 60_000;

describe('robustness', () => {
  it(
    'resolves random objects of the kinds it reads without throwing',
    () => {
      const object = fc.record({
        kind: fc.constantFrom(...kinds),
        metadata: fc.record({
          name: fc.string({ minLength: 1 }),
          namespace: fc.option(fc.constantFrom('app', 'kube-system', 'x'), {
            nil: undefined,
          }),
          labels: fc.anything(),
          annotations: fc.anything(),
        }),
        spec: fc.anything(),
        status: fc.anything(),
        data: fc.anything(),
        endpoints: fc.anything(),
        ports: fc.anything(),
        subsets: fc.anything(),
      });
      let runs = 0;
      fc.assert(
        fc.property(
          fc.array(object, { maxLength: 12 }),
          fc.option(fc.ipV4(), { nil: undefined }),
          (objects, ip) => {
            exercise(objects as unknown as KubeObject[], ip);
            runs++;
          },
        ),
        { numRuns: 300 },
      );
      expect(runs).toBe(300);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'resolves mutations of the seed-004 cluster without throwing',
    () => {
      let runs = 0;
      const mutation = fc.record({
        object: fc.nat(seed.objects.length - 1),
        pick: fc.nat(),
        value: fc.oneof(
          fc.constant(undefined),
          fc.constant(null),
          fc.anything(),
          fc.string(),
          fc.integer(),
          fc.array(fc.anything()),
        ),
      });
      fc.assert(
        fc.property(
          fc.array(mutation, { minLength: 1, maxLength: 6 }),
          fc.constantFrom(
            '203.0.113.7',
            '10.20.0.5',
            '2001:db8::1',
            'not-an-ip',
          ),
          (mutations, ip) => {
            const objects = structuredClone(seed.objects);
            for (const m of mutations) {
              const target = objects[m.object];
              const all = paths(target).filter(
                p =>
                  !(p.length === 2 && p[0] === 'metadata' && p[1] === 'name'),
              );
              if (all.length > 0)
                setAt(target, all[m.pick % all.length], m.value);
            }
            exercise(objects, ip);
            runs++;
          },
        ),
        { numRuns: 300 },
      );
      expect(runs).toBe(300);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it('still resolves the seed when mutations are not applied (control)', () => {
    const report = exercise(seed.objects, '203.0.113.7');
    expect(report.routes.length).toBeGreaterThan(3);
  });
});
