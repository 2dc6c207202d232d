#!/usr/bin/env node
// The two entry points of the README on a fresh machine:
//   node scripts/tp.mjs start   install everything, start the portal with the demo cluster
//   node scripts/tp.mjs test    install everything, run the whole test suite
// It uses the yarn release committed in .yarn/releases, so neither corepack nor a
// global yarn is needed, and installs exactly what yarn.lock says.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const commands = {
  start: ['dev'],
  test: ['test:all-suites'],
};

function fail(message) {
  process.stderr.write(`traffic-path: ${message}\n`);
  process.exit(2);
}

const command = process.argv[2];
if (!commands[command]) {
  fail(`usage: node scripts/tp.mjs ${Object.keys(commands).join('|')}`);
}
const major = Number(process.versions.node.split('.')[0]);
if (major !== 22 && major !== 24) {
  fail(`Node.js 22 or 24 is needed, this is ${process.versions.node}`);
}

const yarnPath = readFileSync(join(root, '.yarnrc.yml'), 'utf8').match(
  /^yarnPath:\s*(.+)$/m,
)?.[1];
if (!yarnPath || !existsSync(join(root, yarnPath))) {
  fail('the committed yarn release named by .yarnrc.yml is missing');
}

function yarn(args) {
  const result = spawnSync(process.execPath, [join(root, yarnPath), ...args], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, YARN_ENABLE_PROGRESS_BARS: 'false' },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// A CI machine must install exactly the lockfile; a developer may have changed it.
yarn(process.env.CI ? ['install', '--immutable'] : ['install']);
yarn(commands[command]);
