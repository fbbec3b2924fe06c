/** Words the HTML and Markdown forms share, so both say the same thing the same way. */
import type { AuditReportModel, SeverityBucket } from './types.js';

export const SEVERITY_LABELS: Record<SeverityBucket, string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  none: 'None / unscored',
  informational: 'Informational',
};

export const SECTION_TITLES = {
  summary: 'Summary',
  advisories: 'Advisories',
  inventory: 'Dependency inventory',
  licenses: 'Licenses',
  'build-time-code': 'Build-time code',
  exceptions: 'Policy exceptions',
  database: 'Advisory database',
} as const;

export type SectionId = keyof typeof SECTION_TITLES;
export const SECTION_IDS = Object.keys(SECTION_TITLES) as SectionId[];

export function graphOriginText(m: AuditReportModel): string {
  switch (m.project.graphOrigin) {
    case 'cargo-metadata':
      return 'cargo metadata';
    case 'metadata-file':
      return 'saved cargo metadata';
    case 'lockfile':
      return 'Cargo.lock only';
  }
}

/** Said once, at the top, when part of the picture is unknown; undefined when everything is known. */
export function unknownNotice(m: AuditReportModel): string | undefined {
  const missing = m.project.manifestsMissing;
  if (missing === 0) return undefined;
  return (
    `The dependency graph was read from ${m.project.graphOrigin === 'lockfile' ? 'Cargo.lock without cargo' : graphOriginText(m)}: ` +
    `the manifests of ${missing} of ${m.inventory.total} packages were not available, so their licenses, build scripts ` +
    `and proc-macros are shown as unknown, not guessed.`
  );
}

/** `2026-09-01T00:00:00Z` as `2026-09-01 00:00 UTC`. */
export const humanTime = (iso: string): string => iso.replace(/^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}):\d{2}(\.\d+)?Z$/, '$1 $2 UTC');

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** A share in whole percent; a small non-zero share is `<1%`, never a misleading `0%`. */
export function percent(part: number, whole: number): string {
  if (whole === 0 || part === 0) return '0%';
  const p = Math.round((part / whole) * 100);
  return p === 0 ? '<1%' : p === 100 && part < whole ? '>99%' : `${p}%`;
}

export const shortCommit = (commit: string | null): string => (commit === null ? 'unknown' : commit.slice(0, 12));

export function cvssText(cvss: { version: string; score: number } | null): string {
  return cvss === null ? 'no CVSS score' : `CVSS ${cvss.version} ${cvss.score.toFixed(1)}`;
}

/** The first paragraph of prose of an advisory's text (headings such as `## Impact` skipped), on one line. */
export function firstParagraph(text: string): string {
  for (const paragraph of text.trim().split(/\n\s*\n/)) {
    const prose = paragraph
      .split('\n')
      .filter((line) => !/^\s{0,3}#{1,6}(\s|$)/.test(line))
      .join(' ')
      .replace(/\s+/g, ' ')
      .trim();
    if (prose !== '') return prose;
  }
  return '';
}

export const REPORT_IS_INFORMATIONAL =
  'This report is informational: it describes the dependency tree and the policy; `cargo-sentinel check` decides pass or fail.';
