// Run a SELECT query with Comunica against a SPARQL endpoint; print the bindings as JSON
// (one object per row: variable -> {termType, value, language, datatype}).
// Usage: node tests/js/comunica_select.mjs ENDPOINT_URL QUERY
import { QueryEngine } from '@comunica/query-sparql';

const [endpoint, query] = process.argv.slice(2);
const engine = new QueryEngine();
const stream = await engine.queryBindings(query, { sources: [{ type: 'sparql', value: endpoint }] });
const rows = (await stream.toArray()).map((bindings) => Object.fromEntries(
  [...bindings].map(([variable, term]) => [variable.value, {
    termType: term.termType,
    value: term.value,
    language: term.language || null,
    datatype: term.datatype ? term.datatype.value : null,
  }]),
));
process.stdout.write(JSON.stringify(rows));
