/**
 * `cargo-sentinel sbom`: the workspace's software bill of materials as
 * CycloneDX (1.6 or 1.5) or SPDX 2.3 JSON.
 *
 * The graph is built as for `check` from the global flags (`--manifest-path`,
 * `--metadata-path`, `--lockfile-only`, `--target`, features, `--exclude`,
 * `--exclude-dev`…), always with every workspace member as a root: an SBOM
 * inventories the whole workspace, as its Cargo.lock does. deny.toml is not
 * read: it is the checks' policy, and an SBOM must not fail on a policy file.
 * `--with-vulnerabilities` takes the database from `--db-url` / `--db-path`
 * (default: RustSec's, in `$CARGO_HOME/advisory-dbs` as cargo-deny keeps it),
 * `--offline`, `--stale` and `--cache-dir`, as `check` does.
 */
import { packageRoot, readConfined } from '../workspace/metadata/package-paths.js';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AdvisoryFinding } from '../advisories/match.js';
import { cargoHome } from '../audit/settings.js';
import { configError, operationalError } from '../errors.js';
import { loadPackageGraph } from '../workspace/metadata/index.js';
import type { PackageGraph } from '../workspace/package-graph.js';
import { compareStrings } from '../advisories/assemble.js';
import { buildInventory } from '../report/sbom/inventory.js';
import { declaredLicense } from '../report/sbom/license.js';
import { creationTime } from '../report/sbom/reproducible.js';
import type { CycloneDxSpecVersion } from '../report/sbom/cyclonedx.js';
import { CheckExit } from './exit-codes.js';
import type { GlobalFlags } from './global-flags.js';
import type { Io } from './main.js';
import { VERSION } from './version.js';

export interface SbomFlags {
  format: string;
  specVersion: string;
  output: string | undefined;
  withVulnerabilities: boolean;
}

export const SBOM_FORMATS = ['cyclonedx', 'spdx'] as const;
export const CYCLONEDX_SPEC_VERSIONS: readonly CycloneDxSpecVersion[] = ['1.6', '1.5'];

export async function sbomCommand(flags: SbomFlags, global: GlobalFlags, io: Io): Promise<number> {
  if (!(SBOM_FORMATS as readonly string[]).includes(flags.format)) {
    throw configError(`invalid value '${flags.format}' for --format: expected ${SBOM_FORMATS.join(' or ')}`);
  }
  if (!(CYCLONEDX_SPEC_VERSIONS as readonly string[]).includes(flags.specVersion)) {
    throw configError(`invalid value '${flags.specVersion}' for --spec-version: expected ${CYCLONEDX_SPEC_VERSIONS.join(' or ')}`);
  }
  const created = creationTime(io.env, io.now);
  const graph = await loadGraph(global, io);
  for (const w of graph.warnings ?? []) io.stderr(`warning: ${w}\n`);
  if (graph.unknowns.manifestsMissing.length > 0) {
    io.stderr(
      `warning: the manifests of ${graph.unknowns.manifestsMissing.length} packages were not found (run without --lockfile-only, or fetch the crates): their licenses are stated as unknown\n`,
    );
  }
  const vulnerabilities = flags.withVulnerabilities ? await findVulnerabilities(graph, global, io) : undefined;
  const inventory = buildInventory(graph, { targets: global.target ?? [], vulnerabilities });

  let text: string;
  if (flags.format === 'spdx') {
    const { renderSpdx } = await import('../report/sbom/spdx.js');
    text = renderSpdx(inventory, { created, toolVersion: VERSION, licenseTexts: licenseRefTexts(graph) });
  } else {
    const { renderCycloneDx } = await import('../report/sbom/cyclonedx.js');
    text = await renderCycloneDx(inventory, { specVersion: flags.specVersion as CycloneDxSpecVersion, timestamp: created, toolVersion: VERSION });
  }
  if (flags.output === undefined) io.stdout(text);
  else writeOutput(path.resolve(io.cwd, flags.output), text);
  return CheckExit.clean;
}

