// The words and listing of a lesson whose preset lives in another mode (lessons 5-7: the Images
// mode's MNIST MLP and CNN, the Sequences mode's LSTM), shown above that mode's app: the lesson's
// title, its two or three sentences and its Keras / nnplay listing, as the lessons that run in
// the Lessons view show them. The page shell (and <nn-playground lesson="…">) puts it up when it
// follows such a lesson's link and takes it down when the mode or the lesson changes.
import { CodePanel } from './code-panel';
import { lessonListing } from './lesson-table';
import type { Lesson } from './lesson-table';

export class LessonNote {
  readonly element: HTMLElement;

  constructor(
    doc: Document,
    readonly lesson: Lesson,
    idPrefix = '',
  ) {
    this.element = doc.createElement('section');
    this.element.className = 'lesson-app lesson-note';
    this.element.id = `${idPrefix}lesson-note`;
    this.element.setAttribute('aria-label', `Lesson ${lesson.number}`);
    const heading = doc.createElement('h2');
    heading.className = 'lesson-title';
    heading.textContent = `Lesson ${lesson.number}: ${lesson.title}`;
    const text = doc.createElement('p');
    text.className = 'lesson-text';
    text.textContent = lesson.text;
    const code = new CodePanel(doc);
    code.show(lessonListing(lesson));
    this.element.append(heading, text, code.element);
  }

  dispose(): void {
    this.element.remove();
  }
}
