/**
 * `[workspace] members` patterns: path segments with `*`, `?`, `[…]` and
 * `**`, matched against the directories that exist, as Cargo's glob
 * expansion does. Hidden directories match only a pattern segment that
 * starts with a dot, so `crates/*` never picks up `crates/.cache`.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Whether a `members` entry or one of its segments is a pattern rather than a path. */
export const hasGlob = (text: string): boolean => /[*?[]/.test(text);

/** One path segment's pattern as a regular expression; an unclosed `[` is a literal. */
export function segmentRegExp(segment: string): RegExp {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] as string;
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close < 0) {
        source += '\\[';
        continue;
      }
      let body = segment.slice(i + 1, close);
      const negated = body.startsWith('!');
      if (negated) body = body.slice(1);
      source += `[${negated ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else source += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

function subdirectories(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() || (e.isSymbolicLink() && isDirectory(path.join(dir, e.name))))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

export function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Every directory below `dir`, `dir` included, for `**`. */
function descendants(dir: string): string[] {
  const out = [dir];
  for (let i = 0; i < out.length; i++) {
    const current = out[i] as string;
    for (const name of subdirectories(current)) if (!name.startsWith('.')) out.push(path.join(current, name));
  }
  return out;
}

/** Absolute directories a `members` entry names, sorted; a pattern without glob characters is returned as is. */
export function expandMemberPattern(rootDir: string, pattern: string): string[] {
  if (!hasGlob(pattern)) return [path.resolve(rootDir, pattern)];
  let dirs = [path.isAbsolute(pattern) ? path.parse(pattern).root : path.resolve(rootDir)];
  for (const segment of pattern.split(/[\\/]/)) {
    if (segment === '**') {
      dirs = dirs.flatMap(descendants);
    } else if (!hasGlob(segment)) {
      dirs = dirs.map((d) => path.resolve(d, segment)).filter(isDirectory);
    } else {
      const re = segmentRegExp(segment);
      const dotOk = segment.startsWith('.');
      dirs = dirs.flatMap((d) =>
        subdirectories(d)
          .filter((name) => (dotOk || !name.startsWith('.')) && re.test(name))
          .map((name) => path.join(d, name)),
      );
    }
  }
  return [...new Set(dirs)].sort();
}
