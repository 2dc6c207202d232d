/*
 * Traefik router rules (`match` of IngressRoute and IngressRouteTCP):
 * `Host(`a`) && PathPrefix(`/api`) || Host(`b`)`, with `!` and
 * parentheses, read into alternatives (the rule in disjunctive form). Each
 * alternative has the hosts and paths it matches; matchers Traffic Path does
 * not model (Headers, Method, Query, ClientIP, negations, ...) are kept as
 * text, so that they are shown, not dropped.
 */

type Literal = { name: string; args: string[]; negated: boolean };

export type MatchAlternative = {
  /** Any of these hosts (Host, HostSNI); empty: any host. */
  hosts: string[];
  /** HostRegexp patterns, as written. */
  hostRegexps: string[];
  /** Any of these paths; empty: any path. */
  paths: { path: string; pathType: 'Exact' | 'Prefix' | 'Regexp' }[];
  /** Matchers that are not modelled, as written. */
  other: string[];
};

export type ParsedMatch =
  | { ok: true; alternatives: MatchAlternative[] }
  | { ok: false; error: string };

/** More alternatives than this are a sign of a pathological rule: refuse it. */
const MAX_ALTERNATIVES = 64;

type Token =
  | { t: 'name'; v: string }
  | { t: 'string'; v: string }
  | { t: 'op'; v: '&&' | '||' | '!' | '(' | ')' | ',' };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
    } else if (text.startsWith('&&', i) || text.startsWith('||', i)) {
      out.push({ t: 'op', v: text.slice(i, i + 2) as '&&' | '||' });
      i += 2;
    } else if ('!(),'.includes(c)) {
      out.push({ t: 'op', v: c as '!' | '(' | ')' | ',' });
      i++;
    } else if (c === '`' || c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw new Error(`unclosed ${c} at ${i + 1}`);
      out.push({ t: 'string', v: text.slice(i + 1, end) });
      i = end + 1;
    } else {
      const m = /^[A-Za-z][A-Za-z0-9]*/.exec(text.slice(i));
      if (!m) throw new Error(`unexpected "${c}" at ${i + 1}`);
      out.push({ t: 'name', v: m[0] });
      i += m[0].length;
    }
  }
  return out;
}

/** A rule in disjunctive form: alternatives of literals. */
type Dnf = Literal[][];

function and(a: Dnf, b: Dnf): Dnf {
  const out: Dnf = [];
  for (const x of a) for (const y of b) out.push([...x, ...y]);
  if (out.length > MAX_ALTERNATIVES)
    throw new Error(`more than ${MAX_ALTERNATIVES} alternatives`);
  return out;
}

function parse(tokens: Token[]): Dnf {
  let at = 0;
  const peek = () => tokens[at];
  const expect = (v: string) => {
    const token = tokens[at];
    if (!token || token.t !== 'op' || token.v !== v)
      throw new Error(`expected "${v}"`);
    at++;
  };
  function expr(): Dnf {
    let left = term();
    while (peek()?.t === 'op' && peek()!.v === '||') {
      at++;
      left = [...left, ...term()];
      if (left.length > MAX_ALTERNATIVES)
        throw new Error(`more than ${MAX_ALTERNATIVES} alternatives`);
    }
    return left;
  }
  function term(): Dnf {
    let left = factor();
    while (peek()?.t === 'op' && peek()!.v === '&&') {
      at++;
      left = and(left, factor());
    }
    return left;
  }
  function factor(): Dnf {
    const token = peek();
    if (!token) throw new Error('unexpected end');
    if (token.t === 'op' && token.v === '!') {
      at++;
      const inner = factor();
      // !call is a negated literal; a negated group is not modelled as a whole.
      if (inner.length === 1 && inner[0].length === 1)
        return [[{ ...inner[0][0], negated: !inner[0][0].negated }]];
      return [[{ name: '!(...)', args: [], negated: true }]];
    }
    if (token.t === 'op' && token.v === '(') {
      at++;
      const inner = expr();
      expect(')');
      return inner;
    }
    if (token.t !== 'name') throw new Error('expected a matcher');
    at++;
    expect('(');
    const args: string[] = [];
    while (peek() && !(peek()!.t === 'op' && peek()!.v === ')')) {
      const arg = peek()!;
      if (arg.t !== 'string') throw new Error(`${token.v}: expected a string`);
      args.push(arg.v);
      at++;
      if (peek()?.t === 'op' && peek()!.v === ',') at++;
    }
    expect(')');
    return [[{ name: token.v, args, negated: false }]];
  }
  const result = expr();
  if (at < tokens.length) throw new Error('unexpected text after the rule');
  return result;
}

function alternative(literals: Literal[]): MatchAlternative {
  const alt: MatchAlternative = {
    hosts: [],
    hostRegexps: [],
    paths: [],
    other: [],
  };
  let hostSeen = false;
  let pathSeen = false;
  for (const l of literals) {
    const text = `${l.negated ? '!' : ''}${l.name}(${l.args
      .map(a => `\`${a}\``)
      .join(', ')})`;
    const name = l.name.toLowerCase();
    if (l.negated) alt.other.push(text);
    else if ((name === 'host' || name === 'hostsni') && !hostSeen) {
      hostSeen = true;
      // HostSNI(`*`) matches every connection.
      alt.hosts.push(
        ...l.args.filter(a => a !== '*').map(a => a.toLowerCase()),
      );
    } else if (name === 'hostregexp' && !hostSeen) {
      hostSeen = true;
      alt.hostRegexps.push(...l.args);
    } else if (
      (name === 'path' || name === 'pathprefix' || name === 'pathregexp') &&
      !pathSeen
    ) {
      pathSeen = true;
      let pathType: 'Exact' | 'Prefix' | 'Regexp' = 'Exact';
      if (name === 'pathprefix') pathType = 'Prefix';
      if (name === 'pathregexp') pathType = 'Regexp';
      alt.paths.push(...l.args.map(path => ({ path, pathType })));
    } else alt.other.push(text);
  }
  return alt;
}

export function parseMatch(text: string): ParsedMatch {
  try {
    return { ok: true, alternatives: parse(tokenize(text)).map(alternative) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}
