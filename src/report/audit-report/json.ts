/** The audit report as JSON: the model itself, with its schema marker, for dashboards and scripts. */
import type { AuditReportModel } from './types.js';

export function renderJsonReport(m: AuditReportModel): string {
  return `${JSON.stringify(m, null, 2)}\n`;
}
