// The shape of the wasm module built from bindings/ (Embind). This is the contract between
// bindings/nnplay_bindings.cpp and the TypeScript library; nothing outside web/lib and
// web/worker touches it. The facade is coarse: one call trains many steps or predicts a
// whole batch; data is copied into wasm memory once (a WasmDataset) and then referred to.
//
// Errors: no facade method throws. A fallible method returns a string: '' on success,
// otherwise a message saying what was wrong and what is allowed. The library turns
// non-empty strings into JS Errors.
//
// Memory: pointers are byte offsets into module.HEAPF32.buffer. Re-derive typed-array views
// from module.HEAPF32 after any call, because memory growth replaces the buffer.
// Every Embind object must be freed with .delete(); the library wraps each in one owner.

export interface EmbindObject {
  delete(): void;
  isDeleted(): boolean;
}

/** x [n, xSize] and y [n, ySize] in wasm memory. */
export interface WasmDataset extends EmbindObject {
  /** Resize to n samples; contents become zero. '' or error (n, sizes must be >= 0/ > 0). */
  allocate(n: number, xSize: number, ySize: number): string;
  size(): number;
  xSize(): number;
  ySize(): number;
  xPtr(): number; // byte offset of x
  yPtr(): number; // byte offset of y
  /** '' or an error naming the first NaN/Infinity in x or y. */
  validate(): string;
  /** Index into x of its first NaN/±Infinity, or -1 (one SIMD pass; y is not looked at). */
  firstNonFiniteX(): number;
}

export interface WasmModel extends EmbindObject {
  /** Build from a model spec JSON (see engine/nn/spec.h). Initialises weights from spec.seed. */
  build(specJson: string): string;
  /** Set optimizer, loss, metrics (compile spec JSON). Resets optimizer state. */
  compile(compileJson: string): string;
  inputSize(): number;
  outputSize(): number;
  numLayers(): number;
  /** Flattened output size of layer `layer` (units for dense, h·w·c for image layers); 0 out of range. */
  layerUnits(layer: number): number;
  /** Per-sample input shape as JSON, e.g. "[2]" or "[28,28,1]" (NHWC); "[]" before build(). */
  inputShapeJson(): string;
  /** Per-sample output shape of layer `layer` as JSON, e.g. "[26,26,8]" or "[10]"; "[]" if out of range. */
  layerShapeJson(layer: number): string;
  /** 'dense' | 'conv2d' | 'maxPooling2d' | 'flatten'; '' if out of range. */
  layerType(layer: number): string;

  /** One epoch over data. Then logsJson() holds {"loss":..,"acc":..}. */
  fitEpoch(data: WasmDataset, batchSize: number, shuffle: boolean): string;
  /** `steps` mini-batches continuing where the last call stopped (playground). */
  trainSteps(data: WasmDataset, steps: number, batchSize: number, shuffle: boolean): string;
  evaluate(data: WasmDataset, batchSize: number): string;
  /** JSON object of the last fitEpoch/trainSteps/evaluate figures, keys in order
   *  ("loss", then "acc" / "mse" as compiled); a non-finite value is written as null.
   *  "{}" before the first successful call after build/compile. */
  logsJson(): string;
  epochsDone(): number;
  stepsDone(): number;

  setLearningRate(lr: number): string;
  setRegularization(l1: number, l2: number): string;

  /** Predict on data.x (n = data.size(), may be 0; data.xSize() must equal inputSize());
   *  output [n, outputSize] at predictionPtr(). Works after build(), compile not needed.
   *  The outputs are copies owned by the model: training does not overwrite them. */
  predict(data: WasmDataset): string;
  /** predict() without the per-layer copies: only predictionPtr() is filled, and
   *  layerOutputPtr() returns 0 until the next predict(). For callers that need the output only. */
  predictOutput(data: WasmDataset): string;
  predictionPtr(): number; // 0 before the first predict
  /** Index into the last prediction of its first NaN/±Infinity, or -1 (one SIMD pass). */
  firstNonFinitePrediction(): number;
  /** Output of hidden/output layer `layer` from the last predict, [n, layerUnits(layer)] (image
   *  layers: [n, h, w, c] NHWC, i.e. the same flat rows);
   *  0 before the first predict or for a layer out of range. */
  layerOutputPtr(layer: number): number;

