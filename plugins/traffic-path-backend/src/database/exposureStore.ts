/*
 * The ownership review's storage: the last exposure summary of each entity
 * in each cluster and the changes between summaries, in the plugin's
 * database (coreServices.database: SQLite by default, PostgreSQL in
 * production), with the Knex migrations shipped in the package's
 * `migrations/` directory.
 */
import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  ExposureChange,
  ExposureEntry,
} from '@internal/plugin-traffic-path-common';
import { knex as knexOf, Knex } from 'knex';

/** An entry point as stored: no client verdict (a scan has no client) and no object list. */
export type StoredEntry = Omit<ExposureEntry, 'objects' | 'verdict'>;

export type ScanError = { reason: string; message: string; at: string };

export type StoredSummary = {
  entityRef: string;
  cluster: string;
  owner?: string;
  system?: string;
  /** Absent while no scan of this cluster has succeeded. */
  scannedAt?: string;
  changedAt?: string;
  error?: ScanError;
  entries: StoredEntry[];
};

export type StoredChange = {
  entityRef: string;
  cluster: string;
  at: string;
  change: ExposureChange;
};

/** Entities by owner, system or reference; several of each match any (lower-case refs). */
export type ExposureFilter = {
  owners?: string[];
  systems?: string[];
  entityRefs?: string[];
};

type SummaryRow = {
  entity_ref: string;
  cluster: string;
  owner: string | null;
  system: string | null;
  entries: string;
  scanned_at: string | null;
  changed_at: string | null;
  error: string | null;
};

type ChangeRow = {
  entity_ref: string;
  cluster: string;
  owner: string | null;
  system: string | null;
  at: string;
  change: string;
};

const SUMMARIES = 'exposure_summaries';
const CHANGES = 'exposure_changes';
/** Rows per insert: well under SQLite's bound variables per statement. */
const BATCH = 200;

const migrationsDir = () =>
  resolvePackagePath('@internal/plugin-traffic-path-backend', 'migrations');

/** A summary with its entries still as the stored JSON text, to answer without parsing it. */
export type RawSummary = Omit<StoredSummary, 'entries'> & {
  entriesJson: string;
};

function rawSummaryOfRow(row: SummaryRow): RawSummary {
  return {
    entityRef: row.entity_ref,
    cluster: row.cluster,
    ...(row.owner ? { owner: row.owner } : {}),
    ...(row.system ? { system: row.system } : {}),
    ...(row.scanned_at ? { scannedAt: row.scanned_at } : {}),
    ...(row.changed_at ? { changedAt: row.changed_at } : {}),
    ...(row.error ? { error: JSON.parse(row.error) } : {}),
    entriesJson: row.entries,
  };
}

function summaryOfRow(row: SummaryRow): StoredSummary {
  return {
    entityRef: row.entity_ref,
    cluster: row.cluster,
    ...(row.owner ? { owner: row.owner } : {}),
    ...(row.system ? { system: row.system } : {}),
    ...(row.scanned_at ? { scannedAt: row.scanned_at } : {}),
    ...(row.changed_at ? { changedAt: row.changed_at } : {}),
    ...(row.error ? { error: JSON.parse(row.error) } : {}),
    entries: JSON.parse(row.entries),
  };
}

function rowOfSummary(s: StoredSummary): SummaryRow {
  return {
    entity_ref: s.entityRef,
    cluster: s.cluster,
    owner: s.owner ?? null,
    system: s.system ?? null,
    entries: JSON.stringify(s.entries),
    scanned_at: s.scannedAt ?? null,
    changed_at: s.changedAt ?? null,
    error: s.error ? JSON.stringify(s.error) : null,
  };
}

function changeOfRow(row: ChangeRow): StoredChange {
  return {
    entityRef: row.entity_ref,
    cluster: row.cluster,
    at: row.at,
    change: JSON.parse(row.change),
  };
}

function applyFilter(query: Knex.QueryBuilder, filter: ExposureFilter) {
  const owners = filter.owners ?? [];
  const systems = filter.systems ?? [];
  const refs = filter.entityRefs ?? [];
  if (!owners.length && !systems.length && !refs.length) return query;
  return query.where(q => {
    if (owners.length) q.orWhereIn('owner', owners);
    if (systems.length) q.orWhereIn('system', systems);
    if (refs.length)
      q.orWhereRaw(
        `lower(entity_ref) in (${refs.map(() => '?').join(', ')})`,
        refs,
      );
  });
}

export async function createExposureStore(database: DatabaseService) {
  const knex = await database.getClient();
  if (!database.migrations?.skip) {
    await knex.migrate.latest({ directory: migrationsDir() });
  }
  return createExposureStoreOf(knex);
}

/** A store on a database of one's own (benchmarks, tools), migrated; close it when done. */
export async function openExposureStore(config: Knex.Config) {
  const knex = knexOf({ useNullAsDefault: true, ...config });
  await knex.migrate.latest({ directory: migrationsDir() });
  return { store: createExposureStoreOf(knex), close: () => knex.destroy() };
}

/** A summary to write (or remove), and the stored one its changes were computed against. */
export type CheckedWrite = {
  summary: StoredSummary;
  changes: StoredChange[];
  /** The stored summary the changes are against; undefined: there was none. */
  expected: StoredSummary | undefined;
  remove?: boolean;
};

/**
 * What came of a checked write: `conflict` when the stored summary is no
 * longer the expected one (another backend wrote it meanwhile: compute the
 * changes again), `unchanged` when it already says the same.
 */
export type WriteOutcome = 'written' | 'unchanged' | 'conflict';

/** What a summary says, as stored: equal texts, nothing to write. */
const sameRow = (a: SummaryRow, b: SummaryRow) =>
  a.entries === b.entries &&
  a.error === b.error &&
  a.owner === b.owner &&
  a.system === b.system;

