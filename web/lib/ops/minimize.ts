// optimizer.minimize(f, returnCost, varList) and applyGradients for hand-written training loops
// over variables (TF.js's Optimizer API). The engine's optimizers update a model's weights
// inside its training session; variables live in JS, so their updates run here, one flat loop
// per variable, with the formulas TF.js's optimizers use (sgd, momentum, adam, rmsprop,
// adagrad; epsilon as configured). Per-variable slots (moments, accumulators) are kept per
// optimizer object, by variable name. A schedule's rate is read at its initial value.
import type { Optimizer } from '../optimizers';
import { Tensor } from '../tensor';
import { describe } from '../describe';
import { variableGrads } from './grads';
import { Variable, trainableVariableList } from './variable';
import { fail } from './util';

interface Slots {
  m?: Float32Array;
  v?: Float32Array;
  step: number;
}

const slotsOf = new WeakMap<Optimizer, Map<string, Slots>>();

function rate(opt: Optimizer): number {
  return opt.learningRate;
}

function update(opt: Optimizer, variable: Variable, grad: Tensor): void {
  const c = opt.config;
  let slots = slotsOf.get(opt);
  if (!slots) slotsOf.set(opt, (slots = new Map()));
  let s = slots.get(variable.name);
  if (!s || s.m?.length !== undefined && s.m.length !== variable.size) slots.set(variable.name, (s = { step: 0 }));
  const w = Float32Array.from(variable.raw());
  const g = grad.raw();
  const lr = rate(opt);
  const n = w.length;
  s.step++;
  switch (c.name) {
    case 'sgd':
      for (let i = 0; i < n; i++) w[i] -= lr * g[i];
      break;
    case 'momentum': {
      const mu = c.momentum ?? 0;
      const v = (s.m ??= new Float32Array(n));
      for (let i = 0; i < n; i++) {
        v[i] = mu * v[i] + g[i];
        w[i] -= lr * (c.useNesterov ? g[i] + mu * v[i] : v[i]);
      }
      break;
    }
    case 'adam': {
      const b1 = c.beta1 ?? 0.9;
      const b2 = c.beta2 ?? 0.999;
      const eps = c.epsilon ?? 1e-7;
      const m = (s.m ??= new Float32Array(n));
      const v = (s.v ??= new Float32Array(n));
      const c1 = 1 - Math.pow(b1, s.step);
      const c2 = 1 - Math.pow(b2, s.step);
      for (let i = 0; i < n; i++) {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        w[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps);
      }
      break;
    }
    case 'rmsprop': {
      const rho = (c as { decay?: number }).decay ?? 0.9;
      const mu = c.momentum ?? 0;
      const eps = c.epsilon ?? 1e-7;
      const ms = (s.v ??= new Float32Array(n));
      const mom = (s.m ??= new Float32Array(n));
      for (let i = 0; i < n; i++) {
        ms[i] = rho * ms[i] + (1 - rho) * g[i] * g[i];
        mom[i] = mu * mom[i] + (lr * g[i]) / Math.sqrt(ms[i] + eps);
        w[i] -= mom[i];
      }
      break;
    }
    case 'adagrad': {
      const init = (c as { initialAccumulatorValue?: number }).initialAccumulatorValue ?? 0.1;
      const eps = c.epsilon ?? 1e-7;
      const acc = (s.v ??= new Float32Array(n).fill(init));
      for (let i = 0; i < n; i++) {
        acc[i] += g[i] * g[i];
        w[i] -= (lr * g[i]) / Math.sqrt(acc[i] + eps);
      }
      break;
    }
    case 'adadelta': {
      // TF.js 4.22: the step divides by the accumulated gradient from before this update.
      const rho = c.rho ?? 0.95;
      const eps = c.epsilon ?? 1e-7;
      const ag = (s.m ??= new Float32Array(n));
      const au = (s.v ??= new Float32Array(n));
      for (let i = 0; i < n; i++) {
        const u = (Math.sqrt(au[i] + eps) / Math.sqrt(ag[i] + eps)) * g[i];
        ag[i] = rho * ag[i] + (1 - rho) * g[i] * g[i];
        au[i] = rho * au[i] + (1 - rho) * u * u;
        w[i] -= lr * u;
      }
      break;
    }
    case 'adamax': {
      const b1 = c.beta1 ?? 0.9;
      const b2 = c.beta2 ?? 0.999;
      const eps = c.epsilon ?? 1e-7;
      const decay = c.decay ?? 0;
      const m = (s.m ??= new Float32Array(n));
      const u = (s.v ??= new Float32Array(n));
      const step = lr / ((s.step - 1) * decay + 1) / (1 - Math.pow(b1, s.step));
      for (let i = 0; i < n; i++) {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        u[i] = Math.max(b2 * u[i], Math.abs(g[i]));
        w[i] -= step * (m[i] / (u[i] + eps));
      }
      break;
    }
    default:
      fail('minimize', `optimizer '${String(c.name)}' has no update rule for variables yet`);
  }
  const next = new Tensor(w, variable.shape, 'float32', true);
  variable.assign(next);
  next.dispose();
}

/** Applies {name: gradient} (or [{name, tensor}]) to the variables of those names. */
export function applyGradients(opt: Optimizer, grads: Record<string, Tensor> | { name: string; tensor: Tensor }[]): void {
  const list = Array.isArray(grads) ? grads : Object.entries(grads).map(([name, tensor]) => ({ name, tensor }));
  const byName = new Map(trainableVariableList().map((v) => [v.name, v]));
  for (const { name, tensor } of list) {
    const v = byName.get(name);
    if (!v) fail('applyGradients', `no trainable variable is named ${describe(name)}`);
    if (!(tensor instanceof Tensor) || tensor.shape.join(',') !== v.shape.join(',')) fail('applyGradients', `the gradient for ${describe(name)} must be a Tensor of shape [${v.shape.join(',')}]`);
    update(opt, v, tensor);
  }
}

/** Takes one optimizer step on f's gradient; returns f's value when returnCost (else null). */
export function minimize(opt: Optimizer, f: () => Tensor, returnCost = false, varList?: Variable[]): Tensor | null {
  const { value, grads } = variableGrads(f, varList);
  try {
    const vars = varList ?? trainableVariableList();
    for (const v of vars) {
      const g = grads[v.name];
      if (g) update(opt, v, g);
    }
  } finally {
    for (const g of Object.values(grads)) g.dispose();
  }
  if (returnCost) return value;
  value.dispose();
  return null;
}
