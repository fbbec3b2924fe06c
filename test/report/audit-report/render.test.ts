/**
 * `cargo-sentinel report` end to end (in-process): the Markdown and JSON forms
 * of ledger's and nushell's reports line by line, the HTML form's structure
 * and self-containment, escaping of hostile data, reproducible output, the
 * exit code and the errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  CONTENT_SECURITY_POLICY,
  renderHtmlReport,
  renderMarkdownReport,
  SECTION_IDS,
  type AuditReportModel,
} from '../../../src/report/audit-report/index.js';
import { tempDir } from '../../helpers/git-fixtures.js';
import { runCli, type CliResult } from '../../helpers/run-cli.js';
import { ledgerArgs, nushellArgs, REPORT_DATE, reportModelOf, SOURCE_DATE_EPOCH } from './setup.js';

const env = { SOURCE_DATE_EPOCH };

async function report(project: 'ledger' | 'nushell', format: string, extra: string[] = []): Promise<CliResult> {
  const args = project === 'ledger' ? ledgerArgs() : nushellArgs();
  return runCli([...args, 'report', '--format', format, ...extra], { env });
}

/** Each run once, when a test first needs it (tests run one at a time, so runs never share the database clone at once). */
function once<T>(run: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= run());
}
const ledgerMarkdown = once(() => report('ledger', 'markdown'));
const ledgerJson = once(() => report('ledger', 'json'));
const ledgerHtml = once(() => report('ledger', 'html'));
const nushellMarkdown = once(() => report('nushell', 'markdown'));

const lines = (text: string): string[] => text.split('\n');

test('markdown (ledger): the key lines of every section, in order', async () => {
  const r = await ledgerMarkdown();
  assert.equal(r.code, 0, `the report is informational: failed checks do not fail it\n${r.stderr}`);
  const md = lines(r.stdout);
  assert.equal(md[0], '# Dependency audit: ledger');
  assert.deepEqual(
    md.filter((l) => l.startsWith('## ')),
    ['## Summary', '## Advisories', '## Dependency inventory', '## Licenses', '## Build-time code', '## Policy exceptions', '## Advisory database'],
  );
  for (const line of [
    '- **Generated:** 2026-09-01 00:00 UTC',
    '- **Dependency graph:** saved cargo metadata',
    '- **Advisory database:** `bf5c0d245a92` (2026-08-21)',
    '| advisories | **FAILED** | 15 | 1 | 4 | vulnerability ×10, unsound ×3, unmaintained ×2, ignore-expired ×1 |',
    '| build | not configured | 0 | 0 | 0 | — |',
    '15 open findings, 2 ignored by the policy.',
    '| None / unscored | 10 |',
    '| Informational | 5 |',
    '### RUSTSEC-2023-0022: openssl 0.10.45',
    '- **Fix:** Upgrade to \\>=0.10.48 (patched)',
    '### RUSTSEC-2021-0139: ansi\\_term 0.12.1',
    '- **Severity:** Informational (no CVSS score), unmaintained, **ignored by policy**',
    '98 packages: 3 workspace members, 19 direct, 76 transitive.',
    '| crates.io | 93 | 95% |',
    '| Other registries | 1 | 1% |',
    '- registry `sparse+https://cargo.acme.example/index/` (1 package)',
    '| `semver` | 0.9.0, 1.0.14 |',
    '| `MIT` | 92 |',
    '| `LicenseRef-Acme-Proprietary` | 1 |',
    '**No license (1):** `ledger-server` 0.3.0',
    '**Proc-macros (7):** `clap_derive` 4.0.21, `openssl-macros` 0.1.0, `proc-macro-error-attr` 1.0.3, `serde_derive` 1.0.152, `thiserror-impl` 1.0.38, `tokio-macros` 1.7.0, `tracing-attributes` 0.1.23',
    '| `RUSTSEC-2021-0139` | 2026-03-01 (**expired**) | ansi\\_term only colours log output |',
    '| `RUSTSEC-2024-0375` | never | *no reason given* |',
    '33 packages run code at build time.',
    '| `ledger-proto` | 1 | vendored protocol crate |',
    '| `acme-metrics` | `LicenseRef-Acme-Proprietary` | internal crate under the company licence |',
    '| `bf5c0d245a92671908518d7e765914d437954ed6` | 2026-08-21T08:28:40+02:00 | 10 days | 1225 |',
  ]) {
    assert.ok(md.includes(line), `missing line: ${line}`);
  }
  // A heading paragraph (`## Impact`) is not the summary of an advisory.
  const mio = md.indexOf('### RUSTSEC-2024-0019: mio 0.8.4');
  assert.ok(mio > 0);
  const quote = md.slice(mio).find((l) => l.startsWith('> '))!;
  assert.doesNotMatch(quote, /Impact$/);
  assert.match(md.find((l) => l.startsWith('**Build scripts (28):**'))!, /`openssl-sys` 0\.9\.80 \(links `openssl`\)/);
});