export function createExposureStoreOf(knex: Knex) {
  // Rows read to be checked are locked until written where the database can (PostgreSQL);
  // SQLite runs one write transaction at a time anyway.
  const locks = /pg|postgres/.test(String(knex.client.config?.client ?? ''));
  /** Counts the summaries written and removed, for tests and the benchmark. */
  const counts = { written: 0, removed: 0 };
  return {
    counts: () => ({ ...counts }),

    /**
     * Writes each summary (or removes it) only if the stored one is still the
     * one its changes were computed against, in one transaction: several
     * backends that see the same change record it once. With `skipUnchanged`,
     * a summary that says what the stored one says is not written at all.
     */
    async writeChecked(
      writes: CheckedWrite[],
      options: { skipUnchanged: boolean },
    ): Promise<WriteOutcome[]> {
      if (!writes.length) return [];
      return knex.transaction(async tx => {
        const outcomes: WriteOutcome[] = [];
        for (const w of writes) {
          let query = tx(SUMMARIES).select().where({
            entity_ref: w.summary.entityRef,
            cluster: w.summary.cluster,
          });
          if (locks) query = query.forUpdate();
          const [current]: SummaryRow[] = await query;
          const expected = w.expected ? rowOfSummary(w.expected) : undefined;
          // The stored one was touched since without a difference (a scan): the changes hold.
          if (
            !!current !== !!expected ||
            (current && expected && !sameRow(current, expected))
          ) {
            outcomes.push('conflict');
            continue;
          }
          if (w.remove) {
            if (current) {
              await tx(SUMMARIES)
                .where({
                  entity_ref: w.summary.entityRef,
                  cluster: w.summary.cluster,
                })
                .delete();
              counts.removed++;
            }
            await insertChanges(tx, w.summary, w.changes);
            outcomes.push('written');
            continue;
          }
          const row = rowOfSummary(w.summary);
          if (
            options.skipUnchanged &&
            current &&
            current.scanned_at &&
            sameRow(current, row) &&
            !w.changes.length
          ) {
            outcomes.push('unchanged');
            continue;
          }
          await tx(SUMMARIES)
            .insert(row)
            .onConflict(['entity_ref', 'cluster'])
            .merge();
          await insertChanges(tx, w.summary, w.changes);
          counts.written++;
          outcomes.push('written');
        }
        return outcomes;
      });
    },

    async summaries(filter: ExposureFilter = {}): Promise<StoredSummary[]> {
      const rows: SummaryRow[] = await applyFilter(
        knex(SUMMARIES).select(),
        filter,
      ).orderBy(['entity_ref', 'cluster']);
      return rows.map(summaryOfRow);
    },

    async rawSummaries(filter: ExposureFilter = {}): Promise<RawSummary[]> {
      const rows: SummaryRow[] = await applyFilter(
        knex(SUMMARIES).select(),
        filter,
      ).orderBy(['entity_ref', 'cluster']);
      return rows.map(rawSummaryOfRow);
    },

    /** Every stored (entity, cluster), to find those a scan no longer sees. */
    async keys(): Promise<{ entityRef: string; cluster: string }[]> {
      const rows: { entity_ref: string; cluster: string }[] = await knex(
        SUMMARIES,
      ).select('entity_ref', 'cluster');
      return rows.map(r => ({ entityRef: r.entity_ref, cluster: r.cluster }));
    },

    /** Writes a summary (replacing the last one) and its changes, together or not at all. */
    async write(summary: StoredSummary, changes: StoredChange[]) {
      counts.written++;
      await knex.transaction(async tx => {
        await tx(SUMMARIES)
          .insert(rowOfSummary(summary))
          .onConflict(['entity_ref', 'cluster'])
          .merge();
        await insertChanges(tx, summary, changes);
      });
    },

    /** Removes a summary (the entity or its cluster is gone), recording its last changes. */
    async remove(summary: StoredSummary, changes: StoredChange[]) {
      counts.removed++;
      await knex.transaction(async tx => {
        await tx(SUMMARIES)
          .where({ entity_ref: summary.entityRef, cluster: summary.cluster })
          .delete();
        await insertChanges(tx, summary, changes);
      });
    },

    /** Changes at or after `since`, newest first. */
    async changes(
      filter: ExposureFilter,
      options: { since?: string; limit: number; offset?: number },
    ): Promise<StoredChange[]> {
      let query = applyFilter(knex(CHANGES).select(), filter);
      if (options.since) query = query.where('at', '>=', options.since);
      const rows: ChangeRow[] = await query
        .orderBy([
          { column: 'at', order: 'desc' },
          { column: 'id', order: 'asc' },
        ])
        .limit(options.limit)
        .offset(options.offset ?? 0);
      return rows.map(changeOfRow);
    },

    /** Deletes changes recorded before `before`; returns how many. */
    async prune(before: string): Promise<number> {
      return knex(CHANGES).where('at', '<', before).delete();
    },
  };
}

async function insertChanges(
  tx: Knex.Transaction,
  summary: StoredSummary,
  changes: StoredChange[],
) {
  const rows: ChangeRow[] = changes.map(c => ({
    entity_ref: c.entityRef,
    cluster: c.cluster,
    // Copied, so that a change stays findable by owner after its entity is gone.
    owner: summary.owner ?? null,
    system: summary.system ?? null,
    at: c.at,
    change: JSON.stringify(c.change),
  }));
  for (let i = 0; i < rows.length; i += BATCH)
    await tx(CHANGES).insert(rows.slice(i, i + BATCH));
}

export type ExposureStore = ReturnType<typeof createExposureStoreOf>;
