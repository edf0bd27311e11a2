// Run any query form with Comunica against a SPARQL endpoint and print what it answered as
// JSON: {"bindings": n} for SELECT, {"boolean": b} for ASK, {"quads": n} for CONSTRUCT/DESCRIBE.
// Usage: node tests/js/comunica_any.mjs ENDPOINT_URL QUERY
import { QueryEngine } from '@comunica/query-sparql';

const [endpoint, query] = process.argv.slice(2);
const engine = new QueryEngine();
const result = await engine.query(query, { sources: [{ type: 'sparql', value: endpoint }] });
let out;
if (result.resultType === 'bindings') {
  out = { bindings: (await (await result.execute()).toArray()).length };
} else if (result.resultType === 'boolean') {
  out = { boolean: await result.execute() };
} else {
  out = { quads: (await (await result.execute()).toArray()).length };
}
process.stdout.write(JSON.stringify(out));
