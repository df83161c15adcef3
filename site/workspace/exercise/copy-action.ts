import { copyCommand } from '../copy-command.ts';
import type { ExerciseContext } from './context.ts';

/** "Copy to terminal" (Dockerfile and compose exercises): writes the drafts into ~/<exercise> in the live sandbox. */
export function mountCopy(ctx: ExerciseContext): void {
  const { section, data, drafts, saver } = ctx;
  ctx.find<HTMLButtonElement>('[data-action="copy"]')?.addEventListener('click', () => {
    saver.flush();
    if (section.dataset.state !== 'ready') {
      ctx.announce('The terminal is not ready yet: wait until it says Ready, then copy again.');
      return;
    }
    section.dispatchEvent(new CustomEvent('dockyard:type', { detail: copyCommand(data.slug, drafts.all()) }));
    ctx.announce(`Your files are in ~/${data.slug} in the terminal.`);
  });
}
