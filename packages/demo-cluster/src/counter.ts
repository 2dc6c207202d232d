/*
 * The requests a demo cluster received, counted by verb and path, and its
 * watches' events: what a test or a benchmark reads to count API calls.
 */
import type { RequestCounts, RequestRecord } from './server';
import type { WatchEventType } from './watch';

export class RequestCounter {
  /** Every request, in order. */
  readonly requests: RequestRecord[] = [];
  private readonly byVerb: Record<string, number> = {};
  private readonly byVerbAndPath: Record<string, number> = {};
  private readonly watchEvents: Record<string, number> = {};
  private openWatches = 0;

  record(record: RequestRecord) {
    this.requests.push(record);
    this.byVerb[record.verb] = (this.byVerb[record.verb] ?? 0) + 1;
    const key = `${record.verb} ${record.path}`;
    this.byVerbAndPath[key] = (this.byVerbAndPath[key] ?? 0) + 1;
  }

  watchOpened(): () => void {
    this.openWatches++;
    return () => {
      this.openWatches--;
    };
  }

  event(type: WatchEventType) {
    this.watchEvents[type] = (this.watchEvents[type] ?? 0) + 1;
  }

  counts(): RequestCounts {
    return {
      total: this.requests.length,
      byVerb: { ...this.byVerb },
      byVerbAndPath: { ...this.byVerbAndPath },
      openWatches: this.openWatches,
      watchEvents: { ...this.watchEvents },
    };
  }
}
