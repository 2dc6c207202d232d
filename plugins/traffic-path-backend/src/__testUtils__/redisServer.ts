/*
 * A real redis-server (Debian's package) on a free loopback port, without
 * persistence, for the shared-cache test. `.ci/run` installs it.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';

export type TestRedis = { url: string; keyCount(): Promise<number> };

/** A loopback port nobody listens on (now). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  await new Promise(r => server.close(r));
  return port;
}

export async function startRedis(): Promise<TestRedis> {
  try {
    execFileSync('redis-server', ['--version']);
  } catch {
    throw new Error(
      'redis-server is not installed: apt-get install -y redis-server (.ci/run does it)',
    );
  }
  const port = await freePort();
  // Redis lives as long as the test process, not less: the cache clients of
  // stopped backends stay connected and would report a closed socket. The
  // shell stops it when our end of its stdin closes, even if Jest kills us.
  const child: ChildProcess = spawn(
    'sh',
    [
      '-c',
      `redis-server --port ${port} --bind 127.0.0.1 --save '' --appendonly no & pid=$!; cat >/dev/null; kill $pid`,
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`redis-server did not start: ${output}`)),
      10_000,
    );
    child.stdout!.on('data', chunk => {
      output += chunk;
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', code =>
      reject(new Error(`redis-server exited with ${code}: ${output}`)),
    );
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    keyCount: async () =>
      Number(
        execFileSync('redis-cli', ['-p', String(port), 'DBSIZE'])
          .toString()
          .trim(),
      ),
  };
}
