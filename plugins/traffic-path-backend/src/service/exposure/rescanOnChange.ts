/*
 * With the live model (trafficPath.watch), a new snapshot of a watched
 * cluster may change entities' routes: the scan is triggered then, a
 * moment after the first snapshot (others coalesce into the same run) and
 * at most once per minimum interval, since a scan resolves every entity.
 * The scan is the scheduler's global task, so however many backends see
 * the snapshot, one runs it; each entity's summary goes through the same
 * seam (ExposureService.recordEntityRoutes).
 */
import { LoggerService } from '@backstage/backend-plugin-api';

export function rescanOnChange(deps: {
  onSnapshot(listener: () => void): void;
  /** Starts the scan now (the scheduler's triggerTask). */
  trigger(): Promise<void>;
  delayMs: number;
  minIntervalMs: number;
  logger: LoggerService;
  now?: () => number;
}) {
  const now = deps.now ?? Date.now;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastRun = -Infinity;
  let stopped = false;
  deps.onSnapshot(() => {
    if (timer || stopped) return;
    const wait = Math.max(deps.delayMs, lastRun + deps.minIntervalMs - now());
    timer = setTimeout(async () => {
      timer = undefined;
      lastRun = now();
      try {
        await deps.trigger();
      } catch (e) {
        // Already running (ConflictError), or the backend stops: the next snapshot tries again.
        deps.logger.debug(
          `exposure scan on a cluster change not started: ${
            (e as Error).message
          }`,
        );
      }
    }, wait);
    timer.unref?.();
  });
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
