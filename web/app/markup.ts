// The playground's markup, created inside each app's root. Every id is the app's prefix plus
// a fixed name (written "@name" below), so two playgrounds on one page never share an id and
// the labels and aria-labelledby links inside each one point at its own elements. The app
// finds its parts by id within its own root, never through document.getElementById.

/** The part names: each element's id is `prefix + name`. */
export const PART_NAMES = [
  'reset-button', 'play-button', 'step-button', 'epoch', 'learning-rate', 'activation', 'regularization',
  'regularization-rate', 'problem', 'speed', 'message', 'message-text', 'message-close', 'data-title',
  'datasets', 'ratio-value', 'ratio', 'noise-value', 'noise', 'batch-size-value', 'batch-size', 'regenerate',
  'network-title', 'network', 'output-title', 'export-button', 'code-button', 'import-button', 'import-file', 'test-loss',
  'train-loss', 'chart', 'heatmap', 'points', 'inspect-label', 'legend-low', 'legend-high', 'show-test',
  'discretize', 'engine-info', 'announcer', 'chart-summary', 'network-scroll',
] as const;
export type PartName = (typeof PART_NAMES)[number];

/** What an id prefix may be: empty, or a letter then letters, digits, '-' and '_'. */
export const ID_PREFIX = /^(?:[A-Za-z][\w-]*)?$/;

