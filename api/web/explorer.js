// The explorer at `/`: search an actor, draw its ego network, filter it, read each edge's facts
// with their quotes, and download the view. Everything it loads comes from this server's REST
// API (/api/actors, /api/actors/{id}/network, /api/facts/{source}/{fact}, /api/export/…).
import './explorer.css';
import { h, getJSON } from './dom.js';
import { createGraph, drawNetwork, fit } from './graph.js';
import { has, initialLanguage, language, setupSwitch, t } from './i18n.js';
import { inWindow, isDated, monthEnd, months } from './time.js';

const config = JSON.parse(document.getElementById('rckg-config').textContent);
const $ = (id) => document.getElementById(id);
const ATTRIBUTIONS = ['reported', 'quoted-speaker', 'joint-declaration', 'author-assessment'];
const MONTHS = config.time ? months(config.time.min, config.time.max) : [];

const state = {
  actors: new Map(), // slug → {id, label, type, labels}
  facts: new Map(), // fact id → the fact as /api/facts/{source}/{fact} gives it
  actor: null,
  depth: 1,
  network: null,
  hiddenRelations: new Set(),
  hiddenAttributions: new Set(),
  since: 0,
  until: Math.max(MONTHS.length - 1, 0),
  showUndated: true,
  labelLang: null,
  selected: null, // edge id whose facts the details panel shows
};

let cy = null;

// ---- labels and colours ---------------------------------------------------------------

function entityLabel(slug, lang = state.labelLang) {
  const actor = state.actors.get(slug);
  return actor?.labels?.[lang] || actor?.label || slug;
}

function relationLabel(relation) {
  const labels = config.relations[relation] || {};
  return labels[language()] || labels.en || relation;
}

function family(type) {
  return config.classes[type] || 'other';
}

function colour(type) {
  return config.families.find((f) => f.key === family(type))?.color || '#7f7f7f';
}

function word(prefix, value) {
  return has(`${prefix}.${value}`) ? t(`${prefix}.${value}`) : value;
}

// ---- the time window -------------------------------------------------------------------

function timeWindow() {
  if (!MONTHS.length || (state.since === 0 && state.until === MONTHS.length - 1)) return null;
  return { since: `${MONTHS[state.since]}-01`, until: monthEnd(MONTHS[state.until]) };
}

function visibleFacts(edge) {
  if (state.hiddenRelations.has(edge.relation)) return [];
  const window = timeWindow();
  return edge.facts.map((id) => state.facts.get(id)).filter((fact) => fact
    && !state.hiddenAttributions.has(fact.attribution)
    && inWindow(fact, window, state.showUndated));
}

// ---- loading ---------------------------------------------------------------------------

function status(text) {
  $('status').textContent = text;
}

async function loadActors() {
  const { actors } = await getJSON('/api/actors');
  for (const actor of actors) state.actors.set(actor.id, actor);
}

async function loadFacts(ids) {
  const missing = ids.filter((id) => !state.facts.has(id));
  const found = await Promise.all(missing.map((id) => getJSON(`/api/facts/${id}`)));
  for (const fact of found) state.facts.set(fact.fact.id, fact);
}

/** Put `actor` in the centre: fetch its network and the facts behind it, then draw. */
async function show(actor, { push = true } = {}) {
  status(t('status.loading'));
  let network;
  try {
    network = await getJSON(`/api/actors/${encodeURIComponent(actor)}/network?depth=${state.depth}`);
    await loadFacts([...new Set(network.edges.flatMap((e) => e.facts))]);
  } catch (error) {
    showError(actor, error);
    return;
  }
  const ego = network.nodes.find((n) => n.ego).id;
  if (ego !== state.actor) state.selected = null; // a new depth keeps the edge chosen
  state.actor = ego;
  state.network = network;
  const url = new URL(window.location.href);
  url.searchParams.set('actor', ego);
  url.searchParams.set('depth', String(state.depth));
  if (push) window.history.pushState({ actor: ego, depth: state.depth }, '', url);
  else window.history.replaceState({ actor: ego, depth: state.depth }, '', url);
  draw();
}

function showError(actor, error) {
  if (error.status === 404) {
    status(t('status.unknown', { id: actor }));
    const suggestions = error.body?.suggestions || [];
    $('results').replaceChildren(...suggestions.map(resultItem));
  } else {
    status(t('status.error', { message: error.message }));
  }
}

// ---- rendering -------------------------------------------------------------------------

function describeNode(node) {
  return { id: node.id, label: entityLabel(node.id), color: colour(node.type), ego: node.ego };
}

