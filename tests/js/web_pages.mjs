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

/** Wait until `actor` is in the centre and its drawing is laid out. */
async function drawn(page, actor) {
  await page.waitForFunction((wanted) => document.getElementById('graph').dataset.actor === wanted
    && window.rckg.state.actor === wanted, actor);
}

/**
 * What the drawing shows now: pairs of drawn labels that overlap, counted here from
 * Cytoscape's own rendered label boxes (not by the page's code), and label sizes on screen.
 */
function drawing(page) {
  return page.evaluate(() => {
    const { cy } = window.rckg;
    cy.elements().dirtyBoundingBoxCache(); // measure what is drawn now, not a cached box
    const only = { includeNodes: false, includeEdges: false, includeLabels: true };
    // resting labels: a chosen or hovered element's label is drawn on top of the others
    const drawn = cy.elements(':visible').filter((e) => e.style('label') && !e.selected() && !e.hasClass('hover'));
    const boxes = drawn.map((e) => e.renderedBoundingBox(only));
    let overlaps = 0;
    boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => {
      if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) overlaps += 1;
    }));
    const labelled = drawn.nodes();
    return {
      overlaps,
      nodes: cy.nodes(':visible').length,
      labelled: labelled.length,
      amounts: drawn.edges().length,
      minLabelPx: Math.min(...labelled.map((n) => parseFloat(n.style('font-size')) * cy.zoom())),
      zoom: cy.zoom(),
    };
  });
}

