/**
 * Durations as deny.toml writes them (`maximum-db-staleness = "P90D"`): the
 * ISO 8601 form RFC 3339 (appendix A) describes, `P[nY][nM][nD][T[nH][nM][nS]]`
 * or `PnW`, each number an integer or a decimal with a `.`. cargo-deny counts
 * a year as 365 days and a month as 30.43 days; so do we, so the same text
 * means the same limit in both tools.
 */

export class DurationError extends Error {
  /** 0-based index of the offending character in the text (its length when the text ends too soon). */
  readonly offset: number;

  constructor(message: string, offset: number) {
    super(message);
    this.name = 'DurationError';
    this.offset = offset;
  }
}

const DATE_UNITS: Record<string, number> = { Y: 365, M: 30.43, D: 1 };
const TIME_UNITS: Record<string, number> = { H: 1 / 24, M: 1 / 1440, S: 1 / 86_400 };
const DATE_ORDER = ['Y', 'M', 'D'];
const TIME_ORDER = ['H', 'M', 'S'];

/** The duration in days (possibly fractional); throws DurationError saying where the text goes wrong. */
export function parseDuration(text: string): number {
  const s = text.toUpperCase();
  if (s[0] !== 'P') throw new DurationError(`a duration starts with 'P', as in "P90D"`, 0);
  let i = 1;
  let days = 0;
  let inTime = false;
  let lastIndex = -1;
  let components = 0;
  let afterT = 0;
  while (i < s.length) {
    if (s[i] === 'T') {
      if (inTime) throw new DurationError(`'T' appears twice`, i);
      inTime = true;
      lastIndex = -1;
      afterT = 0;
      i++;
      continue;
    }
    const start = i;
    while (i < s.length && /[0-9]/.test(s[i]!)) i++;
    if (s[i] === '.') {
      i++;
      const fractionStart = i;
      while (i < s.length && /[0-9]/.test(s[i]!)) i++;
      if (i === fractionStart) throw new DurationError(`expected a digit after '.'`, i);
    }
    const number = s.slice(start, i);
    if (number === '' || number.startsWith('.')) {
      throw new DurationError(i < s.length ? `expected a number before '${text[i]}'` : 'expected a number', i);
    }
    if (i >= s.length) throw new DurationError(`the number ${number} has no unit (Y, M, W or D; H, M or S after 'T')`, i);
    const unit = s[i]!;
    if (unit === 'W') {
      if (inTime || components > 0 || i + 1 < s.length) {
        throw new DurationError(`a week duration is written alone, as in "P2W"`, i);
      }
      days = Number(number) * 7;
      components++;
      i++;
      continue;
    }
    const order = inTime ? TIME_ORDER : DATE_ORDER;
    const index = order.indexOf(unit);
    if (index < 0) {
      const expected = inTime ? 'H, M or S' : "Y, M, W, D or 'T'";
      throw new DurationError(`unexpected '${text[i]}' (expected ${expected})`, i);
    }
    if (index <= lastIndex) {
      throw new DurationError(`'${text[i]}' is out of order (the order is ${order.join(', ')})`, i);
    }
    lastIndex = index;
    days += Number(number) * (inTime ? TIME_UNITS : DATE_UNITS)[unit]!;
    components++;
    afterT++;
    i++;
  }
  if (inTime && afterT === 0) throw new DurationError(`expected H, M or S after 'T'`, s.length);
  if (components === 0) throw new DurationError(`expected at least one component after 'P', as in "P90D"`, s.length);
  return days;
}
