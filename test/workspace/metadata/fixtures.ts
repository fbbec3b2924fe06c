/**
 * The three recorded workspaces of fixtures/workspaces (logsift, ledger,
 * confgen): their metadata files with the placeholders pointed at this
 * checkout, default graph options, and the per-package tables of the
 * fixtures' README read into rows the tests assert against.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PackageGraphOptions } from '../../../src/workspace/metadata/index.js';
import { fixture } from '../../helpers/paths.js';

export const WORKSPACES = ['logsift', 'ledger', 'confgen'] as const;
export type WorkspaceName = (typeof WORKSPACES)[number];

export const workspaceDir = (name: string): string => fixture('workspaces', name);
export const REGISTRY_SRC = fixture('workspaces', 'registry-src');
export const ACME_REGISTRY_SRC = fixture('workspaces', 'registry-src-acme');
export const GIT_CHECKOUTS = fixture('workspaces', 'git-checkouts');

export const CACHE_DIRS = { registrySrc: [REGISTRY_SRC, ACME_REGISTRY_SRC], gitCheckouts: [GIT_CHECKOUTS] };

/** Options for a graph read without cargo; tests override what they exercise. */
export function graphOptions(workspace: string, overrides: Partial<PackageGraphOptions> = {}): PackageGraphOptions {
  return {
    manifestPath: path.join(workspaceDir(workspace), 'Cargo.toml'),
    useCargo: false,
    cargoArgs: { offline: true, locked: false, frozen: false, allFeatures: false, noDefaultFeatures: false, features: [] },
    targets: [],
    excludeDev: false,
    exclude: [],
    excludeUnpublished: false,
    workspace: true,
    cargoHome: path.join(os.tmpdir(), 'sentinel-no-cargo-home'),
    env: {},
    cacheDirs: { registrySrc: [], gitCheckouts: [] },
    ...overrides,
  };
}

let scratch: string | undefined;
export function tempDir(prefix = 'sentinel-meta-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * `<workspace>/<name>.placeholders.json` with every placeholder replaced by
 * this checkout's folder (as JSON string content), written to a temporary
 * file whose path is returned. `edit` may change the text first.
 */
export function materializedMetadata(workspace: string, name = 'metadata', edit: (json: string) => string = (j) => j): string {
  const escape = (p: string): string => JSON.stringify(p).slice(1, -1);
  const text = readFileSync(path.join(workspaceDir(workspace), `${name}.placeholders.json`), 'utf8')
    .replaceAll('{WORKSPACE}', escape(workspaceDir(workspace)))
    .replaceAll('{REGISTRY_SRC}', escape(REGISTRY_SRC))
    .replaceAll('{ACME_REGISTRY_SRC}', escape(ACME_REGISTRY_SRC))
    .replaceAll('{GIT_CHECKOUTS}', escape(GIT_CHECKOUTS));
  scratch ??= tempDir();
  const file = path.join(scratch, `${workspace}-${name}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, edit(text));
  return file;
}

/** One row of a README "every package" table. */
export interface PackageRow {
  crate: string;
  version: string;
  /** `crates.io`, `path`, `git`, or `alt registry \`acme\``. */
  source: string;
  /** The license expression, or `license-file LICENSE`, or `none`. */
  license: string;
  build: boolean;
  procMacro: boolean;
  /** `runtime`, `build-time only`, `dev only`, `workspace member`, `runtime, only with --all-features`. */
  use: string;
  /** Sorted kinds of the edges pointing at it; empty for roots nothing depends on. */
  edgeKinds: string[];
  /** The platforms every edge to it carries; empty when some edge is unconditional. */
  onlyUnderCfg: string[];
  /** false when absent from metadata-windows.json. */
  windows: boolean;
}

const cell = (text: string): string => text.trim().replace(/^\*\*(.*)\*\*$/, '$1');

/** The `### \`<workspace>\` — every package` table of fixtures/workspaces/README.md. */
export function readmeRows(workspace: string): PackageRow[] {
  const readme = readFileSync(fixture('workspaces', 'README.md'), 'utf8');
  const start = readme.indexOf(`### \`${workspace}\` — every package`);
  if (start < 0) throw new Error(`no package table for ${workspace} in the README`);
  const lines = readme.slice(start).split('\n');
  const rows: PackageRow[] = [];
  let inTable = false;
  for (const line of lines.slice(1)) {
    if (line.startsWith('### ')) break;
    if (!line.startsWith('| ')) {
      if (inTable) break;
      continue;
    }
    inTable = true;
    const cells = line.slice(1, line.lastIndexOf('|')).split('|').map(cell);
    if (cells[0] === 'crate' || cells[0]?.startsWith('---')) continue;
    const [crate, version, source, license, build, procMacro, use, edgeKinds, onlyUnderCfg, windows] = cells as string[];
    rows.push({
      crate: crate as string,
      version: version as string,
      source: source as string,
      license: (license as string).replace(/`/g, ''),
      build: build === 'yes',
      procMacro: procMacro === 'yes',
      use: use as string,
      edgeKinds: edgeKinds === '' ? [] : (edgeKinds as string).split(',').sort(),
      onlyUnderCfg: onlyUnderCfg === '' ? [] : (onlyUnderCfg as string).split('; ').map((c) => c.replace(/^`|`$/g, '')).sort(),
      windows: windows !== 'no',
    });
  }
  return rows;
}
