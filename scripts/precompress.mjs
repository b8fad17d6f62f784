// trunk post-build hook: writes a gzip (.gz) and a brotli (.br) copy beside each file a browser downloads,
// for static hosts that serve precompressed files (nginx's gzip_static / brotli_static, Caddy's
// `precompressed`, most CDNs): they then send the smallest form without compressing on every request, and
// at the highest levels (the wasm: 1.4 MB, 557 KB gzip, 427 KB brotli). Node's zlib does both, and Node is
// already needed for wasm-opt (scripts/setup.sh). trunk sets TRUNK_STAGING_DIR to the folder it is about
// to publish.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const COMPRESSIBLE = /\.(wasm|js|css|html|json|svg)$/;
// Below this a compressed copy saves less than its request headers.
const SMALLEST = 1024;

function* files(folder) {
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (COMPRESSIBLE.test(name) && statSync(path).size >= SMALLEST) yield path;
  }
}

for (const path of files(process.env.TRUNK_STAGING_DIR)) {
  const content = readFileSync(path);
  writeFileSync(`${path}.gz`, gzipSync(content, { level: 9 }));
  writeFileSync(`${path}.br`, brotliCompressSync(content, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: content.length },
  }));
}
