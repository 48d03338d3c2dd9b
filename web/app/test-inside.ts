// The browser tests' page for InsideView (images/inside-view.ts): the Keras MNIST CNN built
// with the library in this page, snapshots of one image read the way the Images page's worker
// reads them (TrainingSession.predict over every node, the first conv kernel from weights()),
// and a few training steps between snapshots so the values change as they do while training.
// The image and the training data are drawn strokes, not MNIST: the widget only draws values.
// Reached by the tests through window.nnplayInside.
import * as nn from 'nnplay';
import { InsideView } from './images/inside-view';
import type { InsideSnapshot } from './images/inside-view';

const SIDE = 28;
const CLASS_NAMES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** A 28×28 image in 0..1 with a few thick strokes: class c draws stroke set c. */
function strokes(c: number, jitter: number): Float32Array {
  const img = new Float32Array(SIDE * SIDE);
  const ink = (x: number, y: number) => {
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const px = Math.round(x + dx + jitter);
        const py = Math.round(y + dy);
        if (px >= 0 && px < SIDE && py >= 0 && py < SIDE) img[py * SIDE + px] = Math.max(img[py * SIDE + px], dx === 0 && dy === 0 ? 1 : 0.6);
      }
    }
  };
  for (let t = 0; t <= 1; t += 0.02) {
    const angle = (c / 10) * Math.PI;
    ink(14 + Math.cos(angle) * (t - 0.5) * 18, 14 + Math.sin(angle) * (t - 0.5) * 18);
    if (c % 2 === 1) ink(8 + t * 12, 6);
  }
  return img;
}

async function start() {
  await nn.ready();
  const model = nn.sequential({
    layers: [
      nn.layers.conv2d({ inputShape: [SIDE, SIDE, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
      nn.layers.maxPooling2d({ poolSize: 2 }),
      nn.layers.flatten(),
      nn.layers.dense({ units: 128, activation: 'relu' }),
      nn.layers.dense({ units: 10, activation: 'softmax' }),
    ],
    seed: 7,
  });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const session = model.trainingSession();

  const image = strokes(7, 0);
  const imageId = session.loadDataset({ x: image, y: null, n: 1, xSize: SIDE * SIDE, ySize: 0 });
  const n = 200;
  const xs = new Float32Array(n * SIDE * SIDE);
  const ys = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    ys[i] = i % 10;
    xs.set(strokes(i % 10, (i % 5) - 2), i * SIDE * SIDE);
  }
  const trainId = session.loadDataset({ x: xs, y: ys, n, xSize: SIDE * SIDE, ySize: 1 });

  const names = session.nodes.map((node) => node.name);
  const firstConv = session.nodes.find((node) => node.type === 'conv2d');
  const kernelName = firstConv ? `${firstConv.name}/kernel` : null;

  /** What the Images page's worker sends: every node on the chosen image, the first kernel. */
  function snapshot(): InsideSnapshot {
    const nodes = session.predict(imageId, names);
    let firstConvKernel: InsideSnapshot['firstConvKernel'] = null;
    if (kernelName) {
      const { table, values } = session.weights();
      const entry = table.find((e) => e.name === kernelName);
      if (entry) firstConvKernel = { shape: entry.shape, values: values.slice(entry.offset, entry.offset + entry.size) };
    }
    return { image, classNames: CLASS_NAMES, nodes, firstConvKernel };
  }

  const view = new InsideView(document.getElementById('inside')!);
  view.update(snapshot());

  /** update() time over `count` snapshots, one per animation frame (as a page would). */
  async function measure(count: number) {
    const times: number[] = [];
    const longTasks: number[] = [];
    const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration)));
    observer.observe({ type: 'longtask' });
    const s = snapshot();
    for (let i = 0; i < count; i++) {
      await new Promise(requestAnimationFrame);
      const t0 = performance.now();
      view.update(s);
      times.push(performance.now() - t0);
    }
    await new Promise(requestAnimationFrame);
    observer.disconnect();
    times.sort((a, b) => a - b);
    return { count, median: times[count >> 1], max: times[count - 1], longTasks };
  }

  return {
    view,
    snapshot,
    update: () => view.update(snapshot()),
    train: (steps: number) => session.trainSteps(trainId, steps, 20, true),
    measure,
    /** A first update into a fresh view (the DOM build), in ms. */
    buildTime() {
      const host = document.createElement('div');
      document.body.append(host);
      const fresh = new InsideView(host);
      const s = snapshot();
      const t0 = performance.now();
      fresh.update(s);
      const ms = performance.now() - t0;
      fresh.dispose();
      host.remove();
      return ms;
    },
    predictTime() {
      const t0 = performance.now();
      snapshot();
      return performance.now() - t0;
    },
  };
}

(window as unknown as { nnplayInside?: unknown }).nnplayInside = start();
