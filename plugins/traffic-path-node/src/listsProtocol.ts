/*
 * The protocol between Traffic Path's backend and its module of the
 * Kubernetes backend, in one place (both sides import it): the routes, the
 * capabilities the module reports, and one read's answer.
 */
import { ReadProblem } from './readError';

/** Under the Kubernetes backend's base URL: what the module takes. */
export const CAPABILITIES_ROUTE = '/traffic-path/v1/capabilities';
/** Under the Kubernetes backend's base URL: several lists of one cluster in one request. */
export const LISTS_ROUTE = '/traffic-path/v1/lists';
/** The version of the lists protocol; a backend uses a module only of its own version. */
export const LISTS_VERSION = 1;
/** Under the Kubernetes backend's base URL: one watch of a cluster's list path, streamed. */
export const WATCH_ROUTE = '/traffic-path/v1/watch';

/** What `GET …/capabilities` answers under `lists`. */
export type ListsCapability = {
  version: number;
  /** Reads one request may hold. */
  maxReads: number;
  /** Items per page the module asks for. */
  pageSize: number;
  /** Bytes one read may hold. */
  maxBytes: number;
  /** Whether `POST …/watch` streams watches with the clusters' server-side credentials. */
  watch?: boolean;
};

/** One read of `POST …/lists`. */
export type ListsRead = {
  path: string;
  kind?: string;
  metadataOnly?: boolean;
  /** Keep of each object only what the live model keeps (`trimForModel`), page by page. */
  trim?: boolean;
  /** Items per page for this read (at most `MAX_PAGE_SIZE`), instead of the module's setting. */
  pageSize?: number;
  /**
   * One page only, from this `continue` token when set: the answer's
   * `metadata.continue` names the next. The caller pages, so that no side
   * holds a long list whole.
   */
  page?: { continue?: string };
};

/** The largest page a read may ask of the module. */
export const MAX_PAGE_SIZE = 10_000;

/**
 * One read's answer. A whole list (all pages) is `status` 200 with a `List`
 * body; an API server's refusal keeps its status, with a `Status` body;
 * anything else is `error` (and `problem`), with status 0 when there was no
 * answer.
 */
export type ListsResult = {
  status: number;
  body?: unknown;
  /** The API calls (pages) a whole list took. */
  pages?: number;
  error?: string;
  problem?: ReadProblem;
};
