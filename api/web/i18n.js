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
    'search.label': 'Find an actor or a fact (words of a quote, a translation, a number)',
    'search.placeholder': 'e.g. Putin, Россия, 中国, Gas',
    'search.button': 'Search',
    'search.none': 'Nothing matches “{q}”.',
    'search.found': '{n} actor(s), {facts} fact(s)',
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
    'search.facts': 'Facts whose words match ({n})',
    'path.label': 'How is the actor in the centre tied to …',
    'path.placeholder': 'e.g. United States, Rosatom',
    'path.button': 'Find paths',
    'path.none': 'No path from {from} to {to} within four hops.',
    'path.found': '{n} shortest path(s), {hops} hop(s) each:',
    'zoom.label': 'Zoom',
    'zoom.in': 'Zoom in',
    'zoom.out': 'Zoom out',
    'zoom.fit': 'Fit the view',
    'ties.amount': 'how much',
    'ties.attribution': 'whose words',
    'filters.links': 'Show what facts are about (dotted links)',
    'legend.link': 'a fact is about this (no relation)',
    'download.gexfDrawn': 'GEXF (as drawn, with positions)',
    'download.heading': '{actor}: ties within {depth} hop(s) · rckg',
    'download.source': 'Source: {sources} (junge Welt) · Russia–China relations graph rckg, {url}',
    'details.about': 'Every fact naming {actor} ({n})',
    'fact.words': 'Whose words',
    'fact.voice': 'Marked: {who}, not the words above.',
    'fact.voiceFact': 'that fact',
    'fact.sourceView': 'read it in the source',
    'fact.status': 'Status',
    'role.relation': 'relation',
    'voice.author-assessment': 'the author’s own reading',
    'voice.reported': 'reported by the article',
    'voice.quoted-speaker': 'a speaker’s words',
    'voice.joint-declaration': 'the joint declaration',
    'quantity.volume': 'volume',
    'quantity.capacity': 'capacity',
    'quantity.count': 'count',
    'quantity.change': 'change',
    'quantity.target': 'target',
    'type.State': 'state',
    'type.Person': 'person',
    'type.Organisation': 'organisation',
    'type.Company': 'company',
    'type.Industry': 'industry',
    'type.City': 'city',
    'type.Region': 'region',
    'type.Pipeline': 'pipeline',
    'type.GasFlow': 'gas flow',
    'type.OilFlow': 'oil flow',
    'type.StudentFlow': 'student flow',
    'type.TouristFlow': 'tourist flow',
    'type.CooperationField': 'field of cooperation',
    'type.Cooperation': 'cooperation',
    'type.Condemnation': 'condemnation',
    'type.GroupOfPeople': 'group of people',
    'type.Demand': 'demand',
    'type.Programme': 'programme',
    'type.DocumentSet': 'set of documents',
    'type.Invitation': 'invitation',
    'type.Declaration': 'declaration',
    'type.Negotiation': 'negotiation',
    'type.Visit': 'visit',
    'type.Meeting': 'meeting',
    'type.Signing': 'signing',
    'type.Treaty': 'treaty',
    'type.War': 'war',
    'type.VisaRegime': 'visa regime',
    'type.Ceremony': 'ceremony',
    'type.Agreement': 'agreement',
    'type.Event': 'event',
    'type.Position': 'position',
    'plover.AGREE': 'agree (PLOVER AGREE)',
    'plover.COOPERATE': 'cooperate (PLOVER COOPERATE)',
    'plover.CONSULT': 'consult (PLOVER CONSULT)',
    'plover.SUPPORT': 'support (PLOVER SUPPORT)',
    'plover.AID': 'aid (PLOVER AID)',
    'plover.REQUEST': 'request (PLOVER REQUEST)',
    'plover.ACCUSE': 'accuse (PLOVER ACCUSE)',
    'plover.PROTEST': 'protest (PLOVER PROTEST)',
    'plover.SANCTION': 'sanction (PLOVER SANCTION)',
    'plover.THREATEN': 'threaten (PLOVER THREATEN)',
    'plover.OTHER': 'no PLOVER class',
  },
  de: {
    'site.title': 'rckg · Beziehungen Russland–China',
    'nav.explorer': 'Explorer',
    'nav.sparql': 'SPARQL',
    'nav.api': 'API-Doku',
    'nav.skip': 'Zum Netzwerk springen',
    'lang.label': 'Sprache',
    'search.label': 'Akteur oder Fakt suchen (Wörter eines Zitats, der Übersetzung, eine Zahl)',
    'search.placeholder': 'z. B. Putin, Россия, 中国, Gas',
    'search.button': 'Suchen',
    'search.none': 'Nichts passt zu „{q}“.',
    'search.found': '{n} Akteur(e), {facts} Fakt(en)',
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
    'search.facts': 'Fakten mit passenden Wörtern ({n})',
    'path.label': 'Wie hängt der Akteur in der Mitte zusammen mit …',
    'path.placeholder': 'z. B. USA, Rosatom',
    'path.button': 'Pfade suchen',
    'path.none': 'Kein Pfad von {from} nach {to} in höchstens vier Schritten.',
    'path.found': '{n} kürzeste(r) Pfad(e) mit je {hops} Schritt(en):',
    'zoom.label': 'Zoom',
    'zoom.in': 'Vergrößern',
    'zoom.out': 'Verkleinern',
    'zoom.fit': 'Ansicht einpassen',
    'ties.amount': 'wie viel',
    'ties.attribution': 'wessen Worte',
    'filters.links': 'Zeigen, worum es in Fakten geht (gepunktete Linien)',
    'legend.link': 'ein Fakt betrifft dies (keine Beziehung)',
    'download.gexfDrawn': 'GEXF (wie gezeichnet, mit Positionen)',
    'download.heading': '{actor}: Verbindungen in {depth} Schritt(en) · rckg',
    'download.source': 'Quelle: {sources} (junge Welt) · Graph der Beziehungen Russland–China rckg, {url}',
    'details.about': 'Alle Fakten zu {actor} ({n})',
    'fact.words': 'Wessen Worte',
    'fact.voice': 'Markiert: {who}, nicht die Worte oben.',
    'fact.voiceFact': 'dieser Fakt',
    'fact.sourceView': 'in der Quelle lesen',
    'fact.status': 'Status',
    'role.relation': 'Beziehung',
    'voice.author-assessment': 'die eigene Lesart des Autors',
    'voice.reported': 'vom Artikel berichtet',
    'voice.quoted-speaker': 'Worte eines Sprechers',
    'voice.joint-declaration': 'die gemeinsame Erklärung',
    'quantity.volume': 'Menge',
    'quantity.capacity': 'Kapazität',
    'quantity.count': 'Anzahl',
    'quantity.change': 'Veränderung',
    'quantity.target': 'Ziel',
    'type.State': 'Staat',
    'type.Person': 'Person',
    'type.Organisation': 'Organisation',
    'type.Company': 'Unternehmen',
    'type.Industry': 'Branche',
    'type.City': 'Stadt',
    'type.Region': 'Region',
    'type.Pipeline': 'Pipeline',
    'type.GasFlow': 'Gasstrom',
    'type.OilFlow': 'Ölstrom',
    'type.StudentFlow': 'Studierendenstrom',
    'type.TouristFlow': 'Touristenstrom',
    'type.CooperationField': 'Kooperationsfeld',
    'type.Cooperation': 'Zusammenarbeit',
    'type.Condemnation': 'Verurteilung',
    'type.GroupOfPeople': 'Personengruppe',
    'type.Demand': 'Forderung',
    'type.Programme': 'Programm',
    'type.DocumentSet': 'Dokumentensammlung',
    'type.Invitation': 'Einladung',
    'type.Declaration': 'Erklärung',
    'type.Negotiation': 'Verhandlung',
    'type.Visit': 'Besuch',
    'type.Meeting': 'Treffen',
    'type.Signing': 'Unterzeichnung',
    'type.Treaty': 'Vertrag',
    'type.War': 'Krieg',
    'type.VisaRegime': 'Visaregelung',
    'type.Ceremony': 'Zeremonie',
    'type.Agreement': 'Abkommen',
    'type.Event': 'Ereignis',
    'type.Position': 'Position',
    'plover.AGREE': 'Einigung (PLOVER AGREE)',
    'plover.COOPERATE': 'Kooperation (PLOVER COOPERATE)',
    'plover.CONSULT': 'Konsultation (PLOVER CONSULT)',
    'plover.SUPPORT': 'Unterstützung (PLOVER SUPPORT)',
    'plover.AID': 'Hilfe (PLOVER AID)',
    'plover.REQUEST': 'Forderung (PLOVER REQUEST)',
    'plover.ACCUSE': 'Vorwurf (PLOVER ACCUSE)',
    'plover.PROTEST': 'Protest (PLOVER PROTEST)',
    'plover.SANCTION': 'Sanktion (PLOVER SANCTION)',
    'plover.THREATEN': 'Drohung (PLOVER THREATEN)',
    'plover.OTHER': 'ohne PLOVER-Klasse',
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
