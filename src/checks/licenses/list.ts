/**
 * `cargo-sentinel list` (cargo-deny's `list`): which licenses the graph
 * uses, by license or by crate, as text, JSON or a TSV grid. The data comes
 * from the same resolution as the check; rendering is separate and pure.
 */
import path from 'node:path';
import type { PackageGraph, PackageNode } from '../../workspace/package-graph.js';
import { compareVersions } from '../../workspace/version.js';
import { defaultLicensesConfig, type LicensesConfig } from './config.js';
import type { GatheredLicenses } from './gather.js';
import { resolveLicense } from './resolve.js';
import { reqToString, requirements } from './spdx.js';

export type ListLayout = 'license' | 'crate';
export type ListFormat = 'human' | 'json' | 'tsv';

export interface ListedCrate {
  id: string;
  name: string;
  version: string;
  /** cargo's source of the package (`registry+…`, `git+…`, `path+file://…`). */
  source: string;
  /** Each distinct term of its expression (`MIT`, `Apache-2.0 WITH LLVM-exception`), in expression order. */
  licenses: string[];
  status: 'licensed' | 'unlicensed' | 'unknown';
}

export interface LicenseListing {
  /** Every package, sorted by name, version, source. */
  crates: ListedCrate[];
  /** Each license with the crates whose expression names it, sorted by license. */
  licenses: Array<[license: string, crates: ListedCrate[]]>;
  unlicensed: ListedCrate[];
  /** Packages whose manifests could not be read (cargo-sentinel's addition; absent from output when empty). */
  unknown: ListedCrate[];
}

/**
 * Without `config`, as cargo-deny's `list`: no clarifications. With it, the
 * deny.toml's clarifications apply, as in the check.
 */
export function licenseListing(graph: PackageGraph, gathered: GatheredLicenses, config?: LicensesConfig): LicenseListing {
  const effective = config ?? defaultLicensesConfig();
  const crates = [...graph.packages.values()].map((node): ListedCrate => {
    const resolution = resolveLicense(node, gathered.packages.get(node.id), effective);
    const licenses = resolution.kind === 'expression' ? [...new Set(requirements(resolution.expr).map(reqToString))] : [];
    const status = resolution.kind === 'expression' ? 'licensed' : resolution.kind;
    return { id: node.id, name: node.name, version: node.version, source: sourceOf(node), licenses, status };
  });
  crates.sort(compareCrates);

  const byLicense = new Map<string, ListedCrate[]>();
  for (const c of crates) {
    for (const l of c.licenses) byLicense.set(l, [...(byLicense.get(l) ?? []), c]);
  }
  return {
    crates,
    licenses: [...byLicense.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    unlicensed: crates.filter((c) => c.status === 'unlicensed'),
    unknown: crates.filter((c) => c.status === 'unknown'),
  };
}

function sourceOf(node: PackageNode): string {
  if (node.source) return node.source.raw;
  return node.manifestPath ? `path+file://${path.dirname(node.manifestPath).split(path.sep).join('/')}` : 'path';
}

function compareCrates(a: ListedCrate, b: ListedCrate): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  const v = compareVersions(a.version, b.version);
  if (v !== 0) return v;
  return a.source < b.source ? -1 : a.source > b.source ? 1 : 0;
}

const pid = (c: ListedCrate): string => `${c.name}@${c.version}`;
const serialId = (c: ListedCrate): string => `${c.name} ${c.version} ${c.source}`;

export function renderLicenseList(listing: LicenseListing, format: ListFormat, layout: ListLayout): string {
  if (format === 'tsv') return renderTsv(listing);
  if (format === 'json') return renderJson(listing, layout);
  return layout === 'license' ? renderHumanByLicense(listing) : renderHumanByCrate(listing);
}

function renderHumanByLicense(listing: LicenseListing): string {
  const line = (label: string, crates: readonly ListedCrate[]) => `${label} (${crates.length}): ${crates.map(pid).join(', ')}\n`;
  let out = listing.licenses.map(([license, crates]) => line(license, crates)).join('');
  if (listing.unlicensed.length > 0) out += line('Unlicensed', listing.unlicensed);
  if (listing.unknown.length > 0) out += line('Unknown', listing.unknown);
  return out;
}

function renderHumanByCrate(listing: LicenseListing): string {
  return listing.crates
    .map((c) => `${pid(c)} (${c.licenses.length}): ${c.status === 'unknown' ? '(unknown: manifest not read)' : c.licenses.join(', ')}\n`)
    .join('');
}

function renderJson(listing: LicenseListing, layout: ListLayout): string {
  if (layout === 'license') {
    const value: Record<string, unknown> = {
      licenses: listing.licenses.map(([license, crates]) => [license, crates.map(serialId)]),
      unlicensed: listing.unlicensed.map(serialId),
    };
    if (listing.unknown.length > 0) value['unknown'] = listing.unknown.map(serialId);
    return JSON.stringify(value);
  }
  const crates: Record<string, { licenses: string[]; unknown?: true }> = {};
  for (const c of listing.crates) crates[serialId(c)] = c.status === 'unknown' ? { licenses: [], unknown: true } : { licenses: c.licenses };
  return JSON.stringify(crates);
}

/** A crate × license grid of `X` (the layout does not apply, as in cargo-deny). */
function renderTsv(listing: LicenseListing): string {
  const columns = listing.licenses.map(([license]) => license);
  const extra = [...(listing.unlicensed.length > 0 ? ['Unlicensed'] : []), ...(listing.unknown.length > 0 ? ['Unknown'] : [])];
  let out = ['crate', ...columns, ...extra].join('\t') + '\n';
  for (const c of listing.crates) {
    const cells = columns.map((l) => (c.licenses.includes(l) ? 'X' : ''));
    if (listing.unlicensed.length > 0) cells.push(c.status === 'unlicensed' ? 'X' : '');
    if (listing.unknown.length > 0) cells.push(c.status === 'unknown' ? 'X' : '');
    out += [pid(c), ...cells].join('\t') + '\n';
  }
  return out;
}
