/*
 * The pass over a watched cluster's batch: only the entities whose entry
 * points differ from the last seen go to the store, batches coming during a
 * pass coalesce into the next one, and a write that failed is tried again.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { join, resolve } from 'node:path';
import {
  ClusterRoutes,
  Report,
  resolveReport,
} from '@internal/plugin-traffic-path-common';
import { scenarioObjects } from '../../__testUtils__/scenarioObjects';
import type { ModelSnapshot } from '../modelSnapshot';
import { rewriteOnChange, summaryDigest } from './rescanOnChange';

const seed = join(
  resolve(__dirname, '../../../../..'),
  'test/scenarios/seed-004/cluster',
);

const entity = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
});

const report = (routes: unknown[]): Report =>
  ({
    schemaVersion: 1,
    routes,
    findings: [],
    inputErrors: [],
  } as unknown as Report);

const snapshot = (version: number) =>
  ({
    cluster: 'demo',
    version,
    observedAt: 0,
    warnings: [],
  } as unknown as ModelSnapshot);

function setUp(answers: Map<string, Report>, failWrites = { left: 0 }) {
  let emit: (s: ModelSnapshot) => void = () => {};
  const recorded: string[][] = [];
  const entities = ['a', 'b', 'c'].map(entity);
  const rewrite = rewriteOnChange({
    onSnapshot: l => {
      emit = l;
    },
    entities: async () => entities,
    routes: async (e, s) =>
      ({
        cluster: s.cluster,
        report: answers.get(e.metadata.name)!,
        warnings: [],
        apiCalls: 0,
      } as ClusterRoutes),
    record: async items => {
      if (failWrites.left > 0) {
        failWrites.left--;
        throw new Error('database gone');
      }
      recorded.push(items.map(i => i.entity.metadata.name));
      return { written: items.length, changes: 0 };
    },
    delayMs: 5,
    entitiesTtlMs: 60_000,
    logger: mockServices.logger.mock(),
  });
  return { emit: (s: ModelSnapshot) => emit(s), recorded, rewrite };
}

describe('rewriteOnChange', () => {
  it('writes every entity once, then only those whose entry points changed', async () => {
    const answers = new Map([
      ['a', report([])],
      ['b', report([])],
      ['c', report([])],
    ]);
    const { emit, recorded, rewrite } = setUp(answers);
    emit(snapshot(1));
    await rewrite.idle();
    expect(recorded).toEqual([['a', 'b', 'c']]);

    emit(snapshot(2)); // nothing changed
    await rewrite.idle();
    expect(recorded).toHaveLength(1);

    // b gets the routes of a real cluster: entry points to summarise.
    answers.set('b', resolveReport(scenarioObjects(seed)));
    const entry = (r: Report) =>
      ({
        cluster: 'demo',
        report: r,
        warnings: [],
        apiCalls: 0,
      } as ClusterRoutes);
    expect(summaryDigest(entry(answers.get('b')!))).not.toBe(
      summaryDigest(entry(report([]))),
    );
    emit(snapshot(3));
    emit(snapshot(4)); // coalesces with 3
    await rewrite.idle();
    expect(recorded).toEqual([['a', 'b', 'c'], ['b']]);
    rewrite.stop();
  });

  it('tries a failed write again on the next batch', async () => {
    const answers = new Map([
      ['a', report([])],
      ['b', report([])],
      ['c', report([])],
    ]);
    const { emit, recorded, rewrite } = setUp(answers, { left: 1 });
    emit(snapshot(1));
    await rewrite.idle();
    expect(recorded).toEqual([]);
    emit(snapshot(2));
    await rewrite.idle();
    expect(recorded).toEqual([['a', 'b', 'c']]);
    rewrite.stop();
  });
});
