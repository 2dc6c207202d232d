/*
 * Why one read of a cluster failed, in parts: each surface (the backend's
 * per-cluster errors, the CLI's warnings) words it in its own voice, and
 * the reasons map to the API's error reasons in one place.
 */

export type ReadProblem =
  /** The API server answered with an error status (its `Status` message is the detail). */
  | 'status'
  /** A body that is not JSON, or JSON that is not a list. */
  | 'bad-body'
  /** A body larger than the configured bound. */
  | 'too-large'
  /** The API server could not be reached, or the connection broke. */
  | 'unreachable'
  /** No answer in time. */
  | 'timeout';

export class ReadError extends Error {
  constructor(
    /** The API path that was read. */
    readonly path: string,
    readonly problem: ReadProblem,
    /** What went wrong, without the path: a Status message, a transport error. */
    readonly detail: string,
    /** The HTTP status, when there was an answer. */
    readonly status?: number,
  ) {
    super(`GET ${path}: ${status ? `HTTP ${status} ` : ''}${detail}`);
    this.name = 'ReadError';
  }
}

/** Per read: its objects (and how many pages, API calls, they took), or why it failed. */
export type ReadOutcome<T> =
  | {
      objects: T[];
      pages?: number;
      /** The list's `metadata.resourceVersion`, where a watch of it starts. */
      resourceVersion?: string;
    }
  | { error: ReadError };