  /** Trainable tensors in Keras order: per dense layer kernel [in, units], bias [units]; per
   *  conv2d layer kernel [kh, kw, inChannels, filters], bias [filters]. Names "<type>_<i>/kernel"
   *  with i the 1-based index over all layers, e.g. "conv2d_1/kernel", "dense_4/bias". */
  numWeights(): number;
  weightName(i: number): string;
  weightShapeJson(i: number): string; // e.g. "[2,8]"
  weightPtr(i: number): number;
  weightSize(i: number): number;

  // ---- Graphs of several inputs / outputs (compile v2: a loss per output, lossWeights,
  // metrics per output; logs then carry "loss", "<output>_loss", "<output>_<metric>").
  // The Dataset calls above keep driving one input and one output.
  fitEpochMulti(data: WasmMultiData, batchSize: number, shuffle: boolean): string;
  trainStepsMulti(data: WasmMultiData, steps: number, batchSize: number, shuffle: boolean): string;
  evaluateMulti(data: WasmMultiData, batchSize: number): string;
  /** Every output over data's xs; output o [n, outputSize(o)] at outputPtr(o). '' or error. */
  predictMulti(data: WasmMultiData): string;
  outputPtr(output: number): number; // 0 before predictMulti or out of range
  numInputs(): number;
  numOutputs(): number;
  inputShapeAtJson(input: number): string; // "[]" out of range
  outputShapeJson(output: number): string;
  /** JSON array of the output layers' names, in output order, e.g. '["reg","cls"]'. */
  outputNamesJson(): string;
  /** The learning rate the next training step uses: the schedule's, or the constant one. */
  learningRate(): number;
}

/** One x tensor per model input and one y per output, in the model's order, each [n, size]. */
export interface WasmMultiData extends EmbindObject {
  allocateX(i: number, n: number, size: number): string; // '' or error
  allocateY(i: number, n: number, size: number): string;
  numX(): number;
  numY(): number;
  xPtr(i: number): number;
  yPtr(i: number): number;
  size(): number; // samples of x 0
}

/**
 * The TensorFlow-Playground problem: 2-D points generated by the engine from a seed,
 * split into train/test, mapped to the chosen input features, plus a grid for heatmaps.
 * Dataset names: circle xor gauss spiral (classification, labels 0/1), reg-plane reg-gauss
 * (regression, targets in [-1, 1]). Feature names: x1 x2 x1Squared x2Squared x1x2 sinX1 sinX2.
 * Domain: both coordinates in [-6, 6].
 */
export interface WasmPlayground extends EmbindObject {
  /**
   * configJson: {"dataset":"circle","numPoints":500,"noise":0..50,"trainRatio":10..90,
   *              "seed":1,"features":["x1","x2"],"gridSize":100}
   * Regenerates points, split, features and grid. '' or error.
   * Missing keys take the defaults shown (numPoints 1..1e6, seed an integer 0..2^53,
   * gridSize 2..512); unknown keys are an error. Train gets floor(n·trainRatio/100) points.
   * On error the previous data stays as it was.
   */
  configure(configJson: string): string;
  // train()/test()/grid() return raw pointers to Datasets the playground owns (Embind
  // allow_raw_pointers, no finalizer): never delete() them (that would free the playground's
  // own object). They stay valid until the playground is deleted; configure() refills the
  // same objects in place, so a handle taken earlier sees the new data.
  train(): WasmDataset; // owned by the playground: do not delete
  test(): WasmDataset;  // owned by the playground: do not delete
  grid(): WasmDataset;  // gridSize² rows of features, row-major from (x=-6,y=+6) top-left;
                        // row r has x2 = 6 - 12r/(g-1), column c has x1 = -6 + 12c/(g-1)
  /** Raw 2-D points for drawing: [n, 2] coordinates and [n] labels, train then test. */
  numTrain(): number;
  numTest(): number;
  pointsPtr(): number; // [numTrain + numTest, 2]
  labelsPtr(): number; // [numTrain + numTest]
}

