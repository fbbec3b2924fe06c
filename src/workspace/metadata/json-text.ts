/**
 * JSON.parse with an error a person can act on: V8's messages give a
 * position only for some errors, so on failure a small scanner walks the text
 * again to find the line and column of the first thing that is not JSON.
 */
import { inputError } from '../../errors.js';

interface JsonFault {
  offset: number;
  reason: string;
}

const WHITESPACE = /[ \t\n\r]*/y;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const STRING_BODY = /(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9A-Fa-f]{4}))*/y;

const show = (text: string, at: number): string => (at >= text.length ? 'the end of the file' : `\`${text[at]}\``);

/** The first syntax fault in `text`, or undefined if it is valid JSON. Iterative: nesting depth costs no stack. */
export function findJsonFault(text: string): JsonFault | undefined {
  let pos = 0;
  const skip = (): void => {
    WHITESPACE.lastIndex = pos;
    WHITESPACE.exec(text);
    pos = WHITESPACE.lastIndex;
  };
  const fault = (reason: string): JsonFault => ({ offset: pos, reason });
  /** Open containers, innermost last; `empty` until their first element is read. */
  const stack: Array<{ close: '}' | ']'; empty: boolean }> = [];

  const value = (): JsonFault | undefined => {
    skip();
    const c = text[pos];
    if (c === '{' || c === '[') {
      stack.push({ close: c === '{' ? '}' : ']', empty: true });
      pos++;
      return undefined;
    }
    if (c === '"') return string();
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, pos)) {
        pos += literal.length;
        return undefined;
      }
    }
    NUMBER.lastIndex = pos;
    if (NUMBER.exec(text)) {
      pos = NUMBER.lastIndex;
      return undefined;
    }
    return fault(`expected a value, found ${show(text, pos)}`);
  };
  const string = (): JsonFault | undefined => {
    pos++;
    STRING_BODY.lastIndex = pos;
    STRING_BODY.exec(text);
    pos = STRING_BODY.lastIndex;
    if (text[pos] === '"') {
      pos++;
      return undefined;
    }
    return fault(pos >= text.length ? 'unterminated string' : text[pos] === '\\' ? 'invalid escape in a string' : 'control character in a string');
  };
  const key = (): JsonFault | undefined => {
    skip();
    if (text[pos] !== '"') return fault(`expected a property name in double quotes, found ${show(text, pos)}`);
    const bad = string();
    if (bad) return bad;
    skip();
    if (text[pos] !== ':') return fault(`expected \`:\` after a property name, found ${show(text, pos)}`);
    pos++;
    return undefined;
  };

  let bad = value();
  while (!bad) {
    skip();
    const top = stack[stack.length - 1];
    if (top === undefined) return pos < text.length ? fault(`unexpected ${show(text, pos)} after the JSON value`) : undefined;
    if (text[pos] === top.close) {
      stack.pop();
      pos++;
      continue;
    }
    if (!top.empty) {
      if (text[pos] !== ',') return fault(`expected \`,\` or \`${top.close}\`, found ${show(text, pos)}`);
      pos++;
    }
    top.empty = false;
    bad = top.close === '}' ? key() ?? value() : value();
  }
  return bad;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Parses JSON text; a syntax error becomes an input error with the file, line and column. */
export function parseJsonText(text: string, file: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (e) {
    const found = findJsonFault(body);
    if (body.trim() === '') throw inputError('invalid JSON: the file is empty', { file }, e);
    const where = found ? lineAndColumn(body, found.offset) : undefined;
    const reason = found?.reason ?? (e instanceof Error ? e.message : String(e));
    throw inputError(`invalid JSON: ${reason}`, { file, ...where }, e);
  }
}
