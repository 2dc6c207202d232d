import { wrapText } from './wrap';

describe('wrapText', () => {
  it('breaks at spaces and keeps every word whole when the lines suffice', () => {
    const text =
      'NodePort 31443 on 4 nodes (externalTrafficPolicy Local, health check 32000)';
    const { lines, cut } = wrapText(text, 30, 4);
    expect(cut).toBe(false);
    expect(lines.every(l => l.length <= 30)).toBe(true);
    expect(lines.join(' ')).toBe(text);
    expect(lines).toContain('(externalTrafficPolicy Local,');
  });

  it('breaks a long name after its punctuation before breaking inside a word', () => {
    const { lines } = wrapText('Ingress app/app3-service-ingress:443', 20, 3);
    expect(lines).toEqual(['Ingress', 'app/app3-service-', 'ingress:443']);
  });

  it('cuts inside a word only when there is nothing else', () => {
    expect(wrapText('abcdefghij', 4, 3)).toEqual({
      lines: ['abcd', 'efgh', 'ij'],
      cut: false,
    });
  });

  it('ends in … and says so when the lines do not suffice', () => {
    const { lines, cut } = wrapText('one two three four five six', 9, 2);
    expect(cut).toBe(true);
    expect(lines).toEqual(['one two', 'three fo…']);
    expect(lines.every(l => l.length <= 9)).toBe(true);
  });

  it('gives no line for an empty text', () => {
    expect(wrapText('  ', 10, 2)).toEqual({ lines: [], cut: false });
  });
});
