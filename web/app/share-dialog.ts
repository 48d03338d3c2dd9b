// Share / Embed: a modal dialog (<dialog>, so focus stays inside and Escape closes it) that
// writes the three ways to embed the current setup: a link, an iframe snippet (embed.html) and a
// <nn-playground> snippet, with checkboxes for the controls to hide, an autoplay switch and a
// live preview (an iframe of the snippet's page; inert, so Tab and Escape stay with the dialog). Everything is derived from the setup text and
// the hideable controls of the current mode; the dialog knows no state of its own.
import { kebab } from './element';
import './share-dialog.css';

export interface ShareSource {
  /** The current setup as hash text, without its hide options. */
  setupText(): string;
  /** The controls this mode can hide. */
  hideable(): readonly string[];
  /** The controls hidden now. */
  hidden(): ReadonlySet<string>;
}

/** An iframe snippet for `pageUrl` (embed.html) with the setup in its hash. */
export function iframeSnippet(embedUrl: string): string {
  return `<iframe src="${escapeAttr(embedUrl)}" width="900" height="620" style="border:0;max-width:100%" title="nnplay neural network playground" loading="lazy" allow="clipboard-write"></iframe>`;
}

/** A <nn-playground> snippet: one attribute per setup key, hide and autoplay. */
export function elementSnippet(setupText: string, hide: string[], autoplay: boolean): string {
  const attrs: string[] = [];
  for (const [key, value] of new URLSearchParams(setupText)) {
    if (key.endsWith('_hide')) continue;
    attrs.push(`${kebab(key)}="${escapeAttr(value)}"`);
  }
  if (hide.length) attrs.push(`hide="${hide.join(',')}"`);
  if (autoplay) attrs.push('autoplay');
  return `<script type="module">import 'nnplay/playground';</script>\n<nn-playground ${attrs.join(' ')}></nn-playground>`;
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export class ShareDialog {
  readonly dialog: HTMLDialogElement;
  private readonly hideBoxes = new Map<string, HTMLInputElement>();
  private readonly autoplay: HTMLInputElement;
  private readonly fields: Record<'link' | 'iframe' | 'element', HTMLTextAreaElement>;
  private readonly preview: HTMLIFrameElement;
  private readonly status: HTMLElement;
  private previewTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly doc: Document,
    private readonly source: ShareSource,
    private readonly baseUrl: URL,
  ) {
    const d = doc.createElement('dialog');
    d.className = 'nnplay-share';
    d.setAttribute('aria-labelledby', 'nnplay-share-title');
    d.innerHTML = `
      <form method="dialog" class="share-head">
        <h2 id="nnplay-share-title">Share or embed this setup</h2>
        <button type="submit" class="share-close" aria-label="Close">×</button>
      </form>
      <div class="share-body">
        <div class="share-options">
          <fieldset><legend>Hide controls in the embed</legend><div class="share-hide"></div></fieldset>
          <label class="share-autoplay"><input type="checkbox" name="autoplay"> Start training when shown (autoplay)</label>
        </div>
        <div class="share-outputs">
          ${(['link', 'iframe', 'element'] as const)
            .map(
              (k) => `<div class="share-output">
            <label for="nnplay-share-${k}">${k === 'link' ? 'Link' : k === 'iframe' ? 'Iframe snippet' : '&lt;nn-playground&gt; snippet'}</label>
            <textarea id="nnplay-share-${k}" readonly rows="${k === 'link' ? 2 : 3}"></textarea>
            <button type="button" data-copy="${k}">Copy ${k === 'link' ? 'link' : k === 'iframe' ? 'iframe snippet' : 'element snippet'}</button>
          </div>`,
            )
            .join('')}
          <p class="share-status" role="status" aria-live="polite"></p>
        </div>
        <figure class="share-preview"><figcaption>Preview</figcaption><iframe title="Preview of the embed" loading="lazy" tabindex="-1" inert></iframe></figure>
      </div>`;
    this.dialog = d;
    const q = <T extends Element>(sel: string) => d.querySelector(sel) as T;
    this.autoplay = q<HTMLInputElement>('input[name=autoplay]');
    this.fields = { link: q('#nnplay-share-link'), iframe: q('#nnplay-share-iframe'), element: q('#nnplay-share-element') };
    this.preview = q<HTMLIFrameElement>('.share-preview iframe');
    this.status = q<HTMLElement>('.share-status');
    d.addEventListener('change', () => this.update());
    d.addEventListener('click', (e) => {
      const b = (e.target as Element).closest<HTMLButtonElement>('button[data-copy]');
      if (b) void this.copy(b.dataset.copy as 'link' | 'iframe' | 'element');
    });
    // Closing stops the preview's training.
    d.addEventListener('close', () => this.preview.removeAttribute('src'));
    doc.body.append(d);
  }

  open(): void {
    const box = this.dialog.querySelector('.share-hide') as HTMLElement;
    box.replaceChildren();
    this.hideBoxes.clear();
    const hidden = this.source.hidden();
    for (const control of this.source.hideable()) {
      const label = this.doc.createElement('label');
      const input = this.doc.createElement('input');
      input.type = 'checkbox';
      input.name = `hide-${control}`;
      input.checked = hidden.has(control);
      label.append(input, ` ${kebab(control).replace(/-/g, ' ')}`);
      box.append(label);
      this.hideBoxes.set(control, input);
    }
    this.status.textContent = '';
    this.update();
    this.dialog.showModal();
    this.fields.link.focus();
  }

  /** The texts for the current choices. */
  texts(): { link: string; iframe: string; element: string; embedUrl: string } {
    const hide = [...this.hideBoxes].filter(([, b]) => b.checked).map(([c]) => c);
    const params = new URLSearchParams(this.source.setupText());
    for (const c of hide) params.set(`${c}_hide`, 'true');
    if (this.autoplay.checked) params.set('autoplay', 'true');
    const hash = params.toString().replace(/%2C/g, ',').replace(/%3A/g, ':');
    const link = new URL(`index.html#${hash}`, this.baseUrl).href;
    // embed.html hides every control unless the hash names some: name them all (true or false).
    const embedParams = new URLSearchParams(hash);
    for (const [c, b] of this.hideBoxes) embedParams.set(`${c}_hide`, String(b.checked));
    const embedUrl = new URL(`embed.html#${embedParams.toString().replace(/%2C/g, ',').replace(/%3A/g, ':')}`, this.baseUrl).href;
    const element = elementSnippet(this.source.setupText(), hide, this.autoplay.checked);
    return { link, iframe: iframeSnippet(embedUrl), element, embedUrl };
  }

  private update(): void {
    const t = this.texts();
    this.fields.link.value = t.link;
    this.fields.iframe.value = t.iframe;
    this.fields.element.value = t.element;
    // The preview follows the choices, a moment after the last change.
    if (this.previewTimer) clearTimeout(this.previewTimer);
    this.previewTimer = setTimeout(() => {
      if (this.dialog.open) this.preview.src = t.embedUrl;
    }, 300);
  }

  private async copy(which: 'link' | 'iframe' | 'element'): Promise<void> {
    const field = this.fields[which];
    try {
      await navigator.clipboard.writeText(field.value);
      this.status.textContent = `Copied the ${which === 'link' ? 'link' : `${which} snippet`}.`;
    } catch {
      field.select();
      this.status.textContent = 'The browser did not allow copying: the text is selected, press Ctrl+C (⌘C).';
    }
  }
}
