/**
 * SPDX license expressions as cargo-deny reads them: a strict parse (`/` read
 * as `OR`, as crates.io has always accepted it), then, when that fails, a lax
 * one (lower-case operators, imprecise names such as "Apache 2.0", GNU ids
 * with a postfix `+`, deprecated ids) whose use is reported as a
 * `parse-error` warning. The identifier lists come from `spdx-license-ids` and
 * `spdx-exceptions`; the grammar (precedence, parentheses, `WITH`, `+`) is
 * `spdx-expression-parse`'s. This module only tokenizes (to enforce the mode
 * and to know positions) and evaluates.
 */
import spdxParse from 'spdx-expression-parse';
// JSON modules: Node and esbuild (the CLI bundle) read them natively; tsc would
// need `resolveJsonModule`, which this project does not turn on.
// @ts-ignore
import currentIdsJson from 'spdx-license-ids/index.json' with { type: 'json' };
// @ts-ignore
import deprecatedIdsJson from 'spdx-license-ids/deprecated.json' with { type: 'json' };
// @ts-ignore
import exceptionIdsJson from 'spdx-exceptions/index.json' with { type: 'json' };

const CURRENT_IDS: readonly string[] = currentIdsJson as string[];
const DEPRECATED_IDS: readonly string[] = deprecatedIdsJson as string[];
const EXCEPTION_IDS: readonly string[] = exceptionIdsJson as string[];

const currentIds = new Set(CURRENT_IDS);
const deprecatedIds = new Set(DEPRECATED_IDS);
const exceptionIds = new Set(EXCEPTION_IDS);
const idsByLowerCase = new Map([...CURRENT_IDS, ...DEPRECATED_IDS].map((id) => [id.toLowerCase(), id]));
const exceptionsByLowerCase = new Map(EXCEPTION_IDS.map((id) => [id.toLowerCase(), id]));

/** A license: an SPDX id, or a user-defined `LicenseRef-…` (optionally `DocumentRef-…:LicenseRef-…`). */
export type LicenseItem = { kind: 'spdx'; id: string } | { kind: 'ref'; id: string };

/** One term of an expression: a license, whether later versions are acceptable, and its `WITH` exception. */
export interface LicenseReq {
  license: LicenseItem;
  /** `X+`, or a GNU `-or-later` id. */
  orLater: boolean;
  exception: string | undefined;
}

/** Where a term is written in the parsed text (0-based offset), `WITH` exception included. */
export interface TermSpan {
  offset: number;
  length: number;
}

export type ExprNode =
  | { kind: 'req'; req: LicenseReq; span?: TermSpan }
  | { kind: 'and' | 'or'; left: ExprNode; right: ExprNode };

/** What an `allow` entry grants: a license (no `+`), with or without one exception. */
export interface Licensee {
  license: LicenseItem;
  exception: string | undefined;
}

export type ParseMode = 'strict' | 'lax';

export class SpdxParseError extends Error {
  constructor(
    message: string,
    /** 0-based offset of the offending term in the text, when known. */
    readonly offset: number | undefined,
    readonly length: number,
  ) {
    super(message);
    this.name = 'SpdxParseError';
  }
}

export interface ParseOptions {
  /** Strict: exact-case ids and upper-case operators only. Lax: see LAX_NAMES. */
  mode: ParseMode;
  /** Deprecated ids (`GPL-2.0`, `LGPL-2.1`…); always accepted in lax mode. */
  allowDeprecated: boolean;
  /** `/` read as `OR` (crates.io's legacy form). */
  allowSlash: boolean;
}

/** cargo-deny's reading of a manifest's `license` field before it falls back to lax. */
export const MANIFEST_STRICT: ParseOptions = { mode: 'strict', allowDeprecated: false, allowSlash: true };
export const LAX: ParseOptions = { mode: 'lax', allowDeprecated: true, allowSlash: true };
/** `allow` entries and clarifications: strict, deprecated ids accepted, no `/`. */
export const CONFIG_STRICT: ParseOptions = { mode: 'strict', allowDeprecated: true, allowSlash: false };

