import type { ExerciseContext } from './context.ts';

/** The engine's health as the workspace learns it. */
export type Health = { ok: true } | { ok: false; advice: string };

/** Says whether Run and Check can work: without an engine, why, and that the editor still keeps the drafts. */
export function showEngineState(ctx: ExerciseContext, health: Health): void {
  const { section } = ctx;
  const output = ctx.find<HTMLElement>('.dy-output__text');
  const status = ctx.find<HTMLElement>('.dy-workspace__status');
  // With a terminal, the terminal's own connection says how the sandbox is.
  const ownsStatus = status && !section.querySelector('.dy-terminal');
  if (!health.ok) {
    section.dataset.engine = 'off';
    if (output) {
      output.dataset.state = 'unavailable';
      output.textContent = `The sandbox is off, so Run and Check cannot work right now. ${health.advice} Your edits are still saved in this browser.`;
    }
    if (ownsStatus) {
      section.dataset.state = 'unavailable';
      status.textContent = 'Sandbox unavailable';
    }
  } else if (ownsStatus) {
    section.dataset.state = 'ready';
    status.textContent = 'Ready';
  }
}
