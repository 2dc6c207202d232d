/*
 * How a status is shown: colour, icon and word together, never colour
 * alone. Keyed loosely on purpose: the engine adds statuses and healths
 * over time, and one the drawing does not know yet is shown as its own
 * word with a neutral tone instead of drawing nothing.
 */
import { HopStatus, RouteHealth } from '../model';

/** The colour family of a status; the colour itself comes from a palette. */
export type Tone = 'ok' | 'warning' | 'error' | 'info' | 'neutral';

export type StatusLook = { tone: Tone; icon: string; word: string };

const looks: Partial<Record<HopStatus | RouteHealth | string, StatusLook>> = {
  ok: { tone: 'ok', icon: '✓', word: 'ok' },
  healthy: { tone: 'ok', icon: '✓', word: 'healthy' },
  degraded: { tone: 'warning', icon: '!', word: 'degraded' },
  broken: { tone: 'error', icon: '✕', word: 'broken' },
  unknown: { tone: 'neutral', icon: '?', word: 'unknown' },
  'not-modelled': { tone: 'neutral', icon: '?', word: 'not modelled' },
};

/** Words for people from an identifier: `not-modelled` → `not modelled`. */
export function wordsOf(id: string): string {
  return id.replace(/[-_]+/g, ' ').trim() || 'unknown';
}

export function statusLook(
  status: HopStatus | RouteHealth | string,
): StatusLook {
  return (
    looks[status] ?? {
      tone: 'neutral',
      icon: '?',
      word: wordsOf(String(status)),
    }
  );
}
