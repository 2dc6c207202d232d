/*
 * The JSON of the backend's routes API (plugins/traffic-path-backend,
 * src/schema/openapi.yaml), shared with the frontend.
 */
import { Report } from './model';

export type ClusterErrorReason =
  | 'timeout'
  | 'unauthorized'
  | 'forbidden'
  | 'unreachable'
  | 'bad-response'
  | 'error';

export type ClusterRoutes =
  | {
      cluster: string;
      report: Report;
      /** Optional reads that failed (e.g. Nodes forbidden): the answer is less complete. */
      warnings: string[];
      /** API calls this answer caused (0 when it came from the cache). */
      apiCalls: number;
      /**
       * What served it: `watch`, the backend's live model of the cluster
       * (kept current by watches), or `request`, reads made for answers.
       */
      mode?: 'watch' | 'request';
      /** When its objects were last known to match the cluster (ISO 8601). */
      observedAt?: string;
      /** Why a cluster was read per request while the backend watches clusters. */
      modeReason?: string;
    }
  | {
      cluster: string;
      error: { reason: ClusterErrorReason; message: string; status?: number };
    };

export type EntityRoutes = {
  entityRef: string;
  /** False when the entity has no Kubernetes annotation; `hint` says which to add. */
  configured: boolean;
  hint?: string;
  clusters: ClusterRoutes[];
};

/**
 * The Backstage signals channel on which the backend says that an entity's
 * routes changed in a watched cluster (`@backstage/plugin-signals`): the
 * card subscribes to it and fetches the routes again.
 */
export function entityRoutesChannel(entityRef: string): string {
  return `traffic-path:routes:${entityRef.toLocaleLowerCase('en-US')}`;
}

/** The message of a signal on `entityRoutesChannel`: which cluster changed, as of when. */
export type EntityRoutesSignal = {
  entityRef: string;
  cluster: string;
  /** When the cluster's model last matched the cluster (ISO 8601). */
  observedAt: string;
};
