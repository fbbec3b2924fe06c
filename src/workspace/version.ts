/**
 * Strict semver text, as Cargo writes package versions. The `semver` npm
 * package is lenient (it accepts `v1.2.3`, `=1.2.3` and surrounding spaces),
 * so validation and ordering of lockfile versions live here.
 */

const NUMBER = '(?:0|[1-9][0-9]*)';
const PRE_ID = '(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)';
const BUILD_ID = '[0-9A-Za-z-]+';
const SEMVER = new RegExp(
  `^(${NUMBER})\\.(${NUMBER})\\.(${NUMBER})(?:-(${PRE_ID}(?:\\.${PRE_ID})*))?(?:\\+(${BUILD_ID}(?:\\.${BUILD_ID})*))?$`,
);

/** Longer strings are no version Cargo would write; the bound keeps hostile input cheap. */
const MAX_VERSION_LENGTH = 256;

export const isSemver = (text: string): boolean => text.length <= MAX_VERSION_LENGTH && SEMVER.test(text);

/** Digit strings without leading zeros compare by length first, which stays exact past 2^53. */
const compareDigits = (a: string, b: string): number =>
  a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;

const isDigits = (s: string): boolean => /^[0-9]+$/.test(s);

function comparePrerelease(a: string | undefined, b: string | undefined): number {
  // A release sorts after all of its pre-releases.
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  const as = a.split('.');
  const bs = b.split('.');
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const x = as[i] as string;
    const y = bs[i] as string;
    const xNum = isDigits(x);
    const yNum = isDigits(y);
    if (xNum && yNum) {
      const c = compareDigits(x, y);
      if (c !== 0) return c;
    } else if (xNum !== yNum) {
      return xNum ? -1 : 1;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return as.length - bs.length;
}

/**
 * Semver precedence, then build metadata as text so the order is total (as
 * Cargo's `semver::Version` orders). Invalid versions sort after valid ones, by text.
 */
export function compareVersions(a: string, b: string): number {
  const x = SEMVER.exec(a);
  const y = SEMVER.exec(b);
  if (!x || !y) return x ? -1 : y ? 1 : a < b ? -1 : a > b ? 1 : 0;
  for (let i = 1; i <= 3; i++) {
    const c = compareDigits(x[i] as string, y[i] as string);
    if (c !== 0) return Math.sign(c);
  }
  const pre = comparePrerelease(x[4], y[4]);
  if (pre !== 0) return Math.sign(pre);
  const xb = x[5] ?? '';
  const yb = y[5] ?? '';
  return xb < yb ? -1 : xb > yb ? 1 : 0;
}