export const isKnownLicenseId = (id: string): boolean => currentIds.has(id) || deprecatedIds.has(id);
export const isDeprecatedLicenseId = (id: string): boolean => deprecatedIds.has(id);
export const isKnownExceptionId = (id: string): boolean => exceptionIds.has(id);

/** The GNU families cargo-deny compares pedantically (`GPL-2.0` is not `GPL-2.0-only`). */
const GNU = /^(A|L)?GPL-|^GFDL-/;
export const isGnuId = (id: string): boolean => GNU.test(id);

/**
 * Names crates have used that are not SPDX ids, with the id they mean. Lax
 * mode only; matched case-insensitively on whole words.
 */
const LAX_NAMES: ReadonlyArray<readonly [string, string]> = [
  ['Apache License, Version 2.0', 'Apache-2.0'],
  ['Apache License 2.0', 'Apache-2.0'],
  ['Apache 2.0', 'Apache-2.0'],
  ['Apache-2', 'Apache-2.0'],
  ['Apache2', 'Apache-2.0'],
  ['Apache', 'Apache-2.0'],
  ['MIT License', 'MIT'],
  ['MIT-License', 'MIT'],
  ['BSD 3-Clause', 'BSD-3-Clause'],
  ['BSD-3', 'BSD-3-Clause'],
  ['BSD 2-Clause', 'BSD-2-Clause'],
  ['BSD-2', 'BSD-2-Clause'],
  ['GPLv2', 'GPL-2.0'],
  ['GPLv3', 'GPL-3.0'],
  ['LGPLv2', 'LGPL-2.0'],
  ['LGPLv3', 'LGPL-3.0'],
  ['MPL 2.0', 'MPL-2.0'],
  ['MPL2', 'MPL-2.0'],
  ['Zlib License', 'Zlib'],
];

interface Token {
  kind: 'id' | 'ref' | 'exception' | 'and' | 'or' | 'with' | 'plus' | 'open' | 'close';
  /** The canonical spelling handed to the grammar. */
  text: string;
  offset: number;
  length: number;
}

/**
 * Parse `text` as an SPDX expression. Throws SpdxParseError saying what is
 * wrong and where.
 */
export function parseExpression(text: string, options: ParseOptions): ExprNode {
  const tokens = tokenize(text, options);
  if (tokens.length === 0) throw new SpdxParseError('empty expression', 0, text.length);
  const canonical = tokens
    .map((t, i) => (t.kind === 'plus' || (i > 0 && tokens[i - 1]!.kind === 'open') || t.kind === 'close' ? t.text : ` ${t.text}`))
    .join('')
    .trim();
  let ast: SpdxAst;
  try {
    ast = spdxParse(canonical) as SpdxAst;
  } catch (e) {
    // The grammar throws plain Errors, and a TypeError when the text ends too early (`MIT OR`).
    const reason = e instanceof TypeError || !(e as Error).message ? 'incomplete expression' : (e as Error).message;
    throw new SpdxParseError(`invalid expression: ${reason}`, undefined, text.length);
  }
  const root = fromAst(ast);
  const spans = termSpans(tokens);
  eachReqNode(root, (node, i) => {
    node.span = spans[i];
  });
  return root;
}

/** One span per license term, in text order (which is the order of the AST's leaves). */
function termSpans(tokens: readonly Token[]): TermSpan[] {
  const spans: TermSpan[] = [];
  for (const t of tokens) {
    if (t.kind === 'id' || t.kind === 'ref') spans.push({ offset: t.offset, length: t.length });
    else if (t.kind === 'plus' || t.kind === 'with' || t.kind === 'exception') {
      const last = spans[spans.length - 1];
      if (last) last.length = t.offset + t.length - last.offset;
    }
  }
  return spans;
}

