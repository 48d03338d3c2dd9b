// The Images mode's markup, created inside each app's root. Every id is the app's prefix plus a
// fixed name (written "@name" below), as in the 2-D playground (markup.ts), so two apps on one
// page never share an id. `data-control` names what a `<control>_hide=true` option hides.

export const IMAGES_PART_NAMES = [
  'train-button', 'reset-button', 'step-button', 'epoch', 'epoch-progress', 'epoch-time', 'dataset', 'preset', 'optimizer',
  'learning-rate', 'batch-size', 'epochs', 'message', 'message-text', 'message-close', 'data-status',
  'data-progress', 'layers', 'add-type', 'add-layer', 'total-params', 'stack-error', 'train-loss', 'test-loss',
  'train-accuracy', 'test-accuracy', 'loss-chart', 'accuracy-chart', 'confusion-matrix', 'class-accuracy',
  'grid-filter', 'grid-note', 'test-grid', 'chosen', 'chosen-title', 'chosen-probabilities', 'draw', 'draw-clear',
  'draw-prediction', 'draw-probabilities', 'inside', 'inside-view', 'engine-info', 'announcer', 'charts-summary',
  'evaluation-summary',
] as const;
export type ImagesPartName = (typeof IMAGES_PART_NAMES)[number];

const MARKUP = `
<header class="top-bar">
  <div class="brand">nn<span>play</span> <small>images</small></div>
  <div class="player">
    <button type="button" id="@reset-button" class="icon" data-control="resetButton" aria-label="Reset" title="Fresh weights, epoch 0">
      <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 5V2L7 6l5 4V7a5 5 0 1 1-5 5H5a7 7 0 1 0 7-7z" /></svg>
    </button>
    <button type="button" id="@train-button" class="icon play" data-control="trainButton" aria-label="Train" title="Train">
      <svg class="when-paused" viewBox="0 0 24 24" aria-hidden="true"><path d="M8 5v14l11-7z" /></svg>
      <svg class="when-playing" viewBox="0 0 24 24" aria-hidden="true"><path d="M6 5h4v14H6zm8 0h4v14h-4z" /></svg>
    </button>
    <button type="button" id="@step-button" class="icon" data-control="stepButton" aria-label="Step" title="Train to the end of the next epoch, then pause">
      <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6 5v14l9-7zM16 5h2v14h-2z" /></svg>
    </button>
  </div>
  <div class="figure">
    <span class="caption">Epoch</span>
    <output id="@epoch" aria-live="off">0</output>
    <progress id="@epoch-progress" max="1" value="0" aria-label="Progress of the current epoch"></progress>
    <span id="@epoch-time" class="caption"></span>
  </div>
  <div class="settings" role="group" aria-label="Settings">
  <label class="field" data-control="dataset"><span class="caption">Dataset</span><select id="@dataset"></select></label>
  <label class="field" data-control="preset"><span class="caption">Preset</span><select id="@preset"></select></label>
  <label class="field" data-control="optimizer"><span class="caption">Optimizer</span><select id="@optimizer"></select></label>
  <label class="field" data-control="learningRate"><span class="caption">Learning rate</span><input id="@learning-rate" type="number" min="0.00001" max="10" step="any" /></label>
  <label class="field" data-control="batchSize"><span class="caption">Batch size</span><input id="@batch-size" type="number" min="1" max="1024" step="1" /></label>
  <label class="field" data-control="epochs"><span class="caption">Epochs</span><input id="@epochs" type="number" min="1" max="100" step="1" /></label>
  </div>
</header>

<div id="@message" class="message" role="alert" hidden>
  <span id="@message-text"></span>
  <button type="button" id="@message-close" aria-label="Dismiss message">×</button>
</div>
<div class="data-status"><span id="@data-status">Loading the engine…</span> <progress id="@data-progress" max="1" value="0" aria-label="Dataset download" hidden></progress></div>

<div class="images-columns">
  <section class="panel model-panel" aria-label="Model" data-control="layers">
    <h2>Model <span class="caption">input [28, 28, 1] · <span id="@total-params"></span></span></h2>
    <ol id="@layers" class="layer-stack"></ol>
    <p id="@stack-error" class="stack-error" role="alert" hidden></p>
    <div class="add-row">
      <label><span class="caption">New layer</span><select id="@add-type"></select></label>
      <button type="button" id="@add-layer" class="text-button">Add layer</button>
    </div>
    <p class="hint">A new layer goes before the output layer. Move a layer with its arrows or Alt+↑/↓, remove it with × or Delete. Shapes and parameter counts are the engine's.</p>
  </section>

  <section class="panel training-panel" aria-label="Training" data-control="charts">
    <h2>Training</h2>
    <div class="figures">
      <div>Train loss <output id="@train-loss" aria-live="off">–</output></div>
      <div>Test loss <output id="@test-loss" aria-live="off">–</output></div>
      <div>Train accuracy <output id="@train-accuracy" aria-live="off">–</output></div>
      <div>Test accuracy <output id="@test-accuracy" aria-live="off">–</output></div>
    </div>
    <p id="@charts-summary" class="sr-only">Loss and accuracy charts: no epochs yet.</p>
    <div id="@loss-chart" class="chart"></div>
    <div id="@accuracy-chart" class="chart"></div>
  </section>

  <section class="panel draw-panel" aria-label="Draw a digit" data-control="draw">
    <h2>Draw</h2>
    <canvas id="@draw" width="140" height="140" role="img" aria-label="Drawing area: draw a digit with mouse, pen or finger" aria-describedby="@draw-prediction"></canvas>
    <div class="draw-row">
      <div>Prediction <output id="@draw-prediction" aria-live="off">–</output></div>
      <button type="button" id="@draw-clear" class="text-button">Clear</button>
    </div>
    <div id="@draw-probabilities" class="bars"></div>
  </section>

  <section class="panel evaluation-panel" aria-label="Evaluation" data-control="evaluation">
    <h2>Evaluation <span class="caption">test set, after each epoch</span></h2>
    <p id="@evaluation-summary" class="sr-only">No evaluation yet.</p>
    <p class="hint">Train an epoch to see the confusion matrix, the accuracy per class and every test image's prediction.</p>
    <div class="matrix-scroll">
      <table id="@confusion-matrix" class="confusion" hidden><caption>Confusion matrix: rows true class, columns predicted. Choose a cell to see its images.</caption></table>
    </div>
    <div id="@class-accuracy" class="bars"></div>
    <div class="grid-head">
      <label><span class="caption">Test images</span><select id="@grid-filter"></select></label>
      <span id="@grid-note" class="hint"></span>
    </div>
    <div id="@test-grid" class="test-grid"></div>
    <div id="@chosen" class="chosen" hidden>
      <h3 id="@chosen-title"></h3>
      <div id="@chosen-probabilities" class="bars"></div>
    </div>
  </section>

  <section id="@inside" class="panel inside-panel" aria-label="Inside the network" data-control="inside">
    <h2>Inside the network <span class="caption">the chosen test image or your drawing, live while training</span></h2>
    <div id="@inside-view"></div>
  </section>
</div>
<p id="@engine-info" class="hint engine-info"></p>
<p id="@announcer" class="sr-only" role="status" aria-live="polite"></p>
`;

export function createImagesMarkup(doc: Document, prefix: string): DocumentFragment {
  const template = doc.createElement('template');
  template.innerHTML = MARKUP.replace(/"@([a-z-]+)"/g, (_, name: string) => `"${prefix}${name}"`);
  return template.content;
}
