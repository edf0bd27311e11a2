// The drawing: Cytoscape.js on a canvas (no WebGL needed), an ego network laid out in rings
// by the number of hops from the actor in the centre.
import cytoscape from 'cytoscape';

const FONT = 'system-ui, "Noto Sans", "Noto Sans CJK SC", "Noto Sans CJK JP", sans-serif';

const STYLE = [
  {
    selector: 'node',
    style: {
      'background-color': 'data(color)',
      'border-color': '#ffffff',
      'border-width': 1.5,
      width: 18,
      height: 18,
      label: 'data(label)',
      'font-family': FONT,
      'font-size': 11,
      color: '#1b1f24',
      'text-valign': 'bottom',
      'text-margin-y': 3,
      'text-wrap': 'wrap',
      'text-max-width': '120px',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.8,
      'text-background-padding': '1px',
      'min-zoomed-font-size': 6,
    },
  },
  {
    selector: 'node[?ego]',
    style: {
      width: 34, height: 34, 'border-color': '#1b1f24', 'border-width': 3,
      'font-size': 13, 'font-weight': 'bold',
    },
  },
  { selector: 'node:selected', style: { 'border-color': '#0b5cad', 'border-width': 3 } },
  {
    selector: 'edge',
    style: {
      width: 'mapData(count, 1, 4, 1.5, 5)',
      'line-color': '#8c959f',
      'curve-style': 'bezier',
      'control-point-step-size': 28,
      'target-arrow-shape': 'none',
      'arrow-scale': 0.9,
      'font-family': FONT,
      'font-size': 10,
      'text-rotation': 'autorotate',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.9,
      'text-background-padding': '2px',
    },
  },
  { selector: 'edge[?directed]', style: { 'target-arrow-shape': 'triangle', 'target-arrow-color': '#8c959f' } },
  { selector: 'edge[?assessment]', style: { 'line-style': 'dashed' } },
  {
    selector: 'edge:selected',
    style: {
      'line-color': '#0b5cad', 'target-arrow-color': '#0b5cad', label: 'data(label)', 'z-index': 10,
    },
  },
  { selector: '.hidden', style: { display: 'none' } },
];

/** A Cytoscape instance in `container`; taps on nodes and edges call back with their ids. */
export function createGraph(container, { onNode, onEdge, onBackground }) {
  const cy = cytoscape({
    container,
    style: STYLE,
    minZoom: 0.2,
    maxZoom: 4,
    boxSelectionEnabled: false,
    selectionType: 'single',
  });
  cy.on('tap', 'node', (event) => onNode(event.target.id()));
  cy.on('tap', 'edge', (event) => onEdge(event.target.id()));
  cy.on('tap', (event) => { if (event.target === cy) onBackground(); });
  return cy;
}

/** Hops from `ego` to every node, ignoring direction. */
function hops(network, ego) {
  const neighbours = new Map(network.nodes.map((n) => [n.id, []]));
  for (const e of network.edges) {
    neighbours.get(e.source).push(e.target);
    neighbours.get(e.target).push(e.source);
  }
  const distance = new Map([[ego, 0]]);
  const queue = [ego];
  while (queue.length) {
    const node = queue.shift();
    for (const next of neighbours.get(node) || []) {
      if (!distance.has(next)) {
        distance.set(next, distance.get(node) + 1);
        queue.push(next);
      }
    }
  }
  return distance;
}

/** Replace the drawing with `network` (the REST ego network) and lay it out in rings. */
export function drawNetwork(cy, network, ego, describe) {
  const distance = hops(network, ego);
  const far = Math.max(...distance.values());
  cy.elements().remove();
  cy.add([
    ...network.nodes.map((n) => ({ group: 'nodes', data: { ...describe.node(n), dist: distance.get(n.id) ?? far } })),
    ...network.edges.map((e) => ({ group: 'edges', data: { ...describe.edge(e), count: e.facts.length } })),
  ]);
  cy.layout({
    name: 'concentric',
    concentric: (node) => far - node.data('dist'),
    levelWidth: () => 1,
    minNodeSpacing: network.nodes.length > 30 ? 18 : 34,
    startAngle: (3 / 2) * Math.PI,
    avoidOverlap: true,
    animate: false,
    padding: 24,
  }).run();
}

/** Fit the visible elements into the canvas. */
export function fit(cy) {
  cy.resize();
  cy.fit(cy.elements(':visible'), 24);
}
