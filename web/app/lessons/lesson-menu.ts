// The page shell's Lessons menu and what `lesson=<id>` means to the shell, both from the one
// table (lesson-table.ts): a runnable lesson opens the Lessons view (LessonApp); a lesson whose
// preset lives in another mode is a link to that preset; a lesson not available yet is listed,
// disabled, with its note.
import { LESSONS, lessonById, runsHere } from './lesson-table';

/** The menu: a <details> dropdown of links (`#lesson=<id>`), one per lesson, in table order. */
export function lessonMenu(doc: Document): HTMLDetailsElement {
  const menu = doc.createElement('details');
  menu.className = 'lessons-menu';
  const summary = doc.createElement('summary');
  summary.textContent = 'Lessons';
  const list = doc.createElement('ol');
  for (const lesson of LESSONS) {
    const item = doc.createElement('li');
    if (lesson.available) {
      const a = doc.createElement('a');
      a.href = `#lesson=${lesson.id}`;
      a.textContent = lesson.title;
      a.dataset.lesson = lesson.id;
      a.addEventListener('click', () => menu.removeAttribute('open'));
      item.append(a);
    } else {
      const span = doc.createElement('span');
      span.className = 'lesson-unavailable';
      span.setAttribute('aria-disabled', 'true');
      span.dataset.lesson = lesson.id;
      span.textContent = `${lesson.title} (${lesson.note ?? 'not available yet'})`;
      item.append(span);
    }
    list.append(item);
  }
  menu.append(summary, list);
  return menu;
}

/**
 * What the shell does with a hash naming a lesson: 'here' (open the Lessons view), the other
 * mode's preset text to go to instead, or null (no lesson, an unknown id, or not available).
 */
export function lessonRoute(text: string): 'here' | { redirect: string } | null {
  const lesson = lessonById(new URLSearchParams(text.replace(/^#/, '')).get('lesson'));
  if (!lesson || !lesson.available) return null;
  if (runsHere(lesson)) return 'here';
  return lesson.link ? { redirect: lesson.link } : null;
}
