// Interface text in English and German, and the language switch both pages share.
// Graph labels (entities in four languages, relations in German and English) come from the
// graph itself; only the words of the interface live here.

const TEXT = {
  en: {
    'site.title': 'rckg · Russia–China relations',
    'nav.explorer': 'Explorer',
    'nav.sparql': 'SPARQL',
    'nav.api': 'API docs',
    'nav.skip': 'Skip to the network',
    'lang.label': 'Language',
    'search.label': 'Find an actor (in German, English, Russian or Chinese)',
    'search.placeholder': 'e.g. Putin, Россия, 中国, Gas',
    'search.button': 'Search',
    'search.none': 'No actor matches “{q}”.',
    'search.found': '{n} found',
    'search.suggest': 'Try:',
    'depth.label': 'Hops from the actor',
    'labels.label': 'Labels in',
    'filters.title': 'Filters',
    'filters.relations': 'Relations',
    'filters.attribution': 'Attribution',
    'filters.all': 'all',
    'filters.none': 'none',
    'time.title': 'Time',
    'time.from': 'from',
    'time.until': 'until',
    'time.undated': 'Show undated facts',
    'time.note': 'Most facts carry no date: the article says “am Mittwoch”, not which Wednesday. '
      + 'The window keeps the dated facts whose period overlaps it; undated facts stay visible '
      + 'unless you untick the box.',
    'time.reset': 'Whole period',
    'time.nodates': 'No fact of the graph has a date.',
    'legend.title': 'Legend',
    'legend.directed': 'directed relation',
    'legend.mutual': 'mutual relation',
    'legend.assessment': 'only the author’s assessment',
    'legend.ego': 'the actor in the centre',
    'download.title': 'Download this view',
    'download.png': 'PNG (as drawn)',
    'download.csv': 'CSV (zip)',
    'download.note': 'GEXF, GraphML and CSV come from the export API with this actor, hops, '
      + 'relations and time window. It has no attribution filter and leaves undated facts out '
      + 'of a time window, so these files can hold more or fewer facts than the drawing.',
    'graph.label': 'Network of {actor}: {nodes} nodes, {edges} ties. The list of ties below '
      + 'reaches them by keyboard.',
    'graph.help': 'Click a node to put it in the centre, an edge to read its facts.',
    'actor.page': 'entity page',
    'actor.type': 'type',
    'ties.title': 'Ties in view',
    'ties.from': 'from',
    'ties.relation': 'relation',
    'ties.to': 'to',
    'ties.facts': 'facts',
    'ties.when': 'when',
    'ties.empty': 'The filters hide every tie of this actor.',
    'details.title': 'Facts',
    'details.empty': 'Click an edge, or a relation in the list of ties, to read its facts and the '
      + 'sentence each comes from.',
    'details.hidden': '{n} more fact(s) of this tie hidden by the filters.',
    'fact.relation': 'Relation',
    'fact.time': 'Time',
    'fact.undated': 'no date given',
    'fact.quantities': 'Quantities',
    'fact.attribution': 'Attribution',
    'fact.certainty': 'Certainty',
    'fact.roles': 'Who and what',
    'fact.quote': 'Quote',
    'fact.translation': 'English translation',
    'fact.source': 'Source',
    'fact.position': 'characters {start}–{end}',
    'fact.ld': 'this fact as Linked Data',
    'fact.note': 'Curator’s note',
    'fact.corroborated': 'Corroborated by',
    'fact.conflicts': 'Conflicts with',
    'status.loading': 'Loading…',
    'status.error': 'Could not load: {message}',
    'status.unknown': 'No actor “{id}”.',
    'status.drawn': '{actor}: {nodes} nodes, {edges} ties',
    'sparql.intro': 'Write SPARQL against the graph. The default graph is the union of all named '
      + 'graphs; the tabs hold the README’s example queries. Ctrl+Enter runs a query. The '
      + 'endpoint is read-only and never calls other services.',
    'sparql.noscript': 'Without JavaScript, this form sends a query to the endpoint:',
    'role.subject': 'subject',
    'role.object': 'object',
    'role.about': 'about',
    'role.via': 'via',
    'role.from': 'from',
    'role.to': 'to',
    'role.place': 'place',
    'role.speaker': 'speaker',
    'role.statedIn': 'stated in',
    'attribution.reported': 'reported by the article',
    'attribution.quoted-speaker': 'a speaker quoted',
    'attribution.joint-declaration': 'the joint declaration',
    'attribution.author-assessment': 'the author’s assessment',
    'certainty.plain': 'plain',
    'certainty.approximate': 'approximate',
    'certainty.planned': 'planned',
    'certainty.unresolved': 'unresolved',
    'certainty.hedged': 'hedged',
    'family.state': 'States',
    'family.people': 'People',
    'family.organisation': 'Organisations, companies, industries',
    'family.place': 'Places',
    'family.agreement': 'Agreements',
    'family.infrastructure': 'Infrastructure',
    'family.flow': 'Flows',
    'family.event': 'Events',
    'family.position': 'Positions',
    'family.cooperation': 'Cooperation',
    'family.other': 'Other',
  },
  de: {
    'site.title': 'rckg · Beziehungen Russland–China',
    'nav.explorer': 'Explorer',
    'nav.sparql': 'SPARQL',
    'nav.api': 'API-Doku',
    'nav.skip': 'Zum Netzwerk springen',
    'lang.label': 'Sprache',
    'search.label': 'Akteur suchen (deutsch, englisch, russisch oder chinesisch)',
    'search.placeholder': 'z. B. Putin, Россия, 中国, Gas',
    'search.button': 'Suchen',
    'search.none': 'Kein Akteur passt zu „{q}“.',
    'search.found': '{n} gefunden',
    'search.suggest': 'Zum Beispiel:',
    'depth.label': 'Schritte vom Akteur',
    'labels.label': 'Beschriftung auf',
    'filters.title': 'Filter',
    'filters.relations': 'Beziehungen',
    'filters.attribution': 'Zuschreibung',
    'filters.all': 'alle',
    'filters.none': 'keine',
    'time.title': 'Zeit',
    'time.from': 'von',
    'time.until': 'bis',
    'time.undated': 'Undatierte Fakten zeigen',
    'time.note': 'Die meisten Fakten tragen kein Datum: Der Artikel sagt „am Mittwoch“, nicht '
      + 'an welchem. Das Zeitfenster behält datierte Fakten, deren Zeitraum es berührt; '
      + 'undatierte bleiben sichtbar, solange das Kästchen angekreuzt ist.',
    'time.reset': 'Ganzer Zeitraum',
    'time.nodates': 'Kein Fakt des Graphen hat ein Datum.',
    'legend.title': 'Legende',
    'legend.directed': 'gerichtete Beziehung',
    'legend.mutual': 'wechselseitige Beziehung',
    'legend.assessment': 'nur Einschätzung des Autors',
    'legend.ego': 'der Akteur in der Mitte',
    'download.title': 'Diese Ansicht herunterladen',
    'download.png': 'PNG (wie gezeichnet)',
    'download.csv': 'CSV (zip)',
    'download.note': 'GEXF, GraphML und CSV kommen von der Export-API mit diesem Akteur, den '
      + 'Schritten, Beziehungen und dem Zeitfenster. Sie filtert nicht nach Zuschreibung und '
      + 'lässt undatierte Fakten aus einem Zeitfenster heraus; die Dateien können also mehr oder '
      + 'weniger Fakten enthalten als die Zeichnung.',
    'graph.label': 'Netzwerk von {actor}: {nodes} Knoten, {edges} Verbindungen. Die Liste der '
      + 'Verbindungen darunter erreicht sie per Tastatur.',
    'graph.help': 'Klick auf einen Knoten rückt ihn in die Mitte, Klick auf eine Kante zeigt ihre '
      + 'Fakten.',
    'actor.page': 'Entitätsseite',
    'actor.type': 'Typ',
    'ties.title': 'Verbindungen in der Ansicht',
    'ties.from': 'von',
    'ties.relation': 'Beziehung',
    'ties.to': 'zu',
    'ties.facts': 'Fakten',
    'ties.when': 'wann',
    'ties.empty': 'Die Filter blenden jede Verbindung dieses Akteurs aus.',
    'details.title': 'Fakten',
    'details.empty': 'Klicken Sie auf eine Kante oder eine Beziehung in der Liste, um ihre Fakten '
      + 'und den Satz zu lesen, aus dem sie stammen.',
    'details.hidden': '{n} weitere(r) Fakt(en) dieser Verbindung durch die Filter ausgeblendet.',
    'fact.relation': 'Beziehung',
    'fact.time': 'Zeit',
    'fact.undated': 'ohne Datum',
    'fact.quantities': 'Mengen',
    'fact.attribution': 'Zuschreibung',
    'fact.certainty': 'Gewissheit',
    'fact.roles': 'Wer und was',
    'fact.quote': 'Zitat',
    'fact.translation': 'Englische Übersetzung',
    'fact.source': 'Quelle',
    'fact.position': 'Zeichen {start}–{end}',
    'fact.ld': 'dieser Fakt als Linked Data',
    'fact.note': 'Anmerkung der Redaktion',
    'fact.corroborated': 'Bestätigt durch',
    'fact.conflicts': 'Widerspricht',
    'status.loading': 'Lädt…',
    'status.error': 'Laden fehlgeschlagen: {message}',
    'status.unknown': 'Kein Akteur „{id}“.',
    'status.drawn': '{actor}: {nodes} Knoten, {edges} Verbindungen',
    'sparql.intro': 'SPARQL-Abfragen an den Graphen. Der Standardgraph ist die Vereinigung aller '
      + 'benannten Graphen; die Reiter enthalten die Beispielabfragen des README. Strg+Enter '
      + 'führt eine Abfrage aus. Der Endpunkt ist schreibgeschützt und ruft keine anderen '
      + 'Dienste auf.',
    'sparql.noscript': 'Ohne JavaScript schickt dieses Formular eine Abfrage an den Endpunkt:',
    'role.subject': 'Subjekt',
    'role.object': 'Objekt',
    'role.about': 'betrifft',
    'role.via': 'über',
    'role.from': 'von',
    'role.to': 'nach',
    'role.place': 'Ort',
    'role.speaker': 'Sprecher',
    'role.statedIn': 'erklärt in',
    'attribution.reported': 'vom Artikel berichtet',
    'attribution.quoted-speaker': 'zitierter Sprecher',
    'attribution.joint-declaration': 'gemeinsame Erklärung',
    'attribution.author-assessment': 'Einschätzung des Autors',
    'certainty.plain': 'ohne Einschränkung',
    'certainty.approximate': 'ungefähr',
    'certainty.planned': 'geplant',
    'certainty.unresolved': 'ungeklärt',
    'certainty.hedged': 'vermutet',
    'family.state': 'Staaten',
    'family.people': 'Personen',
    'family.organisation': 'Organisationen, Unternehmen, Branchen',
    'family.place': 'Orte',
    'family.agreement': 'Abkommen',
    'family.infrastructure': 'Infrastruktur',
    'family.flow': 'Ströme',
    'family.event': 'Ereignisse',
    'family.position': 'Positionen',
    'family.cooperation': 'Zusammenarbeit',
    'family.other': 'Sonstige',
  },
};

