// The Sequences mode's markup, created inside each app's root. Every id is the app's prefix plus
// a fixed name (written "@name" below), as in the other modes. `data-control` names what a
// `<control>_hide=true` option hides.

export const SEQUENCES_PART_NAMES = [
  'train-button', 'reset-button', 'epoch', 'epoch-progress', 'epoch-time', 'task', 'cell', 'units', 'layers',
  'bidirectional', 'optimizer', 'learning-rate', 'batch-size', 'epochs', 'message', 'message-text', 'message-close',
  'data-status', 'data-progress', 'model-summary', 'train-loss', 'test-loss', 'train-accuracy', 'test-accuracy',
  'accuracy-figures', 'loss-chart', 'accuracy-chart', 'sample', 'sample-note', 'input-plot', 'input-text', 'hidden-state',
  'hidden-tooltip', 'hidden-readout', 'prediction-plot', 'prediction-text', 'generate', 'temperature', 'temperature-value',
  'text-layer', 'text-unit', 'generate-button', 'generated-text', 'engine-info', 'announcer', 'dependence-plot',
  'compare-toggle', 'compare',
] as const;
export type SequencesPartName = (typeof SEQUENCES_PART_NAMES)[number];

const MARKUP = `
<header class="top-bar">
  <div class="brand">nn<span>play</span> <small>sequences</small></div>
  <div class="player">
    <button type="button" id="@reset-button" class="icon" data-control="resetButton" aria-label="Reset" title="Fresh weights, epoch 0">
      <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 5V2L7 6l5 4V7a5 5 0 1 1-5 5H5a7 7 0 1 0 7-7z" /></svg>
    </button>
    <button type="button" id="@train-button" class="icon play" data-control="trainButton" aria-label="Train" title="Train">
      <svg class="when-paused" viewBox="0 0 24 24" aria-hidden="true"><path d="M8 5v14l11-7z" /></svg>
      <svg class="when-playing" viewBox="0 0 24 24" aria-hidden="true"><path d="M6 5h4v14H6zm8 0h4v14h-4z" /></svg>
    </button>
  </div>
  <div class="figure">
    <span class="caption">Epoch</span>
    <output id="@epoch" aria-live="off">0</output>
    <progress id="@epoch-progress" max="1" value="0" aria-label="Progress of the current epoch"></progress>
    <span id="@epoch-time" class="caption"></span>
  </div>
  <div class="settings" role="group" aria-label="Settings">
  <label class="field" data-control="task"><span class="caption">Task</span><select id="@task"></select></label>
  <label class="field" data-control="cell"><span class="caption">Cell</span><select id="@cell"></select></label>
  <label class="field" data-control="units"><span class="caption">Units</span><input id="@units" type="number" min="1" max="256" step="1" /></label>
  <label class="field" data-control="layers"><span class="caption">Layers</span><select id="@layers"><option>1</option><option>2</option><option>3</option></select></label>
  <label class="field check" data-control="bidirectional"><input id="@bidirectional" type="checkbox" /> <span class="caption">Bidirectional</span></label>
  <label class="field" data-control="optimizer"><span class="caption">Optimizer</span><select id="@optimizer"></select></label>
  <label class="field" data-control="learningRate"><span class="caption">Learning rate</span><input id="@learning-rate" type="number" min="0.000001" max="10" step="any" /></label>
  <label class="field" data-control="batchSize"><span class="caption">Batch size</span><input id="@batch-size" type="number" min="1" max="1024" step="1" /></label>
  <label class="field" data-control="epochs"><span class="caption">Epochs</span><input id="@epochs" type="number" min="1" max="200" step="1" /></label>
  <label class="field check" data-control="compareToggle" title="Train SimpleRNN, LSTM and GRU side by side"><input id="@compare-toggle" type="checkbox" /> <span class="caption">Compare cells</span></label>
  </div>
</header>

<div id="@message" class="message" role="alert" hidden>
  <span id="@message-text"></span>
  <button type="button" id="@message-close" aria-label="Dismiss message">×</button>
</div>
<div class="data-status"><span id="@data-status">Loading the engine…</span> <progress id="@data-progress" max="1" value="0" aria-label="Dataset download" hidden></progress></div>

<div class="sequences-columns">
  <section class="panel training-panel" aria-label="Training" data-control="charts">
    <h2>Training <span id="@model-summary" class="caption"></span></h2>
    <div class="figures">
      <div>Train loss <output id="@train-loss" aria-live="off">–</output></div>
      <div>Test loss <output id="@test-loss" aria-live="off">–</output></div>
      <div id="@accuracy-figures">Train accuracy <output id="@train-accuracy" aria-live="off">–</output> · Test accuracy <output id="@test-accuracy" aria-live="off">–</output></div>
    </div>
    <div id="@loss-chart" class="chart"></div>
    <div id="@accuracy-chart" class="chart"></div>
  </section>

  <section class="panel unrolled-panel" aria-label="The network unrolled over time" data-control="unrolled">
    <h2>Unrolled over time <span class="caption">one test sample, every step, live while training</span></h2>
    <div class="sample-row">
      <label><span class="caption">Test sample</span> <input id="@sample" type="number" min="0" step="1" value="0" /></label>
      <span id="@sample-note" class="hint"></span>
    </div>
    <h3>Input</h3>
    <canvas id="@input-plot" class="seq-plot" width="640" height="90" role="img" aria-label="The input sequence"></canvas>
    <pre id="@input-text" class="seq-text" hidden></pre>
    <canvas id="@dependence-plot" class="seq-plot" width="640" height="48" role="img" aria-label="How strongly each input step moves the last output"></canvas>
    <h3>State per step <span class="caption">rows: units, columns: steps; hover, or focus and use the arrow keys</span></h3>
    <div class="heatmap-wrap">
      <canvas id="@hidden-state" class="seq-heatmap" width="1" height="1" role="img" aria-label="Hidden state per step: a heatmap per state of each recurrent layer" aria-describedby="@hidden-readout"></canvas>
      <div id="@hidden-tooltip" class="seq-tooltip" hidden></div>
    </div>
    <p id="@hidden-readout" class="hint" aria-live="polite"></p>
    <h3>Prediction</h3>
    <canvas id="@prediction-plot" class="seq-plot" width="640" height="120" role="img" aria-label="The prediction per step over the true values"></canvas>
    <pre id="@prediction-text" class="seq-text"></pre>
  </section>

  <section id="@compare" class="panel compare-panel" aria-label="Compare cells" hidden></section>

  <section id="@generate" class="panel generate-panel" aria-label="Generated text" data-control="generate" hidden>
    <h2>Generated text <span class="caption">each character coloured by one hidden unit's value after reading it</span></h2>
    <div class="sample-row">
      <label><span class="caption">Temperature</span> <input id="@temperature" type="range" min="0.1" max="2" step="0.1" value="0.8" /> <output id="@temperature-value">0.8</output></label>
      <label><span class="caption">Layer</span> <select id="@text-layer"></select></label>
      <label><span class="caption">Unit</span> <input id="@text-unit" type="number" min="0" step="1" value="0" /></label>
      <button type="button" id="@generate-button" class="text-button">Generate</button>
    </div>
    <pre id="@generated-text" class="seq-text generated"></pre>
  </section>
</div>
<p id="@engine-info" class="hint engine-info"></p>
<p id="@announcer" class="sr-only" role="status" aria-live="polite"></p>
`;

export function createSequencesMarkup(doc: Document, prefix: string): DocumentFragment {
  const template = doc.createElement('template');
  template.innerHTML = MARKUP.replace(/"@([a-z-]+)"/g, (_, name: string) => `"${prefix}${name}"`);
  return template.content;
}
