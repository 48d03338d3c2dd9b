// What `npm start` serves (vite preview over dist/app with web/app/serve-plugin.ts): the wasm
// and the scripts brotli- or gzip-compressed (precompressed at build), byte-identical once
// decoded; hashed files cached for a year as immutable, index.html revalidated (no-cache).
// Prints the wasm's size over the wire, before (identity) and after.
//
// Needs the built page: `npx vite build -c web/app/vite.config.ts` (which needs build/wasm).
import { readFileSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { preview } from 'vite';
import type { PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distApp, repo } from './fixture';

let server: PreviewServer;
let base = '';

beforeAll(async () => {
  server = await preview({ configFile: `${repo}web/app/vite.config.ts`, logLevel: 'silent', preview: { port: 0, host: '127.0.0.1', open: false } });
  const { port } = server.httpServer.address() as AddressInfo;
  base = `http://127.0.0.1:${port}/`;
});
afterAll(async () => {
  await server?.close();
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET without automatic decoding: the bytes as sent over the wire. */
function get(path: string, acceptEncoding: string): Promise<Reply> {
  return new Promise((ok, fail) => {
    const req = request(`${base}${path}`, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', fail);
    req.end();
  });
}

const wasmName = () => {
  // The single-threaded engine's, which every page fetches (not nnplay-threads-*.wasm).
  const name = readdirSync(`${distApp}/assets`).find((f) => f.endsWith('.wasm') && !f.startsWith('nnplay-threads'));
  if (!name) throw new Error('no .wasm in dist/app/assets');
  return name;
};

describe('npm start (vite preview) serving', () => {
  it('sends the wasm brotli- or gzip-compressed with an immutable year-long cache', async () => {
    const name = wasmName();
    const raw = readFileSync(`${distApp}/assets/${name}`);
    const identity = await get(`assets/${name}`, 'identity');
    expect(identity.status).toBe(200);
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.body.equals(raw)).toBe(true);

    const br = await get(`assets/${name}`, 'gzip, deflate, br');
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toBe('application/wasm');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers.vary).toMatch(/Accept-Encoding/i);
    expect(brotliDecompressSync(br.body).equals(raw)).toBe(true);

    const gz = await get(`assets/${name}`, 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(raw)).toBe(true);

    expect(br.body.length).toBeLessThan(raw.length * 0.5);
    console.log(`wasm over the wire: ${raw.length} bytes uncompressed, ${gz.body.length} gzip, ${br.body.length} brotli`);
  });

  it('compresses the scripts too, and revalidates index.html on every load', async () => {
    const html = await get('', 'br');
    expect(html.status).toBe(200);
    expect(html.headers['cache-control']).toBe('no-cache');
    const text = brotliDecompressSync(html.body).toString('utf8');
    const script = /<script type="module"[^>]*src="\.\/(assets\/[^"]+\.js)"/.exec(text)?.[1]; // one of the page's scripts
    expect(script).toBeTruthy();
    const js = await get(script!, 'br');
    expect(js.headers['content-encoding']).toBe('br');
    expect(js.headers['cache-control']).toContain('immutable');
    expect(brotliDecompressSync(js.body).equals(readFileSync(`${distApp}/${script}`))).toBe(true);
  });
});