async function loadGraph(global: GlobalFlags, io: Io): Promise<PackageGraph> {
  return loadPackageGraph({
    manifestPath: path.resolve(io.cwd, global.manifestPath ?? 'Cargo.toml'),
    metadataPath: global.metadataPath !== undefined ? path.resolve(io.cwd, global.metadataPath) : undefined,
    useCargo: !global.lockfileOnly,
    cargoArgs: {
      offline: Boolean(global.offline || global.frozen),
      locked: Boolean(global.locked),
      frozen: Boolean(global.frozen),
      allFeatures: Boolean(global.allFeatures),
      noDefaultFeatures: Boolean(global.noDefaultFeatures),
      features: global.features ?? [],
    },
    targets: global.target ?? [],
    excludeDev: Boolean(global.excludeDev),
    exclude: global.exclude ?? [],
    excludeUnpublished: Boolean(global.excludeUnpublished),
    workspace: true,
    cargoHome: cargoHome(io.env),
    env: io.env,
  });
}

/** The advisory databases' vulnerabilities (not informational advisories) in the graph's packages, each once. */
async function findVulnerabilities(graph: PackageGraph, global: GlobalFlags, io: Io): Promise<AdvisoryFinding[]> {
  const { openAdvisoryDatabase } = await import('../advisories/open.js');
  const { findAdvisories } = await import('../advisories/match.js');
  const { dbDirectoryFor, defaultDbRoot, DEFAULT_DATABASE_URL } = await import('../advisories/sync/location.js');

  const urls = global.dbUrl?.length ? global.dbUrl : [DEFAULT_DATABASE_URL];
  const root = global.dbPath !== undefined ? path.resolve(io.cwd, global.dbPath) : defaultDbRoot(io.env);
  const home = cargoHome(io.env);
  const cacheDir = path.resolve(io.cwd, global.cacheDir ?? io.env.CARGO_SENTINEL_CACHE ?? path.join(home, 'sentinel-cache'));
  const fetch = !global.offline && !global.frozen;
  const verbose = ['info', 'debug', 'trace'].includes(global.logLevel ?? 'warn');

  const packages = [...graph.packages.values()].flatMap((n) => (n.lock ? [n.lock] : []));
  const seen = new Set<string>();
  const out: AdvisoryFinding[] = [];
  for (const url of urls) {
    const { db } = await openAdvisoryDatabase(
      {
        url,
        dir: dbDirectoryFor(url, root, io.cwd),
        fetch,
        // As in `check`: staleness matters only when the database may not be fetched.
        allowStale: Boolean(global.stale) || fetch,
        cacheDir,
      },
      {
        status: (verb, message) => {
          if (verbose) io.stderr(`info: ${verb.toLowerCase()} ${message}\n`);
        },
        warn: (message) => io.stderr(`warning: ${message}\n`),
        now: io.now(),
      },
    );
    for (const f of findAdvisories(packages, db, { informationalWarnings: [] })) {
      const key = `${f.advisory.metadata.id}|${f.package.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(f);
    }
  }
  return out;
}

const MAX_LICENSE_TEXT_BYTES = 4 * 1024 * 1024;

/** For SPDX: the text of each `LicenseRef-` from the `license-file` of a package declaring it (the first by id that reads). */
function licenseRefTexts(graph: PackageGraph): Map<string, string> {
  const texts = new Map<string, string>();
  const nodes = [...graph.packages.values()].sort((x, y) => compareStrings(x.id, y.id));
  for (const node of nodes) {
    const license = declaredLicense(node);
    if (license.kind !== 'expression' || typeof node.licenseFile !== 'string' || node.manifestPath === undefined) continue;
    // Confined to the package (or, for a local package, the workspace): a symlinked license-file
    // must not carry a file from elsewhere into the document.
    const root = packageRoot(node.manifestPath, node.source === undefined, graph.workspaceRoot);
    const read = readConfined(root, node.licenseFile, MAX_LICENSE_TEXT_BYTES);
    // Unreadable or outside: the document says the text was not available.
    if (!read.ok) continue;
    for (const ref of license.refs) if (!texts.has(ref)) texts.set(ref, read.bytes.toString('utf8'));
  }
  return texts;
}

/** An output path that cannot be written is the user's to fix (exit 32); anything else is operational. */
function writeOutput(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = (e as Error).message;
    const message = `cannot write the SBOM to ${file}: ${code === 'ENOENT' ? 'its directory does not exist' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : reason}`;
    throw code !== undefined && ['ENOENT', 'EISDIR', 'ENOTDIR', 'EACCES', 'EPERM', 'EROFS'].includes(code)
      ? configError(message, undefined, e)
      : operationalError(message, undefined, e);
  }
}
