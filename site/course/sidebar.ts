import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseModuleMeta, type ModuleMeta } from './module-schema.ts';

const contentDir = fileURLToPath(new URL('../../content/', import.meta.url));
const LESSON_FILE = /^([^_].*)\.mdx?$/;

/** A module of the course: its folder name and what its _module.json says. */
export type CourseModule = ModuleMeta & { slug: string };

/**
 * The course's modules in order, read from content/<module>/_module.json and checked with
 * its schema (site/course/module-schema.ts).
 * A listed lesson without a file is an error; a lesson file that is not listed is reported.
 */
export function readModules(dir = contentDir, warn: (message: string) => void = (m) => console.warn(`[dockyard] ${m}`)): CourseModule[] {
  const modules: CourseModule[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('_')) continue;
    const moduleDir = join(dir, entry.name);
    const metaPath = join(moduleDir, '_module.json');
    if (!existsSync(metaPath)) {
      throw new Error(`${moduleDir}: a module folder needs a _module.json with "label", "order" and "lessons"`);
    }
    const meta = parseModuleMeta(metaPath, readFileSync(metaPath, 'utf8'));
    const files = readdirSync(moduleDir)
      .map((name) => name.match(LESSON_FILE)?.[1])
      .filter((name): name is string => name !== undefined);
    for (const lesson of meta.lessons) {
      if (!files.includes(lesson)) throw new Error(`${metaPath}: field "lessons" names "${lesson}", but ${moduleDir} has no ${lesson}.mdx`);
    }
    for (const file of files) {
      if (!meta.lessons.includes(file)) warn(`${join(moduleDir, file)}.mdx is not listed in ${metaPath}; it is left out of the sidebar`);
    }
    modules.push({ slug: entry.name, ...meta });
  }
  return modules.sort((a, b) => a.order - b.order);
}

/** Starlight sidebar: the course overview, then one group per module with its lessons in order (read when the config loads). */
export function courseSidebar(dir = contentDir) {
  return [
    { label: 'Start here', link: '/' },
    ...readModules(dir).map((m) => ({ label: m.label, items: m.lessons.map((lesson) => `${m.slug}/${lesson}`) })),
  ];
}
