import { readRunStream, type RunEvent } from '../run-stream.ts';
import { exampleCode } from '../runnable.ts';
import { checkOutcomeOf, verdictView } from '../verdict-view.ts';
import type { ExerciseContext } from './context.ts';

/** The output pane of a Python exercise: Run and Stop stream the program's output as it is printed. */
export function mountRunPanel(ctx: ExerciseContext): void {
  const { data, section, drafts, saver } = ctx;
  const runButton = ctx.find<HTMLButtonElement>('[data-action="run"]');
  const stopButton = ctx.find<HTMLButtonElement>('[data-action="stop"]');
  const output = ctx.find<HTMLElement>('.dy-output__text');
  const outputState = ctx.find<HTMLElement>('.dy-output__state');
  if (!output) return;
  let running: AbortController | undefined;
  const state = (text: string) => {
    if (outputState) outputState.textContent = text;
  };
  const append = (text: string, kind: 'stdout' | 'stderr' | 'note') => {
    const span = document.createElement('span');
    span.className = `dy-output__${kind}`;
    span.textContent = text;
    output.append(span);
    output.scrollTop = output.scrollHeight;
  };

  /** Runs the draft, or `example` (a lesson's code block) instead of it, streaming what it prints. */
  const run = async (example?: string) => {
    if (running) return;
    saver.flush();
    running = new AbortController();
    ctx.setBusy(true, 'run');
    if (runButton) runButton.hidden = true;
    if (stopButton) {
      stopButton.hidden = false;
      stopButton.disabled = false;
      stopButton.focus();
    }
    output.replaceChildren();
    output.dataset.state = 'running';
    state('Starting…');
    let ended = false;
    const onEvent = (event: RunEvent) => {
      if (event.type === 'start') {
        state(`Running ${event.entry}…`);
      } else if (event.type === 'output') {
        append(event.data, event.stream);
      } else {
        ended = true;
        output.dataset.state = event.reason;
        state(event.message ?? event.reason);
        append(`\n${event.message ?? ''}\n`, 'note');
      }
    };
    try {
      const res = await fetch(`/api/exercises/${encodeURIComponent(data.slug)}/run`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ files: example === undefined ? drafts.submission() : { 'main.py': example } }),
        signal: running.signal,
      });
      if (!res.ok || !res.body) {
        const outcome = await checkOutcomeOf(res);
        ended = true;
        output.dataset.state = 'error';
        state('The program could not run');
        append(outcome.kind === 'http-error' ? (verdictView(outcome).detail ?? outcome.message) : 'The run failed.', 'note');
      } else {
        await readRunStream(res.body, onEvent);
      }
    } catch (err) {
      if (!ended) {
        const stopped = running?.signal.aborted;
        output.dataset.state = stopped ? 'stopped' : 'error';
        state(stopped ? 'Stopped' : 'The run was cut off');
        append(stopped ? '\nThe run was stopped.\n' : `\nThe connection to the server was lost (${(err as Error).message}).\n`, 'note');
      }
    } finally {
      running = undefined;
      ctx.setBusy(false, 'run');
      if (stopButton) stopButton.hidden = true;
      if (runButton) {
        runButton.hidden = false;
        if (document.activeElement === stopButton || document.activeElement === document.body) runButton.focus();
      }
    }
  };
  runButton?.addEventListener('click', () => void run());
  stopButton?.addEventListener('click', () => running?.abort());

  // The lesson's Python examples run the same way, into the same pane, leaving the draft alone.
  if (data.kind !== 'python') return;
  for (const figure of document.querySelectorAll<HTMLElement>('[data-dy-runnable="python"]')) {
    const code = exampleCode([...figure.querySelectorAll('pre .ec-line')].map((line) => line.textContent ?? ''));
    if (!code) continue;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'dy-run';
    button.textContent = 'Run this example';
    button.title = 'Run this program in the Python sandbox; its output appears in the workspace';
    button.addEventListener('click', () => {
      section.scrollIntoView({ block: 'nearest' });
      void run(code);
    });
    (figure.closest('.expressive-code') ?? figure).after(button);
  }
}
