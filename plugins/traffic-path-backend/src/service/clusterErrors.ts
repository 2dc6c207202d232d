/*
 * What a user is told about a cluster that could not be read: the words of
 * a failed list (a warning, or the cluster's error) and the reason of a
 * cluster's error entry, in one place.
 */
import {
  ClusterErrorReason,
  ClusterRoutes,
} from '@internal/plugin-traffic-path-common';
import { ReadError } from '@internal/plugin-traffic-path-node';
import { ClusterCallError } from './kubernetesBackendClient';

/** A failed list of a cluster, in words that name the cluster and the list. */
export function readErrorMessage(cluster: string, e: ReadError): string {
  const answered = `cluster ${cluster} answered ${e.path}`;
  switch (e.problem) {
    case 'status':
      return `${answered} with ${e.status}: ${e.detail}`;
    case 'bad-body':
      return `${answered} with ${e.detail}${
        e.status ? ` (HTTP ${e.status})` : ''
      }`;
    case 'too-large':
      return `${answered} with ${e.detail} (trafficPath.reads.maxMegabytes)`;
    case 'timeout':
      return `cluster ${cluster} did not answer ${e.path} in time: ${e.detail}`;
    default:
      return `cluster ${cluster} could not be reached for ${e.path}: ${e.detail}`;
  }
}

function reasonOf(e: ReadError): ClusterErrorReason {
  if (e.status === 401) return 'unauthorized';
  if (e.status === 403) return 'forbidden';
  if (e.problem === 'bad-body' || e.problem === 'too-large')
    return 'bad-response';
  if (e.problem === 'timeout') return 'timeout';
  if (e.problem === 'unreachable' || (e.status ?? 0) >= 500)
    return 'unreachable';
  return 'error';
}

/** The error entry of a cluster whose answer failed. */
export function clusterErrorEntry(cluster: string, e: unknown): ClusterRoutes {
  if (e instanceof ReadError)
    return {
      cluster,
      error: {
        reason: reasonOf(e),
        message: readErrorMessage(cluster, e),
        ...(e.status ? { status: e.status } : {}),
      },
    };
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof ClusterCallError)
    return {
      cluster,
      error: {
        reason: e.reason,
        message,
        ...(e.status ? { status: e.status } : {}),
      },
    };
  return { cluster, error: { reason: 'unreachable', message } };
}

/** The error entry of a cluster that did not answer within the cluster timeout. */
export function clusterTimeoutEntry(
  cluster: string,
  timeoutMs: number,
): ClusterRoutes {
  return {
    cluster,
    error: {
      reason: 'timeout',
      message: `the cluster did not answer within ${timeoutMs / 1000} s`,
    },
  };
}
