// The drawing as GEXF 1.3 for Gephi, with each node where the page drew it (viz:position),
// its colour and size, and each edge's relation, PLOVER class and facts: Gephi opens the
// view as seen instead of laying it out anew.

const escapeXml = (text) => String(text).replace(/[<>&"']/g, (c) => ({
  '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;',
}[c]));

function rgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return `r="${(n >> 16) & 255}" g="${(n >> 8) & 255}" b="${n & 255}"`;
}

const attr = (id, value) => `<attvalue for="${id}" value="${escapeXml(value)}"/>`;

/** GEXF text of the visible elements of `cy`; `meta` gives the title and the source line. */
export function gexf(cy, meta) {
  const nodes = cy.nodes(':visible').map((n) => {
    const p = n.position();
    return `<node id="${escapeXml(n.id())}" label="${escapeXml(n.data('label'))}">`
      + `<attvalues>${attr('type', n.data('type') || '')}${attr('wikidata', n.data('wikidata') || '')}</attvalues>`
      + `<viz:color ${rgb(n.data('color'))}/>`
      + `<viz:position x="${p.x.toFixed(2)}" y="${(-p.y).toFixed(2)}" z="0.0"/>`
      + `<viz:size value="${Number(n.data('size')).toFixed(1)}"/></node>`;
  });
  const edges = cy.edges(':visible').map((e, i) => `<edge id="e${i}" source="${escapeXml(e.source().id())}" `
    + `target="${escapeXml(e.target().id())}" type="${e.data('directed') ? 'directed' : 'undirected'}" `
    + `label="${escapeXml(e.data('label'))}" weight="${e.data('count') || 1}">`
    + `<attvalues>${attr('relation', e.data('relation'))}${attr('role', e.data('role') || 'relation')}`
    + `${attr('plover', e.data('plover') || '')}${attr('facts', (e.data('facts') || []).join(' '))}</attvalues>`
    + `<viz:color ${rgb(e.data('color') || '#8c959f')}/></edge>`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" version="1.3">
<meta><creator>rckg explorer</creator><description>${escapeXml(`${meta.title}. ${meta.source}`)}</description></meta>
<graph mode="static" defaultedgetype="directed">
<attributes class="node"><attribute id="type" title="type" type="string"/><attribute id="wikidata" title="wikidata" type="string"/></attributes>
<attributes class="edge"><attribute id="relation" title="relation" type="string"/><attribute id="role" title="role" type="string"/><attribute id="plover" title="plover" type="string"/><attribute id="facts" title="facts" type="string"/></attributes>
<nodes>${nodes.join('\n')}</nodes>
<edges>${edges.join('\n')}</edges>
</graph>
</gexf>
`;
}
