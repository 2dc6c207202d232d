/*
 * Signals of changed routes: for every entity asked for lately (the cards
 * that are open, or were), each new snapshot of a watched cluster is
 * resolved for it (a lookup the next request reuses), and when its routes
 * or findings differ from the last ones, a signal goes out on the entity's
 * channel. The signal says only that the entity's routes changed and when:
 * the card then asks again, with its user's permissions.
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  entityRoutesChannel,
  EntityRoutesSignal,
  Report,
} from '@internal/plugin-traffic-path-common';
import { createHash } from 'node:crypto';
import { EntitySelection } from './entitySelection';
import { LiveModels } from './liveModels';
import { ModelSnapshot } from './modelSnapshot';

export type PublishSignal = (
  channel: string,
  message: EntityRoutesSignal,
) => Promise<void>;

export type EntityChangeSignals = {
  /** The entity was answered from this snapshot: watch its routes there for a while. */
  asked(
    entityRef: string,
    selection: EntitySelection,
    snapshot: ModelSnapshot,
  ): void;
};

/** What a card shows of a report, as a short digest: equal digests, nothing to redraw. */
export function reportDigest(report: Report): string {
  return createHash('sha256')
    .update(JSON.stringify([report.routes, report.findings]))
    .digest('base64url');
}

type Watched = {
  selection: EntitySelection;
  until: number;
  /** The digest of its routes per cluster, as last answered or resolved. */
  digests: Map<string, string>;
};

export function createEntityChangeSignals(deps: {
  models: LiveModels;
  publish: PublishSignal;
  /** The entity's routes from a snapshot (the routes service's lookup). */
  resolve(
    snapshot: ModelSnapshot,
    entityRef: string,
    selection: EntitySelection,
  ): Report;
  /** How long an entity is watched after it was last asked for. */
  windowMs: number;
  logger: LoggerService;
  now?: () => number;
}): EntityChangeSignals {
  const now = deps.now ?? Date.now;
  const watched = new Map<string, Watched>();

  deps.models.onSnapshot(snapshot => {
    const time = now();
    for (const [entityRef, entry] of watched) {
      if (entry.until < time) {
        watched.delete(entityRef);
        continue;
      }
      const before = entry.digests.get(snapshot.cluster);
      if (before === undefined) continue; // not answered from this cluster
      const digest = reportDigest(
        deps.resolve(snapshot, entityRef, entry.selection),
      );
      if (digest === before) continue;
      entry.digests.set(snapshot.cluster, digest);
      deps
        .publish(entityRoutesChannel(entityRef), {
          entityRef,
          cluster: snapshot.cluster,
          observedAt: new Date(snapshot.observedAt).toISOString(),
        })
        .catch(e =>
          deps.logger.warn(
            `signal of changed routes of ${entityRef}: ${(e as Error).message}`,
          ),
        );
    }
  });

  return {
    asked(entityRef, selection, snapshot) {
      if (deps.windowMs <= 0) return;
      const entry = watched.get(entityRef) ?? {
        selection,
        until: 0,
        digests: new Map(),
      };
      entry.selection = selection;
      entry.until = now() + deps.windowMs;
      entry.digests.set(
        snapshot.cluster,
        reportDigest(deps.resolve(snapshot, entityRef, selection)),
      );
      watched.set(entityRef, entry);
    },
  };
}
