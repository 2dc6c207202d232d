/*
 * Live mode, loaded only when --kubeconfig is given: the Kubernetes client
 * takes longer to load than a check of a 50k-pod dump takes to run.
 */
import type { LiveOptions, LiveResult } from './live';

let loaded: typeof import('./live') | undefined;

export async function readLiveCluster(
  options: LiveOptions,
): Promise<LiveResult> {
  loaded ??= require('./live') as typeof import('./live');
  return loaded.readLiveCluster(options);
}

/** Whether e is live mode's input error (false when live mode never ran). */
export function isLiveInputError(e: unknown): e is Error {
  return !!loaded && e instanceof loaded.LiveInputError;
}
