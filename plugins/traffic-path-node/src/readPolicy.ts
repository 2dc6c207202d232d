/*
 * The one read policy of a live cluster: what a failed read means for the
 * answer. A required read that fails fails the cluster's answer; a kind
 * from a CRD the cluster does not have (404) means none of its objects;
 * any other failed read becomes a warning, and the checks that need it are
 * skipped by the engine (its kind is not listed in full). `readFailure` says
 * which for one failure; `applyReadPolicy` applies it to a batch of reads.
 */
import { ClusterRead, KubeObject } from '@internal/plugin-traffic-path-common';
import { ReadError, ReadOutcome } from './readError';

/**
 * What a failed read means, the one meaning every reader gives it (the
 * request-scoped batch, an informer, the live model's readiness and its
 * snapshots):
 * - `absent`: a kind from a CRD the cluster does not have (an `absentOk`
 *   read answered 404): none of its objects, and nothing to warn about;
 * - `fatal`: a required read: the cluster's answer cannot be given;
 * - `warning`: any other: said, and the checks that need the kind skipped.
 *
 * `error` is undefined for a read that has not answered yet (a live read not
 * listed yet): never absent, so fatal when required, else a warning.
 */
export type ReadFailure = 'absent' | 'fatal' | 'warning';

export function readFailure(read: ClusterRead, error?: ReadError): ReadFailure {
  if (read.absentOk && error?.status === 404) return 'absent';
  return read.required ? 'fatal' : 'warning';
}

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
      switch (readFailure(read, outcome.error)) {
        case 'absent':
          return;
        case 'fatal':
          throw outcome.error;
        default:
          batch.warnings.push(outcome.error);
          return;
      }
    }
    batch.objects.push(...outcome.objects);
    if (read.listed) batch.listedKinds.push(read.listed);
  });
  return batch;
}