function eachReqNode(node: ExprNode, visit: (node: Extract<ExprNode, { kind: 'req' }>, index: number) => void, counter = { n: 0 }): void {
  if (node.kind === 'req') visit(node, counter.n++);
  else {
    eachReqNode(node.left, visit, counter);
    eachReqNode(node.right, visit, counter);
  }
}

/** One `allow` entry: `MIT`, `Apache-2.0 WITH LLVM-exception`, `LicenseRef-Foo`. */
export function parseLicensee(text: string): Licensee {
  const tokens = tokenize(text, CONFIG_STRICT);
  const [license, op, exception, ...rest] = tokens;
  if (license === undefined) throw new SpdxParseError('empty licensee', 0, text.length);
  if (license.kind !== 'id' && license.kind !== 'ref') {
    throw new SpdxParseError(`expected a license id, found \`${license.text}\``, license.offset, license.length);
  }
  const item: LicenseItem = { kind: license.kind === 'id' ? 'spdx' : 'ref', id: license.text };
  if (op === undefined) return { license: item, exception: undefined };
  if (op.kind === 'plus') {
    throw new SpdxParseError('a licensee cannot use `+`: allow each version (or the `-or-later` id) explicitly', op.offset, op.length);
  }
  if (op.kind !== 'with' || exception?.kind !== 'exception' || rest.length > 0) {
    throw new SpdxParseError('a licensee is one license, optionally `WITH` one exception; AND/OR are not allowed here', op.offset, text.length - op.offset);
  }
  return { license: item, exception: exception.text };
}

export interface GatheredExpression {
  expr: ExprNode;
  /** Why the strict reading failed, when the lax one was needed. */
  strictError: SpdxParseError | undefined;
}

/** A manifest's `license` field: strict first, then lax (the caller warns about `strictError`). */
export function parseManifestLicense(text: string): GatheredExpression {
  try {
    return { expr: parseExpression(text, MANIFEST_STRICT), strictError: undefined };
  } catch (e) {
    if (!(e instanceof SpdxParseError)) throw e;
    return { expr: parseExpression(text, LAX), strictError: e };
  }
}

// ---------------------------------------------------------------- tokenizer

// A Map, not an object literal: a license named `toString` or `constructor` must not find a prototype method.
const OPERATORS = new Map<string, Token['kind']>([
  ['AND', 'and'],
  ['OR', 'or'],
  ['WITH', 'with'],
]);

function tokenize(text: string, options: ParseOptions): Token[] {
  const lax = options.mode === 'lax';
  const source = lax ? replaceLaxNames(text) : identitySource(text);
  const tokens: Token[] = [];
  const word = /[A-Za-z0-9.:+-]+/y;
  let i = 0;
  while (i < source.text.length) {
    const c = source.text[i]!;
    const at = source.offsetOf(i);
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: c === '(' ? 'open' : 'close', text: c, offset: at, length: 1 });
      i++;
    } else if (c === '/') {
      if (!options.allowSlash) throw new SpdxParseError('`/` is not an SPDX operator: write `OR`', at, 1);
      tokens.push({ kind: 'or', text: 'OR', offset: at, length: 1 });
      i++;
    } else {
      word.lastIndex = i;
      const m = word.exec(source.text);
      if (!m) throw new SpdxParseError(`unexpected character \`${c}\``, at, 1);
      tokens.push(...classifyWord(m[0], at, source.lengthOf(i, m[0].length), tokens[tokens.length - 1], options));
      i += m[0].length;
    }
  }
  return tokens;
}

