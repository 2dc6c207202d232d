/*
 * The next page of a read that a caller pages through (the live model's
 * lists, a page a request): asked of the API server as soon as this page's
 * `continue` token is known, so that the API server's latency and its work
 * on the next page overlap what follows this one (trimming it, sending it,
 * the caller reading it, the caller's next request) instead of coming after
 * it. A continue token's pages all show the list at its first page's
 * version, so a page asked a moment early is the same page. One page ahead
 * per read, kept briefly, given only to a request with the same cluster,
 * credential and page path, and bounded in number (each is one page's
 * bytes at most).
 */
import { createHash } from 'node:crypto';
import { KubernetesCredential } from '@backstage/plugin-kubernetes-node';
import { PageAnswer } from '@internal/plugin-traffic-path-node';

export type PagePrefetch = {
  /** The page fetched ahead under this key, handed out once; undefined when there is none. */
  take(key: string): Promise<PageAnswer> | undefined;
  /** Fetches a page ahead, unless `maxPages` are held already or it is held. */
  ahead(key: string, fetch: () => Promise<PageAnswer>): void;
  /** Pages held now. */
  size(): number;
};

/** Who reads a cluster, as a key: pages fetched with one credential go to no other. */
export function readerKey(
  cluster: { name: string; url: string },
  credential: KubernetesCredential,
): string {
  let secret = '';
  if (credential.type === 'bearer token') secret = credential.token;
  else if (credential.type === 'x509 client certificate')
    secret = `${credential.cert}\n${credential.key}`;
  return createHash('sha256')
    .update(`${cluster.name}\n${cluster.url}\n${credential.type}\n${secret}`)
    .digest('hex');
}

export function pagePrefetch(options: {
  maxPages: number;
  /** A page not asked for within this long is dropped (its caller stopped paging). */
  keepMs: number;
}): PagePrefetch {
  const held = new Map<
    string,
    { page: Promise<PageAnswer>; timer: NodeJS.Timeout }
  >();
  return {
    take(key) {
      const entry = held.get(key);
      if (!entry) return undefined;
      held.delete(key);
      clearTimeout(entry.timer);
      return entry.page;
    },
    ahead(key, fetch) {
      if (held.has(key) || held.size >= options.maxPages) return;
      const page = fetch();
      // Whoever takes it sees a failure; until then it is nobody's to report.
      page.catch(() => {});
      const timer = setTimeout(() => held.delete(key), options.keepMs);
      timer.unref();
      held.set(key, { page, timer });
    },
    size: () => held.size,
  };
}
