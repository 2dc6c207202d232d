import { severityLook, statusLook } from './status';

describe('statusLook', () => {
  it('shows each known status with an icon and a word', () => {
    expect(statusLook('ok')).toEqual({ tone: 'ok', icon: '✓', word: 'ok' });
    expect(statusLook('broken')).toEqual({
      tone: 'error',
      icon: '✕',
      word: 'broken',
    });
    expect(statusLook('unknown').tone).toBe('neutral');
  });

  it('shows a status the engine adds later as its own words, never "undefined"', () => {
    expect(statusLook('not-modelled')).toMatchObject({
      tone: 'neutral',
      word: 'not modelled',
    });
    expect(statusLook('partly-blocked')).toEqual({
      tone: 'neutral',
      icon: '?',
      word: 'partly blocked',
    });
  });

  it('falls back for a severity it does not know', () => {
    expect(severityLook('warning').tone).toBe('warning');
    expect(severityLook('notice')).toMatchObject({ word: 'notice' });
  });
});
