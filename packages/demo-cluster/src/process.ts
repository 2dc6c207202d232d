/*
 * A demo cluster in its own process (`demo-cluster serve`), driven over its
 * control endpoints: for a benchmark that measures a backend's memory and
 * CPU without the served cluster's objects in the same process.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { KubeObject } from '@internal/plugin-traffic-path-common';
import { CONTROL_PREFIX } from './control';
import type { ChangeSummary, Fault, RequestCounts } from './server';
import type { ObjectReference } from './store';

export type DemoClusterProcessOptions = {
  /** The objects to serve (written to a file the process reads), or … */
  objects?: KubeObject[];
  /** … files and directories to serve, reloaded when they change. */
  files?: string[];
  token?: string;
  latencyMs?: number;
  faults?: Fault[];
  watchHistory?: number;
  bookmarkIntervalMs?: number;
  insecureHttp?: boolean;
  port?: number;
  /** How long to wait for the process to serve, in ms (default 60 s: a large cluster takes a while to read). */
  startTimeoutMs?: number;
};

export type DemoClusterProcess = {
  url: string;
  certificate?: string;
  pid: number;
  apply(objects: KubeObject[]): Promise<ChangeSummary[]>;
  remove(refs: ObjectReference[]): Promise<ChangeSummary[]>;
  replace(objects: KubeObject[]): Promise<ChangeSummary[]>;
  setFaults(faults: Fault[]): Promise<void>;
  setLatency(ms: number): Promise<void>;
  endWatches(how: 'end' | 'drop'): Promise<number>;
  requestCounts(): Promise<RequestCounts>;
  close(): Promise<void>;
};

/** The package's own command, found as Node finds the package. */
const bin = join(
  dirname(require.resolve('@internal/traffic-path-demo-cluster/package.json')),
  'bin/demo-cluster',
);

export async function startDemoClusterProcess(
  options: DemoClusterProcessOptions,
): Promise<DemoClusterProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'demo-cluster-process-'));
  const inputs = [...(options.files ?? [])];
  if (options.objects) {
    const file = join(dir, 'objects.json');
    writeFileSync(
      file,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: options.objects,
      }),
    );
    inputs.push(file);
  }
  if (inputs.length === 0)
    throw new Error('startDemoClusterProcess: give objects or files');
  const args = ['serve', ...inputs, '--port', String(options.port ?? 0)];
  const add = (name: string, value: string | number | undefined) => {
    if (value !== undefined) args.push(name, String(value));
  };
  add('--token', options.token);
  add('--latency', options.latencyMs);
  add('--watch-history', options.watchHistory);
  if (options.bookmarkIntervalMs !== undefined)
    add('--bookmark-interval', options.bookmarkIntervalMs / 1000);
  if (options.faults) {
    const file = join(dir, 'faults.json');
    writeFileSync(file, JSON.stringify(options.faults));
    add('--faults', file);
  }
  if (options.insecureHttp) add('--insecure-http', 'true');
  add('--reload', options.files ? 'true' : 'false');
  add('--control-endpoints', 'true');
  const caFile = join(dir, 'ca.pem');
  add('--ca-out', caFile);

  const child: ChildProcess = spawn(process.execPath, [bin, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`the demo cluster did not start: ${stderr}`));
    }, options.startTimeoutMs ?? 60_000);
    createInterface({ input: child.stdout! }).on('line', line => {
      const m = /serving \d+ objects at (\S+?)[,\s]/.exec(`${line} `);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', code => {
      clearTimeout(timer);
      reject(
        new Error(
          `the demo cluster exited with ${code} before serving: ${stderr}`,
        ),
      );
    });
  });
  const certificate = options.insecureHttp
    ? undefined
    : readFileSync(caFile, 'utf8');

  const call = <T>(method: string, what: string, body?: unknown) =>
    new Promise<T>((resolve, reject) => {
      const target = new URL(`${CONTROL_PREFIX}${what}`, url);
      const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = request(
        target,
        {
          method,
          headers: {
            'Content-Type': 'application/json',
            ...(options.token
              ? { Authorization: `Bearer ${options.token}` }
              : {}),
          },
          ...(certificate ? { ca: certificate } : {}),
        },
        res => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => {
            if (res.statusCode === 200) resolve(JSON.parse(text));
            else
              reject(
                new Error(
                  `${method} ${target.pathname}: HTTP ${res.statusCode} ${text}`,
                ),
              );
          });
        },
      );
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });

  return {
    url,
    ...(certificate ? { certificate } : {}),
    pid: child.pid!,
    apply: objects => call('POST', 'apply', objects),
    remove: refs => call('POST', 'remove', refs),
    replace: objects => call('POST', 'replace', objects),
    setFaults: async faults => {
      await call('POST', 'faults', faults);
    },
    setLatency: async ms => {
      await call('POST', 'latency', { ms });
    },
    endWatches: async how =>
      (await call<{ ended: number }>('POST', 'end-watches', { how })).ended,
    requestCounts: () => call('GET', 'requests'),
    close: () =>
      new Promise<void>(resolve => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
