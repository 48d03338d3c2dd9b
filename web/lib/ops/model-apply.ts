// model.apply(tensors) and, inside nn.grad / variableGrads / optimizer.minimize, its tape entry:
// the forward runs in the engine as one call, recorded as one op whose inputs are the model's
// input tensors and whose refs are its trainable weights (ops/model-weights.ts). Its backward
// hands the upstream gradients of the outputs to the engine's vector-Jacobian product
// (TrainingSession.vectorJacobian), which returns the gradients of the inputs and of every
// weight. The engine uses the apply's forward when it is still the model's last one, and
// otherwise retraces it (the same pass number, so the same dropout masks).
//
// Why the input values are kept: between apply() and the backward pass the function may run
// the model again (an encoder applied twice, a predict in between), which overwrites the
// engine's caches; a retrace from the kept values is always this call's forward.
import { Tensor } from '../tensor';
import type { TrainingSession } from '../training-session';
import type { ModelWeight } from './model-weights';
import { record, recording } from './tape';
import { fail } from './util';

export interface ApplyCall {
  /** How messages name the call: 'apply()' or 'predict()'. */
  where: string;
  session: TrainingSession;
  /** One per model input, checked by the caller: [n, ...inputShape(i)], finite. */
  inputs: Tensor[];
  n: number;
  /** Per-sample shape of every output. */
  outputShapes: number[][];
  training: boolean;
  /** The trainable weights (asked for only while a gradient is being recorded), each with its
   *  index in the session's weights table. */
  weights: () => { variable: ModelWeight; index: number }[];
}

// Pass numbers of training-mode applies, per session: the same program gives the same masks.
const passes = new WeakMap<TrainingSession, number>();

function nextPass(session: TrainingSession): number {
  const pass = (passes.get(session) ?? 0) + 1;
  passes.set(session, pass);
  return pass;
}

/** Runs the forward; records its tape entry while a gradient is being taken. One tensor per output. */
export function applyModel(call: ApplyCall): Tensor[] {
  const { session, n, training, where } = call;
  const values = call.inputs.map((t) => t.values());
  const pass = training ? nextPass(session) : 0;
  const outputs = session.applyGraph(values, n, training, pass, where).map((v, j) => new Tensor(v, [n, ...call.outputShapes[j]]));
  if (!recording()) return outputs;
  const weights = call.weights();
  record(
    'model.apply',
    call.inputs,
    outputs,
    (dys) => {
      if (session.isDisposed) fail(where, 'the model was disposed (or rebuilt by compile()) before the gradient of this call was taken');
      const g = session.vectorJacobian(values, n, training, pass, dys.map((d) => (d ? d.values() : null)), `the gradient of ${where}`);
      const dxs = g.inputs.map((v, i) => (v ? new Tensor(v, call.inputs[i].shape) : null));
      const dws = weights.map(({ index }) => {
        const e = session.weightsTable[index];
        return new Tensor(g.weights.slice(e.offset, e.offset + e.size), e.shape);
      });
      return [...dxs, ...dws];
    },
    weights.map((w) => w.variable),
  );
  return outputs;
}
