import { parseMatch } from './traefikMatch';

const alternatives = (text: string) => {
  const parsed = parseMatch(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.alternatives;
};

describe('parseMatch', () => {
  it('reads Host and PathPrefix joined by &&', () => {
    expect(
      alternatives('Host(`shop.example.com`) && PathPrefix(`/api`)'),
    ).toEqual([
      {
        hosts: ['shop.example.com'],
        hostRegexps: [],
        paths: [{ path: '/api', pathType: 'Prefix' }],
        other: [],
      },
    ]);
  });

  it('spreads || and parentheses into alternatives', () => {
    const alts = alternatives(
      '(Host(`a.example.com`) || Host("b.example.com")) && (Path(\'/x\') || PathPrefix(`/y`))',
    );
    expect(alts.map(a => [a.hosts, a.paths.map(p => p.path)])).toEqual([
      [['a.example.com'], ['/x']],
      [['a.example.com'], ['/y']],
      [['b.example.com'], ['/x']],
      [['b.example.com'], ['/y']],
    ]);
  });

  it('takes the several hosts of Traefik v2 matchers, and HostRegexp as written', () => {
    expect(alternatives('Host(`a.com`, `b.com`)')[0].hosts).toEqual([
      'a.com',
      'b.com',
    ]);
    expect(
      alternatives('HostRegexp(`^.+\\.example\\.com$`)')[0].hostRegexps,
    ).toEqual(['^.+\\.example\\.com$']);
  });

  it('keeps what it does not model as text', () => {
    expect(
      alternatives(
        'Host(`a.com`) && Method(`POST`) && !Header(`X-Debug`, `1`)',
      )[0].other,
    ).toEqual(['Method(`POST`)', '!Header(`X-Debug`, `1`)']);
  });

  it('matches every connection with HostSNI(`*`)', () => {
    expect(alternatives('HostSNI(`*`)')[0].hosts).toEqual([]);
  });

  it('says what is wrong with a rule it cannot read', () => {
    expect(parseMatch('Host(`a.com`')).toEqual({
      ok: false,
      error: 'expected ")"',
    });
    expect(parseMatch('Host(`a.com) && Path(`/`)').ok).toBe(false);
    expect(parseMatch('Host(a.com)').ok).toBe(false);
  });
});
