import { pagePrefetch, readerKey } from './pagePrefetch';

const page = (text: string) => async () => ({ status: 200, text });

describe('pagePrefetch', () => {
  it('hands a page fetched ahead out once', async () => {
    const prefetch = pagePrefetch({ maxPages: 2, keepMs: 1000 });
    let fetched = 0;
    prefetch.ahead('a', () => {
      fetched += 1;
      return page('{"items":[]}')();
    });
    // Asked ahead twice (two requests for the same page): fetched once.
    prefetch.ahead('a', page('other'));
    expect(fetched).toBe(1);
    await expect(prefetch.take('a')).resolves.toEqual({
      status: 200,
      text: '{"items":[]}',
    });
    expect(prefetch.take('a')).toBeUndefined();
    expect(prefetch.size()).toBe(0);
  });

  it('holds no more than its bound, and drops what is not asked for in time', async () => {
    jest.useFakeTimers();
    try {
      const prefetch = pagePrefetch({ maxPages: 2, keepMs: 1000 });
      prefetch.ahead('a', page('a'));
      prefetch.ahead('b', page('b'));
      prefetch.ahead('c', page('c'));
      expect(prefetch.take('c')).toBeUndefined();
      expect(prefetch.size()).toBe(2);
      jest.advanceTimersByTime(1001);
      expect(prefetch.size()).toBe(0);
      expect(prefetch.take('a')).toBeUndefined();
    } finally {
      jest.useRealTimers();
    }
  });

  it('keeps a failure for whoever takes the page, and reports it to nobody before', async () => {
    const prefetch = pagePrefetch({ maxPages: 1, keepMs: 1000 });
    prefetch.ahead('a', async () => {
      throw new Error('ECONNRESET');
    });
    // No unhandled rejection meanwhile (jest would fail the test).
    await new Promise(r => setTimeout(r, 10));
    await expect(prefetch.take('a')).rejects.toThrow('ECONNRESET');
  });
});

describe('readerKey', () => {
  const cluster = { name: 'prod', url: 'https://10.0.0.1:6443' };

  it('is the same for the same cluster and credential, another for any other', () => {
    const token = readerKey(cluster, { type: 'bearer token', token: 'a' });
    expect(readerKey(cluster, { type: 'bearer token', token: 'a' })).toBe(
      token,
    );
    expect(
      new Set([
        token,
        readerKey(cluster, { type: 'bearer token', token: 'b' }),
        readerKey(
          { ...cluster, name: 'dev' },
          { type: 'bearer token', token: 'a' },
        ),
        readerKey(cluster, {
          type: 'x509 client certificate',
          cert: 'a',
          key: 'k',
        }),
        readerKey(cluster, { type: 'anonymous' }),
      ]).size,
    ).toBe(5);
    // The key names no secret.
    expect(token).toMatch(/^[0-9a-f]{64}$/);
  });
});
