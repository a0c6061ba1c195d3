// `npm run bench:bundle`: the bench (bench/run.ts), the tile comparison (bench/tiles.ts) and the
// WebGPU conformance check (e2e/webgpu/node-check.ts) as one file each in out/bench-node, for a
// machine with a GPU but no npm: copy the folder, Node's binary and the `webgpu` package's
// index.js, package.json and dist/<platform>/dawn.node (under out/bench-node/node_modules/webgpu)
// there, then `node run.mjs --node …`, `node tiles.mjs` or `node check.mjs`. Everything but the
// `webgpu` package (a native addon) is inside the three files.
import { resolve } from 'node:path'
import { build } from 'esbuild'

const repo = resolve(import.meta.dirname, '..')
const outdir = resolve(repo, 'out/bench-node')

await build({
  entryPoints: {
    run: resolve(repo, 'bench/run.ts'),
    tiles: resolve(repo, 'bench/tiles.ts'),
    check: resolve(repo, 'e2e/webgpu/node-check.ts'),
  },
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['webgpu'],
  // ES modules first: a UMD build requires its parts by paths the bundle lacks.
  mainFields: ['module', 'main'],
  // Bundled CommonJS modules call require(), which an ES module lacks (a name of its own:
  // bundled modules import createRequire too).
  banner: {
    js: "import { createRequire as bannerRequire } from 'node:module';const require = bannerRequire(import.meta.url);",
  },
  logLevel: 'warning',
})
console.log(`bench bundles: ${outdir}/run.mjs, ${outdir}/tiles.mjs, ${outdir}/check.mjs`)
