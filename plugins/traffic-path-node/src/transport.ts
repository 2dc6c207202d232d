/*
 * Getting one page from an API server: straight over HTTPS with a
 * kubeconfig's TLS and credentials (`KubeConfig.applyToHTTPSOptions`, so
 * tokens, client certificates and exec plugins work as in kubectl), or
 * with `fetch` (the Kubernetes backend's proxy). Bodies are read up to a
 * bound, never further.
 */
import { Agent, request as httpsRequest, RequestOptions } from 'node:https';
import { request as httpRequest } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
// A type only: whoever passes a KubeConfig has loaded the (ESM, slow to load) client already.
import type { KubeConfig } from '@kubernetes/client-node';
import { acceptHeader } from '@internal/plugin-traffic-path-common';
import { GetPage, PageAnswer } from './listReader';
import { ReadError } from './readError';

const MiB = 1024 * 1024;

const sizeOf = (bytes: number) =>
  bytes >= MiB
    ? `${Math.round((bytes / MiB) * 10) / 10} MiB`
    : `${bytes} bytes`;

const tooLarge = (path: string, maxBytes: number) =>
  new ReadError(
    path,
    'too-large',
    `an answer larger than ${sizeOf(maxBytes)}, the bound of one read`,
  );

/**
 * The text of a body, read until `maxBytes` and no further. Each chunk is
 * decoded as it comes (a character split between chunks is kept for the
 * next): a large body is never copied whole into native memory, which the
 * allocator keeps after it is freed (the process's RSS), only into the
 * JavaScript heap, which gives it back.
 */
export async function boundedText(
  chunks: AsyncIterable<Uint8Array | string>,
  maxBytes: number,
  path: string,
): Promise<string> {
  const decoder = new StringDecoder('utf8');
  const parts: string[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    if (typeof chunk === 'string') {
      size += Buffer.byteLength(chunk, 'utf8');
      if (size > maxBytes) throw tooLarge(path, maxBytes);
      parts.push(decoder.write(Buffer.from(chunk, 'utf8')));
      continue;
    }
    size += chunk.byteLength;
    if (size > maxBytes) throw tooLarge(path, maxBytes);
    // A view, not a copy.
    parts.push(
      decoder.write(
        Buffer.isBuffer(chunk)
          ? chunk
          : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength),
      ),
    );
  }
  parts.push(decoder.end());
  return parts.join('');
}

/** An API server and how to reach it. */
export type ApiServer = {
  /** Its base URL, e.g. `https://10.0.0.1:6443`. */
  server: string;
  /** Puts TLS options, credentials and the agent on a request. */
  applyTo(options: RequestOptions): Promise<void>;
};

/**
 * The current cluster and user of a kubeconfig. With `agent`, requests share
 * its kept-alive connections (unless the cluster is reached through a proxy,
 * whose agent client-node makes).
 */
export function apiServerOfKubeConfig(
  kc: KubeConfig,
  agent?: Agent,
): ApiServer {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  return {
    server: cluster.server,
    async applyTo(options) {
      await kc.applyToHTTPSOptions(options);
      if (agent && !cluster.proxyUrl) options.agent = agent;
    },
  };
}

type SettleWith = {
  resolve(answer: PageAnswer): void;
  reject(e: unknown): void;
};

/** Gets pages straight from an API server; `timeoutMs` bounds the wait for each answer. */
export function httpsPages(api: ApiServer, timeoutMs: number): GetPage {
  return async (path, read, { maxBytes, signal }) => {
    const url = new URL(api.server.replace(/\/$/, '') + path);
    const options: RequestOptions = {
      method: 'GET',
      headers: { Accept: acceptHeader(read) },
      timeout: timeoutMs,
      ...(signal ? { signal } : {}),
    };
    await api.applyTo(options);
    if (url.protocol === 'http:') delete options.agent;
    return new Promise<PageAnswer>((resolve, reject) => {
      // A kept-alive socket keeps the first request made on it, and so these listeners, for
      // as long as it lives: once the page is settled they must not keep it (its whole text)
      // alive too. Only `settle` is theirs, and it is dropped then.
      let settle: SettleWith | undefined = { resolve, reject };
      const done = (f: (s: SettleWith) => void) => {
        const s = settle;
        settle = undefined;
        if (s) f(s);
      };
      const req = (url.protocol === 'http:' ? httpRequest : httpsRequest)(
        url,
        options,
        res => {
          boundedText(res, maxBytes, path).then(
            text => done(s => s.resolve({ status: res.statusCode ?? 0, text })),
            e => {
              req.destroy();
              done(s => s.reject(e));
            },
          );
        },
      );
      req.on('timeout', () =>
        req.destroy(
          new ReadError(
            path,
            'timeout',
            `no answer within ${timeoutMs / 1000} s`,
          ),
        ),
      );
      req.on('error', e =>
        done(s =>
          s.reject(
            e instanceof ReadError
              ? e
              : new ReadError(
                  path,
                  signal?.aborted ? 'timeout' : 'unreachable',
                  e.message,
                ),
          ),
        ),
      );
      req.end();
    });
  };
}

/**
 * Gets pages with `fetch` from `base` + path (the Kubernetes backend's
 * proxy), with the given headers.
 */
export function fetchPages(
  base: string,
  headers: Record<string, string>,
): GetPage {
  return async (path, read, { maxBytes, signal }) => {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        signal,
        headers: { ...headers, Accept: acceptHeader(read) },
      });
    } catch (e) {
      throw new ReadError(
        path,
        signal?.aborted ? 'timeout' : 'unreachable',
        (e as Error).message,
      );
    }
    const text = res.body ? await boundedText(res.body, maxBytes, path) : '';
    return { status: res.status, text };
  };
}
