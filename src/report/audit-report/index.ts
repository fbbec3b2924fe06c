/** The audit report: one model, three renderers. */
export { buildReportModel, reportDate, type ReportInput } from './model.js';
export { renderHtmlReport, licenseChartSvg, CONTENT_SECURITY_POLICY } from './html.js';
export { renderMarkdownReport } from './markdown.js';
export { renderJsonReport } from './json.js';
export * from './types.js';
export { SECTION_IDS } from './wording.js';

import type { AuditReportModel } from './types.js';
import { renderHtmlReport } from './html.js';
import { renderMarkdownReport } from './markdown.js';
import { renderJsonReport } from './json.js';

export const REPORT_FORMATS = ['html', 'markdown', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function renderReport(m: AuditReportModel, format: ReportFormat): string {
  return format === 'html' ? renderHtmlReport(m) : format === 'markdown' ? renderMarkdownReport(m) : renderJsonReport(m);
}
