/*
 * The CLI's `diff` and the ownership review's change history say the same
 * of one change: both call the engine's diffExposure, but the history
 * compares stored entries, without their object lists and client verdicts.
 * On seed 004 before and after the change of test/scenarios/diff-exposure,
 * the CLI's side is built as `traffic-path diff seed-004/cluster --
 * diff-exposure/cluster` builds it (the files parsed, resolved, summarised),
 * the history's as a scan writes it (two summaryUpdates, the first stored
 * as JSON and read back).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Entity } from '@backstage/catalog-model';
import {
  diffExposure,
  EntityRoutes,
  ExposureChange,
  exposureOf,
  KubeObject,
  LoadResult,
  mergeLoadResults,
  parseDocuments,
  Report,
  resolveReport,
  ResolveOptions,
} from '@internal/plugin-traffic-path-common';
import { StoredSummary } from '../../database/exposureStore';
import { scenarioObjects } from '../../__testUtils__/scenarioObjects';
import { summaryUpdate } from './summaries';

const scenarios = resolve(__dirname, '../../../../../test/scenarios');
const BEFORE = join(scenarios, 'seed-004/cluster');
const AFTER = join(scenarios, 'diff-exposure/cluster');

/** The CLI's reading of its inputs (files.ts): every file parsed, the results merged. */
function cliLoad(path: string): LoadResult {
  const files = (p: string): string[] =>
    statSync(p).isDirectory()
      ? readdirSync(p)
          .sort()
          .flatMap(name => files(join(p, name)))
      : [p];
  return mergeLoadResults(
    files(path).map(f => parseDocuments(f, readFileSync(f, 'utf8'))),
  );
}

/** One side of `traffic-path diff` (side.ts): resolved, then summarised. */
const cliSide = (load: LoadResult, options: ResolveOptions) =>
  exposureOf(resolveReport(load, options));

/** The change as `traffic-path diff [--client-ip …] <before> -- <after>` reports it. */
function cliDiff(
  edit: (objects: KubeObject[]) => KubeObject[] = o => o,
  options: ResolveOptions = {},
): ExposureChange[] {
  const before = cliLoad(BEFORE);
  const after = cliLoad(AFTER);
  return diffExposure(
    cliSide(before, options),
    cliSide({ ...after, objects: edit(after.objects) }, options),
  );
}

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'app1', namespace: 'default' },
  spec: { owner: 'group:default/platform-team' },
};

const answer = (report: Report): EntityRoutes => ({
  entityRef: 'component:default/app1',
  configured: true,
  clusters: [{ cluster: 'demo', report, warnings: [], apiCalls: 1 }],
});

/**
 * The same change as the review's change history records it: a baseline
 * scan, stored as JSON and read back, then the scan after. The scan asks
 * for the routes without a client IP; `options` resolves both as if it
 * had one.
 */
function historyDiff(
  edit: (objects: KubeObject[]) => KubeObject[] = o => o,
  options: ResolveOptions = {},
): ExposureChange[] {
  const first = summaryUpdate(
    entity,
    answer(resolveReport(scenarioObjects(BEFORE), options)),
    [],
    new Date('2026-12-01T00:00:00.000Z'),
  );
  expect(first.write).toHaveLength(1);
  expect(first.write[0].changes).toEqual([]);
  const stored: StoredSummary = JSON.parse(
    JSON.stringify(first.write[0].summary),
  );
  const second = summaryUpdate(
    entity,
    answer(resolveReport(edit(scenarioObjects(AFTER)), options)),
    [stored],
    new Date('2026-12-01T01:00:00.000Z'),
  );
  expect(second.write).toHaveLength(1);
  const recorded: { change: ExposureChange }[] = JSON.parse(
    JSON.stringify(second.write[0].changes),
  );
  return recorded.map(c => c.change);
}

/** What a reader compares: the kind, the entry point, before and after. */
const gist = (changes: ExposureChange[]) =>
  changes.map(c => ({
    kind: c.kind,
    key: c.key,
    ...(c.before !== undefined ? { before: c.before } : {}),
    ...(c.after !== undefined ? { after: c.after } : {}),
  }));

const ACL =
  'allow Alibaba Cloud ACL acl-2ze0app3 (whitelist) at the load-balancer (alibaba-cloud-loadbalancer-acl annotations)';

/** app1's public Ingress, after the change, only for 10.0.0.0/8. */
const app1AllowsOnlyTen = (objects: KubeObject[]) =>
  objects.map(o =>
    o.kind === 'Ingress' &&
    o.metadata.namespace === 'app' &&
    o.metadata.name === 'app1-service-ingress'
      ? {
          ...o,
          metadata: {
            ...o.metadata,
            annotations: {
              ...o.metadata.annotations,
              'nginx.ingress.kubernetes.io/whitelist-source-range':
                '10.0.0.0/8',
            },
          },
        }
      : o,
  );

describe('the change history and the CLI diff', () => {
  it('record the same changes of seed 004 to diff-exposure', () => {
    const cli = cliDiff();
    const history = historyDiff();
    // The three changes of the scenario's README, one per entry point they touch.
    expect(gist(cli)).toEqual([
      {
        kind: 'restriction-removed',
        key: ':443 Service kube-system/nginx-ingress-lb-internal',
        before: ACL,
      },
      {
        kind: 'restriction-removed',
        key: ':80 Service kube-system/nginx-ingress-lb-internal',
        before: ACL,
      },
      {
        kind: 'entry-added',
        key: 'api.qas.abc.com/api Ingress app/app1-api-ingress',
        after: 'public',
      },
      {
        kind: 'tls-dropped',
        key: 'app2.qas.abc.com/ Ingress app/app2-service-ingress',
      },
      {
        kind: 'restriction-removed',
        key: 'app3.qas.abc.com/ Ingress app/app3-service-ingress',
        before: ACL,
      },
    ]);
    expect(gist(history)).toEqual(gist(cli));
    // Word for word: impact, host, path, object and message too.
    expect(history).toEqual(cli);
  });

  it('would see a verdict the history strips: the CLI with --client-ip reports a block the history cannot', () => {
    const clientIp = '203.0.113.7';
    const cli = cliDiff(app1AllowsOnlyTen, { clientIp });
    const history = historyDiff(app1AllowsOnlyTen, { clientIp });
    const app1 = (changes: ExposureChange[]) =>
      gist(changes.filter(c => c.host === 'app1.qas.abc.com'));
    const restriction = {
      kind: 'restriction-added',
      key: 'app1.qas.abc.com/ Ingress app/app1-service-ingress',
      after:
        'allow 10.0.0.0/8 at the ingress (nginx.ingress.kubernetes.io/whitelist-source-range)',
    };
    expect(app1(cli)).toEqual([
      restriction,
      {
        kind: 'blocked',
        key: 'app1.qas.abc.com/ Ingress app/app1-service-ingress',
        after: expect.stringMatching(/^client 203\.0\.113\.7 blocked at the /),
      },
    ]);
    // Stored entries have no client verdict: the block is not in the history.
    expect(app1(history)).toEqual([restriction]);
    expect(gist(history)).not.toEqual(gist(cli));
    // Without a client IP, as the scan asks, they agree again.
    expect(historyDiff(app1AllowsOnlyTen)).toEqual(cliDiff(app1AllowsOnlyTen));
  });
});
