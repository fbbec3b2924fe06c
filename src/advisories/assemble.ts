/**
 * The one place an AdvisoryDatabase is put together, from a fresh parse or
 * from the compiled index, so both give the same order and the same lookup.
 */
import type { Advisory, AdvisoryDatabase, AdvisoryWarning, DatabaseInfo } from './types.js';

/** Code-unit order, the same on every machine and locale. */
export const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Sorts by id and indexes the `crates` collection by package name (`rust/` advisories never match a lockfile). */
export function assembleDatabase(info: DatabaseInfo, advisories: Advisory[], warnings: AdvisoryWarning[]): AdvisoryDatabase {
  advisories.sort((a, b) => compareStrings(a.metadata.id, b.metadata.id));
  const byPackage = new Map<string, Advisory[]>();
  for (const advisory of advisories) {
    if (advisory.metadata.collection !== 'crates') continue;
    const list = byPackage.get(advisory.metadata.package);
    if (list) list.push(advisory);
    else byPackage.set(advisory.metadata.package, [advisory]);
  }
  return { info, advisories, byPackage, warnings };
}
