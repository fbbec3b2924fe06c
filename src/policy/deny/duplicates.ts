/**
 * The "duplicate items detected" warning: a list of deny.toml that names the
 * same thing twice (an advisory ignored twice, a URL allowed twice under two
 * spellings) is harmless but usually a merge leftover or a typo hiding the
 * entry that was meant. Each repeat is reported at its own place, naming the
 * first occurrence.
 */
import type { DocumentPass } from '../toml-config.js';
import { pathKey } from '../../toml/locate.js';
import { sourceLocation } from '../../checks/sources/url.js';

type KeyOf = (value: unknown) => string | undefined;

const text: KeyOf = (v) => (typeof v === 'string' ? v : undefined);
const lowerCase: KeyOf = (v) => (typeof v === 'string' ? v.toLowerCase() : undefined);

/** A string entry, or the `crate` (or `id`) of a table entry. */
const specOrId: KeyOf = (v) => {
  if (typeof v === 'string') return v;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const t = v as Record<string, unknown>;
  return typeof t.id === 'string' ? t.id : typeof t.crate === 'string' ? t.crate : undefined;
};

/** Two spellings of one URL (case of the host, trailing `/` or `.git`, crates.io's two indexes) are one item. */
const url: KeyOf = (v) => {
  if (typeof v !== 'string') return undefined;
  const l = sourceLocation(v);
  if (!l) return v;
  return l.isCratesIo ? 'crates.io' : [l.host, ...l.segments].join('/');
};

const CHECKED: ReadonlyArray<{ path: readonly string[]; key: KeyOf }> = [
  { path: ['advisories', 'ignore'], key: specOrId },
  { path: ['advisories', 'db-urls'], key: url },
  { path: ['licenses', 'allow'], key: text },
  { path: ['bans', 'deny'], key: specOrId },
  { path: ['bans', 'allow'], key: specOrId },
  { path: ['bans', 'skip'], key: specOrId },
  { path: ['bans', 'skip-tree'], key: specOrId },
  { path: ['sources', 'allow-registry'], key: url },
  { path: ['sources', 'allow-git'], key: url },
  { path: ['sources', 'private'], key: url },
  { path: ['sources', 'allow-org', 'github'], key: lowerCase },
  { path: ['sources', 'allow-org', 'gitlab'], key: lowerCase },
  { path: ['sources', 'allow-org', 'bitbucket'], key: lowerCase },
];

export const duplicateItemsPass: DocumentPass = (doc, report) => {
  for (const { path, key } of CHECKED) {
    let list: unknown = doc;
    for (const k of path) list = list !== null && typeof list === 'object' && !Array.isArray(list) ? (list as Record<string, unknown>)[k] : undefined;
    if (!Array.isArray(list)) continue;
    const first = new Map<string, number>();
    list.forEach((item, index) => {
      const k = key(item);
      if (k === undefined) return;
      const earlier = first.get(k);
      if (earlier === undefined) {
        first.set(k, index);
        return;
      }
      const at = [...path, index];
      report.warn(at, `\`${pathKey(at)}\`: duplicate items detected: this is the same as \`${pathKey([...path, earlier])}\``);
    });
  }
};
