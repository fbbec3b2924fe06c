/** The audit report as JSON: the model itself, with its schema marker, for dashboards and scripts. */
import type { AuditReportModel, AuditReportSet } from './types.js';

export function renderJsonReport(m: AuditReportModel): string {
  return `${JSON.stringify(m, null, 2)}\n`;
}

/** Several projects: the set, each project's model as the one-project form writes it. */
export function renderJsonReportSet(set: AuditReportSet): string {
  return `${JSON.stringify(set, null, 2)}\n`;
}
