/**
 * How old a database is. cargo-audit and cargo-deny both refuse a database
 * whose newest commit is older than 90 days, because a silent, frozen database
 * reports "no vulnerabilities" forever.
 */
import { operationalError } from '../../errors.js';

const DAY_MS = 86_400_000;

export interface Staleness {
  /** Whole days from the HEAD commit to `now` (0 if the commit is in the future); null if unknown. */
  ageDays: number | null;
  /** Older than the allowed maximum (and let through because staleness was allowed). */
  stale: boolean;
}

export function assessStaleness(commitDate: string | null, now: Date, maxStalenessDays: number): Staleness {
  if (commitDate === null) return { ageDays: null, stale: false };
  const ageMs = now.getTime() - new Date(commitDate).getTime();
  return { ageDays: Math.max(0, Math.floor(ageMs / DAY_MS)), stale: ageMs > maxStalenessDays * DAY_MS };
}

export function staleDatabaseError(commitDate: string, ageDays: number) {
  return operationalError(
    `advisory database is stale: last commit ${commitDate} (${ageDays} days ago); pass --stale to use it anyway`,
  );
}

/** The warning to print when a database is used although stale (or of unknown age); undefined otherwise. */
export function stalenessWarning(result: {
  path: string;
  commit: string | null;
  commitDate: string | null;
  ageDays: number | null;
  stale: boolean;
}): string | undefined {
  if (result.commit === null) {
    return `advisory database at ${result.path} is not a git checkout, so its age is unknown`;
  }
  if (result.stale && result.ageDays !== null) {
    return `advisory database is stale: last commit ${result.commitDate} (${result.ageDays} days ago); findings may be missing`;
  }
  return undefined;
}