function describeEdge(edge) {
  const facts = edge.facts.map((id) => state.facts.get(id)).filter(Boolean);
  return {
    id: edge.id,
    source: edge.source,
    target: edge.target,
    relation: edge.relation,
    label: relationLabel(edge.relation),
    directed: edge.directed,
    assessment: facts.length > 0 && facts.every((f) => f.attribution === 'author-assessment'),
  };
}

function draw() {
  drawNetwork(cy, state.network, state.actor, { node: describeNode, edge: describeEdge });
  renderActor();
  renderRelationFilter();
  renderAttributionFilter();
  applyFilters();
  fit(cy);
}

/** Show and hide edges and nodes by the filters, then refresh every panel that depends on them. */
function applyFilters() {
  if (!state.network) return;
  const shown = new Set([state.actor]);
  let edges = 0;
  cy.batch(() => {
    for (const edge of state.network.edges) {
      const facts = visibleFacts(edge);
      const element = cy.getElementById(edge.id);
      element.toggleClass('hidden', facts.length === 0);
      element.data('count', Math.max(facts.length, 1));
      if (facts.length) {
        edges += 1;
        shown.add(edge.source);
        shown.add(edge.target);
      }
    }
    for (const node of state.network.nodes) cy.getElementById(node.id).toggleClass('hidden', !shown.has(node.id));
  });
  if (state.selected && !cy.getElementById(state.selected).hasClass('hidden')) {
    cy.getElementById(state.selected).select();
  }
  const name = entityLabel(state.actor, language());
  $('graph').setAttribute('aria-label', t('graph.label', { actor: name, nodes: shown.size, edges }));
  status(t('status.drawn', { actor: name, nodes: shown.size, edges }));
  renderTime();
  renderTies();
  renderLegend();
  renderDownloads();
  renderDetails();
}

function renderActor() {
  const actor = state.actors.get(state.actor);
  $('actor-name').textContent = entityLabel(state.actor, language());
  const labels = ['de', 'en', 'ru', 'zh'].map((lang) => h('span', { lang, title: lang },
    actor?.labels?.[lang] || '—'));
  $('actor-labels').replaceChildren(
    h('span', { class: 'swatch', style: `background:${colour(actor?.type)}` }),
    h('span', { class: 'type' }, actor?.type || ''), ' · ',
    ...labels.flatMap((label) => [label, ' · ']),
    h('a', { href: `/id/${state.actor}` }, t('actor.page')),
  );
  document.title = `${entityLabel(state.actor, language())} · rckg`;
}

function checkbox(name, value, label, checked, count, onChange) {
  return h('label', { class: 'check' },
    h('input', { type: 'checkbox', name, value, checked, onchange: onChange }),
    h('span', {}, label), h('span', { class: 'count' }, ` ${count}`));
}

function renderRelationFilter() {
  const counts = new Map();
  for (const edge of state.network.edges) {
    counts.set(edge.relation, (counts.get(edge.relation) || 0) + edge.facts.length);
  }
  const relations = [...counts.keys()].sort((a, b) => relationLabel(a).localeCompare(relationLabel(b)));
  $('relations').querySelector('.list').replaceChildren(...relations.map((relation) => checkbox(
    'relation', relation, relationLabel(relation), !state.hiddenRelations.has(relation),
    counts.get(relation), (event) => {
      if (event.target.checked) state.hiddenRelations.delete(relation);
      else state.hiddenRelations.add(relation);
      applyFilters();
    },
  )));
}

function renderAttributionFilter() {
  const counts = new Map(ATTRIBUTIONS.map((a) => [a, 0]));
  const ids = new Set(state.network.edges.flatMap((e) => e.facts));
  for (const id of ids) {
    const fact = state.facts.get(id);
    if (fact) counts.set(fact.attribution, (counts.get(fact.attribution) || 0) + 1);
  }
  $('attributions').querySelector('.list').replaceChildren(...[...counts.keys()].map((value) => checkbox(
    'attribution', value, word('attribution', value), !state.hiddenAttributions.has(value),
    counts.get(value), (event) => {
      if (event.target.checked) state.hiddenAttributions.delete(value);
      else state.hiddenAttributions.add(value);
      applyFilters();
    },
  )));
}

