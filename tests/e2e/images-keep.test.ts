// The Images mode keeps what the user trained: a reload brings the model back (weights,
// epoch, curves, the same test figures), Reset forgets it, a lost worker restarts from the
// latest checkpoint instead of fresh weights, and each setup keeps its own model.
//
// Needs the built page: `npx vite build -c web/app/vite.config.ts` (which needs build/wasm).
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { clearOrigin, usePlayground } from './fixture';

const app = usePlayground();
let pages: Page[] = [];

afterEach(async () => {
  await Promise.all(pages.map((p) => p.close()));
  pages = [];
});

interface Hooks {
  checkpointEpoch: number | null;
  restoredEpoch: number | null;
  evaluations: number;
  generation: number;
  whenStored(): Promise<void>;
  reset(): void;
  terminateWorker(): void;
}
type HookName = Exclude<keyof Hooks, 'whenStored' | 'reset' | 'terminateWorker'>;
const hook = <K extends HookName>(page: Page, name: K) =>
  page.evaluate((n) => (window as unknown as { nnplay: Hooks }).nnplay[n as HookName], name) as Promise<Hooks[K]>;

/** A page on a clean origin (no setups, no kept models), then at `hash`. */
async function open(hash: string): Promise<Page> {
  const page = await app.browser.context.newPage();
  pages.push(page);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  (page as unknown as { nnErrors: string[] }).nnErrors = errors;
  await page.goto(app.server.url);
  await clearOrigin(page);
  await page.goto(`${app.server.url}${hash}`);
  return page;
}

const errorsOf = (page: Page) => (page as unknown as { nnErrors: string[] }).nnErrors;

async function trainOneEpoch(page: Page): Promise<string> {
  const train = page.getByRole('button', { name: 'Train', exact: true });
  await expect.poll(() => train.isEnabled(), { timeout: 90_000 }).toBe(true);
  await train.click();
  await expect.poll(() => hook(page, 'checkpointEpoch'), { timeout: 120_000 }).toBe(1);
  await page.evaluate(() => (window as unknown as { nnplay: Hooks }).nnplay.whenStored());
  // The epoch's test evaluation is a message of its own: on a busy machine it can arrive after the
  // checkpoint (a CI run read "–" here), so wait for its figure.
  await expect.poll(() => page.locator('#test-accuracy').textContent(), { timeout: 60_000 }).toMatch(/%$/);
  return (await page.locator('#test-accuracy').textContent()) ?? '';
}

const MLP = '#mode=images&dataset=mnist&preset=mlp&epochs=1';

