/**
 * Glob patterns on paths relative to a crate's directory, as cargo-deny
 * matches them: `*` and `**` match any run of characters, `/` included (so
 * `*.py` finds `scripts/gen.py`), `?` one character, `[...]` a class,
 * `{a,b}` alternatives. Plus the builtin script globs `enable-builtin-globs`
 * turns on.
 */

/** Extensions of languages a build script could run with what a developer machine has installed. */
const BUILTIN_EXTENSIONS = [
  'bat', 'cmd', // batch
  'go', // go run
  'java', // java single-file launch
  'js', '_js', 'es', 'es6', // JavaScript
  'pl', 'perl', 'pm', // Perl
  '6pl', '6pm', 'p6', 'p6l', 'p6m', 'pl6', 'pm6', 't', // Raku
  'ps1', 'psd1', 'psm1', // PowerShell
  'py', // Python
  'rb', // Ruby
  'sh', 'bash', 'zsh', // shells
] as const;

export const BUILTIN_GLOBS: readonly string[] = BUILTIN_EXTENSIONS.map((e) => `*.${e}`);

export const extensionGlob = (extension: string): string => `*.${extension}`;

export interface Glob {
  pattern: string;
  test: (relativePath: string) => boolean;
}

export function compileGlob(pattern: string): Glob {
  const regex = new RegExp(`^${translate(pattern)}$`, 's');
  return { pattern, test: (p) => regex.test(p) };
}

function translate(pattern: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      while (pattern[i + 1] === '*') i++;
      out += '.*';
    } else if (c === '?') out += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) out += '\\[';
      else {
        let body = pattern.slice(i + 1, end);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        out += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '{') {
      depth++;
      out += '(?:';
    } else if (c === '}' && depth > 0) {
      depth--;
      out += ')';
    } else if (c === ',' && depth > 0) out += '|';
    else out += c.replace(/[.+^$()|\\/]/g, '\\$&');
  }
  return out + ')'.repeat(depth);
}
