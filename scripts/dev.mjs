#!/usr/bin/env node
// `yarn dev`: the embedded demo clusters (HTTPS, bearer token) — `demo` on 127.0.0.1:7010 and
// `shop` (a second team's cluster, for the ownership review) on 127.0.0.1:7011 — then the
// portal (frontend on :3000, backend on :7007). Ctrl-C stops them all.
// Set TRAFFIC_PATH_DEMO_CLUSTER=off to start the portal alone (for a real cluster).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const clusters = [
  {
    name: 'demo cluster',
    port: '7010',
    scenarios: [
      'test/scenarios/seed-004/cluster',
      'test/scenarios/seed-003/cluster',
      'test/scenarios/portal-storefront/cluster',
    ],
  },
  {
    name: 'shop demo cluster',
    port: '7011',
    scenarios: ['test/scenarios/review-shop/cluster'],
  },
];
const token = process.env.DEMO_CLUSTER_TOKEN ?? 'traffic-path-demo';
const children = [];

function stopAll(code) {
  for (const child of children) {
    try {
      child.kill('SIGTERM');
    } catch {
      // already gone
    }
  }
  process.exit(code);
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

function start(command, args, name) {
  // Children stay in this process group: whoever stops `yarn dev` by its
  // group (Playwright does) stops them too; no orphan keeps the pipes open.
  const child = spawn(command, args, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: process.env,
  });
  children.push(child);
  child.on('exit', code => {
    process.stderr.write(`${name} exited with ${code}\n`);
    stopAll(code ?? 1);
  });
  return child;
}

function startPortal() {
  // `yarn dev` puts its own yarn on the PATH of this script.
  const portal = start('yarn', ['backstage-cli', 'repo', 'start'], 'portal');
  portal.stdout.pipe(process.stdout);
}

if (process.env.TRAFFIC_PATH_DEMO_CLUSTER === 'off') {
  startPortal();
} else {
  // The portal starts once every demo cluster says it is serving (its first line that starts so).
  let waiting = clusters.length;
  for (const cluster of clusters) {
    const demo = start(
      process.execPath,
      [
        join(root, 'packages/demo-cluster/bin/demo-cluster'),
        'serve',
        ...cluster.scenarios,
        '--port',
        cluster.port,
        '--token',
        token,
        // The e2e tests change the demo cluster over HTTP (same bearer token).
        '--control-endpoints',
        'true',
      ],
      cluster.name,
    );
    let serving = false;
    createInterface({ input: demo.stdout }).on('line', line => {
      process.stdout.write(`${line}\n`);
      if (!serving && line.startsWith('demo-cluster: serving ')) {
        serving = true;
        waiting -= 1;
        if (waiting === 0) startPortal();
      }
    });
  }
}
