/*
 * A real PostgreSQL server (Debian's package) in a temporary directory on a
 * free loopback port, for the exposure store's tests; stopped and removed
 * by `stop()`. `.ci/run` installs it. PostgreSQL refuses to run as root, so
 * as root it runs as the `postgres` user the package creates.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './redisServer';

export type TestPostgres = {
  connection: { host: string; port: number; user: string; password: string };
  stop(): void;
};

function binDir(): string {
  for (const version of ['17', '16', '15', '14', '13']) {
    const dir = `/usr/lib/postgresql/${version}/bin`;
    if (existsSync(join(dir, 'initdb'))) return dir;
  }
  try {
    return execFileSync('sh', ['-c', 'dirname "$(command -v initdb)"'], {
      encoding: 'utf8',
    }).trim();
  } catch {
    throw new Error(
      'PostgreSQL is not installed: apt-get install -y postgresql (.ci/run does it)',
    );
  }
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), 'traffic-path-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) =>
    asRoot
      ? execFileSync(
          'runuser',
          ['-u', 'postgres', '--', join(bin, cmd), ...args],
          {
            stdio: 'pipe',
          },
        )
      : execFileSync(join(bin, cmd), args, { stdio: 'pipe' });
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
  run('pg_ctl', [
    '-D',
    data,
    '-l',
    join(dir, 'log'),
    '-w',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
    'start',
  ]);
  return {
    connection: { host: '127.0.0.1', port, user: 'postgres', password: '' },
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
