/**
 * The HTML report opened in a real browser (Debian's headless Chromium through
 * playwright-core): it renders without a console error, the page requests
 * nothing but its own file, every section and the license chart are there.
 * Screenshots go to test-output/ for a person to look at.
 *
 * Chromium is required, not optional: CI installs it, and a report nobody
 * has seen render is not tested. Without it this test fails and says so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { renderHtmlReport } from '../../../src/report/audit-report/index.js';
import { tempDir } from '../../helpers/git-fixtures.js';
import { repoRoot } from '../../helpers/paths.js';
import { runCli } from '../../helpers/run-cli.js';
import { nushellArgs, reportModelOf, SOURCE_DATE_EPOCH } from './setup.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];
const SECTIONS = ['summary', 'inventory', 'advisories', 'licenses', 'build-time-code', 'exceptions', 'database'];
const outputDir = path.join(repoRoot, 'test-output');

interface Rendered {
  file: string;
  name: string;
  licenses: ReadonlyArray<{ license: string; crates: number }>;
}

/** nushell's report as the CLI writes it with `--output` (its chart is checked against the model test's counts). */
async function nushellHtml(): Promise<Rendered> {
  const file = path.join(tempDir('sentinel-report-html-'), 'report-nushell.html');
  const r = await runCli([...nushellArgs(), 'report', '--output', file], { env: { SOURCE_DATE_EPOCH } });
  assert.equal(r.code, 0, r.stderr);
  return { file, name: 'nu', licenses: [{ license: 'MIT', crates: 33 }, { license: 'Apache-2.0', crates: 1 }] };
}

/** ledger's report rendered from its model (five licenses: a chart with more to order). */
async function ledgerHtml(): Promise<Rendered> {
  const { model } = await reportModelOf('ledger');
  const file = path.join(tempDir('sentinel-report-html-'), 'report-ledger.html');
  writeFileSync(file, renderHtmlReport(model));
  return { file, name: model.project.name, licenses: model.licenses.byLicense };
}

interface PageFacts {
  consoleErrors: string[];
  requests: string[];
  sectionIds: string[];
  bars: Array<{ license: string | null; crates: string | null; width: number }>;
  counts: string[];
  title: string;
}

interface DomElement {
  id: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { width: number };
}
interface DomDocument {
  title: string;
  querySelectorAll(selector: string): Iterable<DomElement>;
}

async function open(browser: Browser, rendered: Rendered, screenshot: string): Promise<PageFacts> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(rendered.file).href, { waitUntil: 'load' });
  const facts = await page.evaluate(() => {
    // This runs in the page; the project's TypeScript has no DOM library, so the little used is declared here.
    const doc = (globalThis as unknown as { document: DomDocument }).document;
    return {
      sectionIds: [...doc.querySelectorAll('section[id]')].map((s) => s.id),
      bars: [...doc.querySelectorAll('#license-chart rect.bar')].map((r) => ({
        license: r.getAttribute('data-license'),
        crates: r.getAttribute('data-crates'),
        width: r.getBoundingClientRect().width,
      })),
      counts: [...doc.querySelectorAll('#license-chart text.count')].map((t) => t.textContent ?? ''),
      title: doc.title,
    };
  });
  mkdirSync(outputDir, { recursive: true });
  await page.screenshot({ path: path.join(outputDir, screenshot), fullPage: true });
  await page.close();
  return { consoleErrors, requests, ...facts };
}

test('the HTML report renders in headless Chromium, self-contained, with every section and the license chart', { timeout: 15_000 }, async () => {
  assert.ok(
    existsSync(CHROMIUM),
    `${CHROMIUM} not found: this test needs Debian's chromium (apt-get install -y chromium); CI installs it. It is not skipped on purpose.`,
  );
  const nushell = await nushellHtml();
  const ledger = await ledgerHtml();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 10_000 });
  try {
    for (const [rendered, screenshot] of [
      [nushell, 'report-nushell.png'],
      [ledger, 'report-ledger.png'],
    ] as const) {
      const page = await open(browser, rendered, screenshot);
      const name = rendered.name;
      assert.deepEqual(page.consoleErrors, [], `${name}: console errors`);
      assert.deepEqual(page.requests, [pathToFileURL(rendered.file).href], `${name}: the document is the only request`);
      assert.equal(page.title, `Dependency audit: ${name}`);
      for (const id of SECTIONS) assert.ok(page.sectionIds.includes(id), `${name}: section #${id}`);
      // One bar per license, largest first, each with its count written beside it.
      const expected = rendered.licenses;
      assert.deepEqual(
        page.bars.map((b) => `${b.license} ${b.crates}`),
        expected.map((l) => `${l.license} ${l.crates}`),
      );
      assert.deepEqual(page.counts, expected.map((l) => String(l.crates)));
      const widths = page.bars.map((b) => b.width);
      assert.deepEqual(widths, [...widths].sort((a, b) => b - a), `${name}: bars drawn largest first`);
      assert.ok(widths.every((w) => w > 0), `${name}: every bar is visible`);
    }
    assert.equal(ledger.licenses.length, 5);
  } finally {
    await browser.close();
  }
});
