/**
 * CVSS 3.0, 3.1 and 4.0 vectors: checked here, scored by ae-cvss-calculator
 * (the 4.0 score needs the specification's macro-vector table, which that
 * library maintains). The library costs ~10 ms to load, so it is required on
 * first use: parsing the database pays for it, a run served from the compiled
 * index (which stores the scores) never does.
 */
import { createRequire } from 'node:module';
import type { CvssScore, SeverityRating } from './types.js';

type Calculator = typeof import('ae-cvss-calculator');

export class CvssError extends Error {
  constructor(vector: string, reason: string) {
    super(`invalid CVSS vector "${vector}": ${reason}`);
    this.name = 'CvssError';
  }
}

/** Lowest first, so the index is the order. */
export const SEVERITY_RATINGS: readonly SeverityRating[] = ['none', 'low', 'medium', 'high', 'critical'];

export const compareSeverity = (a: SeverityRating, b: SeverityRating): number =>
  SEVERITY_RATINGS.indexOf(a) - SEVERITY_RATINGS.indexOf(b);

export const isSeverityRating = (value: string): value is SeverityRating =>
  (SEVERITY_RATINGS as readonly string[]).includes(value);

/** The qualitative scale, the same in CVSS 3.x and 4.0. */
export function severityOf(score: number): SeverityRating {
  if (score === 0) return 'none';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (score < 9) return 'high';
  return 'critical';
}

/** Base metrics each version requires, with their allowed values. */
const BASE_METRICS: Record<CvssScore['version'], Record<string, readonly string[]>> = {
  '3.0': v3Base(),
  '3.1': v3Base(),
  '4.0': {
    AV: ['N', 'A', 'L', 'P'],
    AC: ['L', 'H'],
    AT: ['N', 'P'],
    PR: ['N', 'L', 'H'],
    UI: ['N', 'P', 'A'],
    VC: ['H', 'L', 'N'],
    VI: ['H', 'L', 'N'],
    VA: ['H', 'L', 'N'],
    SC: ['H', 'L', 'N'],
    SI: ['H', 'L', 'N'],
    SA: ['H', 'L', 'N'],
  },
};

function v3Base(): Record<string, readonly string[]> {
  return {
    AV: ['N', 'A', 'L', 'P'],
    AC: ['L', 'H'],
    PR: ['N', 'L', 'H'],
    UI: ['N', 'R'],
    S: ['U', 'C'],
    C: ['H', 'L', 'N'],
    I: ['H', 'L', 'N'],
    A: ['H', 'L', 'N'],
  };
}

function versionOf(vector: string, prefix: string | undefined): CvssScore['version'] {
  switch (prefix) {
    case 'CVSS:3.0':
      return '3.0';
    case 'CVSS:3.1':
      return '3.1';
    case 'CVSS:4.0':
      return '4.0';
    default:
      throw new CvssError(vector, 'expected a "CVSS:3.0/", "CVSS:3.1/" or "CVSS:4.0/" prefix');
  }
}

/** Checks what the library lets through (duplicates, gaps, missing base metrics). */
function checkMetrics(vector: string, version: CvssScore['version'], parts: readonly string[]): void {
  const seen = new Set<string>();
  for (const part of parts) {
    const [name, value, extra] = part.split(':');
    if (!name || !value || extra !== undefined) throw new CvssError(vector, `malformed metric "${part}"`);
    if (seen.has(name)) throw new CvssError(vector, `metric ${name} given twice`);
    seen.add(name);
    const allowed = BASE_METRICS[version][name];
    if (allowed && !allowed.includes(value)) throw new CvssError(vector, `${name} cannot be "${value}"`);
  }
  const missing = Object.keys(BASE_METRICS[version]).filter((name) => !seen.has(name));
  if (missing.length > 0) throw new CvssError(vector, `missing base metric ${missing.join(', ')}`);
}

const requireLazily = createRequire(import.meta.url);

/**
 * Scores a vector; throws a CvssError when it is not a complete 3.0, 3.1 or
 * 4.0 vector. A 3.x vector scores its base metrics (what cargo-audit shows); a
 * 4.0 vector scores as written, threat metrics included, as the 4.0
 * specification defines its one score.
 */
export function scoreCvss(vector: string): CvssScore {
  const [prefix, ...parts] = vector.split('/');
  const version = versionOf(vector, prefix);
  checkMetrics(vector, version, parts);
  // Node caches the module, so only the first call pays for loading it.
  const lib = requireLazily('ae-cvss-calculator') as Calculator;
  let score: number | undefined;
  try {
    if (version === '4.0') score = new lib.Cvss4P0(vector).calculateScores().overall;
    else score = new (version === '3.0' ? lib.Cvss3P0 : lib.Cvss3P1)(vector).calculateScores().base;
  } catch (e) {
    throw new CvssError(vector, e instanceof Error ? e.message : String(e));
  }
  if (score === undefined || !Number.isFinite(score)) throw new CvssError(vector, 'cannot be scored');
  return { version, score, severity: severityOf(score) };
}

/**
 * The score of a vector, or undefined when it cannot be scored. Reporters
 * should read `Advisory.severity` instead: it is already computed, and calling
 * this loads the calculator.
 */
export function cvssRating(vector: string): CvssScore | undefined {
  try {
    return scoreCvss(vector);
  } catch {
    return undefined;
  }
}