function renderTime() {
  const window = timeWindow();
  const text = MONTHS.length ? `${MONTHS[state.since]} – ${MONTHS[state.until]}` : t('time.nodates');
  $('time-window').textContent = text;
  $('time-reset').hidden = !window;
  for (const [id, value] of [['since', state.since], ['until', state.until]]) {
    const input = $(id);
    input.max = String(Math.max(MONTHS.length - 1, 0));
    input.value = String(value);
    input.disabled = !MONTHS.length;
    input.setAttribute('aria-valuetext', MONTHS[value] || '');
  }
  $('undated').checked = state.showUndated;
}

function renderTies() {
  const rows = [];
  for (const edge of state.network.edges) {
    const facts = visibleFacts(edge);
    if (!facts.length) continue;
    const when = [...new Set(facts.filter(isDated).map((f) => f.time.text))];
    const undated = facts.some((f) => !isDated(f));
    rows.push({ edge, facts, when: [...when, ...(undated ? ['—'] : [])].join(', ') });
  }
  rows.sort((a, b) => entityLabel(a.edge.source).localeCompare(entityLabel(b.edge.source))
    || relationLabel(a.edge.relation).localeCompare(relationLabel(b.edge.relation)));
  const actorLink = (slug) => h('a', {
    href: `/?actor=${encodeURIComponent(slug)}&depth=${state.depth}`,
    onclick: (event) => { event.preventDefault(); show(slug); },
  }, entityLabel(slug));
  $('ties-count').textContent = String(rows.length);
  const body = $('ties').tBodies[0];
  if (!rows.length) {
    body.replaceChildren(h('tr', {}, h('td', { colspan: 5, class: 'muted' }, t('ties.empty'))));
    return;
  }
  body.replaceChildren(...rows.map(({ edge, facts, when }) => h('tr', {
    dataset: { edge: edge.id, facts: facts.map((f) => f.fact.id).join(' ') },
    class: edge.id === state.selected ? 'selected' : null,
  },
  h('td', {}, actorLink(edge.source)),
  h('td', {}, h('button', {
    type: 'button', class: 'link', 'aria-pressed': String(edge.id === state.selected),
    onclick: () => select(edge.id, { focus: true }),
  }, `${edge.directed ? '→' : '↔'} ${relationLabel(edge.relation)}`)),
  h('td', {}, actorLink(edge.target)),
  h('td', { class: 'num' }, String(facts.length)),
  h('td', {}, when))));
}

function renderLegend() {
  const present = new Set(state.network.nodes
    .filter((n) => !cy.getElementById(n.id).hasClass('hidden')).map((n) => family(n.type)));
  const items = config.families.filter((f) => present.has(f.key)).map((f) => h('li', {},
    h('span', { class: 'swatch', style: `background:${f.color}` }), t(`family.${f.key}`)));
  items.push(
    h('li', {}, h('span', { class: 'swatch ego' }), t('legend.ego')),
    h('li', {}, h('span', { class: 'line arrow', 'aria-hidden': 'true' }), t('legend.directed')),
    h('li', {}, h('span', { class: 'line', 'aria-hidden': 'true' }), t('legend.mutual')),
    h('li', {}, h('span', { class: 'line dashed', 'aria-hidden': 'true' }), t('legend.assessment')),
  );
  $('legend').replaceChildren(...items);
}

function exportUrl(format) {
  const params = new URLSearchParams({ actor: state.actor, depth: String(state.depth) });
  const relations = [...new Set(state.network.edges.map((e) => e.relation))];
  const kept = relations.filter((r) => !state.hiddenRelations.has(r));
  if (kept.length < relations.length) for (const r of kept.sort()) params.append('relation', r);
  const window = timeWindow();
  if (window) {
    params.set('since', window.since);
    params.set('until', window.until);
  }
  return `/api/export/${format}?${params}`;
}

function renderDownloads() {
  const empty = cy.edges(':visible').length === 0;
  for (const format of ['gexf', 'graphml', 'csv']) {
    const link = $(`dl-${format}`);
    if (empty) {
      link.removeAttribute('href');
      link.setAttribute('aria-disabled', 'true');
    } else {
      link.href = exportUrl(format);
      link.removeAttribute('aria-disabled');
    }
  }
  $('dl-png').disabled = empty;
  // The export API drops undated facts exactly when a window is set, and knows no attribution.
  $('download-note').hidden = state.hiddenAttributions.size === 0
    && state.showUndated !== Boolean(timeWindow());
}

