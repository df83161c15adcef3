// @ts-check
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const contentDir = fileURLToPath(new URL('../../content/', import.meta.url));
const LESSON_FILE = /^([^_].*)\.mdx?$/;

/**
 * @typedef {{ slug: string, label: string, order: number, lessons: string[] }} CourseModule
 */

/**
 * The course's modules in order, read from content/<module>/_module.json
 * ({ "label", "order", "lessons": [lesson file names without extension, in order] }).
 * A listed lesson without a file is an error; a lesson file that is not listed is reported.
 * @param {string} [dir]
 * @param {(message: string) => void} [warn]
 * @returns {CourseModule[]}
 */
export function readModules(dir = contentDir, warn = (m) => console.warn(`[dockyard] ${m}`)) {
  /** @type {CourseModule[]} */
  const modules = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('_')) continue;
    const moduleDir = join(dir, entry.name);
    const metaPath = join(moduleDir, '_module.json');
    if (!existsSync(metaPath)) {
      throw new Error(`${moduleDir}: a module folder needs a _module.json with "label", "order" and "lessons"`);
    }
    const meta = JSON.parse(readFileSync(metaPath, 'utf8'));
    for (const [field, ok] of /** @type {const} */ ([
      ['label', typeof meta.label === 'string'],
      ['order', typeof meta.order === 'number'],
      ['lessons', Array.isArray(meta.lessons) && meta.lessons.every((/** @type {unknown} */ l) => typeof l === 'string')],
    ])) {
      if (!ok) throw new Error(`${metaPath}: field "${field}" is missing or has the wrong type`);
    }
    const files = readdirSync(moduleDir)
      .map((name) => name.match(LESSON_FILE)?.[1])
      .filter((name) => name !== undefined);
    for (const lesson of meta.lessons) {
      if (!files.includes(lesson)) throw new Error(`${metaPath}: field "lessons" names "${lesson}", but ${moduleDir} has no ${lesson}.mdx`);
    }
    for (const file of files) {
      if (!meta.lessons.includes(file)) warn(`${join(moduleDir, file)}.mdx is not listed in ${metaPath}; it is left out of the sidebar`);
    }
    modules.push({ slug: entry.name, label: meta.label, order: meta.order, lessons: meta.lessons });
  }
  return modules.sort((a, b) => a.order - b.order);
}

/** Starlight sidebar: the course overview, then one group per module with its lessons in order. */
export const courseSidebar = [
  { label: 'Start here', link: '/' },
  ...readModules().map((m) => ({ label: m.label, items: m.lessons.map((lesson) => `${m.slug}/${lesson}`) })),
];
