import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { loadExercises } from '../../sandbox-server/exercises/load.ts';
import { splitFrontmatter } from '../../sandbox-server/exercises/markdown.ts';
import { readModules } from './sidebar.ts';

/**
 * The course as a whole: ten modules in order, every lesson saying what it teaches and which
 * exercise practises it, a recap closing each module, and at least three exercises per module of
 * the kind that fits it.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const contentDir = join(root, 'content');
const modules = readModules(contentDir, () => {});
const { exercises, errors } = loadExercises(join(root, 'exercises'));

/** The course's modules in reading order, and the checker kinds their exercises use. */
const COURSE: [slug: string, kind: string | string[]][] = [
  ['why-containers', 'terminal'],
  ['images', 'terminal'],
  ['containers', 'terminal'],
  ['volumes', 'terminal'],
  ['dockerfiles', 'dockerfile'],
  ['registries', 'terminal'],
  ['networking', 'terminal'],
  ['compose', 'compose'],
  ['troubleshooting', ['terminal', 'dockerfile']],
  ['python-asyncio', 'python'],
];

interface Lesson {
  module: string;
  slug: string;
  file: string;
  data: { title?: string; description?: string; sandbox?: string; goals?: unknown; exercise?: string };
  body: string;
}

const lessons: Lesson[] = modules.flatMap((m) =>
  m.lessons.map((slug) => {
    const file = join('content', m.slug, `${slug}.mdx`);
    const { yaml: frontmatter, body } = splitFrontmatter(readFileSync(join(root, file), 'utf8'));
    return { module: m.slug, slug, file, data: (yaml.load(frontmatter ?? '') ?? {}) as Lesson['data'], body };
  }),
);

describe('the course', () => {
  it('has the ten modules, in order', () => {
    expect(modules.map((m) => m.slug)).toEqual(COURSE.map(([slug]) => slug));
  });

  it('ends every module with a recap without a sandbox', () => {
    for (const m of modules) {
      expect(m.lessons.at(-1), `${m.slug}: last lesson`).toBe('recap');
      const recap = lessons.find((l) => l.module === m.slug && l.slug === 'recap');
      expect(recap?.data.sandbox ?? 'none', `${m.slug}/recap sandbox`).toBe('none');
    }
  });

  it('says in every lesson what the student will be able to do', () => {
    for (const l of lessons) {
      expect(Array.isArray(l.data.goals) && l.data.goals.length > 0, `${l.file}: goals`).toBe(true);
      expect(l.data.description, `${l.file}: description`).toBeTruthy();
    }
  });

  it('points every lesson but the recaps to an exercise of its own module', () => {
    expect(errors).toEqual([]);
    const bySlug = new Map(exercises.map((e) => [e.slug, e]));
    for (const l of lessons.filter((l) => l.slug !== 'recap')) {
      expect(l.data.exercise, `${l.file}: exercise`).toBeTruthy();
      const exercise = bySlug.get(l.data.exercise!);
      expect(exercise, `${l.file}: exercise ${l.data.exercise} exists`).toBeDefined();
      expect(exercise!.frontmatter.module, `${l.file}: exercise ${l.data.exercise} is of module ${l.module}`).toBe(l.module);
    }
  });

  it('has at least three exercises per module, of the kind that fits it, each practised by a lesson', () => {
    const pointed = new Set(lessons.map((l) => l.data.exercise).filter(Boolean));
    for (const [module, kind] of COURSE) {
      const own = exercises.filter((e) => e.frontmatter.module === module);
      expect(own.length, `${module}: exercises`).toBeGreaterThanOrEqual(3);
      for (const e of own) {
        expect([kind].flat(), `${e.slug}: kind`).toContain(e.frontmatter.kind);
        expect(pointed.has(e.slug), `${e.slug}: some lesson points to it`).toBe(true);
      }
    }
    expect(exercises.length).toBeGreaterThanOrEqual(27);
    for (const e of exercises) expect(COURSE.map(([m]) => m), `${e.slug}: module`).toContain(e.frontmatter.module);
  });
});