test('markdown (nushell, lockfile only): the unknowns are said, not guessed', async () => {
  const r = await nushellMarkdown();
  assert.equal(r.code, 0, r.stderr);
  const md = lines(r.stdout);
  assert.equal(md[0], '# Dependency audit: nu');
  for (const line of [
    '- **Dependency graph:** Cargo.lock only',
    '> **Partly unknown.** The dependency graph was read from Cargo.lock without cargo: the manifests of 803 of 836 packages were not available, so their licenses, build scripts and proc-macros are shown as unknown, not guessed.',
    '| High | 2 |',
    '### RUSTSEC-2026-0194: quick-xml 0.39.4',
    '- **Severity:** High (CVSS 3.1 7.5)',
    '| Git repositories | 1 | <1% |',
    'License unknown for 803 packages: their manifests were not read.',
    '**Build scripts (2):** `nu` 0.114.2, `nu-cmd-lang` 0.114.2',
    'Unknown for 803 packages: their manifests were not read.',
    'The policy grants no exceptions.',
  ]) {
    assert.ok(md.includes(line), `missing line: ${line}`);
  }
});

test('json (ledger): the model itself, equal to the one built from the pipeline', async () => {
  const r = await ledgerJson();
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.endsWith('}\n'));
  const fromCli = JSON.parse(r.stdout) as AuditReportModel;
  const { model } = await reportModelOf('ledger');
  assert.deepEqual(fromCli, model);
  assert.equal(fromCli.schema, 'cargo-sentinel/audit-report/v1');
  assert.equal(fromCli.generatedAt, REPORT_DATE.toISOString().replace('.000', ''));
});

