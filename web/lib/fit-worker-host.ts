// The worker side of the fit protocol: a host of engine sessions (SessionCore, the training half
// of TrainingSession). It keeps one session per main-thread model, loads each fit()'s data into
// it once ('begin'), trains epoch by epoch on request with the same runEpoch() as the in-process
// path, and frees the data at 'end'.
// web/lib/fit-worker.ts runs it on a worker's global scope; tests run it on a MessagePort to
// exercise the protocol without a browser.
import type { DataMessage, FromFitWorker, MessagePortLike, ToFitWorker } from './fit-worker-protocol';
import { engine, engineLoaded as engineAndPartsLoaded, isReady, needExtraPart, readyFrom } from './memory';
import { runEpoch, SessionCore, SessionError } from './training-session';
import { engineWasmUrl, setEngineGlueUrl, setExtraPartUrl, setRequestedThreads, setThreadedEngineFiles } from './wasm-loader';

interface Replica {
  session: SessionCore;
  train: number | null;
  trainRows: number;
  val: number | null;
}

/** Serves fit requests arriving on `port` until the port (or worker) goes away. */
export function serveFitWorker(port: MessagePortLike): void {
  const replicas = new Map<number, Replica>();
  // The engine loads on 'init', from the page's URL: this module must not name the wasm
  // itself (see engine-url.ts). Requests are handled strictly in order, once it has loaded.
  let engineLoaded: Promise<void> | null = null;
  let queue: Promise<void> = Promise.resolve();
  const whenLoaded = (): Promise<void> => {
    if (engineLoaded) return engineLoaded;
    // An app's own worker may have called nn.ready() itself; otherwise 'init' was skipped.
    if (isReady()) return Promise.resolve();
    return Promise.reject(new Error("nnplay fit worker: no engine: the first message must be 'init' with the wasm URL"));
  };

  const reply = (msg: FromFitWorker, transfer: Transferable[] = []) => port.postMessage(msg, transfer);

  const freeData = (r: Replica) => {
    r.session.freeDataset(r.train);
    r.session.freeDataset(r.val);
    r.train = r.val = null;
  };

  const load = (r: Replica, d: DataMessage, part: 'train' | 'val'): number => {
    try {
      return r.session.loadDataset(d, 'fit()');
    } catch (err) {
      if (err instanceof SessionError) err.part = part;
      throw err;
    }
  };

  const replicaOf = (modelId: number): Replica => {
    const r = replicas.get(modelId);
    if (!r) throw new Error(`nnplay fit worker: no model ${modelId} here (was it disposed?)`);
    return r;
  };

  const drop = (modelId: number) => {
    const r = replicas.get(modelId);
    if (!r) return;
    r.session.dispose();
    replicas.delete(modelId);
  };

  function handle(msg: ToFitWorker): void {
    switch (msg.type) {
      case 'begin': {
        if (msg.specJson !== undefined) {
          drop(msg.modelId);
          replicas.set(msg.modelId, { session: new SessionCore(engine(), msg.specJson), train: null, trainRows: 0, val: null });
        }
        const r = replicas.get(msg.modelId);
        if (!r) throw new Error(`nnplay fit worker: model ${msg.modelId} was never sent`);
        if (msg.compileJson !== undefined) r.session.compile(msg.compileJson);
        if (msg.weights) r.session.setWeights(msg.weights);
        freeData(r);
        r.train = load(r, msg.train, 'train');
        r.trainRows = msg.train.n;
        if (msg.val) r.val = load(r, msg.val, 'val');
        reply({ type: 'ok', req: msg.req });
        return;
      }
      case 'epoch': {
        const r = replicaOf(msg.modelId);
        if (r.train === null) throw new Error('nnplay fit worker: no data loaded (begin was not sent)');
        let result;
        try {
          result = runEpoch(r.session, r.train, r.trainRows, r.val, msg.options);
        } catch (err) {
          if (err instanceof SessionError && err.kind === 'diverged') err.weights = r.session.weights().values;
          throw err;
        }
        const weights = r.session.weights().values;
        reply({ type: 'epoch', req: msg.req, result, weights }, [weights.buffer]);
        return;
      }
      case 'end': {
        const r = replicas.get(msg.modelId);
        if (r) freeData(r);
        reply({ type: 'ok', req: msg.req });
        return;
      }
      case 'dispose':
        drop(msg.modelId);
        return;
    }
  }

  port.addEventListener('message', (event: MessageEvent) => {
    const msg = event.data as ToFitWorker;
    if (msg.type === 'init') {
      if (!engineLoaded) {
        // The page's thread count, unless this worker's engine is already loading (an app's own
        // worker that called nn.ready() itself keeps its own choice).
        if (msg.threads !== undefined && engineWasmUrl() === null) setRequestedThreads(msg.threads, msg.threadStartTimeoutMs);
        if (msg.threadedEngine) setThreadedEngineFiles(msg.wasmUrl, msg.threadedEngine);
        if (msg.glue) setEngineGlueUrl(msg.wasmUrl, msg.glue);
        if (msg.extraPart) setExtraPartUrl(msg.wasmUrl, msg.extraPart);
        // The engine's first part; its second only for a model that needs it ('begin' below).
        engineLoaded = readyFrom(msg.wasmUrl, false, false);
        // A failed load is reported to every request (below), not as an unhandled rejection.
        engineLoaded.catch(() => {});
      }
      return;
    }
    queue = queue
      .then(whenLoaded)
      .then(() => {
        if (msg.type !== 'begin' || !msg.needsExtraPart) return undefined;
        needExtraPart();
        return engineAndPartsLoaded();
      })
      .then(() => handle(msg))
      .catch((err: unknown) => {
        if (!('req' in msg)) return;
        const message = err instanceof Error ? err.message : String(err);
        if (err instanceof SessionError) {
          const { kind, field, tensor, index, part, weights } = err;
          reply({ type: 'error', req: msg.req, message, kind, field, tensor, index, part, weights }, weights ? [weights.buffer] : []);
        } else {
          reply({ type: 'error', req: msg.req, message });
        }
      });
  });
}
