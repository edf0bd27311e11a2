// Open /docs (Swagger UI) and /redoc (ReDoc) in headless Chromium and print, as JSON, what
// each page rendered, every request made outside BASE_URL (aborted), and every error or
// Content-Security-Policy violation the browser reported.
// Usage: node tests/js/docs_pages.mjs BASE_URL
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [base] = process.argv.slice(2);
const profile = mkdtempSync(join(tmpdir(), 'rckg-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.RCKG_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
context.setDefaultTimeout(20000);
const result = { blocked: [], errors: [], rendered: {} };
await context.route('**/*', (route) => {
  const url = route.request().url();
  if (url.startsWith(`${base}/`) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
  result.blocked.push(url);
  return route.abort();
});
const checks = { '/docs': '.opblock-summary-path', '/redoc': '[data-section-id]' };
try {
  for (const [path, selector] of Object.entries(checks)) {
    const page = await context.newPage();
    page.on('pageerror', (error) => result.errors.push(`${path} pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') result.errors.push(`${path} console: ${message.text()}`);
    });
    await page.goto(`${base}${path}`);
    await page.waitForSelector(selector);
    result.rendered[path] = await page.locator(selector).count();
    await page.close();
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(result));
