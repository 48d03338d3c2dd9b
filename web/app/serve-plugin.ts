// What `npm start` (vite preview over dist/app) sends over the wire: every compressible file
// precompressed at build (brotli and gzip beside it, .br / .gz), served with Content-Encoding
// to clients that accept it; hashed files (assets/name-HASH.ext) cached for a year as immutable,
// everything else (index.html above all) revalidated on every load (no-cache). Vite's own
// preview compresses text on the fly but not the wasm (application/wasm is not "text"), and
// sets no cache headers.
import { createReadStream, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
};
// Below this, compression saves less than the headers it adds.
const MIN_BYTES = 1024;
// Brotli's best quality is slow on large files (data sets): quality 5 above this size.
const BEST_QUALITY_MAX_BYTES = 4 << 20;
/** A Vite content hash before the extension: assets/index-BxQ2k9aZ.js, nnplay-Cz1_4AbX.wasm. */
export const HASHED = /\/assets\/.+-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Writes file.br and file.gz beside every compressible file of `dir` that they make smaller. */
export function precompress(dir: string): { file: string; bytes: number; br: number; gz: number }[] {
  const done = [];
  for (const file of filesUnder(dir)) {
    if (!(extname(file) in TYPES)) continue;
    const raw = readFileSync(file);
    if (raw.length < MIN_BYTES) continue;
    const quality = raw.length <= BEST_QUALITY_MAX_BYTES ? constants.BROTLI_MAX_QUALITY : 5;
    const br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } });
    const gz = gzipSync(raw, { level: 9 });
    if (br.length < raw.length) writeFileSync(`${file}.br`, br);
    if (gz.length < raw.length) writeFileSync(`${file}.gz`, gz);
    done.push({ file, bytes: raw.length, br: br.length, gz: gz.length });
  }
  return done;
}

/** The headers and the precompressed body for one preview request. */
function serve(dir: string, req: IncomingMessage, res: ServerResponse, next: () => void): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') return next();
  let path: string;
  try {
    path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
  } catch {
    return next();
  }
  if (path.endsWith('/')) path += 'index.html';
  const file = normalize(join(dir, path));
  if (!file.startsWith(dir + sep)) return next();
  res.setHeader('Cache-Control', HASHED.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
  const type = TYPES[extname(file)];
  if (!type) return next();
  res.setHeader('Vary', 'Accept-Encoding');
  const accepted = String(req.headers['accept-encoding'] ?? '');
  for (const [encoding, suffix] of [['br', '.br'], ['gzip', '.gz']] as const) {
    if (!new RegExp(`\\b${encoding}\\b`).test(accepted)) continue;
    const info = statSync(file + suffix, { throwIfNoEntry: false });
    if (!info?.isFile()) continue;
    const tag = `W/"${encoding}-${info.size}-${info.mtimeMs}"`;
    if (req.headers['if-none-match'] === tag) {
      res.writeHead(304, { ETag: tag }).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': type, 'Content-Encoding': encoding, 'Content-Length': info.size, ETag: tag });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file + suffix).pipe(res);
    return;
  }
  next(); // not precompressed (small, or a client without br/gzip): Vite's static server
}

export function compressedAssets(): Plugin {
  let outDir = '';
  return {
    name: 'nnplay-compressed-assets',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      if (outDir) precompress(outDir);
    },
    configurePreviewServer(server) {
      const dir = resolve(server.config.root, server.config.build.outDir);
      // Runs before Vite's own compression and static middlewares.
      server.middlewares.use((req, res, next) => serve(dir, req, res, next));
    },
  };
}
