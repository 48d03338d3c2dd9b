// The browser tests' Chromium: the shared launcher (tests/chromium.ts) at the page's desktop size,
// and the long-task record the freeze checks read.
import { launchChromium } from '../chromium';
import type { LaunchedChromium } from '../chromium';
import type { Page } from 'playwright-core';

export type Browser = LaunchedChromium;

export function launch(): Promise<Browser> {
  return launchChromium('nnplay-e2e-', { viewport: { width: 1400, height: 950 } });
}

/** A main-thread task Chromium reported as long (over 50 ms). */
export interface LongTask {
  start: number;
  duration: number;
}

/** Records the page's long tasks from before its own scripts run (call before goto). */
export async function recordLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __longTasks: LongTask[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
}

/** The long tasks that started at or after `from` (performance.now() in the page). */
export function longTasksSince(page: Page, from: number): Promise<LongTask[]> {
  return page.evaluate((f) => (window as unknown as { __longTasks: LongTask[] }).__longTasks.filter((t) => t.start >= f), from);
}
