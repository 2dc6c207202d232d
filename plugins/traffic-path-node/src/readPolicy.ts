/*
 * The one read policy of a live cluster: what a failed read means for the
 * answer. A required read that fails fails the cluster's answer; a kind
 * from a CRD the cluster does not have (404) means none of its objects;
 * any other failed read becomes a warning, and the checks that need it are
 * skipped by the engine (its kind is not listed in full).
 */
import { ClusterRead, KubeObject } from '@internal/plugin-traffic-path-common';
import { ReadError, ReadOutcome } from './readError';

/** The objects of several reads, what they cover in full, and the reads that failed without failing the answer. */
export type ReadBatch = {
  objects: KubeObject[];
  /** Kinds listed in full (cluster-wide `Kind`, or `Kind@namespace`). */
  listedKinds: string[];
  warnings: ReadError[];
};

/** Applies the policy to the outcomes of `reads` (in the same order); throws the error of a required read. */
export function applyReadPolicy(
  reads: ClusterRead[],
  outcomes: ReadOutcome<KubeObject>[],
): ReadBatch {
  const batch: ReadBatch = { objects: [], listedKinds: [], warnings: [] };
  outcomes.forEach((outcome, i) => {
    const read = reads[i];
    if ('error' in outcome) {
      if (read.absentOk && outcome.error.status === 404) return;
      if (read.required) throw outcome.error;
      batch.warnings.push(outcome.error);
      return;
    }
    batch.objects.push(...outcome.objects);
    if (read.listed) batch.listedKinds.push(read.listed);
  });
  return batch;
}