test('html (ledger): one self-contained file with every section, the chart, and nothing to fetch', async () => {
  const r = await ledgerHtml();
  assert.equal(r.code, 0, r.stderr);
  const html = r.stdout;
  assert.ok(html.startsWith('<!DOCTYPE html>\n<html lang="en">'));
  assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY.replaceAll("'", '&#39;')}">`));
  assert.equal(CONTENT_SECURITY_POLICY, "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
  for (const id of ['summary', 'inventory', 'advisories', 'licenses', 'build-time-code', 'exceptions', 'database']) {
    assert.equal(html.split(`<section id="${id}"`).length - 1, 1, `section #${id} once`);
  }
  assert.deepEqual(SECTION_IDS, ['summary', 'advisories', 'inventory', 'licenses', 'build-time-code', 'exceptions', 'database']);
  // Nothing that could load anything: no script, no external stylesheet, image, frame or font.
  assert.doesNotMatch(html, /<script|<iframe|<object|<embed|<img|@import|@font-face|url\(/i);
  assert.deepEqual(html.match(/<link[^>]*>/g), ['<link rel="icon" href="data:,">']);
  assert.doesNotMatch(html, /\ssrc=/i);
  // Links are only navigation (in-page anchors and advisory pages), never loaded.
  const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
  assert.ok(hrefs.every((h) => h.startsWith('#') || h.startsWith('https://') || h === 'data:,'), hrefs.join(' '));
  const bars = [...html.matchAll(/<rect class="bar"[^>]*data-license="([^"]*)" data-crates="(\d+)"/g)].map((m) => `${m[1]} ${m[2]}`);
  assert.deepEqual(bars, ['MIT 92', 'Apache-2.0 71', 'Unlicense 5', 'BSL-1.0 1', 'LicenseRef-Acme-Proprietary 1']);
  assert.match(html, /<svg id="license-chart"[^>]*role="img"/);
  assert.match(html, /<th scope="row">Other registries<\/th><td class="num">1<\/td><td class="share"><span class="meter"><span style="width:1\.0%"><\/span><\/span> 1%<\/td>/);
  assert.match(html, /<tr class="expired"><td><code>RUSTSEC-2021-0139<\/code><\/td><td>2026-03-01 <span class="tag expired">expired<\/span><\/td><td>ansi_term only colours log output<\/td>/);
});

test('the same inputs and SOURCE_DATE_EPOCH give byte-identical reports', async () => {
  const first = await ledgerHtml();
  const again = await report('ledger', 'html');
  assert.equal(again.stdout, first.stdout);
});

test('--output writes the file (stdout stays empty); a bad format or an unwritable path is bad input (32)', async () => {
  const dir = tempDir('sentinel-report-out-');
  const file = path.join(dir, 'audit.md');
  const r = await runCli([...ledgerArgs(), 'report', '--format', 'markdown', '--output', file], { env, cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(readFileSync(file, 'utf8'), (await ledgerMarkdown()).stdout);

  const bad = await runCli([...ledgerArgs(), 'report', '--format', 'pdf'], { env });
  assert.equal(bad.code, 32);
  assert.match(bad.stderr, /invalid value 'pdf' for --format: expected one of html, markdown, json/);

  mkdirSync(path.join(dir, 'a-directory'));
  const unwritable = await runCli([...ledgerArgs(), 'report', '--output', path.join(dir, 'a-directory')], { env });
  assert.equal(unwritable.code, 32);
  assert.match(unwritable.stderr, /cannot write the report to .*a-directory: EISDIR/);

  const epoch = await runCli([...ledgerArgs(), 'report'], { env: { SOURCE_DATE_EPOCH: 'last tuesday' } });
  assert.equal(epoch.code, 32);
  assert.match(epoch.stderr, /invalid SOURCE_DATE_EPOCH 'last tuesday'/);
});

test('hostile names, titles, texts and reasons are escaped in HTML and Markdown', async () => {
  const model = JSON.parse((await ledgerJson()).stdout) as AuditReportModel;
  const evil = '<img src=x onerror=alert(1)>"\'&';
  const m = structuredClone(model);
  const f = m.advisories.findings[0]!;
  f.title = `${evil} \`code<b>\``;
  f.description = `${evil} [click](javascript:alert(1))\n\nMore ${evil}`;
  f.package.name = evil;
  f.url = 'javascript:alert(1)';
  m.project.name = `</title><script>alert(1)</script>`;
  m.licenses.byLicense[0]!.license = evil;
  m.exceptions.advisoryIgnores[0]!.reason = evil;
  m.inventory.duplicates[0]!.name = evil;

  const html = renderHtmlReport(m);
  assert.doesNotMatch(html, /<img|<script|<b>|onerror=alert\(1\)>/);
  assert.doesNotMatch(html, /href="javascript:/);
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;'));
  assert.ok(html.includes('<title>Dependency audit: &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>'));
  assert.ok(html.includes('<code>code&lt;b&gt;</code>'), 'a code span is rendered, its content escaped');

  const md = renderMarkdownReport(m);
  // Inside a code span the text is literal; everywhere else every `<` of the data is escaped.
  assert.ok(md.includes('| `<img src=x onerror=alert(1)>"\'&` | 92 |'));
  const outsideCodeSpans = md.replace(/(?<!\\)`[^`\n]*`/g, '');
  assert.doesNotMatch(outsideCodeSpans, /(^|[^\\])<(img|script|b)/m);
  assert.ok(md.includes('\\<img src=x onerror=alert(1)\\>"\'\\&'));
  assert.ok(md.includes('\\[click\\](javascript:alert(1))'), 'no Markdown link is formed');
  assert.ok(!md.includes('<javascript:'), 'no autolink to a javascript: URL');
});
