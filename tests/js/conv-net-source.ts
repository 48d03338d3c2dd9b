// What the threads tests train, as JavaScript source text: they run it in a page, in a worker, in
// a bundled app and in Node (with `nn` in scope) and compare the bits. The ConvNetJS MNIST demo
// net (the bench's W8), whose conv and pooling layers are what the engine splits over threads,
// and random images from a seeded xorshift, so every place draws the same ones.

/** Defines `images(n)`: n random 28×28 images (x, in [0, 1)) and labels i % 10 (y). */
export const randomImagesSource = (seed: number): string => `
  let s = ${seed};
  const rand = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 2 ** 32; };
  const images = (n) => {
    const x = new Float32Array(n * 784);
    for (let i = 0; i < x.length; i++) x[i] = rand();
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) y[i] = i % 10;
    return { x, y };
  };`;

/** An expression: the net, built from `seed` and compiled as the bench's W8 trains it. */
export const convNetSource = (seed: number): string => `(() => {
  const model = nn.sequential({ seed: ${seed}, layers: [
    nn.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 5, padding: 'same', activation: 'relu' }),
    nn.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
    nn.layers.conv2d({ filters: 16, kernelSize: 5, padding: 'same', activation: 'relu' }),
    nn.layers.maxPooling2d({ poolSize: 3, strides: 3 }),
    nn.layers.flatten(),
    nn.layers.dense({ units: 10, activation: 'softmax' }) ] });
  model.compile({ optimizer: nn.train.momentum(0.01, 0.9), loss: 'sparseCategoricalCrossentropy' });
  return model;
})()`;
