// Prints bench/results/latest.json (or the file given) as a Markdown table, for READMEs:
//   node bench/table.mjs [results.json]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt } from './format.mjs';

const file = process.argv[2] || path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'latest.json');
const r = JSON.parse(fs.readFileSync(file, 'utf8'));

const cell = (s) => (s ? (s.runs > 1 ? `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})` : fmt(s.median)) : '–');

const out = [];
out.push(`Measured ${r.date.slice(0, 10)} on ${r.machine.cpu} (${r.machine.cores} cores), ${r.browser || 'no browser'}, Node ${r.node}; ` +
  `${r.repetitions} run${r.repetitions === 1 ? '' : 's'} per figure, median (min–max); CPUs ${r.machine.cpuBusyAtStart === undefined ? '?' : Math.round(100 * r.machine.cpuBusyAtStart)} % busy at start (load average ${r.machine.loadAverageAtStart.join(' / ')}).`);
if (r.baseline) out.push(`Baseline nnplay@${r.baseline.sha}: commit ${r.baseline.commit.slice(0, 12)} "${r.baseline.subject}", built from this repository's history (\`--baseline ${r.baseline.ref}\`).`);
out.push('');
out.push('| Figure | Where | Unit | Systems | Ratios (medians) | Target |');
out.push('|---|---|---|---|---|---|');
for (const f of r.figures) {
  const systems = Object.entries(f.systems).map(([k, s]) => `${k}: ${cell(s)}`).join('<br>');
  const ratios = Object.entries(f.ratios).map(([k, v]) => `${k}: ${fmt(v)}×`).join('<br>');
  const targets = f.targets.map((t) => {
    const what = t.ratio ? `${t.ratio} ${t.min !== undefined ? `≥ ${t.min}×` : `≤ ${t.max}×`}` : `${t.min !== undefined ? `≥ ${t.min}` : `≤ ${t.max}`} ${f.unit}`;
    return `${what}: ${t.met === null ? 'not measured' : t.met ? 'met' : `**missed** (${fmt(t.value)})`}`;
  }).join('<br>');
  out.push(`| ${f.name} | ${f.env} | ${f.unit} | ${systems} | ${ratios || '–'} | ${targets || '–'} |`);
}
for (const s of r.skipped || []) out.push(`| ${s.name} | – | – | ${s.reason} | – | – |`);
console.log(out.join('\n'));