function downloadPng() {
  const blob = cy.png({ output: 'blob', bg: '#ffffff', full: true, scale: 2 });
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: `rckg-${state.actor}.png` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// ---- the details panel -----------------------------------------------------------------

function select(edgeId, { focus = false } = {}) {
  state.selected = edgeId;
  cy.elements().unselect();
  if (edgeId) cy.getElementById(edgeId).select();
  renderTies();
  renderDetails();
  if (focus) $('details').focus();
}

function entityLink(ref) {
  return h('a', {
    href: `/?actor=${encodeURIComponent(ref.id)}&depth=${state.depth}`,
    onclick: (event) => { event.preventDefault(); show(ref.id); },
  }, entityLabel(ref.id, language()) || ref.label);
}

function formatNumber(value) {
  return new Intl.NumberFormat(language() === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: 3 })
    .format(value);
}

function field(label, ...content) {
  return [h('dt', {}, label), h('dd', {}, ...content)];
}

function factArticle(fact) {
  const time = fact.time;
  let when = t('fact.undated');
  if (isDated(fact)) {
    when = `${time.text} (${time.start || '…'} – ${time.end || '…'})`;
  } else if (time) {
    when = `${time.text} · ${t('fact.undated')}`;
  }
  const quantities = fact.quantities.map((q) => h('li', {},
    h('span', { lang: 'de' }, q.stated), ` = ${formatNumber(q.value)} ${q.unit} (${q.role})`));
  const roles = Object.entries(fact.roles).map(([role, refs]) => h('li', {},
    `${word('role', role)}: `, ...refs.flatMap((ref, i) => (i ? [', ', entityLink(ref)] : [entityLink(ref)]))));
  const source = fact.source;
  const sourceLink = source.url
    ? h('a', { href: source.url, rel: 'noopener noreferrer', target: '_blank', lang: 'de' }, source.title)
    : h('span', { lang: 'de' }, source.title);
  return h('article', { class: 'fact', dataset: { fact: fact.fact.id } },
    h('blockquote', { lang: 'de', cite: source.url || null }, h('p', {}, fact.quote)),
    fact.translation ? h('p', { class: 'translation', lang: 'en' },
      h('span', { class: 'muted', lang: language() }, `${t('fact.translation')}: `), fact.translation) : null,
    h('dl', {},
      field(t('fact.relation'), relationLabel(fact.relation), fact.plover ? ` · PLOVER ${fact.plover}` : ''),
      field(t('fact.time'), when),
      quantities.length ? field(t('fact.quantities'), h('ul', {}, quantities)) : [],
      field(t('fact.attribution'), word('attribution', fact.attribution)),
      field(t('fact.certainty'), word('certainty', fact.certainty)),
      field(t('fact.roles'), h('ul', {}, roles)),
      field(t('fact.source'), sourceLink, ', ',
        t('fact.position', { start: fact.evidence.start, end: fact.evidence.end }), ' · ',
        h('a', { href: `/fact/${fact.fact.id}` }, t('fact.ld'))),
      ...[['corroborated_by', 'fact.corroborated'], ['conflicts_with', 'fact.conflicts']]
        .filter(([key]) => fact[key]?.length)
        .map(([key, label]) => field(t(label), ...fact[key].flatMap((id, i) => [
          i ? ', ' : '', h('a', { href: `/fact/${id}` }, id)]))),
      fact.note ? field(t('fact.note'), h('span', { lang: 'en' }, fact.note)) : []));
}

function renderDetails() {
  const body = $('details-body');
  const edge = state.network?.edges.find((e) => e.id === state.selected);
  if (!edge || cy.getElementById(edge.id).hasClass('hidden')) {
    body.replaceChildren(h('p', { class: 'muted' }, t('details.empty')));
    return;
  }
  const facts = visibleFacts(edge);
  const hidden = edge.facts.length - facts.length;
  body.replaceChildren(
    h('h3', {}, entityLabel(edge.source, language()), ` ${edge.directed ? '→' : '↔'} `,
      relationLabel(edge.relation), ` ${edge.directed ? '→' : '↔'} `, entityLabel(edge.target, language())),
    ...facts.map(factArticle),
    ...(hidden ? [h('p', { class: 'muted' }, t('details.hidden', { n: hidden }))] : []),
  );
}

// ---- search ----------------------------------------------------------------------------

function resultItem(actor) {
  const known = state.actors.get(actor.id) || actor;
  const labels = known.labels || {};
  return h('li', {}, h('button', {
    type: 'button', class: 'result', dataset: { actor: actor.id },
    onclick: () => {
      $('results').replaceChildren();
      $('search-status').textContent = '';
      show(actor.id);
    },
  },
  h('span', { class: 'swatch', style: `background:${colour(known.type)}` }),
  h('span', { class: 'name' }, labels[language()] || known.label || actor.id),
  h('span', { class: 'type' }, known.type || ''),
  h('span', { class: 'others' }, ...['de', 'en', 'ru', 'zh'].filter((l) => l !== language() && labels[l])
    .map((l) => h('span', { lang: l }, labels[l])))));
}

