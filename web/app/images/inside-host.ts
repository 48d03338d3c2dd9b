// Hosts the inside-the-network view (inside-view.ts, a widget of its own) in the Images mode's
// <section>. The widget is found at build time: while inside-view.ts is not in the tree, the
// section says so and snapshots are dropped; once it is, this host creates it and passes on
// every snapshot.
import type { InsideSnapshot } from '../../worker/images-protocol';

interface InsideViewLike {
  update(s: InsideSnapshot): void;
  dispose(): void;
}
type InsideViewModule = { InsideView: new (container: HTMLElement) => InsideViewLike };

// Vite resolves the glob when it builds: an empty object when the file does not exist.
const modules = import.meta.glob<InsideViewModule>('./inside-view.ts');

export class InsideHost {
  private view: InsideViewLike | null = null;
  private pending: InsideSnapshot | null = null;
  private disposed = false;

  constructor(container: HTMLElement) {
    const load = modules['./inside-view.ts'];
    if (!load) {
      const p = container.ownerDocument.createElement('p');
      p.className = 'hint';
      p.textContent = 'This build has no inside view (web/app/images/inside-view.ts).';
      container.replaceChildren(p);
      return;
    }
    void load().then((m) => {
      if (this.disposed) return;
      this.view = new m.InsideView(container);
      if (this.pending) this.view.update(this.pending);
      this.pending = null;
    });
  }

  get available(): boolean {
    return this.view !== null || this.pending !== null || modules['./inside-view.ts'] !== undefined;
  }

  update(s: InsideSnapshot): void {
    if (this.view) this.view.update(s);
    else this.pending = s;
  }

  dispose(): void {
    this.disposed = true;
    this.view?.dispose();
    this.view = null;
  }
}
