/*
 * The frontend's view of the ownership review API: the stored exposure
 * summaries per entity (`GET /v1/exposure`), their change history
 * (`GET /v1/exposure/changes`) and the same as a CSV or Markdown report.
 * Entry fields are those of the engine's exposure summary; the ones the
 * issue does not promise are optional, and the page shows "unknown" for
 * what an answer leaves out.
 */
import { createApiRef } from '@backstage/core-plugin-api';
import type {
  ExposureChange,
  ExposureEntry,
} from '@internal/plugin-traffic-path-common';

/** One entry point of a stored summary, as the API answers it. */
export type ExposureItemEntry = Pick<
  ExposureEntry,
  'exposure' | 'sourceRestriction' | 'tls'
> &
  Partial<Omit<ExposureEntry, 'exposure' | 'sourceRestriction' | 'tls'>>;

/** The stored summary of one entity in one cluster. */
export type ExposureItem = {
  entityRef: string;
  owner?: string;
  system?: string;
  cluster: string;
  /** When the entity's routes were last read (ISO time): "last seen"; absent while no scan succeeded. */
  scannedAt?: string;
  /** When the entries last changed (ISO time). */
  changedAt?: string;
  entries: ExposureItemEntry[];
  /** The last scan failed at `at`; the entries are those of the last scan that succeeded. */
  error?: { reason: string; message: string; at: string };
};

export type ExposureAnswer = { items: ExposureItem[] };

/** A recorded change of one entity's exposure. */
export type ExposureChangeItem = {
  entityRef: string;
  cluster: string;
  /** The scan that saw the change (ISO time). */
  at: string;
  change: ExposureChange;
};

export type ExposureChangesAnswer = { items: ExposureChangeItem[] };

/** Whose entry points: several owners or systems (entity refs) or, with neither, all the user may read. */
export type ExposureQuery = {
  owners?: string[];
  systems?: string[];
  /** The entities themselves. */
  entityRefs?: string[];
  /** `indirect`: the owners' child groups own too (the backend walks them in the catalog). */
  ownership?: 'direct' | 'indirect';
  publicOnly?: boolean;
};

export type ExposureChangesQuery = Omit<ExposureQuery, 'publicOnly'> & {
  /** The most changes answered, newest first (the backend's default: 500). */
  limit?: number;
  /** These entities' changes only. */
  entityRefs?: string[];
  /** ISO time: changes seen at or after it. */
  since?: string;
};

export type ExposureReportFormat = 'csv' | 'markdown';

export type ExposureReport = {
  format: ExposureReportFormat;
  /** The file name the backend suggests, else one made here. */
  fileName: string;
  content: Blob;
};

export interface ExposureApi {
  getExposure(query: ExposureQuery): Promise<ExposureAnswer>;
  getExposureChanges(
    query: ExposureChangesQuery,
  ): Promise<ExposureChangesAnswer>;
  getExposureReport(
    query: ExposureQuery & { format: ExposureReportFormat },
  ): Promise<ExposureReport>;
}

export const exposureApiRef = createApiRef<ExposureApi>({
  id: 'plugin.traffic-path.exposure',
});
