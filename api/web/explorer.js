// The explorer at `/`: search an actor, draw its ego network, filter it, read each edge's facts
// with their quotes, and download the view. Everything it loads comes from this server's REST
// API (/api/actors, /api/actors/{id}/network, /api/facts/{source}/{fact}, /api/export/…).
import './explorer.css';
import { h, getJSON } from './dom.js';
import { gexf } from './gexf.js';
import {
  createGraph, cullLabels, drawNetwork, fit, layout, overlaps, ploverColour, setLabels, zoomBy,
} from './graph.js';
import { has, initialLanguage, language, setupSwitch, t } from './i18n.js';
import { picture } from './picture.js';
import { inWindow, isDated } from './time.js';
import { formatQuantity } from './units.js';

const config = JSON.parse(document.getElementById('rckg-config').textContent);
const $ = (id) => document.getElementById(id);
const ATTRIBUTIONS = ['reported', 'quoted-speaker', 'joint-declaration', 'author-assessment'];
// The time sliders step over the dates the dated facts name, not over every month between.
const STEPS = config.time?.dates || [];
const PHONE = window.matchMedia('(max-width: 860px)');

const state = {
  actors: new Map(), // slug → {id, label, type, labels}
  facts: new Map(), // fact id → the fact as /api/facts/{source}/{fact} gives it
  actor: null,
  depth: 1,
  network: null,
  hiddenRelations: new Set(),
  hiddenAttributions: new Set(),
  since: 0,
  until: Math.max(STEPS.length - 1, 0),
  showUndated: true,
  showLinks: false, // the dotted "about"/"via" links from a fact's subject to what it concerns
  labelLang: null,
  labelChosen: false, // the reader picked the label language: switching the interface keeps it
  selected: null, // edge id whose facts the details panel shows
  selectedFact: null, // a fact chosen from the search or the actor's list
  about: [], // every fact naming the actor in the centre, those without a counterpart too
  wikidata: null,
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

/** A class name for a reader: "Staat" for State in German, "cooperation field" in English. */
function typeLabel(type) {
  if (!type) return '';
  if (has(`type.${type}`)) return t(`type.${type}`);
  return type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function quantitiesOf(fact) {
  const when = isDated(fact) ? fact.time.text : '';
  return fact.quantities.map((q) => formatQuantity(q, language(), when));
}

// ---- the time window -------------------------------------------------------------------

function timeWindow() {
  if (!STEPS.length || (state.since === 0 && state.until === STEPS.length - 1)) return null;
  return { since: STEPS[state.since], until: STEPS[state.until] };
}

/**
 * How a fact reaches an edge: as its relation (subject → object, either way for a mutual
 * one) or only through a role such as "about" or "via", which is no relation at all.
 */
function roleOnEdge(fact, edge) {
  const named = (role, id) => (fact.roles[role] || []).some((r) => r.id === id);
  if ((named('subject', edge.source) && named('object', edge.target))
    || (!edge.directed && named('subject', edge.target) && named('object', edge.source))) return 'relation';
  for (const role of ['via', 'about', 'statedIn', 'place']) if (named(role, edge.target)) return role;
  return 'about';
}

function visibleFacts(edge) {
  if (edge.role === 'relation' && state.hiddenRelations.has(edge.relation)) return [];
  if (edge.role !== 'relation' && !state.showLinks) return [];
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

function remember(facts) {
  for (const fact of facts) state.facts.set(fact.fact.id, fact);
  return facts;
}

async function loadFacts(ids) {
  const missing = ids.filter((id) => !state.facts.has(id));
  for (let i = 0; i < missing.length; i += 100) {
    const params = new URLSearchParams(missing.slice(i, i + 100).map((id) => ['id', id]));
    remember((await getJSON(`/api/explore/facts?${params}`)).facts);
  }
}

/**
 * The REST network has one edge per pair and relation, whatever role joins its ends. Split
 * each into the edge of the relation (facts whose subject and object it joins) and a link
 * per other role (dotted, hidden unless asked for), so no edge claims what its facts don't.
 */
function splitEdges(network) {
  const edges = [];
  for (const edge of network.edges) {
    const byRole = new Map();
    for (const id of edge.facts) {
      const fact = state.facts.get(id);
      const role = fact ? roleOnEdge(fact, edge) : 'relation';
      if (!byRole.has(role)) byRole.set(role, []);
      byRole.get(role).push(id);
    }
    for (const [role, facts] of byRole) {
      edges.push({
        ...edge,
        id: role === 'relation' ? edge.id : `${edge.id}#${role}`,
        role,
        facts,
        directed: role === 'relation' ? edge.directed : false,
        classes: role === 'relation' ? '' : 'link',
      });
    }
  }
  return { ...network, edges };
}

/** Put `actor` in the centre: fetch its network and the facts behind it, then draw. */
async function show(actor, { push = true, keepFact = false } = {}) {
  status(t('status.loading'));
  let network;
  let detail;
  try {
    network = await getJSON(`/api/actors/${encodeURIComponent(actor)}/network?depth=${state.depth}`);
    const ego = network.nodes.find((n) => n.ego).id;
    [, { facts: state.about }, detail] = await Promise.all([
      loadFacts([...new Set(network.edges.flatMap((e) => e.facts))]),
      getJSON(`/api/explore/facts?actor=${encodeURIComponent(ego)}`),
      getJSON(`/api/actors/${encodeURIComponent(ego)}`),
    ]);
    remember(state.about);
  } catch (error) {
    showError(actor, error);
    return;
  }
  const ego = network.nodes.find((n) => n.ego).id;
  if (ego !== state.actor) {
    state.selected = null; // a new depth keeps the edge chosen
    if (!keepFact) state.selectedFact = null;
  }
  state.actor = ego;
  state.wikidata = detail.wikidata;
  state.network = splitEdges(network);
  const url = new URL(window.location.href);
  url.searchParams.set('actor', ego);
  url.searchParams.set('depth', String(state.depth));
  if (push) window.history.pushState({ actor: ego, depth: state.depth }, '', url);
  else window.history.replaceState({ actor: ego, depth: state.depth }, '', url);
  await draw();
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
  const actor = state.actors.get(node.id);
  return {
    id: node.id, label: entityLabel(node.id), color: colour(node.type),
    ego: node.ego, type: node.type,
    wikidata: actor?.wikidata || '',
  };
}

function edgeText(edge, facts) {
  const amounts = facts.flatMap(quantitiesOf);
  if (edge.role !== 'relation') return { label: word('role', edge.role), short: '' };
  const plover = [...new Set(facts.map((f) => f.plover).filter(Boolean))];
  const label = [relationLabel(edge.relation), ...amounts].join(' · ')
    + (plover.length ? ` [${plover.join(', ')}]` : '');
  return { label, short: amounts.join(' · ') };
}

function describeEdge(edge) {
  const facts = edge.facts.map((id) => state.facts.get(id)).filter(Boolean);
  const plover = facts.find((f) => f.plover)?.plover || null;
  return {
    id: edge.id,
    source: edge.source,
    target: edge.target,
    relation: edge.relation,
    role: edge.role,
    facts: edge.facts,
    plover,
    color: ploverColour(plover),
    ...edgeText(edge, facts),
    directed: edge.directed,
    assessment: facts.length > 0 && facts.every((f) => f.attribution === 'author-assessment'),
  };
}

async function draw() {
  drawNetwork(cy, state.network, state.actor, { node: describeNode, edge: describeEdge });
  renderActor();
  renderRelationFilter();
  renderAttributionFilter();
  await applyFilters({ relayout: true });
}

function refit() {
  fit(cy, { minZoom: PHONE.matches ? 0.55 : 0 });
}

/** Show and hide edges and nodes by the filters, lay the view out again, refresh the panels. */
async function applyFilters({ relayout = true } = {}) {
  if (!state.network) return;
  const shown = new Set([state.actor]);
  let edges = 0;
  cy.batch(() => {
    for (const edge of state.network.edges) {
      const facts = visibleFacts(edge);
      const element = cy.getElementById(edge.id);
      element.toggleClass('hidden', facts.length === 0);
      element.data('count', Math.max(facts.length, 1));
      element.data(edgeText(edge, facts));
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
  if (relayout) {
    await layout(cy, state.actor);
    refit();
  }
  $('graph').dataset.drawn = String(Number($('graph').dataset.drawn || 0) + 1);
  $('graph').dataset.actor = state.actor; // drawn and laid out: what the browser tests wait for
}

function renderActor() {
  const actor = state.actors.get(state.actor);
  $('actor-name').textContent = entityLabel(state.actor, language());
  const labels = ['de', 'en', 'ru', 'zh'].map((lang) => h('span', { lang, title: lang },
    actor?.labels?.[lang] || '—'));
  const qid = state.wikidata?.split('/').pop();
  $('actor-labels').replaceChildren(
    h('span', { class: 'swatch', style: `background:${colour(actor?.type)}` }),
    h('span', { class: 'type', dataset: { type: actor?.type || '' } }, typeLabel(actor?.type)), ' · ',
    ...labels.flatMap((label) => [label, ' · ']),
    qid ? h('a', { class: 'wikidata', href: state.wikidata, rel: 'noopener noreferrer', target: '_blank' },
      `Wikidata ${qid}`) : null,
    qid ? ' · ' : null,
    h('a', { href: `/id/${state.actor}` }, t('actor.page')),
  );
  document.title = `${entityLabel(state.actor, language())} · rckg`;
}

function checkbox(name, value, label, checked, count, onChange) {
  return h('label', { class: 'check' },
    h('input', { type: 'checkbox', name, value, checked, onchange: onChange }),
    h('span', {}, label), h('span', { class: 'count' }, ` ${count}`));
}

/** Facts per relation: each fact once, however many edges it draws (7 condemnations, not 16). */
function renderRelationFilter() {
  const facts = new Map();
  for (const edge of state.network.edges) {
    if (edge.role !== 'relation') continue;
    if (!facts.has(edge.relation)) facts.set(edge.relation, new Set());
    for (const id of edge.facts) facts.get(edge.relation).add(id);
  }
  const relations = [...facts.keys()].sort((a, b) => relationLabel(a).localeCompare(relationLabel(b)));
  $('relations').querySelector('.list').replaceChildren(...relations.map((relation) => checkbox(
    'relation', relation, relationLabel(relation), !state.hiddenRelations.has(relation),
    facts.get(relation).size, (event) => {
      if (event.target.checked) state.hiddenRelations.delete(relation);
      else state.hiddenRelations.add(relation);
      applyFilters();
    },
  )));
  const links = new Set(state.network.edges.filter((e) => e.role !== 'relation').flatMap((e) => e.facts));
  $('show-links-count').textContent = ` ${links.size}`;
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
  const text = STEPS.length ? `${STEPS[state.since]} – ${STEPS[state.until]}` : t('time.nodates');
  $('time-window').textContent = text;
  $('time-reset').hidden = !window;
  for (const [id, value] of [['since', state.since], ['until', state.until]]) {
    const input = $(id);
    input.max = String(Math.max(STEPS.length - 1, 0));
    input.value = String(value);
    input.disabled = !STEPS.length;
    input.setAttribute('aria-valuetext', STEPS[value] || '');
  }
  $('undated').checked = state.showUndated;
}

function actorLink(slug, lang = state.labelLang) {
  return h('a', {
    href: `/?actor=${encodeURIComponent(slug)}&depth=${state.depth}`,
    onclick: (event) => { event.preventDefault(); show(slug); },
  }, entityLabel(slug, lang));
}

function renderTies() {
  const rows = [];
  for (const edge of state.network.edges) {
    const facts = visibleFacts(edge);
    if (!facts.length) continue;
    const when = [...new Set(facts.filter(isDated).map((f) => f.time.text))];
    const undated = facts.some((f) => !isDated(f));
    const attributions = [...new Set(facts.map((f) => word('attribution', f.attribution)))];
    rows.push({
      edge, facts, when: [...when, ...(undated ? ['—'] : [])].join(', '),
      amounts: facts.flatMap(quantitiesOf).join('; '), attributions: attributions.join('; '),
    });
  }
  rows.sort((a, b) => entityLabel(a.edge.source).localeCompare(entityLabel(b.edge.source))
    || relationLabel(a.edge.relation).localeCompare(relationLabel(b.edge.relation)));
  $('ties-count').textContent = String(rows.length);
  const body = $('ties').tBodies[0];
  if (!rows.length) {
    body.replaceChildren(h('tr', {}, h('td', { colspan: 7, class: 'muted' }, t('ties.empty'))));
    return;
  }
  body.replaceChildren(...rows.map(({ edge, facts, when, amounts, attributions }) => h('tr', {
    dataset: { edge: edge.id, facts: facts.map((f) => f.fact.id).join(' ') },
    class: [edge.id === state.selected ? 'selected' : '', edge.role !== 'relation' ? 'link-row' : ''].join(' ').trim() || null,
  },
  h('td', {}, actorLink(edge.source)),
  h('td', {}, h('button', {
    type: 'button', class: 'link', 'aria-pressed': String(edge.id === state.selected),
    onclick: () => select(edge.id, { focus: true }),
  }, edge.role === 'relation'
    ? `${edge.directed ? '→' : '↔'} ${relationLabel(edge.relation)}`
    : `⋯ ${word('role', edge.role)} (${relationLabel(edge.relation)})`)),
  h('td', {}, actorLink(edge.target)),
  h('td', { class: 'amount' }, amounts),
  h('td', { class: 'num' }, String(facts.length)),
  h('td', {}, when),
  h('td', { class: 'attribution' }, attributions))));
}

function legendItems() {
  const present = new Set(state.network.nodes
    .filter((n) => !cy.getElementById(n.id).hasClass('hidden')).map((n) => family(n.type)));
  const classes = new Set(cy.edges(':visible').filter((e) => !e.hasClass('link')).map((e) => e.data('plover') || 'OTHER'));
  return [
    ...config.families.filter((f) => present.has(f.key)).map((f) => ({ color: f.color, text: t(`family.${f.key}`) })),
    ...[...classes].sort().map((c) => ({ color: ploverColour(c), text: word('plover', c), line: 'solid', plover: c })),
    { color: '#57606a', text: t('legend.assessment'), line: 'dashed' },
    ...(state.showLinks ? [{ color: '#afb8c1', text: t('legend.link'), line: 'dotted' }] : []),
  ];
}

function renderLegend() {
  const items = legendItems().map((item) => h('li', { dataset: item.plover ? { plover: item.plover } : {} },
    item.line
      ? h('span', { class: `line ${item.line}`, style: `border-top-color:${item.color}`, 'aria-hidden': 'true' })
      : h('span', { class: 'swatch', style: `background:${item.color}` }),
    item.text));
  items.push(
    h('li', {}, h('span', { class: 'swatch ego' }), t('legend.ego')),
    h('li', {}, h('span', { class: 'line arrow', 'aria-hidden': 'true' }), t('legend.directed')),
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
  $('dl-gexf-drawn').disabled = empty;
  // The export API drops undated facts exactly when a window is set, and knows no attribution.
  $('download-note').hidden = state.hiddenAttributions.size === 0
    && state.showUndated !== Boolean(timeWindow());
}

function sourceLine() {
  const sources = [...new Set(cy.edges(':visible').flatMap((e) => e.data('facts'))
    .map((id) => state.facts.get(id)?.source.title).filter(Boolean))];
  return t('download.source', { sources: sources.map((s) => `„${s}“`).join(', '), url: window.location.origin });
}

function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function viewTitle() {
  return t('download.heading', { actor: entityLabel(state.actor, language()), depth: state.depth });
}

async function downloadPng() {
  save(await picture(cy, { title: viewTitle(), legend: legendItems(), source: sourceLine() }), `rckg-${state.actor}.png`);
}

function downloadGexf() {
  const text = gexf(cy, { title: viewTitle(), source: sourceLine() });
  save(new Blob([text], { type: 'application/gexf+xml' }), `rckg-${state.actor}-drawn.gexf`);
}

// ---- the details panel -----------------------------------------------------------------

function select(edgeId, { focus = false } = {}) {
  state.selected = edgeId;
  state.selectedFact = null;
  cy.elements().unselect();
  if (edgeId) {
    const edge = cy.getElementById(edgeId);
    edge.select();
    const box = edge.renderedBoundingBox();
    if (box.x1 < 0 || box.y1 < 0 || box.x2 > cy.width() || box.y2 > cy.height()) cy.center(edge);
  }
  cullLabels(cy); // the chosen edge shows its relation: other labels make room
  renderTies();
  renderDetails();
  if (focus) $('details').focus();
  if (edgeId && PHONE.matches) $('details').scrollIntoView({ block: 'start' });
}

function selectFact(id) {
  state.selected = null;
  state.selectedFact = id;
  cy.elements().unselect();
  cullLabels(cy);
  renderTies();
  renderDetails();
  $('details').focus();
  if (PHONE.matches) $('details').scrollIntoView({ block: 'start' });
}

function entityLink(ref) {
  return actorLink(ref.id, language());
}

function field(label, ...content) {
  return [h('dt', {}, label), h('dd', {}, ...content)];
}

/** The quote with the spans other voices own marked (the author's gloss in a declaration). */
function quoteWithVoices(fact) {
  const parts = [];
  let at = 0;
  for (const voice of fact.voices || []) {
    if (voice.start < at) continue;
    parts.push(fact.quote.slice(at, voice.start));
    parts.push(h('mark', {
      class: `voice ${voice.attribution}`, dataset: { attribution: voice.attribution, fact: voice.fact },
      title: word('voice', voice.attribution),
    }, fact.quote.slice(voice.start, voice.end)));
    at = voice.end;
  }
  parts.push(fact.quote.slice(at));
  return h('span', { class: 'quote', dataset: { attribution: fact.attribution } }, ...parts);
}

/** The sentence the fact comes from, its quote highlighted (and the other voices inside). */
function sentenceBlock(fact) {
  const sentence = fact.sentence;
  if (!sentence) return h('p', {}, quoteWithVoices(fact));
  const start = fact.evidence.start - sentence.start;
  const end = fact.evidence.end - sentence.start;
  return h('p', { class: 'sentence' }, sentence.text.slice(0, start), quoteWithVoices(fact),
    sentence.text.slice(end));
}

function factArticle(fact) {
  const time = fact.time;
  let when = t('fact.undated');
  if (isDated(fact)) {
    when = `${time.text} (${time.start || '…'} – ${time.end || '…'})`;
  } else if (time) {
    when = `${time.text} · ${t('fact.undated')}`;
  }
  const quantities = fact.quantities.map((q, i) => h('li', {},
    h('strong', { class: 'amount' }, quantitiesOf(fact)[i]), ' · ',
    h('span', { lang: 'de' }, `„${q.stated}“`), ` (${word('quantity', q.role)})`));
  const roles = Object.entries(fact.roles).map(([role, refs]) => h('li', {},
    `${word('role', role)}: `, ...refs.flatMap((ref, i) => (i ? [', ', entityLink(ref)] : [entityLink(ref)]))));
  const source = fact.source;
  const sourceLink = source.url
    ? h('a', { href: source.url, rel: 'noopener noreferrer', target: '_blank', lang: 'de' }, source.title)
    : h('span', { lang: 'de' }, source.title);
  const voices = (fact.voices || []).map((v) => h('p', { class: 'voice-note small' },
    h('mark', { class: `voice ${v.attribution}` }, '  '), ' ',
    t('fact.voice', { who: word('attribution', v.attribution) }), ' ',
    h('a', { href: '#', onclick: (event) => { event.preventDefault(); selectFact(v.fact); } }, t('fact.voiceFact'))));
  return h('article', { class: 'fact', dataset: { fact: fact.fact.id } },
    h('p', { class: 'speaker small' }, `${t('fact.words')}: `, h('strong', {}, word('attribution', fact.attribution))),
    h('blockquote', { lang: 'de', cite: source.url || null }, sentenceBlock(fact)),
    ...voices,
    fact.translation ? h('p', { class: 'translation', lang: 'en' },
      h('span', { class: 'muted', lang: language() }, `${t('fact.translation')}: `), fact.translation) : null,
    h('dl', {},
      field(t('fact.relation'), relationLabel(fact.relation), fact.plover ? ` · PLOVER ${fact.plover}` : ''),
      field(t('fact.time'), when),
      quantities.length ? field(t('fact.quantities'), h('ul', {}, quantities)) : [],
      field(t('fact.attribution'), word('attribution', fact.attribution)),
      field(t('fact.certainty'), word('certainty', fact.certainty)),
      fact.status ? field(t('fact.status'), word('status', fact.status)) : [],
      field(t('fact.roles'), h('ul', {}, roles)),
      field(t('fact.source'), sourceLink, ', ',
        t('fact.position', { start: fact.evidence.start, end: fact.evidence.end }), ' · ',
        h('a', { class: 'source-view', href: `/source/${encodeURIComponent(source.id)}` }, t('fact.sourceView')), ' · ',
        h('a', { href: `/fact/${fact.fact.id}` }, t('fact.ld'))),
      ...[['corroborated_by', 'fact.corroborated'], ['conflicts_with', 'fact.conflicts']]
        .filter(([key]) => fact[key]?.length)
        .map(([key, label]) => field(t(label), ...fact[key].flatMap((id, i) => [
          i ? ', ' : '', h('a', { href: `/fact/${id}` }, id)]))),
      fact.note ? field(t('fact.note'), h('span', { lang: 'en' }, fact.note)) : []));
}

/** One line per fact naming the actor: what it says, with whom, how much; opens the fact. */
function aboutItem(fact) {
  const others = Object.values(fact.roles).flat().map((r) => r.id).filter((id) => id !== state.actor);
  return h('li', {}, h('button', {
    type: 'button', class: 'link fact-link', dataset: { fact: fact.fact.id },
    onclick: () => selectFact(fact.fact.id),
  }, relationLabel(fact.relation)),
  others.length ? ` · ${[...new Set(others)].map((id) => entityLabel(id, language())).join(', ')}` : '',
  ...quantitiesOf(fact).map((q) => [' · ', h('strong', {}, q)]),
  fact.status ? ` · ${word('status', fact.status)}` : '');
}

function renderDetails() {
  const body = $('details-body');
  if (state.selectedFact && state.facts.has(state.selectedFact)) {
    body.replaceChildren(factArticle(state.facts.get(state.selectedFact)));
    return;
  }
  const edge = state.network?.edges.find((e) => e.id === state.selected);
  if (!edge || cy.getElementById(edge.id).hasClass('hidden')) {
    const name = entityLabel(state.actor, language());
    body.replaceChildren(
      h('p', { class: 'muted' }, t('details.empty')),
      h('h3', { id: 'about-title' }, t('details.about', { actor: name, n: state.about.length })),
      h('ul', { class: 'about', id: 'about-list' }, state.about.map(aboutItem)),
    );
    return;
  }
  const facts = visibleFacts(edge);
  const hidden = edge.facts.length - facts.length;
  const arrow = edge.role === 'relation' ? (edge.directed ? '→' : '↔') : '⋯';
  body.replaceChildren(
    h('h3', {}, entityLabel(edge.source, language()), ` ${arrow} `,
      edge.role === 'relation' ? relationLabel(edge.relation) : word('role', edge.role),
      ` ${arrow} `, entityLabel(edge.target, language())),
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
      $('fact-results').replaceChildren();
      $('search-status').textContent = '';
      show(actor.id);
    },
  },
  h('span', { class: 'swatch', style: `background:${colour(known.type)}` }),
  h('span', { class: 'name' }, labels[language()] || known.label || actor.id),
  h('span', { class: 'type' }, typeLabel(known.type)),
  h('span', { class: 'others' }, ...['de', 'en', 'ru', 'zh'].filter((l) => l !== language() && labels[l])
    .map((l) => h('span', { lang: l }, labels[l])))));
}

/** A fact found by its words: the matching part of the quote, and where it leads. */
function factResult(fact, query) {
  const subject = fact.roles.subject?.[0]?.id;
  const text = fact.quote;
  const at = text.toLowerCase().indexOf(query.toLowerCase());
  const quote = at >= 0
    ? [text.slice(0, at), h('mark', {}, text.slice(at, at + query.length)), text.slice(at + query.length)]
    : [text];
  return h('li', {}, h('button', {
    type: 'button', class: 'result fact-result', dataset: { fact: fact.fact.id },
    onclick: async () => {
      state.facts.set(fact.fact.id, fact);
      if (subject && subject !== state.actor) await show(subject, { keepFact: true });
      selectFact(fact.fact.id);
    },
  },
  h('span', { class: 'name' }, relationLabel(fact.relation), subject ? ` · ${entityLabel(subject, language())}` : ''),
  h('span', { class: 'quote-line', lang: 'de' }, ...quote),
  ...quantitiesOf(fact).map((q) => h('strong', { class: 'amount' }, q))));
}

let searchTimer = null;
let searchSeq = 0;

async function search(query) {
  const seq = ++searchSeq;
  const q = query.trim();
  if (!q) {
    $('results').replaceChildren();
    $('fact-results').replaceChildren();
    $('search-status').textContent = '';
    return [];
  }
  const [{ actors }, { facts }] = await Promise.all([
    getJSON(`/api/actors?q=${encodeURIComponent(q)}`),
    getJSON(`/api/explore/facts?q=${encodeURIComponent(q)}`),
  ]);
  if (seq !== searchSeq) return actors; // a newer search has started
  $('results').replaceChildren(...actors.slice(0, 12).map(resultItem));
  $('fact-results').replaceChildren(...(facts.length
    ? [h('li', { class: 'heading' }, t('search.facts', { n: facts.length }))] : []),
  ...facts.slice(0, 30).map((f) => factResult(f, q)));
  $('fact-results').dataset.query = q; // what the lists show now
  $('search-status').textContent = actors.length || facts.length
    ? t('search.found', { n: actors.length, facts: facts.length }) : t('search.none', { q });
  return actors;
}

function setupSearch() {
  const input = $('q');
  $('search').addEventListener('submit', async (event) => {
    event.preventDefault();
    clearTimeout(searchTimer);
    const actors = await search(input.value);
    if (actors.length === 1 && !$('fact-results').children.length) {
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

// ---- paths -----------------------------------------------------------------------------

async function findPath(wanted) {
  const out = $('path-result');
  const q = wanted.trim();
  if (!q) return;
  const { actors } = await getJSON(`/api/actors?q=${encodeURIComponent(q)}`);
  if (!actors.length) {
    out.replaceChildren(h('p', { class: 'muted' }, t('search.none', { q })));
    return;
  }
  const target = actors[0].id;
  const found = await getJSON(`/api/paths?from=${encodeURIComponent(state.actor)}&to=${encodeURIComponent(target)}`);
  if (!found.paths.length) {
    out.replaceChildren(h('p', { class: 'muted' }, t('path.none', {
      from: entityLabel(state.actor, language()), to: entityLabel(target, language()) })));
    return;
  }
  out.replaceChildren(h('p', { class: 'muted' }, t('path.found', { n: found.paths.length, hops: found.paths[0].length })),
    h('ol', { class: 'paths' }, found.paths.map((path) => h('li', { class: 'path' },
      actorLink(path[0].from.id, language()),
      ...path.flatMap((hop) => {
        const relations = [...new Set(hop.ties.map((tie) => relationLabel(tie.relation)))];
        return [h('span', { class: 'hop' }, ` — ${relations.join(' / ')} — `), actorLink(hop.to.id, language())];
      })))));
}

// ---- controls --------------------------------------------------------------------------

function relabelNodes() {
  setLabels(cy, (id) => entityLabel(id));
}

function setupControls() {
  $('depth').addEventListener('change', (event) => {
    state.depth = Number(event.target.value);
    show(state.actor, { push: false });
  });
  $('label-lang').addEventListener('change', (event) => {
    state.labelLang = event.target.value;
    state.labelChosen = true;
    relabelNodes();
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
    state.until = Math.max(STEPS.length - 1, 0);
    applyFilters();
  });
  $('undated').addEventListener('change', (event) => {
    state.showUndated = event.target.checked;
    applyFilters();
  });
  $('show-links').addEventListener('change', (event) => {
    state.showLinks = event.target.checked;
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
  $('zoom-in').addEventListener('click', () => zoomBy(cy, 1.4));
  $('zoom-out').addEventListener('click', () => zoomBy(cy, 1 / 1.4));
  $('zoom-fit').addEventListener('click', () => fit(cy)); // the whole view, labels culled to fit
  $('path-form').addEventListener('submit', (event) => {
    event.preventDefault();
    findPath($('path-to').value);
  });
  $('dl-png').addEventListener('click', downloadPng);
  $('dl-gexf-drawn').addEventListener('click', downloadGexf);
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
    resizeTimer = setTimeout(refit, 150);
  });
  // On a phone a swipe over the drawing scrolls the page: the drawing moves by its buttons.
  const touch = () => {
    cy.userPanningEnabled(!PHONE.matches);
    cy.userZoomingEnabled(!PHONE.matches);
    cy.autoungrabify(PHONE.matches);
  };
  PHONE.addEventListener('change', touch);
  touch();
  // Cytoscape cancels every touchend that began on the drawing; after a swipe scrolled the
  // page that end cannot be cancelled and Chromium logs an error. Nothing is lost by not asking.
  window.addEventListener('touchend', (event) => {
    if (!event.cancelable) Object.defineProperty(event, 'preventDefault', { value: () => {} });
  }, { capture: true });
}

function relabel() {
  if (!state.network) return;
  renderActor();
  renderRelationFilter();
  renderAttributionFilter();
  applyFilters({ relayout: false });
}

async function main() {
  initialLanguage();
  state.labelLang = language();
  $('label-lang').value = state.labelLang;
  setupSwitch(() => {
    if (!state.labelChosen) {
      state.labelLang = language();
      $('label-lang').value = state.labelLang;
      relabelNodes();
    }
    relabel();
  });
  cy = createGraph($('graph'), {
    onNode: (id) => { if (id !== state.actor) show(id); },
    onEdge: (id) => select(id),
    onBackground: () => select(null),
  });
  window.rckg = { cy, state, overlaps: () => overlaps(cy) }; // for the browser tests and the curious
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