async function explorer() {
  const page = await openPage();
  await page.goto(`${base}/?lang=en`);
  await page.waitForFunction(() => document.getElementById('graph').dataset.actor);
  result.steps.start = await page.evaluate(() => window.rckg.state.actor);
  result.steps.opening = await drawing(page);

  // Search "Putin" and pick Vladimir Putin.
  await page.fill('#q', 'Putin');
  await page.press('#q', 'Enter');
  await page.click('button.result[data-actor="vladimir-putin"]');
  await drawn(page, 'vladimir-putin');
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
      quote: f.querySelector('blockquote .quote').textContent,
      sentence: f.querySelector('blockquote').textContent,
      sourceView: f.querySelector('a.source-view')?.getAttribute('href'),
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
  await drawn(page, 'china');
  const tiesOf = () => page.evaluate(() => [...document.querySelectorAll('#ties tbody tr[data-edge]')]
    .map((row) => ({ edge: row.dataset.edge, facts: row.dataset.facts.split(' ') })));
  const before = await tiesOf();
  // Move the time window to 2026 with the sliders (keyboard: Home/End/arrows also work):
  // their steps are the dates the dated facts name.
  const steps = await page.evaluate(() => JSON.parse(document.getElementById('rckg-config').textContent).time.dates);
  const months = await page.evaluate(() => Number(document.getElementById('since').max) + 1);
  const first = await page.evaluate(() => document.getElementById('time-window').textContent);
  const from = steps.findIndex((d) => d >= '2026-01-01');
  const to = steps.findLastIndex((d) => d <= '2026-12-31');
  await page.fill('#since', String(from - 1));
  await page.focus('#since');
  await page.keyboard.press('ArrowRight'); // sliders move by keyboard too: one step on
  await page.fill('#until', String(to));
  const after = await tiesOf();
  result.steps.time = {
    months,
    steps,
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
  await drawn(page, 'china');
  result.steps.russian = await (async () => {
    await page.selectOption('#label-lang', 'ru');
    return drawing(page);
  })();

  // German interface, Chinese labels on the canvas and in the header.
  await page.selectOption('#label-lang', 'zh');
  await page.click('button[data-lang="de"]');
  result.steps.german = await page.evaluate(() => ({
    lang: document.documentElement.lang,
    labelLang: document.getElementById('label-lang').value,
    type: document.querySelector('#actor-labels .type').textContent,
    overlaps: window.rckg.overlaps(),
    search: document.getElementById('search-label').textContent,
    relations: document.querySelector('#relations legend span').textContent,
    chinaLabel: window.rckg.cy.getElementById('china').data('label'),
  }));
  result.steps.german.drawing = await drawing(page);
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

/** The analyst's tasks of issue #22, each done as a person would: type, click, read. */
async function analyst() {
  const page = await openPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${base}/?lang=en&actor=china`);
  await drawn(page, 'china');
  const steps = {};

  // Edges say only what their facts say: about/via links are hidden, then dotted when asked.
  const edges = () => page.evaluate(() => window.rckg.cy.edges(':visible').map((e) => ({
    id: e.id(), source: e.source().id(), target: e.target().id(), relation: e.data('relation'),
    link: e.hasClass('link'), style: e.style('line-style'), color: e.style('line-color'),
    plover: e.data('plover'), label: e.data('label'), short: e.data('short'), facts: e.data('facts'),
    directed: e.data('directed'),
  })));
  steps.edges = await edges();
  steps.relationCounts = await page.$$eval('#relations label.check', (labels) => labels.map((l) => [
    l.querySelector('input').value, Number(l.querySelector('.count').textContent)]));
  await page.check('#show-links');
  await drawn(page, 'china');
  steps.linked = await edges();
  await page.uncheck('#show-links');
  steps.legend = await page.$$eval('#legend li[data-plover]', (items) => items.map((i) => [i.dataset.plover, i.textContent]));
  steps.wikidata = await page.$eval('#actor-labels a.wikidata', (a) => [a.textContent, a.href]);
  steps.sliderSteps = await page.evaluate(() => Number(document.getElementById('since').max) + 1);

  // Hover an edge: its relation shows on the canvas.
  const hovered = steps.edges.find((e) => !e.link && e.source !== e.target);
  const point = await page.evaluate((id) => {
    const { cy } = window.rckg;
    const p = cy.getElementById(id).renderedMidpoint();
    const box = cy.container().getBoundingClientRect();
    return { x: box.left + p.x, y: box.top + p.y };
  }, 'russia|suppliesTo|china');
  await page.mouse.move(point.x, point.y);
  steps.hover = await page.evaluate(() => window.rckg.cy.edges('.hover').map((e) => [e.id(), e.style('label')]));
  await page.mouse.move(5, 5);
  steps.hovered = hovered.id;

  // Quantities with units on the edge and in the ties list.
  await page.click('#ties-box summary');
  steps.gasRow = await page.$eval('#ties tr[data-edge="russia|suppliesTo|china"] td.amount', (td) => td.textContent);
  // A row of the ties list pans the drawing to its edge; zoom buttons zoom, fit fits.
  await page.click('#zoom-in');
  await page.click('#zoom-in');
  await page.click('#zoom-in');
  const zoomed = await page.evaluate(() => window.rckg.cy.zoom());
  const far = await page.evaluate(() => {
    const { cy } = window.rckg;
    const off = cy.edges(':visible').filter((e) => {
      const b = e.renderedBoundingBox();
      return b.x2 < 0 || b.y2 < 0 || b.x1 > cy.width() || b.y1 > cy.height();
    });
    return off.length ? off[0].id() : null;
  });
  if (far) await page.click(`#ties tr[data-edge="${far}"] button`);
  steps.pan = await page.evaluate((id) => {
    if (!id) return null;
    const { cy } = window.rckg;
    const p = cy.getElementById(id).renderedMidpoint();
    return { id, inside: p.x >= 0 && p.y >= 0 && p.x <= cy.width() && p.y <= cy.height() };
  }, far);
  await page.click('#zoom-fit');
  steps.zoom = { zoomed, fitted: await page.evaluate(() => window.rckg.cy.zoom()), far };
  steps.fitted = await drawing(page);
  await page.click('#zoom-in');
  await page.click('#zoom-in');
  await page.uncheck('#relations input[value="visits"]');
  await page.check('#relations input[value="visits"]');
  await page.waitForTimeout(200);
  steps.zoom.refiltered = await page.evaluate(() => window.rckg.cy.zoom());
  steps.zoom.allInside = await page.evaluate(() => {
    const { cy } = window.rckg;
    const b = cy.elements(':visible').renderedBoundingBox();
    return b.x1 >= -1 && b.y1 >= -1 && b.x2 <= cy.width() + 1 && b.y2 <= cy.height() + 1;
  });
  await page.click('#ties-box summary');

  // Search words of quotes: facts come back; one leads to its sentence and whose words.
  steps.search = {};
  for (const q of ['Erdgas', 'Kubikmeter', '49', 'pipeline']) {
    await page.fill('#q', q);
    await page.press('#q', 'Enter');
    await page.waitForFunction((wanted) => document.getElementById('fact-results').dataset.query === wanted, q);
    steps.search[q] = await page.$$eval('#fact-results button.fact-result', (b) => b.map((x) => x.dataset.fact));
  }
  await page.fill('#q', 'NATO-Ostexpansion');
  await page.press('#q', 'Enter');
  await page.waitForFunction(() => document.getElementById('fact-results').dataset.query === 'NATO-Ostexpansion');
  const declared = await page.$$eval('#fact-results button.fact-result', (b) => b.map((x) => x.dataset.fact));
  await page.click('#fact-results button.fact-result[data-fact$="/ukraine-root-causes"]');
  await page.waitForSelector('#details-body .fact mark.voice');
  steps.voice = await page.evaluate(() => {
    const fact = document.querySelector('#details-body .fact');
    return {
      found: null,
      fact: fact.dataset.fact,
      speaker: fact.querySelector('.speaker').textContent,
      mark: fact.querySelector('blockquote mark.voice').textContent,
      markTitle: fact.querySelector('blockquote mark.voice').title,
      note: fact.querySelector('.voice-note').textContent,
      sentence: fact.querySelector('blockquote').textContent,
      quote: fact.querySelector('blockquote .quote').textContent,
      sourceView: fact.querySelector('a.source-view').getAttribute('href'),
    };
  });
  steps.voice.found = declared;
  await page.fill('#q', '');

  // Power of Siberia 2: every fact naming it, its capacity too, though no edge draws it.
  await page.goto(`${base}/?lang=en&actor=power-of-siberia-2`);
  await drawn(page, 'power-of-siberia-2');
  steps.about = await page.$$eval('#about-list button.fact-link', (b) => b.map((x) => x.dataset.fact));
  await page.click('#about-list button.fact-link[data-fact$="/power-of-siberia-2-capacity"]');
  steps.capacity = await page.$eval('#details-body .fact', (f) => ({
    fact: f.dataset.fact, amount: f.querySelector('.amount').textContent }));

  // Paths from Rosatom to the United States.
  await page.goto(`${base}/?lang=en&actor=rosatom`);
  await drawn(page, 'rosatom');
  await page.fill('#path-to', 'United States');
  await page.press('#path-to', 'Enter');
  await page.waitForSelector('#path-result .paths li');
  steps.paths = await page.$$eval('#path-result .paths li', (items) => items.map((li) => [...li.querySelectorAll('a')].map((a) => new URL(a.href).searchParams.get('actor'))));

  // Exports of the drawing: GEXF with positions, PNG with title, legend and source line.
  await page.goto(`${base}/?lang=en&actor=china`);
  await drawn(page, 'china');
  steps.positions = await page.evaluate(() => Object.fromEntries(window.rckg.cy.nodes(':visible')
    .map((n) => [n.id(), [n.position().x, n.position().y]])));
  const [gexf] = await Promise.all([page.waitForEvent('download'), page.click('#dl-gexf-drawn')]);
  await gexf.saveAs(join(artifacts, 'explorer-drawn.gexf'));
  const [png] = await Promise.all([page.waitForEvent('download'), page.click('#dl-png')]);
  await png.saveAs(join(artifacts, 'explorer-view.png'));
  steps.pngDrawing = await page.evaluate(async () => {
    const blob = window.rckg.cy.png({ output: 'blob', full: true, scale: 2 });
    const bitmap = await createImageBitmap(blob);
    return [bitmap.width, bitmap.height];
  });
  result.steps.analyst = steps;
  await page.close();
}

/** A phone with a touch screen: labels readable, a swipe scrolls the page, facts in view. */
async function phone() {
  const page = await openPage();
  await page.setViewportSize({ width: 390, height: 844 });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 5 });
  await cdp.send('Emulation.setDeviceMetricsOverride', { width: 390, height: 844, deviceScaleFactor: 2, mobile: true });
  await page.goto(`${base}/?lang=en&actor=china`);
  await drawn(page, 'china');
  const steps = { drawing: await drawing(page) };
  await page.screenshot({ path: join(artifacts, 'explorer-phone-touch.png') });
  // Swipe up over the drawing: the page scrolls.
  const graph = await page.$eval('#graph', (g) => {
    g.scrollIntoView({ block: 'start' });
    const b = g.getBoundingClientRect();
    return { x: b.left + 30, y: Math.min(b.bottom - 20, window.innerHeight - 60) };
  });
  const before = await page.evaluate(() => window.scrollY);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: graph.x, y: graph.y }] });
  for (let i = 1; i <= 10; i += 1) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: graph.x, y: graph.y - 25 * i }] });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await page.waitForTimeout(300);
  steps.scrolled = (await page.evaluate(() => window.scrollY)) - before;
  await page.$eval('#graph', (g) => g.scrollIntoView({ block: 'start' }));
  await page.waitForTimeout(100);
  // Tap an edge: its facts come into view.
  const target = await page.evaluate(() => {
    const { cy } = window.rckg;
    const box = cy.container().getBoundingClientRect();
    // The edge whose midpoint lies farthest from every node and every other edge's midpoint,
    // so a finger there can only mean that edge.
    const clearance = (e) => {
      const p = e.renderedMidpoint();
      const others = [...cy.nodes(':visible').map((n) => n.renderedPosition()),
        ...cy.edges(':visible').filter((o) => o.id() !== e.id()).map((o) => o.renderedMidpoint())];
      return Math.min(...others.map((q) => Math.hypot(q.x - p.x, q.y - p.y)));
    };
    const inside = cy.edges(':visible').filter((e) => {
      const p = e.renderedMidpoint();
      return p.x > 20 && p.y > 20 && p.x < cy.width() - 20 && p.y < cy.height() - 20;
    });
    const edge = inside.toArray().sort((a, b) => clearance(b) - clearance(a))[0];
    const p = edge.renderedMidpoint();
    return { id: edge.id(), x: box.left + p.x, y: box.top + p.y };
  });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: target.x, y: target.y }] });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await page.waitForFunction(() => window.rckg.state.selected);
  await page.waitForTimeout(500);
  steps.tap = await page.evaluate(() => {
    const heading = document.querySelector('#details-body h3').getBoundingClientRect();
    return { selected: window.rckg.state.selected, top: heading.top, bottom: heading.bottom, height: window.innerHeight };
  });
  steps.tap.wanted = target.id;
  await page.screenshot({ path: join(artifacts, 'explorer-phone-facts.png') });
  result.steps.touch = steps;
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
  await analyst();
  await phone();
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
