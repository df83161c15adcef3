import { createSatteriMarkdownProcessor } from '@astrojs/markdown-satteri';
import { loadExercises, type Exercise } from '../../sandbox-server/exercises/load.ts';

/** An exercise's words as the page shows them: its instructions and hints, rendered to HTML at build time. */
export interface ExerciseText {
  slug: string;
  title: string;
  /** exercise.md's body without the Hints section, as HTML. */
  instructionsHtml: string;
  /** Each hint as HTML, in the order they are revealed. */
  hintsHtml: string[];
}

let exercises: Map<string, Exercise> | undefined;
type MarkdownRenderer = Awaited<ReturnType<typeof createSatteriMarkdownProcessor>>;
let renderer: Promise<MarkdownRenderer> | undefined;
const rendered = new Map<string, Promise<ExerciseText | undefined>>();

/** Astro's own Markdown processor, with code highlighted for the light and the dark theme. */
function markdown(): Promise<MarkdownRenderer> {
  renderer ??= createSatteriMarkdownProcessor({
    syntaxHighlight: 'shiki',
    shikiConfig: { themes: { dark: 'github-dark', light: 'github-light' }, defaultColor: false },
  });
  return renderer;
}

/** Renders one piece of an exercise's Markdown to HTML. */
export async function renderExerciseMarkdown(source: string): Promise<string> {
  const { code } = await (await markdown()).render(source);
  return code;
}

/** The instructions and hints of exercise `slug`, rendered once per build; undefined when there is no such exercise. */
export function exerciseText(slug: string, root = 'exercises'): Promise<ExerciseText | undefined> {
  exercises ??= new Map(loadExercises(root).exercises.map((e) => [e.slug, e]));
  let text = rendered.get(slug);
  if (!text) {
    const exercise = exercises.get(slug);
    text = exercise
      ? Promise.all([renderExerciseMarkdown(exercise.instructions), Promise.all(exercise.hints.map(renderExerciseMarkdown))]).then(
          ([instructionsHtml, hintsHtml]) => ({ slug, title: exercise.frontmatter.title, instructionsHtml, hintsHtml }),
        )
      : Promise.resolve(undefined);
    rendered.set(slug, text);
  }
  return text;
}
