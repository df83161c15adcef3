import { checkHealth } from './session-client.ts';
import { mountSplitter } from './split.ts';

/**
 * Starts every workspace on the page: the terminal (its own chunk, with xterm), and the
 * exercise editor (its own chunk; Monaco is a further lazy chunk). One health check serves both.
 */
export function startWorkspaces(): void {
  for (const separator of document.querySelectorAll<HTMLElement>('.dy-lesson__splitter')) mountSplitter(separator);
  for (const section of document.querySelectorAll<HTMLElement>('.dy-workspace[data-sandbox]')) {
    const health = checkHealth();
    if (section.querySelector('.dy-terminal')) {
      void import('./mount-workspace.ts').then(({ mountWorkspace }) => mountWorkspace(section, health));
    }
    if (section.querySelector('script.dy-exercise-data')) {
      void import('./exercise-workspace.ts').then(({ mountExercise }) => mountExercise(section, health));
    }
  }
}
