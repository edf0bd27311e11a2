// Parse a GEXF file the way Gephi Lite does (graphology-gexf, undeclared attributes refused)
// and print what it found as JSON: graph type, counts, and every node's and edge's attributes.
// Usage: node tests/js/graphology_gexf.mjs FILE.gexf
import { readFileSync } from 'node:fs';
import Graph from 'graphology';
import gexf from 'graphology-gexf';

const [path] = process.argv.slice(2);
const graph = gexf.parse(Graph, readFileSync(path, 'utf8'), { allowUndeclaredAttributes: false });
const nodes = graph.mapNodes((key, attributes) => ({ key, attributes }));
const edges = graph.mapEdges((key, attributes, source, target, _s, _t, undirected) => ({
  key, source, target, undirected, attributes,
}));
process.stdout.write(JSON.stringify({
  type: graph.type, multi: graph.multi, order: graph.order, size: graph.size, nodes, edges,
}));
