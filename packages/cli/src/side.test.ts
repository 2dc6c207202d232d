/*
 * diff's worker thread gives what the main thread gives, and its usage
 * errors stay usage errors.
 */
import { resolve } from 'node:path';
import { UsageError } from './args';
import { summariseInWorker, summariseSide } from './side';

// Each case traces whole scenarios; the full suite runs them all at once on two cores.
jest.setTimeout(60_000);

const root = resolve(__dirname, '../../..');

describe('summariseInWorker', () => {
  it('summarises a side as the main thread does', async () => {
    const request = {
      inputs: ['test/scenarios/diff-exposure/cluster'],
      cwd: root,
      clientIp: '203.0.113.7',
    };
    const inWorker = summariseInWorker(request, true);
    expect(inWorker).toBeDefined();
    expect(await inWorker).toEqual(await summariseSide(request));
  });

  it('turns a missing file into the usage error it is', async () => {
    await expect(
      summariseInWorker({ inputs: ['no/such/file'], cwd: root }, true),
    ).rejects.toEqual(
      new UsageError('no/such/file: no such file or directory'),
    );
  });

  it('leaves standard input and busy machines to the main thread', () => {
    expect(
      summariseInWorker({ inputs: ['-'], cwd: root }, true),
    ).toBeUndefined();
    expect(
      summariseInWorker({ inputs: ['x.yaml'], cwd: root }, false),
    ).toBeUndefined();
  });
});
