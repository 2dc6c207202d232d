import { destinationWeight } from './istio';

describe('destinationWeight', () => {
  const dest = (weight?: number) => ({
    destination: { host: 'reviews' },
    ...(weight !== undefined ? { weight } : {}),
  });
  const shares = (list: Record<string, unknown>[]) => {
    const total = list.reduce((a, d) => a + ((d.weight as number) ?? 0), 0);
    return list.map((_, i) => destinationWeight(list, i, total));
  };

  it('gives the only destination all traffic, whatever its weight', () => {
    expect(shares([dest()])).toEqual([undefined]);
    expect(shares([dest(30)])).toEqual([{ weight: 30, share: 1 }]);
  });

  it('shares weight/(sum of all weights); an unset weight is 0', () => {
    expect(shares([dest(75), dest(25)])).toEqual([
      { weight: 75, share: 0.75 },
      { weight: 25, share: 0.25 },
    ]);
    expect(shares([dest(2), dest()])).toEqual([
      { weight: 2, share: 1 },
      { weight: 0, share: 0 },
    ]);
  });

  it('shares nothing when no destination has a weight', () => {
    expect(shares([dest(), dest()])).toEqual([
      { weight: 0, share: 0 },
      { weight: 0, share: 0 },
    ]);
  });
});
