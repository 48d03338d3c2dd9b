// The image datasets as the Images worker uses them: the library's nn.datasets loaders (which
// fetch, check and cache the assets), keeping only the raw uint8 pixels and labels of each
// split. The worker hands those to the engine as bytes (TrainingSession.loadImages), so the
// loaders' float tensors are freed at once.
import { fashionMnist, mnist } from '../lib/datasets';
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

export async function loadImageData(name: ImageDatasetName, onProgress: (loaded: number, total: number) => void): Promise<ImageData> {
  const result = name === 'mnist' ? await mnist({ onProgress }) : await fashionMnist({ subset: name === 'fashion-quick', onProgress });
  for (const split of [result.train, result.test]) {
    split.xs.dispose();
    split.ys.dispose();
  }
  const plain = (s: ImageSplit): ImageSplit => ({ images: s.images, labels: s.labels, n: s.n });
  return { train: plain(result.train), test: plain(result.test), classNames: [...result.classNames] };
}
