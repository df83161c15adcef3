import { resolve } from 'node:path';
import { getCollection } from 'astro:content';
import { exerciseIndex } from '../../course/exercise-index.ts';
import { readModules } from '../../course/sidebar.ts';
import type { LessonFields } from '../../course/lesson-schema.ts';

/** A lesson of the docs collection, as far as the outline reads it (Starlight's title and Dockyard's fields). */
interface LessonEntry {
  id: string;
  data: LessonFields & { title: string };
}

/** An exercise as the overview and the sidebar show it. */
export interface OutlineExercise {
  slug: string;
  title: string;
  kind: string;
  /** The lesson that holds it. */
  lessonHref: string;
}

export interface OutlineLesson {
  /** The content id, e.g. "volumes/named-volumes". */
  id: string;
  href: string;
  title: string;
  module: string;
  exercise?: OutlineExercise;
}

export interface OutlineModule {
  slug: string;
  label: string;
  lessons: OutlineLesson[];
  /** The exercises its lessons point to, in lesson order, each once. */
  exercises: OutlineExercise[];
}

/** A site path for a content id, as Starlight links it ("why-containers/intro" → "/why-containers/intro/"). */
export function lessonHref(id: string): string {
  const base = import.meta.env.BASE_URL.replace(/\/+$/, '');
  return `${base}/${id}/`;
}

/** A path compared the way the sidebar's hrefs are: with one trailing slash. */
export function normalizePath(path: string): string {
  return `${path.replace(/\/+$/, '')}/`;
}

let cached: Promise<OutlineModule[]> | undefined;

/**
 * The course in order: modules from content/<module>/_module.json (site/course/module-schema.ts), their lessons' titles
 * and the exercises their frontmatter names. Read once per build.
 */
export function courseOutline(): Promise<OutlineModule[]> {
  // The dev server keeps modules loaded while lessons change: read afresh there.
  if (import.meta.env.DEV) cached = undefined;
  cached ??= (async () => {
    const docs: LessonEntry[] = await getCollection('docs');
    const entries = new Map(docs.map((entry) => [entry.id, entry]));
    const exercises = exerciseIndex();
    // The build runs from the project's root, as exerciseIndex assumes too.
    // The same reading of content/<module>/_module.json as the sidebar's (its warnings are the sidebar's to give).
    return readModules(resolve('content'), () => {}).map((module): OutlineModule => {
      const lessons: OutlineLesson[] = [];
      const moduleExercises: OutlineExercise[] = [];
      for (const name of module.lessons) {
        const id = `${module.slug}/${name}`;
        const entry = entries.get(id);
        if (!entry) continue;
        const href = lessonHref(id);
        const lesson: OutlineLesson = { id, href, title: entry.data.title, module: module.slug };
        const slug = entry.data.exercise;
        const exercise = slug ? exercises.get(slug) : undefined;
        if (slug && exercise) {
          lesson.exercise = { slug, title: exercise.title, kind: exercise.kind, lessonHref: href };
          if (!moduleExercises.some((e) => e.slug === slug)) moduleExercises.push(lesson.exercise);
        }
        lessons.push(lesson);
      }
      return { slug: module.slug, label: module.label, lessons, exercises: moduleExercises };
    });
  })();
  return cached;
}

/** Every lesson of the course by its path. */
export async function lessonsByPath(): Promise<Map<string, OutlineLesson>> {
  const lessons = new Map<string, OutlineLesson>();
  for (const module of await courseOutline()) {
    for (const lesson of module.lessons) lessons.set(normalizePath(lesson.href), lesson);
  }
  return lessons;
}