export const LANGUAGES = ['en', 'de'];
const STORE_KEY = 'rckg-lang';
let current = 'en';

/** The interface language: ?lang=, then the last choice, then the browser's preference. */
export function initialLanguage() {
  const asked = new URLSearchParams(window.location.search).get('lang');
  let stored = null;
  try { stored = window.localStorage.getItem(STORE_KEY); } catch { /* storage disabled */ }
  const browser = (navigator.language || 'en').slice(0, 2);
  current = [asked, stored, browser].find((l) => LANGUAGES.includes(l)) || 'en';
  return current;
}

export function language() {
  return current;
}

/** The text for `key` in the current language, with {name} placeholders filled in. */
export function t(key, values = {}) {
  const text = TEXT[current][key] ?? TEXT.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''));
}

/** Whether `key` has a text (so callers can fall back to a raw value). */
export function has(key) {
  return key in TEXT.en;
}

/** Fill every element marked data-i18n (text) or data-i18n-ATTR (attribute) under `root`. */
export function translate(root = document) {
  document.documentElement.lang = current;
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const attr of ['placeholder', 'aria-label', 'title']) {
    const data = `i18n${attr.replace(/(^|-)(\w)/g, (_, __, c) => c.toUpperCase())}`;
    for (const el of root.querySelectorAll(`[data-i18n-${attr}]`)) {
      el.setAttribute(attr, t(el.dataset[data]));
    }
  }
  for (const button of root.querySelectorAll('[data-lang]')) {
    button.setAttribute('aria-pressed', String(button.dataset.lang === current));
  }
}

/** Wire the language buttons: switching re-translates the page and calls `onChange`. */
export function setupSwitch(onChange = () => {}) {
  for (const button of document.querySelectorAll('[data-lang]')) {
    button.addEventListener('click', () => {
      current = button.dataset.lang;
      try { window.localStorage.setItem(STORE_KEY, current); } catch { /* storage disabled */ }
      const url = new URL(window.location.href);
      url.searchParams.delete('lang');
      window.history.replaceState(window.history.state, '', url);
      translate();
      onChange(current);
    });
  }
  translate();
}
