/*
 * How a status is shown: colour, icon and word together, never colour alone.
 */
import { HopStatus, RouteHealth } from '@internal/plugin-traffic-path-common';

export type StatusLook = { colour: string; icon: string; word: string };

const looks: Record<HopStatus | RouteHealth, StatusLook> = {
  ok: { colour: '#2e7d32', icon: '✓', word: 'ok' },
  healthy: { colour: '#2e7d32', icon: '✓', word: 'healthy' },
  degraded: { colour: '#b26a00', icon: '!', word: 'degraded' },
  broken: { colour: '#c62828', icon: '✕', word: 'broken' },
  unknown: { colour: '#616161', icon: '?', word: 'unknown' },
};

export function statusLook(status: HopStatus | RouteHealth): StatusLook {
  return looks[status];
}

export const severityLook: Record<'error' | 'warning' | 'info', StatusLook> = {
  error: { colour: '#c62828', icon: '✕', word: 'error' },
  warning: { colour: '#b26a00', icon: '!', word: 'warning' },
  info: { colour: '#1565c0', icon: 'i', word: 'info' },
};
