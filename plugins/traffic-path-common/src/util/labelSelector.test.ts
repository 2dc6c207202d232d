import { readLabelSelector } from './labelSelector';

describe('readLabelSelector', () => {
  it('selects everything when empty or absent', () => {
    for (const value of [undefined, {}]) {
      const s = readLabelSelector(value, 'spec.podSelector');
      expect(s.empty).toBe(true);
      expect(s.matches({})).toBe(true);
    }
  });

  it('ANDs matchLabels and matchExpressions', () => {
    const s = readLabelSelector(
      {
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['a', 'b'] },
          { key: 'canary', operator: 'DoesNotExist' },
          { key: 'team', operator: 'Exists' },
          { key: 'env', operator: 'NotIn', values: ['dev'] },
        ],
      },
      'spec.podSelector',
    );
    expect(s.text).toBe('app=web,tier in (a,b),!canary,team,env notin (dev)');
    expect(s.keys).toEqual(['app', 'tier', 'canary', 'team', 'env']);
    const labels = { app: 'web', tier: 'a', team: 'x' };
    expect(s.matches(labels)).toBe(true);
    expect(s.matches({ ...labels, env: 'dev' })).toBe(false);
    expect(s.matches({ ...labels, env: 'prod' })).toBe(true);
    expect(s.matches({ ...labels, canary: 'true' })).toBe(false);
    expect(s.matches({ ...labels, tier: 'c' })).toBe(false);
    expect(s.matches({ app: 'web', tier: 'a' })).toBe(false);
  });

  it('drops unknown fields as the API server does, and says so', () => {
    const s = readLabelSelector({ app: 'testapp' }, 'spec.podSelector');
    expect(s.empty).toBe(true);
    expect(s.problems).toEqual([
      expect.objectContaining({ field: 'spec.podSelector.app' }),
    ]);
  });

  it('selects nothing with a requirement the API would refuse', () => {
    const s = readLabelSelector(
      { matchExpressions: [{ key: 'a', operator: 'Like' }] },
      'sel',
    );
    expect(s.matches({ a: 'x' })).toBe(false);
    expect(s.problems[0].field).toBe('sel.matchExpressions[0]');
    expect(readLabelSelector('app=web', 'sel').matches({ app: 'web' })).toBe(
      false,
    );
  });
});
