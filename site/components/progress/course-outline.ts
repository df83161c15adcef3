import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { getCollection } from 'astro:content';
import { exerciseIndex } from '../../course/exercise-index.ts';
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

interface ModuleMeta {
  slug: string;
  label: string;
  order: number;
  lessons: string[];
}

/**
 * The modules of content/ in their order, from each folder's _module.json. The sidebar
 * (site/course/sidebar.mjs) reads the same files when the config loads and fails the build
 * on a bad one; here a folder without a usable _module.json is left out.
 */
export function readModuleMetas(dir: string): ModuleMeta[] {
  const modules: ModuleMeta[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name, '_module.json');
    if (!entry.isDirectory() || entry.name.startsWith('_') || !existsSync(path)) continue;
    const meta = JSON.parse(readFileSync(path, 'utf8')) as Partial<ModuleMeta>;
    if (typeof meta.label !== 'string' || typeof meta.order !== 'number' || !Array.isArray(meta.lessons)) continue;
    modules.push({ slug: entry.name, label: meta.label, order: meta.order, lessons: meta.lessons.filter((l) => typeof l === 'string') });
  }
  return modules.sort((a, b) => a.order - b.order);
}

let cached: Promise<OutlineModule[]> | undefined;

/**
 * The course in order: modules from content/<module>/_module.json, their lessons' titles
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
    return readModuleMetas(resolve('content')).map((module): OutlineModule => {
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
