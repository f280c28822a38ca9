/**
 * Splits a command line into words the way sh does for what `sh-quote` emits: single-quoted spans
 * (with `'\''` for a quote), backslash escapes, and bare words. Enough for the scripted host to read
 * the paths and JSON deploy sends; no expansions.
 */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line.charAt(i);
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      cur += line.slice(i + 1, end < 0 ? line.length : end);
      i = end < 0 ? line.length : end;
      inWord = true;
    } else if (ch === '\\') {
      cur += line.charAt(i + 1);
      i += 1;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}
