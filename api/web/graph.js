// The drawing: Cytoscape.js on a canvas (no WebGL needed). An ego network starts in rings by
// the number of hops from the actor in the centre, then fCoSE (a force-directed layout that
// counts label sizes) spreads it; labels that would still collide are left off, least
// important first, so every label drawn can be read. Edges are coloured by PLOVER class.
import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';

cytoscape.use(fcose);

const FONT = 'system-ui, "Noto Sans", "Noto Sans CJK SC", "Noto Sans CJK JP", sans-serif';
export const MIN_LABEL_PX = 10; // no label is drawn smaller than this on screen

// PLOVER event classes (Halterman et al.): cooperation in blues and greens, conflict in reds.
export const PLOVER = {
  AGREE: '#1a7f37',
  COOPERATE: '#0969da',
  CONSULT: '#8250df',
  SUPPORT: '#1b9e77',
  AID: '#2da44e',
  REQUEST: '#bf8700',
  ACCUSE: '#cf222e',
  PROTEST: '#d1242f',
  SANCTION: '#a40e26',
  THREATEN: '#bc4c00',
  OTHER: '#6e7781',
};

export function ploverColour(plover) {
  return PLOVER[plover] || PLOVER.OTHER;
}

const STYLE = [
  {
    selector: 'node',
    style: {
      'background-color': 'data(color)',
      'border-color': '#ffffff',
      'border-width': 1.5,
      width: 'data(size)',
      height: 'data(size)',
      label: 'data(label)',
      'font-family': FONT,
      'font-size': 'data(font)',
      color: '#1b1f24',
      'text-valign': 'bottom',
      'text-margin-y': 3,
      'text-wrap': 'wrap',
      'text-max-width': '130px',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.85,
      'text-background-padding': '1px',
    },
  },
  {
    selector: 'node[?ego]',
    style: { 'border-color': '#1b1f24', 'border-width': 3, 'font-weight': 'bold' },
  },
  { selector: 'node.nolabel', style: { label: '' } },
  { selector: 'node.nolabel.hover, node.nolabel:selected', style: { label: 'data(label)', 'z-index': 20 } },
  { selector: 'node:selected', style: { 'border-color': '#0b5cad', 'border-width': 3 } },
  {
    selector: 'edge',
    style: {
      width: 'mapData(count, 1, 4, 1.8, 5)',
      'line-color': 'data(color)',
      'target-arrow-color': 'data(color)',
      'curve-style': 'bezier',
      'control-point-step-size': 28,
      'target-arrow-shape': 'none',
      'arrow-scale': 0.9,
      label: 'data(short)',
      'font-family': FONT,
      'font-size': 'data(font)',
      color: '#1b1f24',
      'text-rotation': 'autorotate',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.9,
      'text-background-padding': '2px',
    },
  },
  { selector: 'edge[?directed]', style: { 'target-arrow-shape': 'triangle' } },
  { selector: 'edge[?assessment]', style: { 'line-style': 'dashed', 'line-dash-pattern': [7, 4] } },
  {
    selector: 'edge.link',
    style: {
      'line-style': 'dotted', 'line-color': '#afb8c1', 'target-arrow-shape': 'none', width: 1.5,
      label: '', color: '#57606a',
    },
  },
  { selector: 'edge.nolabel', style: { label: '' } },
  { selector: 'edge.hover', style: { label: 'data(label)', 'z-index': 15 } },
  {
    selector: 'edge:selected',
    style: {
      'line-color': '#0b5cad', 'target-arrow-color': '#0b5cad', label: 'data(label)', 'z-index': 10,
      'underlay-color': '#0b5cad', 'underlay-opacity': 0.15, 'underlay-padding': 4,
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
  cy.on('mouseover', 'edge, node', (event) => event.target.addClass('hover'));
  cy.on('mouseout', 'edge, node', (event) => event.target.removeClass('hover'));
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

/** Starting positions: one ring per hop, sorted by id, so that the layout is deterministic. */
function rings(network, ego, distance) {
  const byHop = [];
  for (const node of network.nodes) (byHop[distance.get(node.id) ?? 1] ||= []).push(node.id);
  const position = new Map([[ego, { x: 0, y: 0 }]]);
  byHop.forEach((ring, k) => {
    if (!k) return;
    [...ring].sort().forEach((id, i) => {
      const a = -Math.PI / 2 + (2 * Math.PI * i) / ring.length;
      const r = 160 * k + ring.length * 6;
      position.set(id, { x: r * Math.cos(a), y: r * Math.sin(a) });
    });
  });
  return position;
}

/**
 * Replace the drawing with `network` (nodes and edges the caller has described: colour,
 * label …), sized by importance (ties in view), laid out by fCoSE from rings.
 */
export function drawNetwork(cy, network, ego, describe) {
  const adjacent = neighbours(network);
  const distance = hops(adjacent, ego);
  const position = rings(network, ego, distance);
  const degree = (id) => adjacent.get(id)?.size || 0;
  cy.elements().remove();
  cy.add([
    ...network.nodes.map((n) => {
      const weight = n.id === ego ? 1 : Math.min(1, Math.sqrt(degree(n.id)) / 3);
      return {
        group: 'nodes',
        data: { ...describe.node(n), weight, size: 16 + 20 * weight, font: 11 + 5 * weight },
        position: position.get(n.id),
      };
    }),
    ...network.edges.map((e) => ({ group: 'edges', data: { font: 10, ...describe.edge(e) }, classes: e.classes || '' })),
  ]);
}

/** Spread the visible elements with fCoSE (deterministic: no random start), ego fixed. */
export function layout(cy, ego) {
  const shown = cy.elements(':visible');
  if (shown.nodes().length < 2) return Promise.resolve();
  const done = new Promise((resolve) => {
    shown.layout({
      name: 'fcose',
      quality: 'proof',
      randomize: false,
      animate: false,
      fit: false,
      nodeDimensionsIncludeLabels: true,
      packComponents: false,
      nodeSeparation: 90,
      nodeRepulsion: () => 9000,
      idealEdgeLength: (edge) => (edge.hasClass('link') ? 140 : 110),
      edgeElasticity: () => 0.3,
      numIter: 2500,
      fixedNodeConstraint: [{ nodeId: ego, position: { x: 0, y: 0 } }],
      stop: resolve,
    }).run();
  });
  return done;
}

function overlap(a, b) {
  return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
}

/** The rendered boxes of the node labels drawn now (for the tests and the culling below). */
export function labelBoxes(cy) {
  const only = { includeNodes: false, includeEdges: false, includeLabels: true };
  return [
    ...cy.nodes(':visible').filter((n) => !n.hasClass('nolabel') && n.data('label'))
      .map((n) => ({ id: n.id(), box: n.renderedBoundingBox(only) })),
    ...cy.edges(':visible').filter((e) => !e.hasClass('nolabel') && !e.hasClass('link') && e.data('short'))
      .map((e) => ({ id: e.id(), box: e.renderedBoundingBox(only) })),
  ];
}

/** How many pairs of drawn labels overlap on screen. */
export function overlaps(cy) {
  const boxes = labelBoxes(cy);
  let count = 0;
  for (let i = 0; i < boxes.length; i += 1) {
    for (let j = i + 1; j < boxes.length; j += 1) if (overlap(boxes[i].box, boxes[j].box)) count += 1;
  }
  return count;
}

/**
 * Keep each label readable and apart: labels are drawn at least MIN_LABEL_PX on screen (their
 * size follows the zoom), then, most important node first, a label that would touch one kept
 * already is left off (it shows on hover and selection; the ties list names all). The
 * amounts on edges follow, kept where they touch no label kept before them; zooming in
 * makes room for more.
 */
export function cullLabels(cy) {
  const zoom = cy.zoom();
  cy.batch(() => {
    cy.elements().removeClass('nolabel');
    cy.nodes().forEach((n) => {
      const wanted = 11 + 5 * n.data('weight');
      n.data('font', Math.max(wanted, MIN_LABEL_PX / zoom));
    });
    cy.edges().data('font', Math.max(10, MIN_LABEL_PX / zoom));
  });
  // Measure afresh: Cytoscape keeps label boxes of the old font size, text or selection.
  const only = { includeNodes: false, includeEdges: false, includeLabels: true, useCache: false };
  const nodes = cy.nodes(':visible').sort((a, b) => (b.data('ego') ? 1 : 0) - (a.data('ego') ? 1 : 0)
    || b.data('weight') - a.data('weight') || a.id().localeCompare(b.id()));
  const amounts = cy.edges(':visible').filter((e) => !e.hasClass('link') && e.data('short'))
    .sort((a, b) => b.data('count') - a.data('count') || a.id().localeCompare(b.id()));
  // The centre and the chosen edge's ends, the chosen edge (its label is its relation), then
  // the other names (a node without its name is lost; an amount is also in the ties list),
  // then amounts.
  const chosen = cy.elements(':visible:selected');
  const ends = chosen.edges().connectedNodes();
  const named = (n) => n.data('ego') || n.selected() || ends.contains(n); // always named
  const order = [...nodes.filter(named), ...chosen.edges(),
    ...nodes.filter((n) => !named(n)), ...amounts.filter((e) => !e.selected())];
  const kept = [];
  cy.batch(() => {
    for (const element of order) {
      const box = element.renderedBoundingBox(only);
      const forced = element.selected() || (element.isNode() && named(element));
      if (!forced && kept.some((k) => overlap(k, box))) element.addClass('nolabel');
      else kept.push(box);
    }
  });
}

/**
 * New label texts (another language), then the culling, which measures them afresh (Cytoscape's
 * cached boxes of the old texts clipped longer Chinese labels).
 */
export function setLabels(cy, labelOf) {
  cy.batch(() => cy.nodes().forEach((node) => node.data('label', labelOf(node.id()))));
  cullLabels(cy);
}

/** Fit the visible elements into the canvas, then redo the labels for the new zoom. */
export function fit(cy, { minZoom = 0 } = {}) {
  cy.resize();
  cy.fit(cy.elements(':visible'), 24);
  if (cy.zoom() < minZoom) {
    cy.zoom(minZoom);
    cy.center(cy.nodes('[?ego]'));
  }
  cullLabels(cy);
}

/** Zoom by `factor` about the centre of the canvas, then redo the labels. */
export function zoomBy(cy, factor) {
  const level = Math.min(cy.maxZoom(), Math.max(cy.minZoom(), cy.zoom() * factor));
  cy.zoom({ level, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  cullLabels(cy);
}
