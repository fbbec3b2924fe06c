/** The audit report: one model, three renderers; for several projects, a set of models and the same three. */
export { buildReportModel, reportDate, type ReportInput } from './model.js';
export { buildReportSet } from './set.js';
export { renderHtmlReport, renderHtmlReportSet, licenseChartSvg, CONTENT_SECURITY_POLICY } from './html.js';
export { renderMarkdownReport, renderMarkdownReportSet } from './markdown.js';
export { renderJsonReport, renderJsonReportSet } from './json.js';
export * from './types.js';
export { SECTION_IDS } from './wording.js';

import type { AuditReportModel, AuditReportSet } from './types.js';
import { renderHtmlReport, renderHtmlReportSet } from './html.js';
import { renderMarkdownReport, renderMarkdownReportSet } from './markdown.js';
import { renderJsonReport, renderJsonReportSet } from './json.js';

export const REPORT_FORMATS = ['html', 'markdown', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function renderReport(m: AuditReportModel, format: ReportFormat): string {
  return format === 'html' ? renderHtmlReport(m) : format === 'markdown' ? renderMarkdownReport(m) : renderJsonReport(m);
}

export function renderReportSet(set: AuditReportSet, format: ReportFormat): string {
  return format === 'html' ? renderHtmlReportSet(set) : format === 'markdown' ? renderMarkdownReportSet(set) : renderJsonReportSet(set);
}
