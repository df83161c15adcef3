import { SessionClient } from '../session-client.ts';
import { verdictView, type CheckOutcome } from '../verdict-view.ts';
import { requestCheck } from './check-request.ts';
import type { ExerciseContext } from './context.ts';
import { verdictPanel } from './verdict-panel.ts';

/** Check: sends the work, shows the verdict and tells the page (`dockyard:check`) how it went. */
export function mountCheck(ctx: ExerciseContext): void {
  const { data, section, store, drafts, saver } = ctx;
  const button = ctx.find<HTMLButtonElement>('[data-action="check"]');
  const host = ctx.find<HTMLElement>('[data-role="verdict"]');
  if (!button || !host) return;
  const panel = verdictPanel(host, button);
  const finish = (outcome: CheckOutcome) => {
    ctx.setBusy(false, 'check');
    const view = verdictView(outcome);
    panel.show(view);
    ctx.announce(view.score ? `${view.headline}. ${view.score}.` : view.headline);
    if (!view.event) return;
    const detail = { exercise: data.slug, module: data.module, status: view.event.status, score: view.event.score, maxScore: view.event.maxScore };
    window.dispatchEvent(new CustomEvent('dockyard:check', { detail }));
  };
  button.addEventListener('click', async () => {
    saver.flush();
    ctx.setBusy(true, 'check');
    panel.busy();
    const session = data.kind === 'terminal' ? new SessionClient('docker', section.dataset.module || data.module, store).stored() : undefined;
    finish(await requestCheck({ slug: data.slug, kind: data.kind, drafts, session }));
  });
}
