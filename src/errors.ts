/**
 * Errors are values with a kind, a message a person can act on, and the place
 * in the input they come from. Only the CLI edge turns a kind into an exit code
 * (see src/cli/exit-codes.ts); nothing deeper calls process.exit.
 */

/**
 * - `input`:       a file the user gave us is malformed (Cargo.lock, Cargo.toml, metadata).
 * - `config`:      a policy/config file (audit.toml, deny.toml) or a flag is wrong.
 * - `operational`: the tool could not do its job (database fetch/load, git, network, locks).
 */
export type ErrorKind = 'input' | 'config' | 'operational';

export interface SourcePlace {
  /** Path of the file as the user would recognise it. */
  file: string;
  /** 1-based line, when known. */
  line?: number;
  /** 1-based column, when known. */
  column?: number;
}

/** One of several problems found in the same input, reported together. */
export interface Problem {
  message: string;
  place?: SourcePlace;
}

export class SentinelError extends Error {
  readonly kind: ErrorKind;
  readonly place: SourcePlace | undefined;
  /** Every problem found, when there were several (config files report all at once). */
  readonly problems: readonly Problem[];

  constructor(
    kind: ErrorKind,
    message: string,
    place?: SourcePlace,
    options?: { cause?: unknown; problems?: readonly Problem[] },
  ) {
    super(message, options);
    this.name = 'SentinelError';
    this.kind = kind;
    this.place = place;
    this.problems = options?.problems ?? [];
  }

  /** `file:line:column: message`, the form editors and terminals make clickable. */
  describe(): string {
    return describeAt(this.message, this.place);
  }
}

export function describeAt(message: string, place: SourcePlace | undefined): string {
  if (!place) return message;
  const { file, line, column } = place;
  const at = line === undefined ? file : column === undefined ? `${file}:${line}` : `${file}:${line}:${column}`;
  return `${at}: ${message}`;
}

export const inputError = (message: string, place?: SourcePlace, cause?: unknown): SentinelError =>
  new SentinelError('input', message, place, { cause });

export const configError = (
  message: string,
  place?: SourcePlace,
  cause?: unknown,
  problems?: readonly Problem[],
): SentinelError => new SentinelError('config', message, place, { cause, problems });

export const operationalError = (message: string, place?: SourcePlace, cause?: unknown): SentinelError =>
  new SentinelError('operational', message, place, { cause });

export const isSentinelError = (e: unknown): e is SentinelError => e instanceof SentinelError;
