/*
 * An entity's report from a watched cluster's snapshot, resolved only when
 * its objects changed: each new snapshot picks the entity's objects
 * (modelIndex, in time proportional to them), and when they are the very
 * objects of its last answer, the last report is the answer (the engine is
 * pure). The objects are those a request-scoped read gives the entity, so
 * both modes resolve the same report.
 */
import {
  loadObjects,
  Report,
  resolveReport,
} from '@internal/plugin-traffic-path-common';
import { LRUCache } from 'lru-cache';
import { entityReport } from './entityResolver';
import { EntitySelection } from './entitySelection';
import {
  EntityInputs,
  entityInputs,
  inputObjects,
  sameInputs,
} from './modelIndex';
import { ModelSnapshot } from './modelSnapshot';

type Answer = {
  /** The snapshot's version (not the snapshot: an old one is not kept alive by an answer). */
  version: number;
  inputs: EntityInputs;
  report: Report;
};

export type ModelAnswers = {
  report(
    snapshot: ModelSnapshot,
    entityRef: string,
    selection: EntitySelection,
    clientIp?: string,
  ): Report;
  /** How many reports were resolved and how many kept, since the start (for tests and the bench). */
  counts(): { resolved: number; kept: number };
};

export function createModelAnswers(options: {
  /** Answers kept: every entity of the review, and the cards' client IPs. */
  max: number;
}): ModelAnswers {
  const answers = new LRUCache<string, Answer>({ max: options.max });
  const counts = { resolved: 0, kept: 0 };
  return {
    report(snapshot, entityRef, selection, clientIp) {
      const key = [
        snapshot.cluster,
        entityRef,
        selection.namespace ?? '',
        selection.selector,
        clientIp ?? '',
      ].join('|');
      const known = answers.get(key);
      if (known?.version === snapshot.version) return known.report;
      const inputs = entityInputs(snapshot, snapshot.index, selection);
      if (known && sameInputs(known.inputs, inputs)) {
        counts.kept++;
        answers.set(key, {
          version: snapshot.version,
          inputs,
          report: known.report,
        });
        return known.report;
      }
      const load = loadObjects(
        inputObjects(inputs, snapshot.index),
        `cluster ${snapshot.cluster}`,
      );
      inputs.listedKinds.forEach(k => load.listedKinds.add(k));
      const report = entityReport(
        resolveReport(load, { clientIp }),
        inputs.scope.entityServices,
      );
      counts.resolved++;
      answers.set(key, { version: snapshot.version, inputs, report });
      return report;
    },
    counts: () => ({ ...counts }),
  };
}
