// The image datasets as the Images worker uses them: the library's nn.datasets loaders, with
// the raw uint8 pixels and labels of each split. A thin adapter so the worker does not depend on
// how the loaders return tensors.
import * as nn from '../lib/index';
import type { ImageDatasetName } from './images-protocol';

export interface ImageSplit {
  images: Uint8Array; // [n, 28, 28] 0..255
  labels: Uint8Array; // [n]
  n: number;
}

export interface ImageData {
  train: ImageSplit;
  test: ImageSplit;
  classNames: string[];
}

interface LoaderSplit extends ImageSplit {
  xs?: { dispose(): void };
  ys?: { dispose(): void };
}
interface LoaderResult {
  train: LoaderSplit;
  test: LoaderSplit;
  classNames: string[];
}
interface LoaderOptions {
  onProgress?: (loaded: number, total: number) => void;
}
interface Loaders {
  mnist(opts?: LoaderOptions): Promise<LoaderResult>;
  fashionMnist(opts?: LoaderOptions & { subset?: boolean }): Promise<LoaderResult>;
}

/** Loads one dataset through the library (which fetches, checks and caches the asset). */
export async function loadImageData(name: ImageDatasetName, onProgress: (loaded: number, total: number) => void): Promise<ImageData> {
  const loaders = (nn as unknown as { datasets?: Loaders }).datasets;
  if (!loaders) throw new Error('this build of the library has no image datasets (nn.datasets)');
  const result = name === 'mnist' ? await loaders.mnist({ onProgress }) : await loaders.fashionMnist({ subset: name === 'fashion-quick', onProgress });
  // The worker keeps the raw pixels only; the tensors' copies are freed at once.
  for (const split of [result.train, result.test]) {
    split.xs?.dispose();
    split.ys?.dispose();
  }
  const plain = (s: ImageSplit): ImageSplit => ({ images: s.images, labels: s.labels, n: s.n });
  return { train: plain(result.train), test: plain(result.test), classNames: [...result.classNames] };
}
