/**
 * `cfg(...)` expressions as Cargo reads them in `[target.'cfg(...)']` tables:
 * `all(..)`, `any(..)`, `not(..)`, bare names (`unix`, `test`) and
 * `key = "value"` pairs, plus the `true`/`false` literals rustc accepts. A
 * platform is either such an expression or a target triple.
 */

export type CfgExpr =
  | { kind: 'all'; items: CfgExpr[] }
  | { kind: 'any'; items: CfgExpr[] }
  | { kind: 'not'; item: CfgExpr }
  | { kind: 'name'; name: string }
  | { kind: 'pair'; key: string; value: string }
  | { kind: 'bool'; value: boolean };

/** What a `[target.<platform>]` key says: a `cfg()` condition or one target triple. */
export type Platform = { kind: 'cfg'; expr: CfgExpr } | { kind: 'triple'; triple: string };

export class CfgParseError extends Error {
  constructor(
    message: string,
    /** 0-based offset in the text given to the parser. */
    readonly offset: number,
  ) {
    super(message);
    this.name = 'CfgParseError';
  }
}

type Token =
  | { kind: 'ident'; text: string; at: number }
  | { kind: 'string'; text: string; at: number }
  | { kind: '(' | ')' | ',' | '=' | 'end'; at: number };

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;
const SPACE = /\s*/y;

function readString(text: string, open: number): { value: string; end: number } {
  let value = '';
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '"') return { value, end: i + 1 };
    if (c === '\\') {
      const next = text[++i];
      if (next === undefined) break;
      value += next === 'n' ? '\n' : next === 't' ? '\t' : next === 'r' ? '\r' : next === '0' ? '\0' : next;
    } else value += c;
  }
  throw new CfgParseError('unterminated string', open);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  for (;;) {
    SPACE.lastIndex = pos;
    SPACE.exec(text);
    pos = SPACE.lastIndex;
    if (pos >= text.length) break;
    const c = text[pos] as string;
    if (c === '(' || c === ')' || c === ',' || c === '=') {
      tokens.push({ kind: c, at: pos });
      pos++;
    } else if (c === '"') {
      const { value, end } = readString(text, pos);
      tokens.push({ kind: 'string', text: value, at: pos });
      pos = end;
    } else {
      IDENT.lastIndex = pos;
      const m = IDENT.exec(text);
      if (!m) throw new CfgParseError(`unexpected character \`${c}\``, pos);
      tokens.push({ kind: 'ident', text: m[0], at: pos });
      pos = IDENT.lastIndex;
    }
  }
  tokens.push({ kind: 'end', at: text.length });
  return tokens;
}

/** Recursive descent over the tokens; nesting is bounded so hostile input cannot exhaust the stack. */
class Parser {
  private index = 0;
  private static readonly MAX_DEPTH = 64;

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.index] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  private expect(kind: Token['kind'], what: string): Token {
    const token = this.next();
    if (token.kind !== kind) throw new CfgParseError(`expected ${what}, found ${describe(token)}`, token.at);
    return token;
  }

  parseAll(): CfgExpr {
    const expr = this.predicate(0);
    const rest = this.peek();
    if (rest.kind !== 'end') throw new CfgParseError(`unexpected ${describe(rest)} after the expression`, rest.at);
    return expr;
  }

  private predicate(depth: number): CfgExpr {
    if (depth > Parser.MAX_DEPTH) throw new CfgParseError('expression nested too deeply', this.peek().at);
    const token = this.expect('ident', 'a cfg name, `all`, `any` or `not`');
    const name = (token as { text: string }).text;
    const after = this.peek();
    if (after.kind === '=') {
      this.next();
      const value = this.expect('string', 'a quoted value');
      return { kind: 'pair', key: name, value: (value as { text: string }).text };
    }
    if (after.kind === '(' && (name === 'all' || name === 'any' || name === 'not')) {
      this.next();
      const items: CfgExpr[] = [];
      while (this.peek().kind !== ')') {
        items.push(this.predicate(depth + 1));
        if (this.peek().kind !== ',') break;
        this.next();
      }
      const close = this.expect(')', '`)` or `,`');
      if (name !== 'not') return { kind: name, items };
      if (items.length !== 1) throw new CfgParseError('`not()` takes exactly one predicate', close.at);
      return { kind: 'not', item: items[0] as CfgExpr };
    }
    if (name === 'true' || name === 'false') return { kind: 'bool', value: name === 'true' };
    return { kind: 'name', name };
  }
}

const describe = (token: Token): string =>
  token.kind === 'end' ? 'the end of the expression' : token.kind === 'ident' || token.kind === 'string' ? `\`${token.text}\`` : `\`${token.kind}\``;

/** Parses the inside of `cfg(...)`. Throws CfgParseError. */
export function parseCfg(text: string): CfgExpr {
  return new Parser(tokenize(text)).parseAll();
}

/** Parses a `[target.<platform>]` key: `cfg(...)` or a target triple. Throws CfgParseError. */
export function parsePlatform(text: string): Platform {
  const trimmed = text.trim();
  if (trimmed.startsWith('cfg(') && trimmed.endsWith(')')) {
    const inner = trimmed.slice(4, -1);
    try {
      return { kind: 'cfg', expr: parseCfg(inner) };
    } catch (e) {
      if (e instanceof CfgParseError) throw new CfgParseError(e.message, e.offset + 4 + text.indexOf(trimmed));
      throw e;
    }
  }
  if (!/^[A-Za-z0-9_.-]+$/.test(trimmed)) {
    throw new CfgParseError('a platform is `cfg(...)` or a target triple (letters, digits, `-`, `_` and `.`)', 0);
  }
  return { kind: 'triple', triple: trimmed };
}

/** Cargo's own spelling of an expression (`all(unix, target_os = "linux")`), so conditions compare as text. */
export function formatCfg(expr: CfgExpr): string {
  switch (expr.kind) {
    case 'all':
    case 'any':
      return `${expr.kind}(${expr.items.map(formatCfg).join(', ')})`;
    case 'not':
      return `not(${formatCfg(expr.item)})`;
    case 'name':
      return expr.name;
    case 'bool':
      return String(expr.value);
    case 'pair':
      return `${expr.key} = "${expr.value.replace(/[\\"]/g, '\\$&')}"`;
  }
}

export function formatPlatform(platform: Platform): string {
  return platform.kind === 'cfg' ? `cfg(${formatCfg(platform.expr)})` : platform.triple;
}

/** The condition as Cargo prints it, or the text as written when it does not parse. */
export function normalizePlatform(text: string): string {
  try {
    return formatPlatform(parsePlatform(text));
  } catch {
    return text;
  }
}

/** Answers the leaves of an expression: a bare name or a `key = "value"` pair. */
export type CfgLeafTest = (leaf: { kind: 'name'; name: string } | { kind: 'pair'; key: string; value: string }) => boolean;

export function evaluateCfg(expr: CfgExpr, test: CfgLeafTest): boolean {
  switch (expr.kind) {
    case 'all':
      return expr.items.every((item) => evaluateCfg(item, test));
    case 'any':
      return expr.items.some((item) => evaluateCfg(item, test));
    case 'not':
      return !evaluateCfg(expr.item, test);
    case 'bool':
      return expr.value;
    case 'name':
    case 'pair':
      return test(expr);
  }
}
