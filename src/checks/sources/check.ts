/**
 * The sources check: every package that comes from a registry or a git
 * repository must come from one that `[sources]` allows. Pure: graph and
 * config in, diagnostics out.
 *
 * Semantics follow cargo-deny:
 * - path packages have no source and are never judged;
 * - when both `unknown-registry` and `unknown-git` are `allow`, nothing is
 *   reported at all (not even `required-git-spec` or unused entries);
 * - `allow-registry`, `allow-git` and `private` form one list, searched in
 *   that order; the first entry that matches is the one counted as used.
 *   `allow-registry`/`allow-git` entries match the same host and path,
 *   `private` entries match any source under them;
 * - crates.io's git index and its sparse index are the same registry, and a
 *   crates.io package allowed by its entry produces no diagnostic (nor does an
 *   unused crates.io entry);
 * - a git source no entry allows may still be allowed by `allow-org`: the
 *   first path segment on github.com, gitlab.com or bitbucket.org, compared
 *   without regard to case;
 * - `required-git-spec` ranks any < branch < tag < rev (`?ref=` is a
 *   branch); a weaker git source is an error whether or not it is allowed.
 *
 * Where cargo-deny's behaviour is a hazard we differ, deliberately: a
 * `private` prefix matches whole path segments (`https://host/acme` does not
 * cover `https://host/acme-tools/x`).
 *
 * Labels: the primary one is on the package's `[[package]]` header in the
 * real Cargo.lock (column 1, the 11 characters of `[[package]]`; the header is
 * the one line every lockfile version writes for a package); a secondary one
 * points at the deny.toml entry that decided, when there is a deny.toml.
 */
import type { Diagnostic, Label } from '../../diagnostics/types.js';
import { severityOfLint } from '../../policy/levels.js';
import type { PathSegment } from '../../toml/locate.js';
import type { PackageGraph, PackageNode } from '../../workspace/package-graph.js';
import type { SourceId } from '../../workspace/types.js';
import { compareVersions } from '../../workspace/version.js';
import { configLabel, lockLabel, packageRef, type PolicyFile } from '../labels.js';
import type { AllowedUrl, SourcesConfig } from './config.js';
import { GIT_SPECS, type GitSpec } from './git-spec.js';
import { sameLocation, sourceLocation, underLocation, type SourceLocation } from './url.js';

export interface SourcesInput {
  graph: PackageGraph;
  config: SourcesConfig;
  policy: PolicyFile;
}

type OrgHost = 'github' | 'gitlab' | 'bitbucket';
const ORG_HOSTS: Record<OrgHost, string> = { github: 'github.com', gitlab: 'gitlab.com', bitbucket: 'bitbucket.org' };

interface Allowance {
  entry: AllowedUrl;
  key: 'allow-registry' | 'allow-git' | 'private';
  index: number;
  used: boolean;
}

interface OrgAllowance {
  host: OrgHost;
  name: string;
  index: number;
  used: boolean;
}

