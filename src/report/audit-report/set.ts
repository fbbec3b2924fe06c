/**
 * The report over several projects: each project's model as `report` builds
 * it for one, side by side, and a total counted from them. Pure.
 */
import {
  REPORT_SET_SCHEMA,
  SEVERITY_BUCKETS,
  type AuditReportModel,
  type AuditReportSet,
  type ReportSetProject,
  type ReportSetTotal,
  type SeverityBucket,
} from './types.js';

export function buildReportSet(projects: ReportSetProject[], generatedAt: Date, toolVersion: string): AuditReportSet {
  return {
    schema: REPORT_SET_SCHEMA,
    tool: { name: 'cargo-sentinel', version: toolVersion },
    generatedAt: generatedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    projects,
    total: totalOf(projects.flatMap((p) => (p.report ? [p.report] : [])), projects.length),
  };
}

function totalOf(reports: readonly AuditReportModel[], projects: number): ReportSetTotal {
  const counts = Object.fromEntries(SEVERITY_BUCKETS.map((b) => [b, 0])) as Record<SeverityBucket, number>;
  for (const r of reports) for (const b of SEVERITY_BUCKETS) counts[b] += r.advisories.counts[b];
  return {
    projects,
    failed: projects - reports.length,
    counts,
    open: reports.reduce((n, r) => n + r.advisories.open, 0),
    ignored: reports.reduce((n, r) => n + r.advisories.ignored, 0),
    withOpenFindings: reports.filter((r) => r.advisories.open > 0).length,
    withFailedChecks: reports.filter((r) => r.checks.some((c) => c.verdict === 'failed')).length,
    packages: reports.reduce((n, r) => n + r.inventory.total, 0),
  };
}
