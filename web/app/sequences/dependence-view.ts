// The input-step dependence strip: one bar per input step, its height how strongly that step
// moves the model's last output (the engine's input gradient, summed |·| over the step's
// features; worker/sequences-protocol.ts Dependence). Bars share one scale per strip (the
// largest bar fills the height), so a strip shows where the model looks, and its caption gives
// the largest value so two strips can be compared in size too. Drawing only.

const HEIGHT = 48;

export function drawDependence(canvas: HTMLCanvasElement, magnitudes: Float32Array, color: string, label: string): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const steps = magnitudes.length;
  const width = canvas.width;
  canvas.height = HEIGHT;
  ctx.clearRect(0, 0, width, HEIGHT);
  let max = 0;
  for (const m of magnitudes) if (Number.isFinite(m) && m > max) max = m;
  const top = 14;
  const barW = (width - 8) / Math.max(1, steps);
  ctx.fillStyle = color;
  for (let t = 0; t < steps; t++) {
    const m = magnitudes[t];
    if (!(max > 0) || !Number.isFinite(m)) continue;
    // At least one pixel for any non-zero bar: a step that matters a little still shows.
    const h = m > 0 ? Math.max(1, (m / max) * (HEIGHT - top - 1)) : 0;
    ctx.fillRect(4 + t * barW, HEIGHT - 1 - h, Math.max(1, barW - (barW > 3 ? 1 : 0)), h);
  }
  const ink = getComputedStyle(canvas).color || '#333';
  ctx.fillStyle = ink;
  ctx.font = '11px sans-serif';
  ctx.textBaseline = 'top';
  ctx.fillText(`${label} · largest ${formatMagnitude(max)}`, 4, 1);
  canvas.setAttribute('aria-label', `${label}: input-step dependence, largest ${formatMagnitude(max)} at step ${argmax(magnitudes)}`);
}

function argmax(v: Float32Array): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
  return best;
}

function formatMagnitude(v: number): string {
  return v === 0 ? '0' : v >= 0.01 && v < 1000 ? v.toPrecision(3) : v.toExponential(2);
}
