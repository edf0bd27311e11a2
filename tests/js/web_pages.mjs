// Drive both web pages in headless Chromium (Debian's /usr/bin/chromium, through playwright-core)
// as a visitor would, and print what happened as JSON for tests/test_web.py to judge.
// Usage: node tests/js/web_pages.mjs BASE_URL ARTIFACTS_DIR
// Every request the browser makes is logged (and any not to BASE_URL is aborted and logged).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [base, artifacts] = process.argv.slice(2);
mkdirSync(artifacts, { recursive: true });
const profile = mkdtempSync(join(tmpdir(), 'rckg-chromium-'));
const result = { requests: [], blocked: [], errors: [], steps: {} };
const TIMEOUT = 20000;

const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.RCKG_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-default-apps', '--disable-extensions', '--no-pings', '--disable-breakpad'],
  viewport: { width: 1280, height: 800 },
  locale: 'en-GB',
  serviceWorkers: 'block',
});
context.setDefaultTimeout(TIMEOUT);
context.on('request', (request) => result.requests.push(request.url()));
await context.route('**/*', (route) => {
  const url = route.request().url();
  if (url.startsWith(`${base}/`) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
  result.blocked.push(url);
  return route.abort();
});

async function openPage() {
  const page = await context.newPage();
  page.on('pageerror', (error) => result.errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') result.errors.push(`console: ${message.text()}`);
  });
  return page;
}

/** Click an element of the Cytoscape drawing where it is on screen. */
async function clickElement(page, selector, id) {
  const point = await page.evaluate(({ kind, id: wanted }) => {
    const { cy } = window.rckg;
    const element = cy.getElementById(wanted);
    const p = kind === 'edge' ? element.renderedMidpoint() : element.renderedPosition();
    const box = cy.container().getBoundingClientRect();
    return { x: box.left + p.x, y: box.top + p.y };
  }, { kind: selector, id });
  await page.mouse.click(point.x, point.y);
}