let searchTimer = null;
let searchSeq = 0;

async function search(query) {
  const seq = ++searchSeq;
  const q = query.trim();
  if (!q) {
    $('results').replaceChildren();
    $('search-status').textContent = '';
    return [];
  }
  const { actors } = await getJSON(`/api/actors?q=${encodeURIComponent(q)}`);
  if (seq !== searchSeq) return actors; // a newer search has started
  $('results').replaceChildren(...actors.slice(0, 12).map(resultItem));
  $('search-status').textContent = actors.length ? t('search.found', { n: actors.length }) : t('search.none', { q });
  return actors;
}

function setupSearch() {
  const input = $('q');
  $('search').addEventListener('submit', async (event) => {
    event.preventDefault();
    clearTimeout(searchTimer);
    const actors = await search(input.value);
    if (actors.length === 1) {
      $('results').replaceChildren();
      show(actors[0].id);
    }
  });
  input.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => search(input.value), 250);
  });
  for (const button of document.querySelectorAll('[data-query]')) {
    button.addEventListener('click', () => {
      input.value = button.dataset.query;
      search(input.value);
    });
  }
}

// ---- controls --------------------------------------------------------------------------

function setupControls() {
  $('depth').addEventListener('change', (event) => {
    state.depth = Number(event.target.value);
    show(state.actor, { push: false });
  });
  $('label-lang').addEventListener('change', (event) => {
    state.labelLang = event.target.value;
    cy.nodes().forEach((node) => node.data('label', entityLabel(node.id())));
    renderTies();
  });
  for (const [id, bound] of [['since', 'since'], ['until', 'until']]) {
    $(id).addEventListener('input', (event) => {
      const value = Number(event.target.value);
      state[bound] = value;
      if (bound === 'since' && state.until < value) state.until = value;
      if (bound === 'until' && state.since > value) state.since = value;
      applyFilters();
    });
  }
  $('time-reset').addEventListener('click', () => {
    state.since = 0;
    state.until = Math.max(MONTHS.length - 1, 0);
    applyFilters();
  });
  $('undated').addEventListener('change', (event) => {
    state.showUndated = event.target.checked;
    applyFilters();
  });
  for (const [attr, set] of [['all', false], ['none', true]]) {
    document.querySelector(`[data-${attr}="relations"]`).addEventListener('click', () => {
      for (const edge of state.network?.edges || []) {
        if (set) state.hiddenRelations.add(edge.relation);
        else state.hiddenRelations.delete(edge.relation);
      }
      renderRelationFilter();
      applyFilters();
    });
  }
  $('dl-png').addEventListener('click', downloadPng);
  window.addEventListener('popstate', (event) => {
    const actor = event.state?.actor || new URLSearchParams(window.location.search).get('actor');
    if (!actor) return;
    state.depth = event.state?.depth || state.depth;
    $('depth').value = String(state.depth);
    show(actor, { push: false });
  });
  let resizeTimer = null;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => fit(cy), 150);
  });
}

function relabel() {
  if (!state.network) return;
  cy.edges().forEach((edge) => edge.data('label', relationLabel(edge.data('relation'))));
  renderActor();
  renderRelationFilter();
  renderAttributionFilter();
  applyFilters();
}

async function main() {
  initialLanguage();
  state.labelLang = language();
  $('label-lang').value = state.labelLang;
  setupSwitch(() => {
    state.labelLang = language();
    $('label-lang').value = state.labelLang;
    cy.nodes().forEach((node) => node.data('label', entityLabel(node.id())));
    relabel();
  });
  cy = createGraph($('graph'), {
    onNode: (id) => { if (id !== state.actor) show(id); },
    onEdge: (id) => select(id),
    onBackground: () => select(null),
  });
  window.rckg = { cy, state }; // for the browser tests and the curious
  setupSearch();
  setupControls();
  const params = new URLSearchParams(window.location.search);
  const depth = Number(params.get('depth'));
  if ([1, 2, 3].includes(depth)) state.depth = depth;
  $('depth').value = String(state.depth);
  status(t('status.loading'));
  try {
    await loadActors();
  } catch (error) {
    status(t('status.error', { message: error.message }));
    return;
  }
  const start = params.get('actor') || config.start;
  if (start) await show(start, { push: false });
}

main();
