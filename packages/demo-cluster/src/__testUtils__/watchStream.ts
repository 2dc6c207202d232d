/*
 * A bare watch client for tests: opens `path` on a demo cluster, splits the
 * chunked body into newline-delimited JSON events, and says how the stream
 * ended (a clean end of the response, or a cut connection).
 */
import { request as httpRequest, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { DemoCluster } from '../server';

export type WatchEvent = {
  type: string;
  object: {
    kind?: string;
    code?: number;
    reason?: string;
    message?: string;
    metadata: {
      name?: string;
      namespace?: string;
      resourceVersion?: string;
      labels?: Record<string, string>;
      annotations?: Record<string, string>;
    };
    [key: string]: unknown;
  };
};

export type WatchStream = {
  status: number;
  headers: IncomingMessage['headers'];
  /** The body when the answer was not 200. */
  body: string;
  events: WatchEvent[];
  /** Lines that were not JSON. */
  garbage: string[];
  /** Resolves when at least `n` events came (rejects after `ms`). */
  waitFor(n: number, ms?: number): Promise<WatchEvent[]>;
  /** Resolves with how the stream ended. */
  ended: Promise<'end' | 'cut'>;
  close(): void;
};

export function openWatch(
  cluster: DemoCluster,
  path: string,
  token?: string,
): Promise<WatchStream> {
  const url = new URL(path, cluster.url);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        headers: token ? { Authorization: `Bearer ${token}` } : {},
        ...(cluster.certificate ? { ca: cluster.certificate } : {}),
      },
      res => {
        const events: WatchEvent[] = [];
        const garbage: string[] = [];
        const waiters: (() => void)[] = [];
        let body = '';
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (res.statusCode !== 200) {
            body += chunk;
            return;
          }
          buffer += chunk;
          let nl = buffer.indexOf('\n');
          while (nl >= 0) {
            const line = buffer.slice(0, nl);
            buffer = buffer.slice(nl + 1);
            try {
              events.push(JSON.parse(line));
            } catch {
              garbage.push(line);
            }
            nl = buffer.indexOf('\n');
          }
          waiters.splice(0).forEach(w => w());
        });
        const ended = new Promise<'end' | 'cut'>(done => {
          res.on('end', () => done('end'));
          res.on('aborted', () => done('cut'));
          res.on('error', () => done('cut'));
        });
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          get body() {
            return body;
          },
          events,
          garbage,
          ended,
          waitFor(n, ms = 5000) {
            return new Promise((ok, fail) => {
              const timer = setTimeout(
                () =>
                  fail(
                    new Error(
                      `waited ${ms} ms for ${n} events, got ${
                        events.length
                      }: ${JSON.stringify(
                        events.map(e => [e.type, e.object.metadata?.name]),
                      )}`,
                    ),
                  ),
                ms,
              );
              const check = () => {
                if (events.length >= n) {
                  clearTimeout(timer);
                  ok(events);
                } else {
                  waiters.push(check);
                }
              };
              check();
              ended.then(() => {
                if (events.length < n) {
                  clearTimeout(timer);
                  fail(
                    new Error(
                      `the watch ended after ${events.length} of ${n} events`,
                    ),
                  );
                }
              });
            });
          },
          close: () => req.destroy(),
        });
      },
    );
    req.on('error', e => reject(e));
    req.end();
  });
}

/** Reads a JSON answer of the demo cluster. */
export function getJson(
  cluster: DemoCluster,
  path: string,
  token?: string,
): Promise<{ status: number; body: any }> {
  const url = new URL(path, cluster.url);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    request(
      url,
      {
        headers: token ? { Authorization: `Bearer ${token}` } : {},
        ...(cluster.certificate ? { ca: cluster.certificate } : {}),
      },
      res => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }),
        );
      },
    )
      .on('error', reject)
      .end();
  });
}
