/*
 * Label wrapping for the SVG drawing, which has no text layout of its own:
 * a label is broken onto lines of at most `maxChars` characters, at spaces
 * first, then after the punctuation of names and addresses (`/`, `:`, `,`,
 * `-`, `.`), and only then inside a word. What does not fit in `maxLines`
 * ends in "…" and is reported as cut, so the caller keeps the whole text
 * one hover or focus away (the node's title and aria-label, its details).
 */

export type Wrapped = { lines: string[]; cut: boolean };

const BREAK_AFTER = /[/:,\-.·=)]/;

function cutIndex(
  text: string,
  maxChars: number,
): { at: number; skip: number } {
  const space = text.lastIndexOf(' ', maxChars);
  if (space > 0) return { at: space, skip: 1 };
  for (let i = maxChars - 1; i > 0; i--)
    if (BREAK_AFTER.test(text[i])) return { at: i + 1, skip: 0 };
  return { at: maxChars, skip: 0 };
}

export function wrapText(
  text: string,
  maxChars: number,
  maxLines: number,
): Wrapped {
  const max = Math.max(1, Math.floor(maxChars));
  const lines: string[] = [];
  let rest = text.replace(/\s+/g, ' ').trim();
  while (rest && lines.length < maxLines) {
    if (rest.length <= max) {
      lines.push(rest);
      rest = '';
      break;
    }
    const { at, skip } = cutIndex(rest, max);
    lines.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at + skip).trimStart();
  }
  if (!rest) return { lines, cut: false };
  const last = lines.length - 1;
  lines[last] = `${`${lines[last]} ${rest}`.slice(0, max - 1).trimEnd()}…`;
  return { lines, cut: true };
}
