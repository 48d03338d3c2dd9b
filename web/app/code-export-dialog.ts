// Export code: a modal dialog (<dialog>: focus stays inside, Escape closes it) that shows the
// current model as Keras, PyTorch or TF.js source (the library's nn.exportCode), with a Copy
// button and a Download button that saves the code and its weights file side by side.
//
// What it is not: a converter. The page asks its app for the model (a ModelJSON checkpoint from
// the worker), the library rebuilds it on this thread for the moment of the export and writes
// the code; the dialog only shows and saves texts.
import * as nn from 'nnplay';
import type { CodeTarget, ExportedCode } from 'nnplay';
import './code-export-dialog.css';

export interface CodeExportSource {
  /** The current model as a model file (ModelJSON), as the worker saved it just now. */
  model(): Promise<unknown>;
  /** Comment lines for the top of the code (what the inputs mean, ...). */
  comment(): string[];
  /** Base name of the downloaded files. */
  fileBase(): string;
}

const TARGETS: { id: CodeTarget; label: string }[] = [
  { id: 'keras', label: 'Keras (Python)' },
  { id: 'pytorch', label: 'PyTorch' },
  { id: 'tfjs', label: 'TF.js' },
];

let dialogs = 0;

export class CodeExportDialog {
  readonly dialog: HTMLDialogElement;
  private readonly code: HTMLTextAreaElement;
  private readonly status: HTMLElement;
  private readonly buttons: HTMLButtonElement[];
  private results = new Map<CodeTarget, ExportedCode | Error>();
  private target: CodeTarget = 'pytorch';

  constructor(
    private readonly doc: Document,
    private readonly source: CodeExportSource,
  ) {
    const id = `nnplay-code-${++dialogs}`;
    const d = doc.createElement('dialog');
    d.className = 'nnplay-code-export';
    d.setAttribute('aria-labelledby', `${id}-title`);
    d.innerHTML = `
      <form method="dialog" class="code-head">
        <h2 id="${id}-title">Export the model as code</h2>
        <button type="submit" class="code-close" aria-label="Close">×</button>
      </form>
      <div class="code-body">
        <fieldset class="code-targets"><legend>Framework</legend>
          ${TARGETS.map((t) => `<label><input type="radio" name="${id}-target" value="${t.id}"${t.id === this.target ? ' checked' : ''}> ${t.label}</label>`).join('')}
        </fieldset>
        <label for="${id}-text" class="sr-only">Code</label>
        <textarea id="${id}-text" class="code-text" readonly rows="18" spellcheck="false"></textarea>
        <div class="code-actions">
          <button type="button" data-action="copy">Copy code</button>
          <button type="button" data-action="download">Download code + weights</button>
        </div>
        <p class="code-status" role="status" aria-live="polite"></p>
      </div>`;
    this.dialog = d;
    this.code = d.querySelector('textarea') as HTMLTextAreaElement;
    this.status = d.querySelector('.code-status') as HTMLElement;
    this.buttons = [...d.querySelectorAll<HTMLButtonElement>('.code-actions button')];
    d.addEventListener('change', (e) => {
      const input = e.target as HTMLInputElement;
      if (input.type === 'radio') {
        this.target = input.value as CodeTarget;
        this.show();
      }
    });
    d.addEventListener('click', (e) => {
      const b = (e.target as Element).closest<HTMLButtonElement>('button[data-action]');
      if (b?.dataset.action === 'copy') void this.copy();
      if (b?.dataset.action === 'download') this.download();
    });
    doc.body.append(d);
  }

  /** Opens the dialog and exports the current model to every target. */
  async open(): Promise<void> {
    this.results.clear();
    this.code.value = '';
    this.status.textContent = 'Exporting the current model…';
    this.buttons.forEach((b) => (b.disabled = true));
    if (!this.dialog.open) this.dialog.showModal();
    try {
      const json = await this.source.model();
      await nn.ready();
      const model = nn.models.fromJSON(json);
      try {
        const options = { comment: this.source.comment(), fileBase: this.source.fileBase() };
        for (const t of TARGETS) {
          try {
            this.results.set(t.id, await nn.exportCode(model, t.id, options));
          } catch (e) {
            this.results.set(t.id, e instanceof Error ? e : new Error(String(e)));
          }
        }
      } finally {
        model.dispose();
      }
      this.status.textContent = '';
    } catch (e) {
      this.status.textContent = `Could not export: ${e instanceof Error ? e.message : String(e)}`;
      return;
    }
    this.show();
  }

  /** The export shown now (for tests and the buttons). */
  current(): ExportedCode | Error | undefined {
    return this.results.get(this.target);
  }

  close(): void {
    if (this.dialog.open) this.dialog.close();
  }

  dispose(): void {
    this.close();
    this.dialog.remove();
  }

  private show(): void {
    const r = this.current();
    if (!r) return;
    const ok = !(r instanceof Error);
    this.code.value = ok ? r.code : '';
    this.buttons.forEach((b) => (b.disabled = !ok));
    this.status.textContent = ok ? `${r.codeFileName} loads ${r.weightsFileName}, saved beside it by Download.` : r.message;
  }

  private async copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.code.value);
      this.status.textContent = 'Copied the code.';
    } catch {
      this.code.select();
      this.status.textContent = 'The browser did not allow copying: the text is selected, press Ctrl+C (⌘C).';
    }
  }

  private download(): void {
    const r = this.current();
    if (!r || r instanceof Error) return;
    const save = (text: string, name: string, type: string) => {
      const href = URL.createObjectURL(new Blob([text], { type }));
      const a = this.doc.createElement('a');
      a.href = href;
      a.download = name;
      this.dialog.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(href), 1000);
    };
    save(r.code, r.codeFileName, r.language === 'python' ? 'text/x-python' : 'text/javascript');
    save(r.weights, r.weightsFileName, 'application/json');
    this.status.textContent = `Downloaded ${r.codeFileName} and ${r.weightsFileName}.`;
  }
}
