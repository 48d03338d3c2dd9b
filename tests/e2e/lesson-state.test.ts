// The lessons' links without a browser: `lesson=<id>` round-trips through the hash (a plain
// preset stays `lesson=<id>`, changed settings come back as they were), bad values keep the
// preset and are reported, and the shell's routing comes from the one table.
import { describe, expect, it } from 'vitest';
import { lessonRoute } from '../../web/app/lessons/lesson-menu';
import { parseLessonHash, serializeLessonHash } from '../../web/app/lessons/lesson-state';
import { LESSONS, runsHere } from '../../web/app/lessons/lesson-table';
import { parseHash } from '../../web/app/state';

const runnable = LESSONS.filter(runsHere);

describe('lesson= in the hash', () => {
  it('lists lessons 1-10 in order, seven of them runnable here', () => {
    expect(LESSONS.map((l) => l.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(runnable.map((l) => l.id)).toEqual(['linear-regression', 'neurons', 'mlp-regression', 'softmax', 'vae', 'overfitting', 'evaluation']);
    expect(LESSONS.every((l) => l.available)).toBe(true);
    for (const l of LESSONS) {
      const listing = l.listing(l.defaults ?? runnable[0].defaults!);
      expect(listing.keras.length, l.id).toBeGreaterThan(50);
      expect(listing.nnplay.length, l.id).toBeGreaterThan(40);
      expect(l.text.split(/[.!?](\s|$)/).filter((s) => s.trim().length > 3).length, l.id).toBeGreaterThanOrEqual(2);
    }
  });

  it('a preset round-trips as the bare lesson id', () => {
    for (const lesson of runnable) {
      const text = serializeLessonHash(lesson, lesson.defaults!);
      expect(text).toBe(`lesson=${lesson.id}`);
      const parsed = parseLessonHash(`#${text}`)!;
      expect(parsed.problems).toEqual([]);
      expect(parsed.settings).toEqual(lesson.defaults);
    }
  });

  it('changed settings round-trip, written in the table order', () => {
    const softmax = LESSONS.find((l) => l.id === 'softmax')!;
    const settings = { ...softmax.defaults!, dataset: 'moons', hidden: [8], loss: 'mse' as const, learningRate: 0.3, seed: 42 };
    const text = serializeLessonHash(softmax, settings);
    expect(text).toBe('lesson=softmax&dataset=moons&hidden=8&loss=mse&learningRate=0.3&seed=42');
    expect(parseLessonHash(text)!.settings).toEqual(settings);
    // No hidden layer: an empty list, kept as an empty value.
    const neurons = LESSONS.find((l) => l.id === 'neurons')!;
    const one = { ...neurons.defaults!, hidden: [], activation: 'sigmoid' as const };
    const oneText = serializeLessonHash(neurons, one);
    expect(oneText).toBe('lesson=neurons&hidden=&activation=sigmoid');
    expect(parseLessonHash(oneText)!.settings).toEqual(one);
  });

  it('the VAE lesson: β and the variant round-trip; the listing follows them; other lessons refuse both keys', () => {
    const vae = LESSONS.find((l) => l.id === 'vae')!;
    const settings = { ...vae.defaults!, dataset: 'fashion', beta: 2.5, variant: 'autoencoder' as const };
    const text = serializeLessonHash(vae, settings);
    expect(text).toBe('lesson=vae&dataset=fashion&beta=2.5&variant=autoencoder');
    expect(parseLessonHash(text)!.settings).toEqual(settings);
    const ae = vae.listing(settings);
    expect(ae.nnplay).toMatch(/fashionMnist\(\{ subset: true \}\)/);
    expect(ae.nnplay).not.toMatch(/gaussianSampling/);
    expect(ae.keras).toMatch(/^beta = 0$/m);
    const v = vae.listing({ ...vae.defaults!, beta: 2.5 });
    expect(v.nnplay).toMatch(/^const beta = 2.5;$/m);
    expect(v.nnplay).toMatch(/gaussianSampling/);
    expect(v.keras).toMatch(/Sampling\(name='z'\)/);
    const bad = parseLessonHash('lesson=vae&beta=-1&variant=gan&dataset=cifar')!;
    expect(bad.settings).toEqual(vae.defaults);
    expect(bad.problems.join('\n')).toMatch(/beta=-1: expected a number from 0 to 10/);
    expect(bad.problems.join('\n')).toMatch(/variant=gan: expected one of vae, autoencoder/);
    expect(bad.problems.join('\n')).toMatch(/dataset=cifar: this lesson uses mnist, fashion/);
    expect(parseLessonHash('lesson=softmax&beta=2&variant=vae')!.problems.join('\n')).toMatch(/unknown options beta, variant/);
  });

  it('the overfitting lesson: its four toggles round-trip; the listing follows them; other lessons refuse the keys', () => {
    const over = LESSONS.find((l) => l.id === 'overfitting')!;
    expect(over.validation).toBe(true);
    expect(over.figures).toEqual(expect.arrayContaining(['train-val-gap', 'best-epoch', 'val-loss', 'epoch', 'train-loss']));
    const plain = over.listing(over.defaults!);
    expect(plain.keras).not.toMatch(/regularizers|Dropout|EarlyStopping/);
    expect(plain.keras).toMatch(/x_train, y_train = wave\(30\)/);
    const settings = { ...over.defaults!, l2: 0.01, dropout: 0.2, earlyStopping: true, trainPoints: 150 };
    const text = serializeLessonHash(over, settings);
    expect(text).toBe('lesson=overfitting&l2=0.01&dropout=0.2&earlyStopping=true&trainPoints=150');
    expect(parseLessonHash(text)!.settings).toEqual(settings);
    const all = over.listing(settings);
    expect(all.keras).toMatch(/kernel_regularizer=keras.regularizers.l2\(0.01\)/);
    expect(all.keras.match(/keras.layers.Dropout\(0.2\)/g)).toHaveLength(3);
    expect(all.keras).toMatch(/EarlyStopping\(monitor='val_loss', patience=50, restore_best_weights=True\)/);
    expect(all.nnplay).toMatch(/nn.callbacks.earlyStopping\(\{ monitor: 'val_loss', patience: 50, restoreBestWeights: true \}\)/);
    expect(all.nnplay).toMatch(/kernelRegularizer: nn.regularizers.l2\(\{ l2: 0.01 \}\)/);
    expect(all.nnplay).toMatch(/slice\(\[0, 0\], \[150, 1\]\)/);
    const bad = parseLessonHash('lesson=overfitting&l2=2&dropout=1&earlyStopping=yes&trainPoints=1000')!;
    expect(bad.settings).toEqual(over.defaults);
    expect(bad.problems.join('\n')).toMatch(/l2=2: expected a number from 0 to 1/);
    expect(bad.problems.join('\n')).toMatch(/dropout=1: expected a number from 0 to 0.9/);
    expect(bad.problems.join('\n')).toMatch(/earlyStopping=yes: expected true or false/);
    expect(bad.problems.join('\n')).toMatch(/trainPoints=1000: expected a whole number from 5 to 300/);
    expect(parseLessonHash('lesson=softmax&l2=0.1&earlyStopping=true')!.problems.join('\n')).toMatch(/unknown options l2, earlyStopping/);
  });

  it('the evaluation lesson: three splits in its listing, the test set used once, figures per class', () => {
    const ev = LESSONS.find((l) => l.id === 'evaluation')!;
    expect(ev.validation).toBe(true);
    expect(ev.figures).toEqual(expect.arrayContaining(['confusion-matrix', 'precision-<c>', 'recall-<c>', 'test-evaluate', 'test-accuracy', 'val-loss']));
    const l = ev.listing({ ...ev.defaults!, classes: 3 });
    expect(l.keras).toMatch(/x_test, y_test = x\[800:\], labels\[800:\]\s+# touched once/);
    expect(l.keras).toMatch(/confusion_matrix\(y_test, y_pred\)/);
    expect(l.nnplay).toMatch(/nn.classificationReport\(yTest, model.predict\(xTest\)\)/);
    expect(l.nnplay).toMatch(/classes: 3/);
    expect(serializeLessonHash(ev, { ...ev.defaults!, hidden: [32], noise: 40 })).toBe('lesson=evaluation&noise=40&hidden=32');
  });

  it('bad values keep the preset and say what is allowed', () => {
    const parsed = parseLessonHash('lesson=softmax&dataset=circle&classes=12&learningRate=0&loss=hinge&hidden=4,x&colour=red')!;
    expect(parsed.settings).toEqual(LESSONS.find((l) => l.id === 'softmax')!.defaults);
    expect(parsed.problems.join('\n')).toMatch(/dataset=circle: this lesson uses blobs, spirals, moons/);
    expect(parsed.problems.join('\n')).toMatch(/classes=12: expected a whole number from 2 to 8/);
    expect(parsed.problems.join('\n')).toMatch(/learningRate=0: zero would not train/);
    expect(parsed.problems.join('\n')).toMatch(/loss=hinge: expected one of crossentropy, mse/);
    expect(parsed.problems.join('\n')).toMatch(/hidden=4,x/);
    expect(parsed.problems.join('\n')).toMatch(/unknown option colour/);
  });

  it('routes: runnable lessons here, MNIST lessons to their Images / Sequences presets, unavailable ones nowhere', () => {
    expect(lessonRoute('lesson=linear-regression')).toBe('here');
    expect(lessonRoute('lesson=vae')).toBe('here');
    expect(lessonRoute('lesson=overfitting')).toBe('here');
    expect(lessonRoute('lesson=evaluation&hidden=8')).toBe('here');
    expect(lessonRoute('#lesson=mnist-mlp')).toEqual({ redirect: 'mode=images&dataset=mnist&preset=mlp' });
    expect(lessonRoute('lesson=mnist-cnn')).toEqual({ redirect: 'mode=images&dataset=mnist&preset=cnn' });
    expect(lessonRoute('lesson=lstm-mnist-rows')).toEqual({ redirect: 'mode=sequences&task=mnistRows&cell=lstm' });
    for (const l of LESSONS.filter((x) => !x.available)) {
      expect(lessonRoute(`lesson=${l.id}`)).toBeNull();
      expect(l.note).toBeTruthy();
    }
    expect(lessonRoute('lesson=nope')).toBeNull();
    expect(lessonRoute('dataset=xor')).toBeNull();
    expect(parseLessonHash('lesson=mnist-mlp')).toBeUndefined();
    // The 2-D playground accepts the page key silently (a lesson not yet available lands there).
    expect(parseHash('lesson=vae').problems).toEqual([]);
  });
});
