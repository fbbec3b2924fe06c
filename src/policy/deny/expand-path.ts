/**
 * The shell-like expansion deny.toml applies to `db-path`: a leading `~`,
 * `$VAR`, `${VAR}` and `${VAR:-fallback}`. `$CARGO_HOME` falls back to
 * `~/.cargo` as Cargo's own default. An unset variable without a fallback is
 * an error rather than an empty string, so `$CARGOHOME/dbs` (a typo) cannot
 * silently become `/dbs`. The environment and home directory are passed in.
 */
import path from 'node:path';

export class PathExpansionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PathExpansionError';
  }
}

export interface ExpansionContext {
  env: Readonly<Record<string, string | undefined>>;
  home: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

export function expandPath(text: string, { env, home }: ExpansionContext): string {
  const lookup = (name: string): string | undefined => {
    const value = env[name];
    if (name === 'CARGO_HOME' && (value === undefined || value === '')) return path.join(home, '.cargo');
    return value;
  };
  let out = '';
  let i = 0;
  if (text === '~' || text.startsWith('~/') || text.startsWith('~\\')) {
    out = home;
    i = 1;
  }
  while (i < text.length) {
    const c = text[i]!;
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    if (text[i + 1] === '{') {
      const close = text.indexOf('}', i + 2);
      if (close < 0) throw new PathExpansionError(`\`\${\` at character ${i + 1} has no closing \`}\``);
      const body = text.slice(i + 2, close);
      const sep = body.indexOf(':-');
      const name = sep < 0 ? body : body.slice(0, sep);
      if (!NAME.test(name) || NAME.exec(name)![0] !== name) {
        throw new PathExpansionError(`\`\${${body}}\` does not name a variable (letters, digits and _)`);
      }
      const value = lookup(name);
      if (sep >= 0) out += value === undefined || value === '' ? body.slice(sep + 2) : value;
      else if (value === undefined) throw unset(name);
      else out += value;
      i = close + 1;
      continue;
    }
    const m = NAME.exec(text.slice(i + 1));
    if (!m) {
      // A `$` that starts no variable is kept as written.
      out += c;
      i++;
      continue;
    }
    const value = lookup(m[0]);
    if (value === undefined) throw unset(m[0]);
    out += value;
    i += 1 + m[0].length;
  }
  return out;
}

const unset = (name: string) =>
  new PathExpansionError(`environment variable \`${name}\` is not set (write \`\${${name}:-fallback}\` to give a default)`);
