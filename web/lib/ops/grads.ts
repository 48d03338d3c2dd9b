// Gradients of functions of tensors (TF.js: tf.grad, grads, valueAndGrad, valueAndGrads,
// variableGrads): run f recording a tape (tape.ts), then walk it backwards from dy (ones by
// default), each op's backward rule turning the gradient of its outputs into the gradients of
// its inputs. f's intermediates are disposed (it runs in a scope); so are the backward pass's.
//
// A model's forward (model.apply()/predict() inside f) is one entry whose backward asks the
// engine for the gradients of the model's inputs and weights (ops/model-apply.ts).
import { Tensor } from '../tensor';
import { describe } from '../describe';
import { runScoped } from './scope';
import { revive, withTape, withoutTape } from './tape';
import type { TapeEntry } from './tape';
import { add } from './elementwise';
import { ones } from './create';
import { fail, shapeText } from './util';
import { Variable, trainableVariableList } from './variable';

const isTensor = (v: unknown): boolean => v instanceof Tensor;

function backprop(tape: TapeEntry[], y: Tensor, dy: Tensor | undefined, xs: Tensor[]): (Tensor | null)[] {
  const wanted = new Set(xs.map((x) => x.id));
  // Only entries on a path from xs to y matter: forward from xs, backward from y.
  const reaches = new Set(wanted);
  const useful: boolean[] = tape.map((e) => {
    const hit = e.inputs.some((i) => reaches.has(i.id)) || e.refs.some((r) => reaches.has(r.id));
    if (hit) for (const o of e.outputs) reaches.add(o.id);
    return hit;
  });
  const grads = new Map<number, Tensor>();
  grads.set(y.id, dy ?? ones(y.shape));
  for (let i = tape.length - 1; i >= 0; i--) {
    const e = tape[i];
    if (!useful[i]) continue;
    const dys = e.outputs.map((o) => grads.get(o.id) ?? null);
    if (dys.every((d) => d === null)) continue;
    const saved = { inputs: e.inputs.map(revive), outputs: e.outputs.map(revive) };
    const dxs = e.backward(dys as Tensor[], saved);
    [...e.inputs, ...e.refs].forEach((inp, j) => {
      const g = dxs[j];
      if (!g || inp.dtype !== 'float32') return;
      const prev = grads.get(inp.id);
      grads.set(inp.id, prev ? add(prev, g) : g);
    });
  }
  return xs.map((x) => grads.get(x.id) ?? null);
}

function checkY(op: string, y: unknown): Tensor {
  if (!(y instanceof Tensor)) fail(op, `f must return a Tensor, got ${describe(y)}`);
  return y;
}

function checkXs(op: string, xs: Tensor[]): void {
  xs.forEach((x, i) => {
    if (!(x instanceof Tensor)) fail(op, `argument ${i} must be a Tensor, got ${describe(x)}`);
    if (x.dtype !== 'float32') fail(op, `argument ${i} is ${x.dtype}; gradients are taken with respect to float32 tensors`);
  });
}

/**
 * Runs f(...xs) on a tape; returns the value (kept) and the gradients of xs (null where none
 * flows). xs as a function: read after f ran (variableGrads' default list then includes the
 * weights of models f applied first).
 */
function valueAndGradients(op: string, f: () => Tensor, xsOf: Tensor[] | (() => Tensor[]), dy?: Tensor): { value: Tensor; grads: (Tensor | null)[]; xs: Tensor[] } {
  if (Array.isArray(xsOf)) checkXs(op, xsOf);
  return runScoped(op, () => {
    const { result, tape } = withTape(() => runScoped(`${op} f`, () => checkY(op, f()), isTensor));
    const xs = Array.isArray(xsOf) ? xsOf : xsOf();
    if (dy !== undefined && (!(dy instanceof Tensor) || dy.shape.length !== result.shape.length || dy.shape.some((d, i) => d !== result.shape[i]))) {
      fail(op, `dy must be a Tensor of f's output shape ${shapeText(result.shape)}, got ${describe(dy)}`);
    }
    const grads = withoutTape(() => backprop(tape, result, dy, xs));
    return { value: result, grads, xs };
  }, isTensor);
}

function noPath(op: string): never {
  return fail(op, 'cannot compute the gradient of y = f(x) with respect to x: no op in f leads from x to y (make sure f computes y from x with nn ops)');
}

/** f(x) -> df/dx (TF.js tf.grad). */
export function grad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => Tensor {
  return (x, dy) => {
    const { value, grads } = valueAndGradients('grad', () => f(x), [x], dy);
    value.dispose();
    return grads[0] ?? noPath('grad');
  };
}

/** f(...args) -> [df/darg for each arg] (TF.js tf.grads). */
export function grads(f: (...args: Tensor[]) => Tensor): (args: Tensor[], dy?: Tensor) => Tensor[] {
  return (args, dy) => {
    if (!Array.isArray(args)) fail('grads', `takes an array of tensors, got ${describe(args)}`);
    const { value, grads: g } = valueAndGradients('grads', () => f(...args), args, dy);
    value.dispose();
    return g.map((t) => t ?? noPath('grads'));
  };
}

export function valueAndGrad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => { value: Tensor; grad: Tensor } {
  return (x, dy) => {
    const { value, grads: g } = valueAndGradients('valueAndGrad', () => f(x), [x], dy);
    return { value, grad: g[0] ?? noPath('valueAndGrad') };
  };
}

export function valueAndGrads(f: (...args: Tensor[]) => Tensor): (args: Tensor[], dy?: Tensor) => { value: Tensor; grads: Tensor[] } {
  return (args, dy) => {
    const { value, grads: g } = valueAndGradients('valueAndGrads', () => f(...args), args, dy);
    return { value, grads: g.map((t) => t ?? noPath('valueAndGrads')) };
  };
}

/**
 * The gradient of the scalar f() with respect to varList (default: every trainable variable),
 * keyed by variable name; variables f does not use are left out (TF.js tf.variableGrads).
 */
export function variableGrads(f: () => Tensor, varList?: Variable[]): { value: Tensor; grads: Record<string, Tensor> } {
  const op = 'variableGrads';
  if (varList !== undefined && !Array.isArray(varList)) fail(op, `varList must be an array of Variables, got ${describe(varList)}`);
  varList?.forEach((v, i) => {
    if (!(v instanceof Variable)) fail(op, `varList[${i}] must be a Variable (nn.variable, or a model's trainableWeights), got ${describe(v)}`);
  });
  const { value, grads: g, xs: vars } = valueAndGradients(op, () => {
    const y = f();
    if (y instanceof Tensor && y.rank !== 0) fail(op, `f must return a scalar (rank 0), got shape ${shapeText(y.shape)}`);
    return y;
  }, varList ?? (() => trainableVariableList()));
  const out: Record<string, Tensor> = {};
  (vars as Variable[]).forEach((v, i) => {
    const gi = g[i];
    if (gi) out[v.name] = gi;
  });
  if (Object.keys(out).length === 0) {
    value.dispose();
    fail(op, 'none of the variables is used by f, so there is no gradient (check varList and that f reads the variables)');
  }
  return { value, grads: out };
}