const MARKUP = `
<header class="top-bar">
  <div class="brand">nn<span>play</span></div>
  <div class="player">
    <button type="button" id="@reset-button" class="icon" data-control="resetButton" aria-label="Reset" title="Reset the network (new weights, epoch 0)">
      <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 5V2L7 6l5 4V7a5 5 0 1 1-5 5H5a7 7 0 1 0 7-7z" /></svg>
    </button>
    <button type="button" id="@play-button" class="icon play" data-control="playButton" aria-label="Play" title="Play (Space)">
      <svg class="when-paused" viewBox="0 0 24 24" aria-hidden="true"><path d="M8 5v14l11-7z" /></svg>
      <svg class="when-playing" viewBox="0 0 24 24" aria-hidden="true"><path d="M6 5h4v14H6zm8 0h4v14h-4z" /></svg>
    </button>
    <button type="button" id="@step-button" class="icon" data-control="stepButton" aria-label="Step" title="Train one epoch">
      <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6 5v14l9-7zM16 5h2v14h-2z" /></svg>
    </button>
  </div>
  <div class="figure">
    <span class="caption">Epoch</span>
    <output id="@epoch" aria-live="off">0</output>
  </div>
  <div class="settings" role="group" aria-label="Settings">
  <label class="field" data-control="learningRate">
    <span class="caption">Learning rate</span>
    <select id="@learning-rate"></select>
  </label>
  <label class="field" data-control="activation">
    <span class="caption">Activation</span>
    <select id="@activation"></select>
  </label>
  <label class="field" data-control="regularization">
    <span class="caption">Regularization</span>
    <select id="@regularization">
      <option value="none">None</option>
      <option value="L1">L1</option>
      <option value="L2">L2</option>
    </select>
  </label>
  <label class="field" data-control="regularizationRate">
    <span class="caption">Regularization rate</span>
    <select id="@regularization-rate"></select>
  </label>
  <label class="field" data-control="problem">
    <span class="caption">Problem type</span>
    <select id="@problem">
      <option value="classification">Classification</option>
      <option value="regression">Regression</option>
    </select>
  </label>
  <label class="field" data-control="speed">
    <span class="caption">Speed</span>
    <select id="@speed"></select>
  </label>
  </div>
</header>

<div id="@message" class="message" role="alert" hidden>
  <span id="@message-text"></span>
  <button type="button" id="@message-close" aria-label="Dismiss message">×</button>
</div>

<div class="playground-columns">
  <section class="column data-column" aria-labelledby="@data-title">
    <h2 id="@data-title">Data</h2>
    <div data-control="dataset">
      <p class="hint">Which dataset do you want to use?</p>
      <div id="@datasets" class="datasets" role="group" aria-label="Dataset"></div>
    </div>
    <div class="slider" data-control="ratio">
      <span><label for="@ratio">Ratio of training to test data</label>: <output id="@ratio-value" for="@ratio" aria-live="off"></output>%</span>
      <input id="@ratio" type="range" />
    </div>
    <div class="slider" data-control="noise">
      <span><label for="@noise">Noise</label>: <output id="@noise-value" for="@noise" aria-live="off"></output></span>
      <input id="@noise" type="range" />
    </div>
    <div class="slider" data-control="batchSize">
      <span><label for="@batch-size">Batch size</label>: <output id="@batch-size-value" for="@batch-size" aria-live="off"></output></span>
      <input id="@batch-size" type="range" />
    </div>
    <button type="button" id="@regenerate" class="text-button" data-control="regenerate">Regenerate</button>
  </section>

  <section class="column network-column" aria-labelledby="@network-title">
    <h2 id="@network-title">Network</h2>
    <p class="hint"><span class="when-mouse">Click a feature to feed it in; hover or focus a neuron to see its output, a link to see its weight; click a link, or press Enter on a neuron, to edit weights.</span><span class="when-touch">Tap a feature to feed it in; tap a neuron to see its output, a link to see and edit its weight.</span></p>
    <div id="@network-scroll" class="network-scroll"><div id="@network"></div></div>
  </section>

  <section class="column output-column" aria-labelledby="@output-title">
    <h2 id="@output-title">Output</h2>
    <div class="losses">
      <div>Test loss <output id="@test-loss" aria-live="off">–</output></div>
      <div>Training loss <output id="@train-loss" aria-live="off">–</output></div>
    </div>
    <div class="plot-frame">
      <div class="plot">
        <canvas id="@heatmap" class="heatmap" width="100" height="100" role="img" aria-label="Heatmap of the model's output over the input square; no model yet"></canvas>
        <canvas id="@points" width="600" height="600" aria-hidden="true"></canvas>
      </div>
      <div class="axis-x" aria-hidden="true"><span>-6</span><span>0</span><span>6</span></div>
      <div class="axis-y" aria-hidden="true"><span>6</span><span>0</span><span>-6</span></div>
    </div>
    <p id="@inspect-label" class="hint"></p>
    <div class="legend" aria-hidden="true"><span id="@legend-low">-1</span><div class="gradient"></div><span id="@legend-high">1</span></div>
    <div class="checks">
      <label class="check" data-control="showTestData"><input type="checkbox" id="@show-test" /> Show test data</label>
      <label class="check" data-control="discretize"><input type="checkbox" id="@discretize" /> Discretize output</label>
    </div>
    <div id="@chart" class="chart" data-control="chart"><p id="@chart-summary" class="sr-only">Loss chart: no epochs yet.</p></div>
    <div class="files">
      <button type="button" id="@export-button" class="text-button" data-control="exportButton" title="Download the setup and the trained weights as a JSON file">Export model</button>
      <button type="button" id="@code-button" class="text-button" data-control="exportButton" title="Show the trained model as Keras, PyTorch or TF.js code, with its weights">Export code</button>
      <button type="button" id="@import-button" class="text-button" data-control="importButton" title="Load a file made with Export model (or drop it onto the playground)">Import model</button>
      <input type="file" id="@import-file" accept=".json,application/json" hidden />
    </div>
    <p id="@engine-info" class="hint"></p>
    <p id="@announcer" class="sr-only" role="status" aria-live="polite"></p>
  </section>
</div>
`;

/** The playground's elements for `prefix` (checked against ID_PREFIX by the caller). */
export function createMarkup(doc: Document, prefix: string): DocumentFragment {
  const template = doc.createElement('template');
  template.innerHTML = MARKUP.replace(/"@([a-z-]+)"/g, (_, name: string) => `"${prefix}${name}"`);
  return template.content;
}
