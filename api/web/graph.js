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
      'min-zoomed-font-size': 5,
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

function neighbours(network) {
  const result = new Map(network.nodes.map((n) => [n.id, new Set()]));
  for (const e of network.edges) {
    result.get(e.source).add(e.target);
    result.get(e.target).add(e.source);
  }
  return result;
}

/** Hops from `ego` to every node, ignoring direction. */
function hops(adjacent, ego) {
  const distance = new Map([[ego, 0]]);
  const queue = [ego];
  while (queue.length) {
    const node = queue.shift();
    for (const next of adjacent.get(node) || []) {
      if (!distance.has(next)) {
        distance.set(next, distance.get(node) + 1);
        queue.push(next);
      }
    }
  }
  return distance;
}

/** The first ring in an order that puts tied neighbours next to each other (greedy chain). */
function chain(ring, adjacent) {
  const inRing = new Set(ring);
  const links = (id) => [...adjacent.get(id)].filter((o) => inRing.has(o)).length;
  const left = [...ring].sort((a, b) => links(b) - links(a) || a.localeCompare(b));
  const order = [];
  while (left.length) {
    const last = order[order.length - 1];
    let pick = 0;
    if (last) {
      const tied = left.findIndex((id) => adjacent.get(last).has(id));
      if (tied >= 0) pick = tied;
    }
    order.push(left.splice(pick, 1)[0]);
  }
  return order;
}

/**
 * Positions in rings around the actor: one ring per hop, the first ordered so that tied
 * neighbours sit side by side (their ties become short chords, not lines across the centre),
 * each further node near the nodes of the ring before that it is tied to. Deterministic.
 */
function ringLayout(network, ego, adjacent, distance) {
  const rings = [];
  for (const node of network.nodes) {
    const k = distance.get(node.id) ?? 1;
    (rings[k] ||= []).push(node.id);
  }
  const angle = new Map([[ego, -Math.PI / 2]]);
  const position = new Map([[ego, { x: 0, y: 0 }]]);
  let radius = 0;
  for (let k = 1; k < rings.length; k += 1) {
    let ring = [...(rings[k] || [])].sort();
    let start = -Math.PI / 2;
    if (k === 1) {
      ring = chain(ring, adjacent);
    } else {
      const wanted = new Map(ring.map((id) => {
        const inner = [...adjacent.get(id)].filter((o) => distance.get(o) === k - 1);
        return [id, Math.atan2(inner.reduce((s, o) => s + Math.sin(angle.get(o)), 0),
          inner.reduce((s, o) => s + Math.cos(angle.get(o)), 0))];
      }));
      ring.sort((a, b) => wanted.get(a) - wanted.get(b));
      if (ring.length) start = wanted.get(ring[0]);
    }
    // A crowded ring staggers its nodes over a few radii, so that neighbouring labels
    // do not collide; each node keeps its angle.
    const layers = Math.min(4, Math.ceil(ring.length / 14));
    radius = Math.max(radius + 140, (ring.length * 110) / (2 * Math.PI * layers));
    ring.forEach((id, i) => {
      const a = start + (2 * Math.PI * i) / ring.length;
      const r = radius + (i % layers) * 60;
      angle.set(id, a);
      position.set(id, { x: r * Math.cos(a), y: r * Math.sin(a) });
    });
    radius += (layers - 1) * 60;
  }
  return position;
}

/** Replace the drawing with `network` (the REST ego network), laid out in rings. */
export function drawNetwork(cy, network, ego, describe) {
  const adjacent = neighbours(network);
  const distance = hops(adjacent, ego);
  const position = ringLayout(network, ego, adjacent, distance);
  cy.elements().remove();
  cy.add([
    ...network.nodes.map((n) => ({ group: 'nodes', data: describe.node(n), position: position.get(n.id) })),
    ...network.edges.map((e) => ({ group: 'edges', data: { ...describe.edge(e), count: e.facts.length } })),
  ]);
}

/** Fit the visible elements into the canvas. */
export function fit(cy) {
  cy.resize();
  cy.fit(cy.elements(':visible'), 24);
}