function classifyWord(w: string, offset: number, length: number, previous: Token | undefined, options: ParseOptions): Token[] {
  const lax = options.mode === 'lax';
  const op = OPERATORS.get(lax ? w.toUpperCase() : w);
  if (op) return [{ kind: op, text: op.toUpperCase(), offset, length }];
  if (!lax && OPERATORS.has(w.toUpperCase())) {
    throw new SpdxParseError(`operators must be upper case: \`${w.toUpperCase()}\``, offset, length);
  }
  if (previous?.kind === 'with') {
    const exception = exceptionIds.has(w) ? w : lax ? exceptionsByLowerCase.get(w.toLowerCase()) : undefined;
    if (exception === undefined) throw new SpdxParseError(`unknown SPDX exception \`${w}\``, offset, length);
    return [{ kind: 'exception', text: exception, offset, length }];
  }
  if (/^(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$/.test(w)) return [{ kind: 'ref', text: w, offset, length }];
  const plus = w.endsWith('+') ? '+' : '';
  const bare = plus ? w.slice(0, -1) : w;
  if (bare.includes('+') || bare.includes(':')) throw new SpdxParseError(`unknown term \`${w}\``, offset, length);
  const id = isKnownLicenseId(bare) ? bare : lax ? idsByLowerCase.get(bare.toLowerCase()) : undefined;
  if (id === undefined) throw new SpdxParseError(`unknown SPDX license id \`${bare}\``, offset, length);
  if (plus && isGnuId(id)) {
    // `GPL-2.0+` is the deprecated spelling of `GPL-2.0-or-later`.
    const orLater = `${id.replace(/-(only|or-later)$/, '')}-or-later`;
    if (!lax || !currentIds.has(orLater)) throw new SpdxParseError(`\`${w}\`: write \`${orLater}\``, offset, length);
    return [{ kind: 'id', text: orLater, offset, length }];
  }
  if (deprecatedIds.has(id) && !options.allowDeprecated) {
    throw new SpdxParseError(`\`${id}\` is a deprecated SPDX license id`, offset, length);
  }
  const token: Token = { kind: 'id', text: id, offset, length: length - plus.length };
  return plus ? [token, { kind: 'plus', text: '+', offset: offset + length - 1, length: 1 }] : [token];
}

/** The text with imprecise names replaced, and a map back to offsets in the original. */
interface LaxSource {
  text: string;
  offsetOf(i: number): number;
  lengthOf(i: number, n: number): number;
}

const identitySource = (text: string): LaxSource => ({ text, offsetOf: (i) => i, lengthOf: (_i, n) => n });

function replaceLaxNames(original: string): LaxSource {
  // Each replacement records (start in new text, start in original, original length, new length).
  const spans: Array<{ at: number; from: number; oldLength: number; newLength: number }> = [];
  let text = '';
  let i = 0;
  outer: while (i < original.length) {
    const before = i === 0 ? ' ' : original[i - 1]!;
    if (/[\s(/]/.test(before)) {
      for (const [name, id] of LAX_NAMES) {
        const candidate = original.slice(i, i + name.length);
        const after = original[i + name.length] ?? ' ';
        if (candidate.toLowerCase() === name.toLowerCase() && /[\s)/]/.test(after)) {
          spans.push({ at: text.length, from: i, oldLength: name.length, newLength: id.length });
          text += id;
          i += name.length;
          continue outer;
        }
      }
    }
    text += original[i];
    i++;
  }
  const offsetOf = (n: number): number => {
    let shift = 0;
    for (const s of spans) {
      if (n < s.at) break;
      if (n < s.at + s.newLength) return s.from;
      shift += s.oldLength - s.newLength;
    }
    return n + shift;
  };
  return {
    text,
    offsetOf,
    lengthOf: (n, len) => {
      const s = spans.find((sp) => sp.at === n && sp.newLength === len);
      return s ? s.oldLength : offsetOf(n + len - 1) - offsetOf(n) + 1;
    },
  };
}

// ------------------------------------------------------------------ grammar

type SpdxAst =
  | { license: string; plus?: true; exception?: string }
  | { left: SpdxAst; conjunction: 'and' | 'or'; right: SpdxAst };

function fromAst(ast: SpdxAst): ExprNode {
  if ('conjunction' in ast) return { kind: ast.conjunction, left: fromAst(ast.left), right: fromAst(ast.right) };
  const isRef = /(^|:)LicenseRef-/.test(ast.license);
  const orLater = ast.plus === true || (!isRef && isGnuId(ast.license) && ast.license.endsWith('-or-later'));
  return {
    kind: 'req',
    req: { license: { kind: isRef ? 'ref' : 'spdx', id: ast.license }, orLater, exception: ast.exception },
  };
}

// ----------------------------------------------------------------- printing

export function reqToString(req: LicenseReq): string {
  const plus = req.orLater && !req.license.id.endsWith('-or-later') ? '+' : '';
  return `${req.license.id}${plus}${req.exception ? ` WITH ${req.exception}` : ''}`;
}

export const licenseeToString = (l: Licensee): string => `${l.license.id}${l.exception ? ` WITH ${l.exception}` : ''}`;

/** Canonical text: upper-case operators, parentheses only where precedence needs them. */
export function exprToString(node: ExprNode): string {
  if (node.kind === 'req') return reqToString(node.req);
  const side = (child: ExprNode): string =>
    node.kind === 'and' && child.kind === 'or' ? `(${exprToString(child)})` : exprToString(child);
  // `A OR (B OR C)` keeps its parentheses only when the left side is itself a same-operator group.
  const right = node.right.kind === node.kind || node.right.kind === 'req' ? exprToString(node.right) : side(node.right);
  const left = node.left.kind === node.kind ? `(${exprToString(node.left)})` : side(node.left);
  return `${left} ${node.kind.toUpperCase()} ${right}`;
}

// --------------------------------------------------------------- evaluation

/** Every term of the expression, left to right. */
export function requirements(node: ExprNode): LicenseReq[] {
  return node.kind === 'req' ? [node.req] : [...requirements(node.left), ...requirements(node.right)];
}

export function evaluate(node: ExprNode, accepted: (req: LicenseReq) => boolean): boolean {
  if (node.kind === 'req') return accepted(node.req);
  if (node.kind === 'and') return evaluate(node.left, accepted) && evaluate(node.right, accepted);
  return evaluate(node.left, accepted) || evaluate(node.right, accepted);
}

/**
 * Does `licensee` (an allowed license) satisfy `req` (a term of a crate's
 * expression)? Same id, or for an or-later term the same license in an equal
 * or later version; `LicenseRef-`s compare exactly; the exception must be
 * identical (none = none).
 */
export function satisfies(licensee: Licensee, req: LicenseReq): boolean {
  if (licensee.exception !== req.exception) return false;
  const a = licensee.license;
  const b = req.license;
  if (a.kind !== b.kind) return false;
  if (a.id === b.id) return true;
  return a.kind === 'spdx' && req.orLater && isLaterVersion(a.id, b.id);
}

/** `GPL-3.0-only` vs `GPL-2.0-or-later`, `Apache-2.0` vs `Apache-1.1`: same name, version ≥. */
function isLaterVersion(licenseeId: string, reqId: string): boolean {
  const gnu = isGnuId(reqId);
  if (gnu !== isGnuId(licenseeId)) return false;
  // The bare GNU ids are deprecated and distinct: only -only / -or-later versions qualify.
  if (gnu && !/-(only|or-later)$/.test(licenseeId)) return false;
  const l = splitVersion(gnu ? licenseeId.replace(/-(only|or-later)$/, '') : licenseeId);
  const r = splitVersion(gnu ? reqId.replace(/-(only|or-later)$/, '') : reqId);
  if (!l || !r || l.name !== r.name || l.rest !== r.rest) return false;
  return compareVersions(l.version, r.version) >= 0;
}

function splitVersion(id: string): { name: string; version: number[]; rest: string } | undefined {
  const m = /^(.*?)-(\d+(?:\.\d+)*)(.*)$/.exec(id);
  return m ? { name: m[1]!, version: m[2]!.split('.').map(Number), rest: m[3]! } : undefined;
}

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
