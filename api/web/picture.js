// The drawing as a PNG that stands on its own: a title above, the legend beside, and the
// source line below (which article, which graph), so a copied picture keeps its provenance.

const FONT = 'system-ui, "Noto Sans", "Noto Sans CJK SC", sans-serif';

function loadImage(blob) {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = reject;
    image.src = URL.createObjectURL(blob);
  });
}

/**
 * A PNG blob of `cy` with `title`, `legend` ([{color, text, line}]) and `source` (a line of
 * text). Scale 2 for print.
 */
export async function picture(cy, { title, legend, source }) {
  const scale = 2;
  const drawing = await loadImage(cy.png({ output: 'blob', bg: '#ffffff', full: true, scale }));
  const pad = 24 * scale;
  const head = 56 * scale;
  const foot = 40 * scale;
  const side = 260 * scale;
  const row = 22 * scale;
  const canvas = document.createElement('canvas');
  canvas.width = drawing.width + side + 2 * pad;
  canvas.height = Math.max(drawing.height, legend.length * row + pad) + head + foot;
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#1b1f24';
  ctx.font = `bold ${20 * scale}px ${FONT}`;
  ctx.textBaseline = 'middle';
  ctx.fillText(title, pad, head / 2);
  ctx.drawImage(drawing, pad, head);
  ctx.font = `${13 * scale}px ${FONT}`;
  const x = pad + drawing.width + pad;
  legend.forEach((item, i) => {
    const y = head + i * row + row / 2;
    ctx.strokeStyle = item.color;
    ctx.fillStyle = item.color;
    if (item.line) {
      ctx.lineWidth = 3 * scale;
      ctx.setLineDash(item.line === 'dashed' ? [7 * scale, 4 * scale] : item.line === 'dotted' ? [2 * scale, 3 * scale] : []);
      ctx.beginPath();
      ctx.moveTo(x, y);
      ctx.lineTo(x + 24 * scale, y);
      ctx.stroke();
      ctx.setLineDash([]);
    } else {
      ctx.beginPath();
      ctx.arc(x + 12 * scale, y, 6 * scale, 0, 2 * Math.PI);
      ctx.fill();
    }
    ctx.fillStyle = '#1b1f24';
    ctx.fillText(item.text, x + 32 * scale, y);
  });
  ctx.fillStyle = '#57606a';
  ctx.font = `${12 * scale}px ${FONT}`;
  ctx.fillText(source, pad, canvas.height - foot / 2);
  URL.revokeObjectURL(drawing.src);
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
}
