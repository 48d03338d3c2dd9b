// The page's handle on the training worker: starts it (with the page's compiled engine, see
// shared-engine.ts), sends typed messages, hands typed replies to one listener, and notices
// when the worker is gone. Small on purpose; all state lives in the page or in the worker.
//
// Why a heartbeat: a terminated worker fires no event at all, and one that crashed inside the
// engine may fire `error` or simply stop answering. The client pings every second; the worker
// answers at once (even mid-training: it trains in slices of a few milliseconds). No answer for
// LOST_MS (longer while the engine starts), an `error` event or a `messageerror` reports the
// worker lost, once, through onLost; the owner then starts a new client.
import { type FromWorker, type FromWorkerRaw, type NodeSnapshot, toSnapshot, type ToWorker } from './protocol';
import { EngineGate } from './shared-engine';

const PING_MS = 1000;
/** No reply for this long: the worker is lost (once it has started; STARTUP_MS before). */
export const LOST_MS = 4000;
const STARTUP_MS = 30000;

export interface ClientOptions {
  /** Also gets each snapshot as the worker sent it (node payloads). */
  onNodes?: (snapshot: NodeSnapshot) => void;
  /** The worker is gone (crashed, hung or terminated): one sentence saying how it was noticed. */
  onLost?: (reason: string) => void;
}

export class PlaygroundClient {
  private readonly worker: Worker;
  private readonly gate: EngineGate;
  private readonly timer: ReturnType<typeof setInterval>;
  private lastReply = performance.now();
  private lastTick = performance.now();
  private started = false;
  private pingId = 0;
  private lost = false;

  /** onMessage gets every message, snapshots as the per-neuron Snapshot. */
  constructor(
    onMessage: (message: FromWorker) => void,
    private readonly options: ClientOptions = {},
  ) {
    // A module worker: Vite bundles it (and the wasm it loads) from this URL.
    this.worker = new Worker(new URL('./playground-worker.ts', import.meta.url), { type: 'module' });
    this.gate = new EngineGate(this.worker);
    this.worker.onmessage = (event: MessageEvent<FromWorkerRaw>) => {
      this.lastReply = performance.now();
      const message = event.data;
      if (message.type === 'pong') return;
      if (message.type === 'ready') this.started = true;
      if (message.type !== 'nodes') {
        onMessage(message);
        return;
      }
      options.onNodes?.(message.snapshot);
      onMessage({ type: 'snapshot', snapshot: toSnapshot(message.snapshot) });
    };
    this.worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      this.markLost(`it failed (${event.message || 'an error without a message'})`);
    };
    this.worker.onmessageerror = () => this.markLost('a message from it could not be read');
    this.timer = setInterval(() => this.tick(), PING_MS);
  }

  get isLost(): boolean {
    return this.lost;
  }

  send(message: ToWorker, transfer: Transferable[] = []): void {
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
    this.gate.post({ type: 'ping', id: ++this.pingId } satisfies ToWorker);
  }

  private markLost(reason: string): void {
    if (this.lost) return;
    this.dispose();
    this.options.onLost?.(reason);
  }
}
