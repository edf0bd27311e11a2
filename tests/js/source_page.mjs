// Open a source's review page in headless Chromium (Debian's, through playwright-core) and
// print what the browser saw as JSON for tests/test_source_view.py to judge: errors (a
// Content-Security-Policy violation is one), every request, the colours of the marks and of
// the sentences without a fact, and whether a quote's link leads to its fact page.
// Usage: node tests/js/source_page.mjs PAGE_URL SCREENSHOT_FILE
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [url, screenshot] = process.argv.slice(2);
const origin = new URL(url).origin;
const profile = mkdtempSync(join(tmpdir(), 'rckg-chromium-'));
const result = { requests: [], blocked: [], errors: [] };
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.RCKG_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 800 },
});
context.setDefaultTimeout(20000);
context.on('request', (request) => result.requests.push(request.url()));
await context.route('**/*', (route) => {
  if (route.request().url().startsWith(`${origin}/`)) return route.continue();
  result.blocked.push(route.request().url());
  return route.abort();
});
try {
  const page = await context.newPage();
  page.on('pageerror', (error) => result.errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (['error', 'warning'].includes(message.type())) result.errors.push(message.text());
  });
  await page.goto(url);
  Object.assign(result, await page.evaluate(() => {
    const style = (el) => getComputedStyle(el).backgroundColor;
    const marks = [...document.querySelectorAll('.text mark')];
    const bare = [...document.querySelectorAll('.text .nofact')];
    return {
      marks: marks.length,
      markColours: [...new Set(marks.map(style))],
      nofactColours: [...new Set(bare.map(style))],
      plainColour: getComputedStyle(document.querySelector('.text')).backgroundColor,
      wraps: getComputedStyle(document.querySelector('.text')).whiteSpace,
      margin: document.querySelectorAll('ol.facts li').length,
    };
  }));
  await page.screenshot({ path: screenshot, fullPage: true });
  const link = page.locator('.text mark a').first();
  result.firstLink = await link.getAttribute('href');
  await link.click();
  await page.waitForURL((target) => target.pathname === result.firstLink);
  result.landed = { path: new URL(page.url()).pathname, heading: await page.locator('h1').innerText() };
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(JSON.stringify(result));
