/**
 * smol-toml behind the project's error type: a syntax error becomes an input
 * error with the line and column smol-toml found, and nothing else escapes
 * (a hostile document can exhaust the parser's stack, for one).
 */
import { smolToml } from '../toml/smol.js';
import { inputError } from '../errors.js';

/** smol-toml's message is `Invalid TOML document: <reason>` followed by a code excerpt. */
const reasonOf = (message: string): string =>
  (message.split('\n')[0] ?? message).replace(/^Invalid TOML document: /, '');

export function parseToml(text: string, file: string): Record<string, unknown> {
  try {
    return smolToml().parse(text) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof smolToml().TomlError) {
      throw inputError(`invalid TOML: ${reasonOf(e.message)}`, { file, line: e.line, column: e.column }, e);
    }
    throw inputError(`invalid TOML: ${e instanceof Error ? e.message : String(e)}`, { file }, e);
  }
}

export const isTable = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
