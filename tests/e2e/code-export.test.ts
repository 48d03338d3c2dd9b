// Export code in the 2-D playground (headless Chromium): the dialog shows the current model as
// PyTorch, Keras and TF.js code from the library's nn.exportCode, and Download saves the code
// and its weights file, whose weights are the page's model's.
//
// Needs the built page: `npx vite build -c web/app/vite.config.ts` (which needs build/wasm).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { usePlayground } from './fixture';

const app = usePlayground();

describe('Export code', () => {
  it('shows the model as PyTorch / Keras / TF.js code and downloads code + weights', async () => {
    const page = await app.browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${app.server.url}#dataset=xor&seed=3&networkShape=4,2&features=x1,x2`);
    await page.waitForFunction(() => /^\d/.test(document.getElementById('train-loss')?.textContent ?? ''), null, { timeout: 60_000 });

    await page.getByRole('button', { name: 'Export code' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export the model as code' });
    const code = dialog.getByRole('textbox', { name: 'Code' });
    await expect.poll(() => code.inputValue(), { timeout: 30_000 }).toContain('class NnplayModel(nn.Module):');
    expect(await code.inputValue()).toContain('[x1, x2]');
    await dialog.getByLabel('Keras (Python)').check();
    await expect.poll(() => code.inputValue()).toContain('import keras');
    await dialog.getByLabel('TF.js').check();
    await expect.poll(() => code.inputValue()).toContain("import * as tf from '@tensorflow/tfjs';");

    const downloads: { name: string; path: string }[] = [];
    page.on('download', async (d) => downloads.push({ name: d.suggestedFilename(), path: await d.path() }));
    await dialog.getByRole('button', { name: 'Download code + weights' }).click();
    await expect.poll(() => downloads.length).toBe(2);
    expect(downloads.map((d) => d.name).sort()).toEqual(['nnplay-xor.mjs', 'nnplay-xor.weights.json']);
    const weights = JSON.parse(readFileSync(downloads.find((d) => d.name.endsWith('.json'))!.path, 'utf8'));
    expect(weights.format).toBe('nnplay-weights');
    expect(weights.weights.map((w: { name: string; shape: number[] }) => `${w.name} [${w.shape}]`)).toEqual([
      'dense_1/kernel [2,4]', 'dense_1/bias [4]', 'dense_2/kernel [4,2]', 'dense_2/bias [2]', 'dense_3/kernel [2,1]', 'dense_3/bias [1]',
    ]);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  });
});