async function explorer() {
  const page = await openPage();
  await page.goto(`${base}/?lang=en`);
  await page.waitForFunction(() => window.rckg?.cy?.nodes().length > 0);
  result.steps.start = await page.evaluate(() => window.rckg.state.actor);

  // Search "Putin" and pick Vladimir Putin.
  await page.fill('#q', 'Putin');
  await page.press('#q', 'Enter');
  await page.click('button.result[data-actor="vladimir-putin"]');
  await page.waitForFunction(() => window.rckg.state.actor === 'vladimir-putin'
    && window.rckg.cy.getElementById('vladimir-putin|visits|china').length === 1);
  result.steps.putin = await page.evaluate(() => ({
    nodes: window.rckg.cy.nodes(':visible').map((n) => n.id()),
    edges: window.rckg.cy.edges(':visible').length,
    heading: document.getElementById('actor-name').textContent,
    labels: [...document.querySelectorAll('#actor-labels [lang]')].map((e) => [e.lang, e.textContent]),
    url: window.location.search,
  }));

  // Click the edge Putin → China on the canvas and read its fact.
  await clickElement(page, 'edge', 'vladimir-putin|visits|china');
  await page.waitForSelector('#details-body .fact blockquote');
  result.steps.edge = await page.evaluate(() => ({
    selected: window.rckg.state.selected,
    heading: document.querySelector('#details-body h3').textContent,
    facts: [...document.querySelectorAll('#details-body .fact')].map((f) => ({
      id: f.dataset.fact,
      quote: f.querySelector('blockquote').textContent,
      quoteLang: f.querySelector('blockquote').lang,
      source: f.querySelector('a[target="_blank"]')?.href,
      text: f.textContent,
    })),
  }));
  await page.screenshot({ path: join(artifacts, 'explorer.png') });

  // By keyboard: open "Ties in view", tab to the first relation, press Enter.
  await page.focus('#ties-box summary');
  await page.keyboard.press('Enter');
  for (let i = 0; i < 6; i += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement.matches('#ties button'))) break;
  }
  const chosen = await page.evaluate(() => document.activeElement.closest('tr')?.dataset.edge);
  await page.keyboard.press('Enter');
  result.steps.keyboard = await page.evaluate((edge) => ({
    chosen: edge,
    selected: window.rckg.state.selected,
    focus: document.activeElement.id,
    facts: document.querySelectorAll('#details-body .fact').length,
  }), chosen);
  await page.click('#ties-box summary'); // close it again
  await clickElement(page, 'edge', 'vladimir-putin|visits|china');

  // Click the node China: it moves to the centre.
  await clickElement(page, 'node', 'china');
  await page.waitForFunction(() => window.rckg.state.actor === 'china');
  const tiesOf = () => page.evaluate(() => [...document.querySelectorAll('#ties tbody tr[data-edge]')]
    .map((row) => ({ edge: row.dataset.edge, facts: row.dataset.facts.split(' ') })));
  const before = await tiesOf();
  // Move the time window to 2026 with the sliders (keyboard: Home/End/arrows also work).
  const months = await page.evaluate(() => Number(document.getElementById('since').max) + 1);
  const first = await page.evaluate(() => document.getElementById('time-window').textContent);
  const index = await page.evaluate(() => {
    const [from] = document.getElementById('time-window').textContent.split(' – ');
    const [year, month] = from.split('-').map(Number);
    return (2026 - year) * 12 + (1 - month);
  });
  await page.fill('#since', String(index - 1));
  await page.focus('#since');
  await page.keyboard.press('ArrowRight'); // sliders move by keyboard too: one month on
  await page.fill('#until', String(index + 11));
  const after = await tiesOf();
  result.steps.time = {
    months,
    first,
    window: await page.evaluate(() => document.getElementById('time-window').textContent),
    before,
    after,
    gasEdgeHidden: await page.evaluate(() => window.rckg.cy.getElementById('russia|suppliesTo|china').hidden()),
    noteShown: await page.evaluate(() => !document.getElementById('download-note').hidden),
    gexf: await page.evaluate(() => document.getElementById('dl-gexf').getAttribute('href')),
  };
  await page.click('#time-reset');
  result.steps.time.restored = (await tiesOf()).length;

  // German interface, Chinese labels on the canvas and in the header.
  await page.click('button[data-lang="de"]');
  await page.selectOption('#label-lang', 'zh');
  result.steps.german = await page.evaluate(() => ({
    lang: document.documentElement.lang,
    search: document.getElementById('search-label').textContent,
    relations: document.querySelector('#relations legend span').textContent,
    chinaLabel: window.rckg.cy.getElementById('china').data('label'),
  }));
  await page.screenshot({ path: join(artifacts, 'explorer-de-zh.png') });

  // A phone's width: the page reflows to one column and still draws the network.
  await page.selectOption('#label-lang', 'ru');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(400);
  result.steps.phone = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    graphWidth: document.getElementById('graph').getBoundingClientRect().width,
    nodes: window.rckg.cy.nodes(':visible').length,
  }));
  await page.screenshot({ path: join(artifacts, 'explorer-phone.png'), fullPage: false });
  await page.click('button[data-lang="en"]'); // the choice is kept: the SPARQL page in English
  await page.close();
}

async function sparql() {
  const page = await openPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${base}/sparql`);
  await page.waitForSelector('.yasgui .tabsList .tab');
  const tabs = await page.$$eval('.yasgui .tabsList .tab', (els) => els.map((e) => e.textContent.trim()));
  await page.click('.yasgui .tabsList .tab:has-text("How many facts each attribution has") a');
  await page.click('.yasgui .tabPanel.active .yasqe_queryButton');
  await page.waitForSelector('.yasgui .tabPanel.active .yasr table tbody tr td');
  result.steps.sparql = {
    tabs,
    endpoint: await page.$eval('.yasgui .tabPanel.active .autocomplete', (e) => e.value).catch(() => null),
    rows: await page.$$eval('.yasgui .tabPanel.active .yasr table tbody tr',
      (rows) => rows.map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent.trim()))),
  };
  await page.screenshot({ path: join(artifacts, 'sparql.png') });
  await page.close();
}

try {
  await explorer();
  await sparql();
} catch (error) {
  result.errors.push(`failed: ${error.message.split('\n')[0]}`);
  for (const page of context.pages()) {
    await page.screenshot({ path: join(artifacts, `failure-${context.pages().indexOf(page)}.png`) }).catch(() => {});
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(result));
