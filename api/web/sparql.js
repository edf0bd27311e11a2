// The SPARQL page: YASGUI (bundled, from npm) pointed at this server's endpoint, with the
// README's example queries as ready tabs. Everything that would call another service is off:
// prefix look-ups (prefix.cc), class and property suggestions (Linked Open Vocabularies),
// other endpoints in the catalogue, CORS proxies and share-link shorteners.
import '@zazuko/yasgui/build/yasgui.min.css';
import './sparql.css';
import Yasgui from '@zazuko/yasgui';
import { initialLanguage, setupSwitch } from './i18n.js';

const { base, examples } = JSON.parse(document.getElementById('rckg-examples').textContent);
// Short names for IRIs in result tables (the query's own prefixes are added by YASGUI).
const PREFIXES = {
  rckg: `${base}ontology#`,
  id: `${base}id/`,
  fact: `${base}fact/`,
  vocab: `${base}vocab/`,
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  owl: 'http://www.w3.org/2002/07/owl#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  unit: 'http://qudt.org/vocab/unit/',
};
const endpoint = new URL('/sparql', window.location.href).href;

// Only completers that work offline: prefixes from YASGUI's bundled list, and variables.
// (Set on the shared defaults: YASGUI merges array options index by index, so passing a
// shorter list in the config would keep the defaults' tail.)
Yasgui.Yasqe.defaults.autocompleters = ['prefixes', 'variables'];
Yasgui.Yasqe.defaults.prefixCcApi = null;
Yasgui.Yasqe.defaults.createShortLink = undefined;
Yasgui.Yasqe.defaults.editorHeight = '260px';

/** A short fingerprint of the examples, so that changed examples start fresh tabs. */
function fingerprint(text) {
  let hash = 0;
  for (let i = 0; i < text.length; i += 1) hash = (hash * 31 + text.charCodeAt(i)) | 0;
  return (hash >>> 0).toString(36);
}

function start() {
  initialLanguage();
  setupSwitch();
  const yasgui = new Yasgui(document.getElementById('yasgui'), {
    requestConfig: { endpoint, method: 'POST' },
    endpointCatalogueOptions: { getData: () => [{ endpoint }], keys: [] },
    copyEndpointOnNewTab: true,
    corsProxy: undefined,
    autofocus: false,
    autoAddOnInit: false,
    persistenceId: `rckg-sparql-${fingerprint(JSON.stringify(examples))}`,
    yasr: { prefixes: PREFIXES },
  });
  if (!yasgui.persistentConfig.getTabs().length) {
    const list = examples.length ? examples : [{ name: 'Query', query: 'SELECT * WHERE { ?s ?p ?o } LIMIT 10' }];
    // The first tab is added as the active one (YASGUI shows a tab only once one is active).
    list.forEach((example, i) => yasgui.addTab(i === 0, {
      name: example.name,
      yasqe: { value: example.query },
      requestConfig: { endpoint },
    }));
  }
  window.rckg = { yasgui };
}

start();
