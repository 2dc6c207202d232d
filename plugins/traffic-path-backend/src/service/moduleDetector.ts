/*
 * Whether the Kubernetes backend has the Traffic Path module, asked of the
 * module itself: `GET /api/kubernetes/traffic-path/v1/capabilities`
 * (through discovery). What was learnt is kept until a request through the
 * module fails, or, when the module was not there, for `recheckMs`: a
 * module installed or upgraded later is found without a restart.
 */
import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  CAPABILITIES_ROUTE,
  ListsCapability,
  LISTS_VERSION,
} from '@internal/plugin-traffic-path-node';

export type { ListsCapability };

export type ModuleDetector = {
  /** The module's lists route, or undefined when the Kubernetes backend has none. */
  lists(): Promise<ListsCapability | undefined>;
  /** Forgets what was learnt: the next `lists()` asks again. */
  forget(): void;
};

/** Asks once; undefined when there is no module (or none this backend can use). */
export type Probe = () => Promise<ListsCapability | undefined>;

export function createModuleDetector(options: {
  probe: Probe;
  /** How long "no module" holds before the module is asked for again. */
  recheckMs: number;
  logger?: LoggerService;
  now?: () => number;
}): ModuleDetector {
  const now = options.now ?? Date.now;
  let known: { lists?: ListsCapability; until: number } | undefined;
  let asking: Promise<ListsCapability | undefined> | undefined;

  return {
    async lists() {
      if (known && known.until > now()) return known.lists;
      if (!asking) {
        const before = known;
        asking = options
          .probe()
          .catch(() => undefined)
          .then(lists => {
            known = {
              lists,
              until: lists ? Infinity : now() + options.recheckMs,
            };
            if (!lists && (before === undefined || before.lists))
              options.logger?.info(
                'The Kubernetes backend has no Traffic Path module: reading clusters through its proxy, one request per list',
              );
            if (lists && !before?.lists)
              options.logger?.info(
                `Reading clusters through the Traffic Path module of the Kubernetes backend (up to ${lists.maxReads} lists a request)`,
              );
            return lists;
          })
          .finally(() => {
            asking = undefined;
          });
      }
      return asking;
    },
    forget() {
      if (known) known = { ...known, until: 0 };
    },
  };
}

/** Asks the module for its capabilities with the backend's own service credentials. */
export function probeModule(deps: {
  discovery: DiscoveryService;
  auth: AuthService;
  timeoutMs: number;
}): Probe {
  return async () => {
    const { token } = await deps.auth.getPluginRequestToken({
      onBehalfOf: await deps.auth.getOwnServiceCredentials(),
      targetPluginId: 'kubernetes',
    });
    const base = await deps.discovery.getBaseUrl('kubernetes');
    const res = await fetch(`${base}${CAPABILITIES_ROUTE}`, {
      headers: { Authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(deps.timeoutMs),
    });
    if (!res.ok) return undefined;
    const lists = ((await res.json()) as { lists?: Partial<ListsCapability> })
      ?.lists;
    if (
      lists?.version !== LISTS_VERSION ||
      typeof lists.maxReads !== 'number' ||
      lists.maxReads < 1
    )
      return undefined;
    return lists as ListsCapability;
  };
}
