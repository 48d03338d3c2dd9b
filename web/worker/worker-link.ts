// A page's connection to one of its training workers: starts the worker with the page's
// compiled engine (shared-engine.ts), posts messages, and notices when the worker is gone.
//
// Why a heartbeat: a terminated worker fires no event at all, and one that crashed inside the
// engine may fire `error` or simply stop answering. The link pings every second; the worker's
// entry answers at once (even mid-training: both workers train in short slices or per batch).
// No answer for LOST_MS (STARTUP_MS while the engine starts), an `error` event or a
// `messageerror` reports the worker lost, once, through onLost; the owner starts a new link.
import { EngineGate } from './shared-engine';

const PING_MS = 1000;
/** No reply for this long: the worker is lost (once it has started; STARTUP_MS before). */
export const LOST_MS = 4000;
const STARTUP_MS = 30000;

/** The messages the heartbeat adds to both workers' protocols. */
export type PingMessage = { type: 'ping'; id: number };
export type PongMessage = { type: 'pong'; id: number };

export class WorkerLink<Out extends { type: string }> {
  private readonly gate: EngineGate;
  private readonly timer: ReturnType<typeof setInterval>;
  private lastReply = performance.now();
  private lastTick = performance.now();
  private started = false;
  private pingId = 0;
  private lost = false;

  constructor(
    private readonly worker: Worker,
    onMessage: (message: Out) => void,
    private readonly onLost: (reason: string) => void = () => {},
  ) {
    this.gate = new EngineGate(worker);
    worker.onmessage = (event: MessageEvent<Out | PongMessage>) => {
      this.lastReply = performance.now();
      const message = event.data;
      if (message.type === 'pong') return;
      if (message.type === 'ready') this.started = true;
      onMessage(message as Out);
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      this.markLost(`it failed (${event.message || 'an error without a message'})`);
    };
    worker.onmessageerror = () => this.markLost('a message from it could not be read');
    this.timer = setInterval(() => this.tick(), PING_MS);
  }

  get isLost(): boolean {
    return this.lost;
  }

  post(message: unknown, transfer: Transferable[] = []): void {
    if (!this.lost) this.gate.post(message, transfer);
  }

  /** For tests and automation: ends the worker as a crash would, without telling anyone. */
  terminateWorker(): void {
    this.worker.terminate();
  }

  dispose(): void {
    clearInterval(this.timer);
    this.lost = true;
    this.worker.terminate();
  }

  private tick(): void {
    const now = performance.now();
    // A late tick means this page was throttled (background tab, busy main thread): the
    // silence says nothing about the worker, so measure afresh.
    const late = now - this.lastTick > 3 * PING_MS;
    this.lastTick = now;
    if (late) this.lastReply = now;
    const limit = this.started ? LOST_MS : STARTUP_MS;
    if (now - this.lastReply > limit) {
      this.markLost(`it stopped answering for ${Math.round((now - this.lastReply) / 1000)} s`);
      return;
    }
    this.gate.post({ type: 'ping', id: ++this.pingId } satisfies PingMessage);
  }

  private markLost(reason: string): void {
    if (this.lost) return;
    this.dispose();
    this.onLost(reason);
  }
}
