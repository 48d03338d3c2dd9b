// The issue-8 sequence workloads in Node, side by side: W9 (the seeds' LSTM classifier on MNIST
// rows: lstm(32 or 128) → dense(10, softmax), batch 64, Adam) and W10 (GRU(64) next-character
// model on the text task), on nnplay, TF.js 4.22 wasm and TF.js cpu, samples/s. Each job runs in
// a fresh child process (one realm per system, as bench/run.mjs does with workers).
//
//   npm run build && node bench/sequence-speed.mjs
//
// The workloads are bench/workloads.mjs's lstmRows and gruText, which `npm run bench` runs in
// Chromium workers too (W9/W10); this script adds TF.js's wasm backend in Node, which the
// harness's Node side does not have. Not a test. Prints a Markdown table.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildMnist, buildText, parseMnist, parseText } from './data.mjs';
import { workloads } from './workloads.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function loadData(workload) {
  if (workload === 'lstmRows') {
    const bytes = fs.readFileSync(await buildMnist(root, path.join(root, 'build', 'bench-data', 'mnist.bin')));
    return parseMnist(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  }
  // nn.datasets.text()'s corpus as ids (from build/data, made by npm run build).
  const bytes = fs.readFileSync(await buildText(root, path.join(root, 'build', 'bench-data', 'text.bin')));
  return { text: parseText(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) };
}

async function runOne(system, workload, opts) {
  let lib;
  if (system === 'nnplay') {
    lib = await import('nnplay');
    await lib.ready();
  } else {
    lib = await import('@tensorflow/tfjs');
    if (system === 'tfjs-wasm') await import('@tensorflow/tfjs-backend-wasm');
    await lib.setBackend(system === 'tfjs-wasm' ? 'wasm' : 'cpu');
    await lib.ready();
  }
  return workloads[workload]({ name: system, lib }, await loadData(workload), opts);
}

if (process.argv[2] === '--job') {
  const [system, workload, json] = process.argv.slice(3);
  const r = await runOne(system, workload, JSON.parse(json));
  process.stdout.write(`\n${JSON.stringify(r)}\n`);
} else {
  // TF.js trains these at tens to hundreds of samples/s: fewer samples for it (samples/s of an
  // epoch does not depend on how many there are, beyond the first batches).
  const jobs = [
    ['W9 lstm(32) MNIST rows', 'lstmRows', { units: 32 }, { nnplay: 8000, 'tfjs-wasm': 1000, 'tfjs-cpu': 500 }],
    ['W9 lstm(128) MNIST rows', 'lstmRows', { units: 128 }, { nnplay: 8000, 'tfjs-wasm': 500, 'tfjs-cpu': 200 }],
    ['W10 gru(64) next character', 'gruText', {}, { nnplay: 8000, 'tfjs-wasm': 500, 'tfjs-cpu': 300 }],
  ];
  const systems = ['nnplay', 'tfjs-wasm', 'tfjs-cpu'];
  console.log(`Node ${process.version}, ${os.cpus()[0]?.model ?? 'CPU'} x ${os.cpus().length}, load average at start ${os.loadavg()[0].toFixed(1)}\n`);
  console.log('| Workload (Node) | nnplay | TF.js wasm | TF.js cpu | nnplay ÷ wasm | nnplay ÷ cpu |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const [label, workload, opts, samples] of jobs) {
    const rate = {};
    for (const s of systems) {
      const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--job', s, workload, JSON.stringify({ ...opts, trainSamples: samples[s] })], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] });
      rate[s] = JSON.parse(out.toString().trim().split('\n').pop()).samplesPerSec;
    }
    const f = (v) => Math.round(v).toLocaleString('en');
    console.log(`| ${label}: samples/s | ${f(rate.nnplay)} | ${f(rate['tfjs-wasm'])} | ${f(rate['tfjs-cpu'])} | ${(rate.nnplay / rate['tfjs-wasm']).toFixed(1)}× | ${Math.round(rate.nnplay / rate['tfjs-cpu'])}× |`);
  }
}
