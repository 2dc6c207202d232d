/*
 * How a status is shown: colour, icon and word together, never colour
 * alone. The statuses' looks are the engine's (the server-drawn SVG uses
 * the same ones); severities are the card's own.
 */
import {
  Severity,
  StatusLook,
  wordsOf,
} from '@internal/plugin-traffic-path-common';

export { statusLook, wordsOf } from '@internal/plugin-traffic-path-common';
export type { StatusLook, Tone } from '@internal/plugin-traffic-path-common';

const severities: Partial<Record<Severity | string, StatusLook>> = {
  error: { tone: 'error', icon: '✕', word: 'error' },
  warning: { tone: 'warning', icon: '!', word: 'warning' },
  info: { tone: 'info', icon: 'i', word: 'info' },
};

/** A severity we do not know yet is shown as its own word, in a neutral tone. */
export function severityLook(severity: Severity | string): StatusLook {
  return (
    severities[severity] ?? {
      tone: 'neutral',
      icon: 'i',
      word: wordsOf(String(severity)),
    }
  );
}
