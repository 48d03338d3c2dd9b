// The Lessons in headless Chromium: each lesson that runs here opens by its link, trains briefly
// (Train, then Pause), draws its key view (a canvas that is not blank) and its training loss
// falls; the linear-regression lesson's w and b approach 2 and 1; the VAE lesson draws its latent
// scatter and decoded grid, logs a finite KL beside the reconstruction, takes β live (the next
// epochs' loss weighs the KL by it), decodes a clicked point, and switches to the autoencoder and
// to Fashion-MNIST; the MNIST lessons' links open
// the Images mode's presets; the Lessons menu lists every lesson of the table, the ones not
// available yet disabled with their note.
//
// Needs the built page: `npx vite build -c web/app/vite.config.ts` (which needs build/wasm).
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { LESSONS } from '../../web/app/lessons/lesson-table';
import { longTasksSince, recordLongTasks } from './browser';
import { clearOrigin, repo, usePlayground } from './fixture';
import { serveStatic } from './server';

const app = usePlayground();
let pages: Page[] = [];

afterEach(async () => {
  await Promise.all(pages.map((p) => p.close()));
  pages = [];
});

async function open(hash: string, longTasks = false): Promise<{ page: Page; errors: string[] }> {
  const page = await app.browser.context.newPage();
  pages.push(page);
  if (longTasks) await recordLongTasks(page);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // A clean origin: no kept lesson models from an earlier test.
  await page.goto(app.server.url);
  await clearOrigin(page);
  await page.goto(`${app.server.url}${hash}`);
  return { page, errors };
}

interface LessonHooks {
  epoch: number;
  losses: number[];
  logs: Record<string, number>[];
}
const hooks = (page: Page) => page.evaluate(() => {
  const n = (window as unknown as { nnplay: LessonHooks }).nnplay;
  return { epoch: n.epoch, losses: [...n.losses], logs: n.logs.map((l) => ({ ...l })) };
});

/** Distinct colours on a canvas: 1 means blank (one fill). */
const colours = (page: Page, id: string) =>
  page.evaluate((canvasId) => {
    const c = document.getElementById(canvasId) as HTMLCanvasElement;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < data.length; i += 4 * 7) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    return seen.size;
  }, id);

/** Trains until `epochs` epochs are done, then pauses. */
async function trainFor(page: Page, epochs: number): Promise<void> {
  const train = page.getByRole('button', { name: 'Train', exact: true });
  await expect.poll(() => page.locator('#epoch').textContent(), { timeout: 60_000 }).toBe('0');
  await train.click();
  await expect.poll(async () => (await hooks(page)).epoch, { timeout: 60_000 }).toBeGreaterThanOrEqual(epochs);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect.poll(() => page.getByRole('button', { name: 'Train', exact: true }).count(), { timeout: 10_000 }).toBe(1);
}

