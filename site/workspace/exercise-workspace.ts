import { mountCheck } from './exercise/check-panel.ts';
import { exerciseContext, readExerciseData } from './exercise/context.ts';
import { mountCopy } from './exercise/copy-action.ts';
import { mountDownload } from './exercise/download.ts';
import { showEngineState, type Health } from './exercise/engine-state.ts';
import { mountFilesPanel } from './exercise/files-panel.ts';
import { mountReset } from './exercise/reset-action.ts';
import { mountRunPanel } from './exercise/run-panel.ts';
import { mountSolutionPanel } from './exercise/solution-panel.ts';
import { mountDraftSync } from './exercise/draft-sync-panel.ts';
import { syncExerciseDraft } from './sync/exercise-sync.ts';

/**
 * Brings an exercise workspace to life, one part per panel: the files (tabs and the lazy
 * editor), Check and its verdict, Run and its output, Copy to terminal, Solution, Reset and
 * Download. (The instructions and hints are brought to life by their own component.)
 */
export async function mountExercise(section: HTMLElement, health: Promise<Health>): Promise<void> {
  const data = readExerciseData(section);
  if (!data) return;
  const ctx = exerciseContext(section, data);
  // A signed-in student's draft from another device is asked for while the editor loads.
  const synced = syncExerciseDraft(ctx.drafts, ctx.saver);
  const files = await mountFilesPanel(ctx);
  mountDraftSync(ctx, files, synced);
  mountCheck(ctx);
  mountRunPanel(ctx);
  mountCopy(ctx);
  const solution = mountSolutionPanel(ctx, files);
  mountReset(ctx, files, solution);
  mountDownload(ctx);
  showEngineState(ctx, await health);
}
