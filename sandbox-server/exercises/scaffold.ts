import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exerciseKinds, slugPattern, type ExerciseKind } from './schema.ts';

/** What to scaffold. */
export interface ScaffoldOptions {
  root: string;
  slug: string;
  kind: string;
  module?: string;
  title?: string;
}

/** A request the scaffolder refuses: bad slug or kind, or an exercise that already exists. */
export class ScaffoldError extends Error {}

interface KindTemplate {
  file: string;
  language: string;
  starter: string;
  solution: string;
}

const templates: Record<ExerciseKind, KindTemplate> = {
  terminal: {
    file: 'commands.sh',
    language: 'shell',
    starter: '# Write here the commands you ran, one per line.\n',
    solution: '# TODO: the commands that solve the exercise.\ndocker run --rm hello-world\n',
  },
  dockerfile: {
    file: 'Dockerfile',
    language: 'dockerfile',
    starter: '# TODO: write a Dockerfile for the app.\nFROM alpine:3.20\n',
    solution: 'FROM alpine:3.20\nCMD ["echo", "hello"]\n',
  },
  compose: {
    file: 'compose.yaml',
    language: 'yaml',
    starter: '# TODO: describe the services.\nservices: {}\n',
    solution: 'services:\n  web:\n    image: nginx:alpine\n',
  },
  python: {
    file: 'main.py',
    language: 'python',
    starter: '# TODO: write the program.\n',
    solution: 'print("hello")\n',
  },
};

const checkStub = (slug: string): string => `"""Check program for the exercise ${slug}: not written yet."""
import sys

# TODO: replace this stub with the real check (see docs/authoring.md).
print("check.py of exercise '${slug}' is not written yet", file=sys.stderr)
sys.exit(1)
`;

/** "volume-share" → "Volume share". */
export function titleFromSlug(slug: string): string {
  const words = slug.split('-').join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Writes a new exercise folder that passes the loader; returns the paths it created. */
export function scaffoldExercise(options: ScaffoldOptions): string[] {
  const { root, slug } = options;
  if (!slugPattern.test(slug)) throw new ScaffoldError(`bad slug "${slug}": use lowercase-words-with-hyphens, e.g. volume-share`);
  if (!(exerciseKinds as readonly string[]).includes(options.kind)) {
    throw new ScaffoldError(`bad kind "${options.kind}": expected one of ${exerciseKinds.join(', ')}`);
  }
  const kind = options.kind as ExerciseKind;
  const module = options.module ?? 'todo';
  if (!slugPattern.test(module)) throw new ScaffoldError(`bad module "${module}": use the slug of a folder of content/`);
  const dir = join(root, slug);
  if (existsSync(dir)) throw new ScaffoldError(`exercise "${slug}" already exists at ${dir}`);
  const t = templates[kind];
  const title = (options.title ?? titleFromSlug(slug)).trim() || titleFromSlug(slug);
  const markdown = `---
title: ${JSON.stringify(title)}
kind: ${kind}
module: ${module}
summary: "TODO: one sentence saying what the learner will do."
difficulty: core
timeLimitSeconds: 20
files:
  - path: ${t.file}
    language: ${t.language}
---

TODO: explain the task, step by step, and what the check will look at.

## Hints

- TODO: a first nudge in the right direction.
- TODO: a closer hint.
- TODO: nearly the answer.
`;
  const files: Record<string, string> = {
    'exercise.md': markdown,
    [`starter/${t.file}`]: t.starter,
    [`solution/${t.file}`]: t.solution,
    'check.py': checkStub(slug),
  };
  const created: string[] = [];
  for (const [rel, content] of Object.entries(files)) {
    const path = join(dir, rel);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, content);
    created.push(path);
  }
  return created;
}