describe('Lessons', () => {
  const cases: { id: string; epochs: number; views: string[] }[] = [
    { id: 'linear-regression', epochs: 40, views: ['lesson-view', 'loss-surface'] },
    { id: 'neurons', epochs: 30, views: ['lesson-view', 'activation-curves'] },
    { id: 'mlp-regression', epochs: 15, views: ['lesson-view'] },
    { id: 'softmax', epochs: 25, views: ['lesson-view'] },
  ];
  for (const { id, epochs, views } of cases) {
    it(`${id}: opens by link, trains, draws its view, its loss falls`, async () => {
      const { page, errors } = await open(`#lesson=${id}`);
      await expect.poll(() => page.locator('.lesson-title').textContent(), { timeout: 30_000 }).toMatch(/^Lesson \d: /);
      await trainFor(page, epochs);
      for (const view of views) expect(await colours(page, view), view).toBeGreaterThan(8);
      const { losses } = await hooks(page);
      // The last epoch's loss well below the first's: training, not noise.
      expect(losses[losses.length - 1]).toBeLessThan(0.7 * losses[0]);
      expect(Number(await page.locator('#train-loss').textContent())).toBeGreaterThan(0);
      expect(await page.locator('#test-loss').textContent()).not.toBe('–');
      // The listing, as Keras and as nnplay.
      await page.locator('.lesson-code summary').click();
      expect(await page.locator('.lesson-code code').textContent()).toMatch(/keras/);
      await page.getByRole('tab', { name: /nnplay/ }).click();
      expect(await page.locator('.lesson-code code').textContent()).toMatch(/import \* as nn from 'nnplay'/);
      expect(errors).toEqual([]);
      if (id === 'linear-regression') {
        // y = 2x + 1 + N(0, 0.3²) on 160 training points with x uniform in [-1, 1]: the least-squares
        // fit's standard errors are 0.3/sqrt(160/3) ≈ 0.04 for w and 0.3/sqrt(160) ≈ 0.024 for b,
        // and SGD at rate 0.1 has converged (time constant ~3 epochs) by epoch 40. 0.15 is more
        // than 3.5 standard errors of w: a fit that misses it has not learned the line.
        const w = Number(await page.locator('#weight-w').textContent());
        const b = Number(await page.locator('#weight-b').textContent());
        expect(Math.abs(w - 2)).toBeLessThan(0.15);
        expect(Math.abs(b - 1)).toBeLessThan(0.15);
      }
      if (id === 'mlp-regression') {
        expect(Number(await page.locator('#r2').textContent())).toBeGreaterThan(0.5);
        expect(Number(await page.locator('#rmse').textContent())).toBeGreaterThan(0);
      }
      if (id === 'softmax') expect(await page.locator('#accuracy').textContent()).toMatch(/%$/);
    });
  }

  /** The sum of a confusion table's body cells. */
  const confusionSum = (page: Page, id: string) =>
    page.evaluate((tableId) => [...document.querySelectorAll(`#${tableId} tbody td`)].reduce((n, td) => n + Number(td.textContent), 0), id);
  type Ended = { nnplay: { lastEnd: { stoppedAt: number | null; restoredFrom: number | null } | null } };
  const gapAt = (logs: Record<string, number>[], i: number) => logs[i].val_loss - logs[i].loss;
  const argmin = (xs: number[]) => xs.indexOf(Math.min(...xs));

  it('overfitting: with 30 points and the big net the validation loss passes its minimum and the gap grows; L2, dropout and more data shrink the gap', async () => {
    const { page, errors } = await open('#lesson=overfitting');
    await expect.poll(() => page.locator('.lesson-title').textContent(), { timeout: 30_000 }).toBe('Lesson 9: Overfitting and how to fight it');
    expect(await page.locator('#test-loss').count()).toBe(0);
    await trainFor(page, 200);
    for (const view of ['lesson-view', 'overfit-curves']) expect(await colours(page, view), view).toBeGreaterThan(8);
    const base = (await hooks(page)).logs;
    const val = base.map((l) => l.val_loss);
    const best = argmin(val);
    // The training loss falls all the way; the validation loss turned: it ends well above its minimum.
    expect(base[base.length - 1].loss).toBeLessThan(0.5 * base[0].loss);
    expect(best).toBeLessThan(base.length - 30);
    expect(val[val.length - 1]).toBeGreaterThan(1.15 * val[best]);
    // ... and the gap between them grew after the best epoch.
    const gap = gapAt(base, base.length - 1);
    expect(gap).toBeGreaterThan(gapAt(base, best) + 0.05);
    expect(Number(await page.locator('#best-epoch').textContent())).toBe(best + 1);
    expect(Number(await page.locator('#best-val-loss').textContent())).toBeCloseTo(val[best], 3);
    expect(Number(await page.locator('#val-loss').textContent())).toBeGreaterThan(0);
    console.log(`[e2e lessons] overfitting: ${base.length} epochs, best validation epoch ${best + 1} at ${val[best].toFixed(4)}, final validation ${val[val.length - 1].toFixed(4)}, gap ${gap.toFixed(4)}`);
    // Each remedy, switched on alone, trains afresh and ends with a smaller gap after as many epochs.
    for (const [name, hash] of [['l2', 'l2=0.01'], ['dropout', 'dropout=0.2'], ['trainPoints', 'trainPoints=150']] as const) {
      await page.locator(`input[name=${name}]`).check();
      await expect.poll(() => page.evaluate(() => location.hash)).toBe(`#lesson=overfitting&${hash}`);
      expect(await page.locator('.lesson-code code').textContent()).toMatch(name === 'l2' ? /kernel_regularizer=keras.regularizers.l2\(0.01\)/ : name === 'dropout' ? /Dropout\(0.2\)/ : /wave\(150\)/);
      await trainFor(page, base.length);
      const logs = (await hooks(page)).logs;
      const remedied = gapAt(logs, base.length - 1);
      console.log(`[e2e lessons] overfitting with ${hash}: gap after ${base.length} epochs ${remedied.toFixed(4)} (none: ${gap.toFixed(4)}), best validation ${Math.min(...logs.map((l) => l.val_loss)).toFixed(4)}`);
      expect(remedied, hash).toBeLessThan(0.7 * gap);
      await page.locator(`input[name=${name}]`).uncheck();
      await expect.poll(() => page.evaluate(() => location.hash)).toBe('#lesson=overfitting');
    }
    expect(errors).toEqual([]);
  });

  it('overfitting: early stopping stops by itself 50 epochs after the best validation epoch and puts back its weights', async () => {
    const { page, errors } = await open('#lesson=overfitting&earlyStopping=true');
    await expect.poll(() => page.locator('#epoch').textContent(), { timeout: 60_000 }).toBe('0');
    expect(await page.locator('#stopped-epoch').textContent()).toBe('on, not triggered yet');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    // No Pause: it stops on its own.
    await expect.poll(() => page.evaluate(() => (window as unknown as Ended).nnplay.lastEnd?.stoppedAt ?? null), { timeout: 60_000 }).not.toBeNull();
    await expect.poll(() => page.getByRole('button', { name: 'Train', exact: true }).count(), { timeout: 10_000 }).toBe(1);
    const { logs, epoch } = await hooks(page);
    const end = await page.evaluate(() => (window as unknown as Ended).nnplay.lastEnd!);
    const best = argmin(logs.map((l) => l.val_loss));
    expect(logs).toHaveLength(epoch);
    expect(end.restoredFrom).toBe(best + 1);
    expect(end.stoppedAt).toBe(best + 1 + 50);
    expect(epoch).toBe(end.stoppedAt);
    expect(await page.locator('#stopped-epoch').textContent()).toBe(`stopped after epoch ${end.stoppedAt}; weights of epoch ${best + 1} restored`);
    expect(await page.locator('.lesson-code code').textContent()).toMatch(/restore_best_weights=True/);
    console.log(`[e2e lessons] overfitting with early stopping: stopped after epoch ${end.stoppedAt}, weights of epoch ${end.restoredFrom} (validation ${logs[best].val_loss.toFixed(4)})`);
    expect(errors).toEqual([]);
  });

  it('evaluation: validation figures every epoch (confusion sums to the validation size, precision and recall per class); the test set behind one button, counted', async () => {
    const { page, errors } = await open('#lesson=evaluation');
    await expect.poll(() => page.locator('.lesson-title').textContent(), { timeout: 30_000 }).toBe('Lesson 10: Evaluating a classifier');
    await trainFor(page, 20);
    expect(await colours(page, 'lesson-view')).toBeGreaterThan(8);
    const { losses } = await hooks(page);
    expect(losses[losses.length - 1]).toBeLessThan(0.7 * losses[0]);
    expect(await confusionSum(page, 'confusion-matrix')).toBe(200);
    for (let c = 0; c < 5; c++) {
      expect(await page.locator(`#precision-${c}`).textContent()).toMatch(/^\d+\.\d %$/);
      expect(await page.locator(`#recall-${c}`).textContent()).toMatch(/^\d+\.\d %$/);
    }
    const valAccuracy = await page.locator('#accuracy').textContent();
    expect(parseFloat(valAccuracy!)).toBeGreaterThan(60);
    // The test set: nothing shown until the button; one press pauses, evaluates and shows it.
    expect(await page.locator('#test-confusion-matrix').isVisible()).toBe(false);
    expect(await page.locator('#test-looks').textContent()).toBe('0');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await page.locator('#test-evaluate').click();
    await expect.poll(() => page.locator('#test-looks').textContent(), { timeout: 10_000 }).toBe('1');
    expect(await page.getByRole('button', { name: 'Train', exact: true }).count()).toBe(1);
    expect(await page.locator('#test-evaluate').isDisabled()).toBe(true);
    expect(await confusionSum(page, 'test-confusion-matrix')).toBe(200);
    const testAccuracy = await page.locator('#test-accuracy').textContent();
    expect(testAccuracy).toMatch(/^\d+\.\d %$/);
    for (let c = 0; c < 5; c++) expect(await page.locator(`#test-recall-${c}`).textContent()).toMatch(/^\d+\.\d %$/);
    expect(await page.locator('.lesson-test-note').textContent()).toMatch(/number to report/);
    const testEpoch = Number(await page.locator('#test-epoch').textContent());
    expect(testEpoch).toBe((await hooks(page)).epoch);
    const perClass = async (prefix: string) => Promise.all([0, 1, 2, 3, 4].map(async (c) => `${await page.locator(`#${prefix}precision-${c}`).textContent()} / ${await page.locator(`#${prefix}recall-${c}`).textContent()}`));
    console.log(`[e2e lessons] evaluation after ${testEpoch} epochs: validation accuracy ${await page.locator('#accuracy').textContent()} (precision / recall ${(await perClass('')).join(', ')}), test accuracy ${testAccuracy} (${(await perClass('test-')).join(', ')})`);
    // A new choice and a second look: counted and named for what it is.
    await page.locator('input[name=hidden]').fill('32');
    await page.locator('input[name=hidden]').dispatchEvent('change');
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#lesson=evaluation&hidden=32');
    await trainFor(page, 5);
    await page.locator('#test-evaluate').click();
    await expect.poll(() => page.locator('#test-looks').textContent(), { timeout: 10_000 }).toBe('2');
    expect(await page.locator('.lesson-test-note').textContent()).toMatch(/looked at 2 times/);
    expect(errors).toEqual([]);
  });

  it('vae: trains on MNIST, draws the latent scatter and the decoded grid, logs reconstruction and KL; β acts live; a click decodes', async () => {
    const { page, errors } = await open('#lesson=vae', true);
    await expect.poll(() => page.locator('.lesson-title').textContent(), { timeout: 30_000 }).toBe('Lesson 8: Autoencoder and VAE');
    // Measured from the model built (loading MNIST and the first drawing come before).
    await expect.poll(() => colours(page, 'latent-scatter'), { timeout: 60_000 }).toBeGreaterThan(8);
    await expect.poll(() => colours(page, 'latent-grid'), { timeout: 60_000 }).toBeGreaterThan(8);
    console.log(`[e2e lessons] vae: long tasks while opening (data load, build, first drawing) ${JSON.stringify(await longTasksSince(page, 0))}`);
    const startedAt = await page.evaluate(() => performance.now());
    await trainFor(page, 6);
    // The views' per-epoch work (three predicts, canvas drawing) stays short on the main thread.
    const longTasks = await longTasksSince(page, startedAt);
    console.log(`[e2e lessons] vae: long tasks while training ${JSON.stringify(longTasks)}`);
    expect(longTasks.filter((t) => t.duration > 250)).toEqual([]);
    for (const view of ['latent-scatter', 'latent-grid', 'reconstructions', 'vae-curves']) expect(await colours(page, view), view).toBeGreaterThan(8);
    const first = await hooks(page);
    expect(first.losses[first.losses.length - 1]).toBeLessThan(first.losses[0]);
    for (const logs of first.logs) {
      expect(Number.isFinite(logs.kl) && logs.kl > 0, 'kl').toBe(true);
      // β 1: the loss is the per-pixel reconstruction plus the KL over 784 pixels (the ELBO's
      // weighting of a summed reconstruction).
      expect(logs.loss).toBeCloseTo(logs.decoded_loss + logs.kl / 784, 6);
    }
    // Reconstruction of 784 binary-ish pixels starts near ln 2 per pixel at random weights.
    expect(first.logs[first.logs.length - 1].decoded_loss).toBeLessThan(first.logs[0].decoded_loss);
    expect(Number(await page.locator('#kl-loss').textContent())).toBeGreaterThan(0);

    // β moved live: no rebuild (the epochs carry on), the link has it, and an epoch after the
    // change pays 3·KL (over 784 pixels).
    await page.locator('input[name=beta]').fill('3');
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#lesson=vae&beta=3');
    expect(await page.locator('.lesson-code code').textContent()).toMatch(/^beta = 3$/m);
    const before = first.logs.length;
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect.poll(async () => (await hooks(page)).epoch, { timeout: 60_000 }).toBeGreaterThanOrEqual(before + 3);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    const after = (await hooks(page)).logs;
    expect(after.slice(0, before)).toEqual(first.logs);
    const last = after[after.length - 1];
    expect(last.loss).toBeCloseTo(last.decoded_loss + (3 * last.kl) / 784, 6);
    expect(Math.abs(last.loss - (last.decoded_loss + last.kl / 784))).toBeGreaterThan(1e-4);

    // The reconstructions are of chosen images: a click on a column takes the next test image of
    // its class, Shift+click the one before; the keyboard chooses a column and moves on in it.
    const chosen = async () => (await page.locator('#recon-chosen').textContent())!.split(', ').map(Number);
    const firsts = await chosen();
    expect(firsts).toHaveLength(10);
    const reconBefore = await page.evaluate(() => (document.getElementById('reconstructions') as HTMLCanvasElement).toDataURL());
    const box = (await page.locator('#reconstructions').boundingBox())!;
    await page.locator('#reconstructions').click({ position: { x: box.width * 0.35, y: box.height / 4 } });
    const afterClick = await chosen();
    expect(afterClick[3]).not.toBe(firsts[3]);
    expect(afterClick.filter((v, i) => i !== 3)).toEqual(firsts.filter((v, i) => i !== 3));
    expect(await page.evaluate(() => (document.getElementById('reconstructions') as HTMLCanvasElement).toDataURL())).not.toBe(reconBefore);
    await page.locator('#reconstructions').click({ position: { x: box.width * 0.35, y: box.height / 4 }, modifiers: ['Shift'] });
    expect(await chosen()).toEqual(firsts);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const byKeys = await chosen();
    expect(byKeys[4]).not.toBe(firsts[4]);
    expect(byKeys.filter((v, i) => i !== 4)).toEqual(firsts.filter((v, i) => i !== 4));

    // A click on the plane decodes that point.
    expect(await colours(page, 'latent-decoded')).toBeLessThanOrEqual(1);
    await page.locator('#latent-scatter').click({ position: { x: 200, y: 120 } });
    expect(await colours(page, 'latent-decoded')).toBeGreaterThan(8);
    expect(await page.locator('#latent-point').textContent()).toMatch(/^\(-?\d+\.\d\d, -?\d+\.\d\d\)$/);
    await page.locator('.lesson-code summary').click();
    await page.getByRole('tab', { name: /nnplay/ }).click();
    expect(await page.locator('.lesson-code code').textContent()).toMatch(/gaussianSampling/);
    expect(errors).toEqual([]);
  });

  it('vae: the autoencoder switch rebuilds without sampling and pays no KL (β 0), its KL still logged; Fashion-MNIST trains too', async () => {
    const { page, errors } = await open('#lesson=vae');
    await expect.poll(() => page.locator('#epoch').textContent(), { timeout: 60_000 }).toBe('0');
    await page.locator('select[name=variant]').selectOption('autoencoder');
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#lesson=vae&variant=autoencoder');
    expect(await page.locator('input[name=beta]').isDisabled()).toBe(true);
    expect(await page.locator('.lesson-code code').textContent()).not.toMatch(/Sampling/);
    await trainFor(page, 3);
    const { logs, losses } = await hooks(page);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
    for (const l of logs) {
      expect(l.loss).toBeCloseTo(l.decoded_loss, 5);
      expect(Number.isFinite(l.kl)).toBe(true);
    }
    expect(await colours(page, 'latent-scatter')).toBeGreaterThan(8);
    // Fashion-MNIST: the same model on clothes, its classes in the legend.
    await page.locator('select[name=dataset]').selectOption('fashion');
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#lesson=vae&dataset=fashion&variant=autoencoder');
    await expect.poll(() => page.locator('.vae-legend').textContent(), { timeout: 60_000 }).toMatch(/Ankle boot/);
    await trainFor(page, 2);
    const fashion = await hooks(page);
    expect(fashion.logs).toHaveLength(fashion.epoch);
    expect(fashion.losses[1]).toBeLessThan(fashion.losses[0]);
    expect(errors).toEqual([]);
  });

  // The README's screenshot (NNPLAY_SCREENSHOT=1): the VAE after 40 epochs at β 1, a point clicked.
  it.runIf(process.env.NNPLAY_SCREENSHOT)('screenshot: the VAE lesson after 40 epochs', async () => {
    const { page } = await open('#lesson=vae');
    await trainFor(page, 40);
    await page.locator('#latent-scatter').click({ position: { x: 215, y: 110 } });
    await page.waitForTimeout(500);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.mouse.move(5, 5);
    await page.screenshot({ path: `${repo}docs/screenshot-vae.png`, fullPage: true });
    const { logs } = await hooks(page);
    console.log('VAE after', logs.length, 'epochs:', JSON.stringify(logs[logs.length - 1]));
  }, 120_000);

  it('a trained lesson model survives a reload (epoch, w and b, the curve); Reset forgets it', async () => {
    const { page, errors } = await open('#lesson=linear-regression');
    await trainFor(page, 12);
    // Training has stopped (a paused fit finishes its epoch) and its model is written.
    await page.evaluate(() => (window as unknown as { nnplay: { whenStored(): Promise<void> } }).nnplay.whenStored());
    const epoch = await page.locator('#epoch').textContent();
    const w = await page.locator('#weight-w').textContent();
    const b = await page.locator('#weight-b').textContent();
    expect(Number(epoch)).toBeGreaterThanOrEqual(12);
    await page.reload();
    type Kept = { nnplay: { restoredEpoch: number | null } };
    await expect.poll(() => page.evaluate(() => (window as unknown as Kept).nnplay?.restoredEpoch ?? null), { timeout: 60_000 }).toBe(Number(epoch));
    expect(await page.locator('#epoch').textContent()).toBe(epoch);
    // The same weights: the same w and b to every digit shown.
    await expect.poll(() => page.locator('#weight-w').textContent(), { timeout: 10_000 }).toBe(w);
    expect(await page.locator('#weight-b').textContent()).toBe(b);
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await expect.poll(() => page.locator('#epoch').textContent(), { timeout: 30_000 }).toBe('0');
    await page.evaluate(() => (window as unknown as { nnplay: { whenStored(): Promise<void> } }).nnplay.whenStored());
    await page.reload();
    await expect.poll(() => page.locator('#epoch').textContent(), { timeout: 60_000 }).toBe('0');
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as unknown as Kept).nnplay.restoredEpoch)).toBeNull();
    expect(errors).toEqual([]);
  });

  it('a changed setting is a link: the loss switch rebuilds the model and lands in the hash', async () => {
    const { page } = await open('#lesson=softmax&dataset=moons');
    await expect.poll(() => page.locator('#epoch').textContent(), { timeout: 60_000 }).toBe('0');
    await page.locator('select[name=loss]').selectOption('mse');
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#lesson=softmax&dataset=moons&loss=mse');
    expect(await page.locator('.lesson-code code').textContent()).toMatch(/loss='mse'/);
    await trainFor(page, 10);
    const { losses } = await hooks(page);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
  });

  it('the MNIST lessons open the Images presets; the menu lists every lesson and opens one', async () => {
    const { page } = await open('#lesson=mnist-mlp');
    await expect.poll(() => page.evaluate(() => location.hash), { timeout: 30_000 }).toMatch(/mode=images/);
    await expect.poll(() => page.evaluate(() => location.hash), { timeout: 30_000 }).toMatch(/preset=mlp|dataset=mnist/);
    const items = page.locator('.lessons-menu li');
    expect(await items.count()).toBe(LESSONS.length);
    for (const lesson of LESSONS.filter((l) => !l.available)) {
      expect(await page.locator(`.lessons-menu [data-lesson="${lesson.id}"]`).getAttribute('aria-disabled')).toBe('true');
    }
    await page.locator('.lessons-menu summary').click();
    await page.locator('.lessons-menu a[data-lesson="linear-regression"]').click();
    await expect.poll(() => page.locator('.lesson-title').textContent(), { timeout: 30_000 }).toBe('Lesson 1: Linear regression');
    // From one lesson to another through the menu: the other lesson opens.
    await page.locator('.lessons-menu summary').click();
    await page.locator('.lessons-menu a[data-lesson="evaluation"]').click();
    await expect.poll(() => page.locator('.lesson-title').textContent(), { timeout: 30_000 }).toBe('Lesson 10: Evaluating a classifier');
  });

  it('lessons 5-7 show their words and Keras / nnplay listing above the mode they open; a mode switch takes them down', async () => {
    const { page, errors } = await open('#lesson=mnist-cnn');
    await expect.poll(() => page.evaluate(() => location.hash), { timeout: 30_000 }).toMatch(/mode=images/);
    const note = page.locator('#lesson-note');
    expect(await note.locator('.lesson-title').textContent()).toBe('Lesson 6: The MNIST CNN');
    expect(await note.locator('.lesson-text').textContent()).toMatch(/slides 3×3 filters/);
    await note.locator('.lesson-code summary').click();
    expect(await note.locator('.lesson-code code').textContent()).toMatch(/keras.layers.Conv2D\(32, 3/);
    await note.getByRole('tab', { name: /nnplay/ }).click();
    expect(await note.locator('.lesson-code code').textContent()).toMatch(/nn.layers.conv2d\(\{ inputShape: \[28, 28, 1\]/);
    // Lesson 7 from the menu: the Sequences mode, its own words.
    await page.locator('.lessons-menu summary').click();
    await page.locator('.lessons-menu a[data-lesson="lstm-mnist-rows"]').click();
    await expect.poll(() => page.evaluate(() => location.hash), { timeout: 30_000 }).toMatch(/mode=sequences/);
    await expect.poll(() => page.locator('#lesson-note .lesson-title').textContent()).toBe('Lesson 7: An LSTM classifier (MNIST rows)');
    expect(await page.locator('#lesson-note').count()).toBe(1);
    await page.locator('nav.mode-switch button[data-mode=playground]').click();
    await expect.poll(() => page.locator('#lesson-note').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('<nn-playground lesson=…>: lesson 5 shows its words and listing above the Images mode; lesson 9 takes its toggles as attributes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnplay-lesson-element-'));
    symlinkSync(`${repo}dist/lib`, join(dir, 'lib'));
    symlinkSync(`${repo}dist/playground`, join(dir, 'playground'));
    writeFileSync(
      join(dir, 'lessons.html'),
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>lesson elements</title>
<script type="module">import './playground/nnplay-playground.js';</script></head><body><h1>Lessons</h1>
<nn-playground id="mlp" lesson="mnist-mlp"></nn-playground>
<nn-playground id="over" lesson="overfitting" early-stopping="true" train-points="150"></nn-playground>
</body></html>`,
    );
    const host = await serveStatic(dir);
    try {
      const page = await app.browser.context.newPage();
      pages.push(page);
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`${host.url}lessons.html`);
      await page.locator('#mlp #mlp-lesson-note').waitFor({ timeout: 30_000 });
      expect(await page.locator('#mlp-lesson-note .lesson-title').textContent()).toBe('Lesson 5: The MNIST MLP');
      expect(await page.locator('#mlp-lesson-note .lesson-code code').textContent()).toMatch(/keras.layers.Flatten\(input_shape=\(28, 28\)\)/);
      await expect.poll(() => page.locator('#over .lesson-title').textContent(), { timeout: 30_000 }).toBe('Lesson 9: Overfitting and how to fight it');
      expect(await page.locator('#over input[name=earlyStopping]').isChecked()).toBe(true);
      expect(await page.locator('#over input[name=trainPoints]').isChecked()).toBe(true);
      expect(await page.locator('#over input[name=l2]').isChecked()).toBe(false);
      expect(await page.locator('#over .lesson-code code').textContent()).toMatch(/wave\(150\)[\s\S]*restore_best_weights=True/);
      // Its figures carry the element's id prefix (several apps on one page).
      for (const id of ['epoch', 'val-loss', 'lesson-view', 'overfit-curves', 'train-val-gap', 'best-epoch', 'stopped-epoch']) expect(await page.locator(`#over-${id}`).count(), id).toBe(1);
      expect(await page.locator('#over-stopped-epoch').textContent()).toBe('on, not triggered yet');
      expect(errors).toEqual([]);
    } finally {
      await host.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
