import { mockServices } from '@backstage/backend-test-utils';
import { rescanOnChange } from './rescanOnChange';

describe('rescanOnChange', () => {
  it('scans a moment after a snapshot, coalesces the next ones, and keeps the minimum interval', async () => {
    let emit = () => {};
    const runs: number[] = [];
    const started = Date.now();
    const rescan = rescanOnChange({
      onSnapshot: l => {
        emit = l;
      },
      trigger: async () => {
        runs.push(Date.now() - started);
      },
      delayMs: 20,
      minIntervalMs: 150,
      logger: mockServices.logger.mock(),
    });
    emit();
    emit();
    emit();
    await new Promise(r => setTimeout(r, 60));
    expect(runs).toHaveLength(1);
    emit(); // within the minimum interval: waits for it
    await new Promise(r => setTimeout(r, 60));
    expect(runs).toHaveLength(1);
    await new Promise(r => setTimeout(r, 150));
    expect(runs).toHaveLength(2);
    expect(runs[1] - runs[0]).toBeGreaterThanOrEqual(140);
    rescan.stop();
    emit();
    await new Promise(r => setTimeout(r, 60));
    expect(runs).toHaveLength(2);
  });

  it('logs a trigger that fails (a scan already running) and tries again on the next snapshot', async () => {
    let emit = () => {};
    const logger = mockServices.logger.mock();
    let calls = 0;
    rescanOnChange({
      onSnapshot: l => {
        emit = l;
      },
      trigger: async () => {
        calls++;
        throw new Error('Task is already running');
      },
      delayMs: 5,
      minIntervalMs: 0,
      logger,
    });
    emit();
    await new Promise(r => setTimeout(r, 30));
    emit();
    await new Promise(r => setTimeout(r, 30));
    expect(calls).toBe(2);
    expect(logger.debug).toHaveBeenCalledWith(
      expect.stringContaining('Task is already running'),
    );
  });
});