/**
 * The training session (bindings' Session, engine/train/session.h): a model, its trainer and
 * datasets by id. Only web/lib/training-session.ts drives it. Unlike the classes above, a
 * fallible method returns '' or a JSON error {kind: 'invalid' | 'diverged' | 'oom', message,
 * field?, index?} (field/index: the first non-finite value of 'x', 'y' or 'weights').
 */
export interface WasmSession extends EmbindObject {
  build(specJson: string): string;
  /** build() sharing `other`'s weights for every layer name both graphs have (sub-models). */
  buildSharing(specJson: string, other: WasmSession): string;
  compile(compileJson: string): string;
  numInputs(): number;
  numOutputs(): number;
  /** Multi-input inference: n rows of input i at graphInputPtr(i, n) for every input (0 on a
   *  bad index or size), then predictGraph(n); output j at graphOutputPtr(j), [n, size j]. */
  graphInputPtr(i: number, n: number): number;
  predictGraph(n: number): string;
  graphOutputPtr(j: number): number;
  /** {inputShape, outputSize, nodes: [{name, type, shape}], weights: [{name, shape, offset,
   *  size}], weightsCount}: per-sample shapes, weights in Keras order. */
  describeJson(): string;
  /** {epochs, steps, datasets, contentScans}: contentScans counts full scans of data contents
   *  (seals, label checks); training calls add none. */
  statsJson(): string;
  /** Reserve x [n, xSize], y [n, ySize] (ySize 0: inputs only); the id is lastDatasetId(). */
  reserveDataset(n: number, xSize: number, ySize: number): string;
  lastDatasetId(): number;
  datasetXPtr(id: number): number;
  datasetYPtr(id: number): number;
  /** Validates once (finite values); on failure the dataset is freed. */
  sealDataset(id: number): string;
  freeDataset(id: number): void;
  trainSteps(id: number, steps: number, batchSize: number, shuffle: boolean): string;
  trainEpoch(id: number, batchSize: number, shuffle: boolean): string;
  evaluate(id: number, batchSize: number): string;
  logsJson(): string;
  setLearningRate(lr: number): string;
  setRegularization(l1: number, l2: number): string;
  /** nodes: indices separated by commas, e.g. '0,2'. */
  predict(id: number, nodes: string): string;
  predictOutput(id: number): string;
  /** Small batches: write n rows [n, inputSize] here (0: n out of range), then predictInput(n)
   *  checks them (invalid, field 'x', on a non-finite value) and predicts the output node. */
  inputBufferPtr(n: number): number;
  predictInput(n: number): string;
  /** Values of the j-th predicted node, [n, ...shape]; valid until the next predict. */
  predictionPtr(j: number): number;
  /** Packs the weights into the flat buffer; returns its byte offset. */
  readWeights(): number;
  weightsBufferPtr(): number;
  /** Writes the flat buffer into the model (checked first: a bad buffer changes nothing). */
  writeWeights(): string;
}

export interface NnplayModule {
  HEAPF32: Float32Array;
  HEAPU8: Uint8Array;
  Dataset: new () => WasmDataset;
  Model: new () => WasmModel;
  MultiData: new () => WasmMultiData;
  Playground: new () => WasmPlayground;
  Session: new () => WasmSession;
  /** Whether this build was compiled with -msimd128 (true) or is the scalar build. */
  simdEnabled(): boolean;
  /** Pure: a spec's (v1 or v2) layers, shapes and variables as JSON, or {"error": message}. */
  inspectModel(specJson: string): string;
  /** The engine's tables (layer types with keys, activations, ...) as JSON. */
  engineTables(): string;
  /** {"type", "config"} (defaults filled in) or {"error"} for one layer's config. */
  checkLayerConfig(type: string, configJson: string, where: string): string;
}

export type NnplayModuleFactory = (options: {
  wasmBinary?: ArrayBuffer | Uint8Array;
  locateFile?: (path: string) => string;
}) => Promise<NnplayModule>;