export function checkSources({ graph, config, policy }: SourcesInput): Diagnostic[] {
  if (config['unknown-registry'] === 'allow' && config['unknown-git'] === 'allow') return [];
  const allowances = allowancesOf(config);
  const orgs = orgAllowancesOf(config);
  const withConfig = policy.file !== undefined;
  const at = (path: PathSegment[], message: string): Label[] => (withConfig ? [configLabel(policy, path, message)] : []);
  const out: Diagnostic[] = [];
  // Most packages share a handful of sources: each URL is parsed once.
  const locations = new Map<string, SourceLocation | undefined>();

  for (const node of sortedPackages(graph)) {
    const source = node.source;
    if (source === undefined) continue;
    let location = locations.get(source.url);
    if (location === undefined && !locations.has(source.url)) locations.set(source.url, (location = sourceLocation(source.url)));
    const kind = source.kind === 'git' ? 'git' : 'registry';
    // The Cargo.lock label, made only for a package that gets a diagnostic.
    const lock = (): Label[] => (node.lock ? [lockLabel(graph, node, `source \`${source.raw}\``)] : []);
    const diagnostic = (code: string, severity: Diagnostic['severity'], message: string, labels: Label[], notes: string[] = []): Diagnostic => ({
      source: 'sources',
      code,
      severity,
      message,
      labels: [...lock(), ...labels],
      notes,
      package: packageRef(node),
    });

    const required = config['required-git-spec'];
    if (source.kind === 'git' && required !== undefined) {
      const actual = gitSpecOf(source);
      if (GIT_SPECS.indexOf(actual) < GIT_SPECS.indexOf(required)) {
        out.push(
          diagnostic(
            'git-source-underspecified',
            'error',
            `'git' source is underspecified, expected '${required}', but found '${actual}'`,
            at(['sources', 'required-git-spec'], 'the weakest git specifier allowed'),
          ),
        );
      }
    }

    const allowed = location ? allowances.find((a) => allows(a, location, source)) : undefined;
    if (allowed) {
      allowed.used = true;
      if (source.isCratesIo) continue;
      out.push(
        diagnostic('allowed-source', 'note', `'${kind}' source explicitly allowed`, at(['sources', allowed.key, allowed.index], 'allowed by this entry')),
      );
      continue;
    }

    const org = source.kind === 'git' && location ? orgOf(location) : undefined;
    const byOrg = org ? orgs.find((o) => o.host === org.host && sameOrgName(o.name, org.name)) : undefined;
    if (byOrg) {
      byOrg.used = true;
      out.push(
        diagnostic(
          'allowed-by-organization',
          'note',
          'source allowed by organization allowance',
          at(['sources', 'allow-org', byOrg.host, byOrg.index], `allowed by this ${ORG_HOSTS[byOrg.host]} organization`),
        ),
      );
      continue;
    }

    const lint = source.kind === 'git' ? config['unknown-git'] : config['unknown-registry'];
    out.push(
      diagnostic(
        'source-not-allowed',
        severityOfLint(lint),
        `detected '${kind}' source not explicitly allowed`,
        [],
        location ? allowHints(source, location) : [],
      ),
    );
  }

  for (const a of allowances) {
    if (a.used || a.entry.location.isCratesIo) continue;
    out.push({
      source: 'sources',
      code: 'unmatched-source',
      severity: severityOfLint(config['unused-allowed-source']),
      message: 'allowed source was not encountered',
      labels: at(['sources', a.key, a.index], 'no package comes from this source').map((l) => ({ ...l, primary: true })),
      notes: [],
    });
  }
  for (const o of orgs) {
    if (o.used) continue;
    out.push({
      source: 'sources',
      code: 'unmatched-organization',
      severity: severityOfLint(config['unused-allowed-org']),
      message: `allowed '${ORG_HOSTS[o.host]}' organization was not encountered`,
      labels: at(['sources', 'allow-org', o.host, o.index], 'no git source belongs to this organization').map((l) => ({ ...l, primary: true })),
      notes: [],
    });
  }
  return out;
}

function allowancesOf(config: SourcesConfig): Allowance[] {
  const keys = ['allow-registry', 'allow-git', 'private'] as const;
  return keys.flatMap((key) => config[key].map((entry, index) => ({ entry, key, index, used: false })));
}

function orgAllowancesOf(config: SourcesConfig): OrgAllowance[] {
  const hosts = ['github', 'gitlab', 'bitbucket'] as const;
  return hosts.flatMap((host) => config['allow-org'][host].map((name, index) => ({ host, name, index, used: false })));
}

function allows(a: Allowance, location: SourceLocation, source: SourceId): boolean {
  if (source.isCratesIo) return a.entry.location.isCratesIo;
  return a.key === 'private' ? underLocation(a.entry.location, location) : sameLocation(a.entry.location, location);
}

function gitSpecOf(source: Extract<SourceId, { kind: 'git' }>): GitSpec {
  return source.reference?.kind ?? 'any';
}

function orgOf(location: SourceLocation): { host: OrgHost; name: string } | undefined {
  const host = (Object.keys(ORG_HOSTS) as OrgHost[]).find((h) => ORG_HOSTS[h] === location.host);
  const name = location.segments[0];
  return host && name !== undefined ? { host, name } : undefined;
}

const sameOrgName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** What a user can add to deny.toml to allow this source. */
function allowHints(source: SourceId, location: SourceLocation): string[] {
  const url = source.url;
  if (source.kind !== 'git') return [`to allow this registry, add "${url}" to \`sources.allow-registry\``];
  const hints = [`to allow this repository, add "${url}" to \`sources.allow-git\``];
  const org = orgOf(location);
  if (org) hints.push(`to allow every repository of its owner, add "${org.name}" to \`sources.allow-org.${org.host}\``);
  return hints;
}

function sortedPackages(graph: PackageGraph): PackageNode[] {
  return [...graph.packages.values()].sort(
    (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || compareVersions(a.version, b.version) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}