describe('Images mode: the trained model is kept', () => {
  it('survives a reload: epoch, curves and the very same test figures come back, and training carries on', async () => {
    const page = await open(MLP);
    const accuracy = await trainOneEpoch(page);
    expect(accuracy).toMatch(/^\d+\.\d\d%$/);
    const testLoss = await page.locator('#test-loss').textContent();

    await page.reload();
    await expect.poll(() => hook(page, 'restoredEpoch'), { timeout: 90_000 }).toBe(1);
    await expect.poll(() => hook(page, 'evaluations'), { timeout: 60_000 }).toBeGreaterThanOrEqual(1);
    // The same weights on the same test set: the same figures, to the last digit shown.
    expect(await page.locator('#test-accuracy').textContent()).toBe(accuracy);
    expect(await page.locator('#test-loss').textContent()).toBe(testLoss);
    expect(await page.locator('#epoch-time').textContent()).toBe('restored at epoch 1');

    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect.poll(() => hook(page, 'checkpointEpoch'), { timeout: 120_000 }).toBe(2);
    expect(errorsOf(page)).toEqual([]);
  });

  it('Reset forgets it: after a reload the model starts fresh', async () => {
    const page = await open(MLP);
    await trainOneEpoch(page);
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    await page.evaluate(() => (window as unknown as { nnplay: Hooks }).nnplay.whenStored());
    await page.reload();
    const train = page.getByRole('button', { name: 'Train', exact: true });
    await expect.poll(() => train.isEnabled(), { timeout: 90_000 }).toBe(true);
    // Give a kept model every chance to arrive: none does.
    await page.waitForTimeout(500);
    expect(await hook(page, 'restoredEpoch')).toBeNull();
    expect(await hook(page, 'evaluations')).toBe(0);
    expect(errorsOf(page)).toEqual([]);
  });

  it('each setup keeps its own: another preset trains fresh, switching back restores the first', async () => {
    const page = await open(MLP);
    const accuracy = await trainOneEpoch(page);
    await page.locator('#preset').selectOption('cnn');
    await expect.poll(() => hook(page, 'generation'), { timeout: 60_000 }).toBeGreaterThan(1);
    await page.waitForTimeout(300);
    expect(await hook(page, 'restoredEpoch')).toBeNull();
    await page.locator('#preset').selectOption('mlp');
    await expect.poll(() => hook(page, 'restoredEpoch'), { timeout: 60_000 }).toBe(1);
    await expect.poll(() => page.locator('#test-accuracy').textContent(), { timeout: 60_000 }).toBe(accuracy);
    expect(errorsOf(page)).toEqual([]);
  });

  it('a lost worker restarts from the latest checkpoint, not from fresh weights', async () => {
    const page = await open(MLP);
    const accuracy = await trainOneEpoch(page);
    await page.evaluate(() => (window as unknown as { nnplay: Hooks }).nnplay.terminateWorker());
    await expect
      .poll(() => page.locator('#message-text').textContent(), { timeout: 15_000 })
      .toMatch(/^The training worker stopped \(it stopped answering for \d+ s\); press Train to restart it with your stack, settings and the model as it was at epoch 1\.$/);
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect.poll(() => hook(page, 'restoredEpoch'), { timeout: 90_000 }).toBe(1);
    // The restored model is evaluated first (the same figures), then trains epoch 2.
    await expect.poll(() => hook(page, 'checkpointEpoch'), { timeout: 120_000 }).toBe(2);
    // Resumed, not restarted: the loss curve runs on from epoch 1 without going back to 0.
    const epochs = await page.evaluate(() => (window as unknown as { nnplay: { lossHistory: { epoch: number[] } } }).nnplay.lossHistory.epoch);
    expect(epochs[0]).toBeLessThan(1);
    expect(epochs.at(-1)).toBeGreaterThanOrEqual(2);
    expect(epochs.filter((e, i) => i > 0 && e < epochs[i - 1])).toEqual([]);
    expect(accuracy).toMatch(/%$/);
    expect(errorsOf(page)).toEqual([]);
  });
});

describe('Images mode: Step', () => {
  it('trains to the end of the next epoch and pauses; Train then runs the set epochs on from there', async () => {
    const page = await open('#mode=images&dataset=mnist&preset=mlp&epochs=2');
    const step = page.getByRole('button', { name: 'Step', exact: true });
    await expect.poll(() => step.isEnabled(), { timeout: 90_000 }).toBe(true);
    await step.click();
    await expect.poll(() => hook(page, 'checkpointEpoch'), { timeout: 120_000 }).toBe(1);
    await expect.poll(() => page.getByRole('button', { name: 'Train', exact: true }).isVisible()).toBe(true);
    expect(await page.locator('#epoch').textContent()).toBe('1');
    expect(await hook(page, 'evaluations')).toBe(1);
    await step.click();
    await expect.poll(() => hook(page, 'checkpointEpoch'), { timeout: 120_000 }).toBe(2);
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await expect.poll(() => hook(page, 'evaluations'), { timeout: 120_000 }).toBe(4);
    await expect.poll(() => page.getByRole('button', { name: 'Train', exact: true }).isVisible()).toBe(true);
    expect(await page.locator('#epoch').textContent()).toBe('4');
    expect(errorsOf(page)).toEqual([]);
  });
});
