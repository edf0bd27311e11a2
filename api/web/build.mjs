// Build the web pages: bundle api/web/*.js (with Cytoscape.js, YASGUI and their CSS) by esbuild
// into api/static/, which `rckg serve` serves. Every asset ends up there: the pages load nothing
// from elsewhere. Usage: node api/web/build.mjs   (make web, run and test call it)
import { cpSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const web = dirname(fileURLToPath(import.meta.url));
const out = join(web, '..', 'static');
const next = `${out}.next`;

rmSync(next, { recursive: true, force: true });
mkdirSync(next);
const started = Date.now();
const result = await build({
  entryPoints: [join(web, 'explorer.js'), join(web, 'sparql.js')],
  outdir: next,
  bundle: true,
  minify: true,
  sourcemap: 'linked',
  format: 'esm',
  target: ['es2020'],
  legalComments: 'linked',
  metafile: true,
  logLevel: 'warning',
});
for (const file of ['index.html', 'sparql.html', 'favicon.svg']) {
  cpSync(join(web, file), join(next, file));
}
const outputs = Object.fromEntries(Object.entries(result.metafile.outputs)
  .map(([path, info]) => [path.slice(path.lastIndexOf('/') + 1), info.bytes]));
writeFileSync(join(next, 'build.json'), JSON.stringify({ built: new Date().toISOString(), outputs }, null, 1));
// Swap the new build in whole, so a server never serves half of one.
if (existsSync(out)) rmSync(out, { recursive: true });
renameSync(next, out);
const sizes = Object.entries(outputs).filter(([name]) => !name.endsWith('.map'))
  .map(([name, bytes]) => `${name} ${(bytes / 1024).toFixed(0)} KiB`).join(', ');
console.log(`web: built api/static in ${Date.now() - started} ms (${sizes})`);
