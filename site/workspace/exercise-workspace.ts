import { copyCommand } from './copy-command.ts';
import type { ExercisePageData } from '../../sandbox-server/contract/exercise-page.ts';
import { DebouncedSaver, DraftStore } from './drafts.ts';
import type { WorkspaceEditor } from './editor/monaco.ts';
import { readRunStream, type RunEvent } from './run-stream.ts';
import { exampleCode } from './runnable.ts';
import { SessionClient, type KeyValueStore } from './session-client.ts';
import { checkOutcomeOf, verdictView, type CheckOutcome, type VerdictView } from './verdict-view.ts';

type Health = { ok: true } | { ok: false; advice: string };

/** Storage that never throws (private windows and full quotas still let the student type). */
function safeStorage(): KeyValueStore {
  try {
    const probe = '__dockyard_probe__';
    localStorage.setItem(probe, '1');
    localStorage.removeItem(probe);
    return localStorage;
  } catch {
    const memory = new Map<string, string>();
    return {
      getItem: (k) => memory.get(k) ?? null,
      setItem: (k, v) => void memory.set(k, v),
      removeItem: (k) => void memory.delete(k),
    };
  }
}

/** Brings an exercise workspace to life: file tabs, the lazy editor, drafts, Run, Check, Solution, Reset and Download. */
export async function mountExercise(section: HTMLElement, health: Promise<Health>): Promise<void> {
  const dataEl = section.querySelector<HTMLScriptElement>('script.dy-exercise-data');
  if (!dataEl?.textContent) return;
  const data = JSON.parse(dataEl.textContent) as ExercisePageData;
  const store = safeStorage();
  const drafts = new DraftStore(data.slug, data.files, store);
  const saver = new DebouncedSaver(drafts, 250);
  const $ = <T extends HTMLElement>(selector: string) => section.querySelector<T>(selector);
  const verdictEl = $<HTMLElement>('[data-role="verdict"]')!;
  const checkButton = $<HTMLButtonElement>('[data-action="check"]')!;
  const status = $<HTMLElement>('.dy-workspace__status');
  let editor: WorkspaceEditor | undefined;
  let current = data.files[0]?.path;

  // Nothing typed is lost: pending edits are written when the page is hidden or left.
  addEventListener('pagehide', () => saver.flush());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') saver.flush();
  });

  const announce = (text: string) => {
    const live = $<HTMLElement>('.dy-exercise__live');
    if (live) live.textContent = text;
  };

  /* ---------- Files: tabs and the editor ---------- */
  const tabs = [...section.querySelectorAll<HTMLButtonElement>('[role="tab"][data-path]')];
  const panel = $<HTMLElement>('.dy-editor__panel');
  const staticView = $<HTMLElement>('.dy-editor__static');
  const selectTab = (path: string, focus: boolean) => {
    current = path;
    for (const tab of tabs) {
      const selected = tab.dataset.path === path;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      if (selected) {
        panel?.setAttribute('aria-labelledby', tab.id);
        if (focus) tab.focus();
      }
    }
    if (editor) editor.open(path);
    else if (staticView) staticView.textContent = drafts.read(path);
    updateChanged();
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => selectTab(tab.dataset.path!, false));
    tab.addEventListener('keydown', (e) => {
      const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
      let next = -1;
      if (step) next = (i + step + tabs.length) % tabs.length;
      else if (e.key === 'Home') next = 0;
      else if (e.key === 'End') next = tabs.length - 1;
      if (next < 0) return;
      e.preventDefault();
      selectTab(tabs[next]!.dataset.path!, true);
    });
  });
  const updateChanged = () => {
    for (const tab of tabs) tab.classList.toggle('dy-tab--changed', drafts.changed(tab.dataset.path!));
  };
  if (current && staticView) staticView.textContent = drafts.read(current);
  updateChanged();

  if (data.files.length > 0 && panel) {
    const host = $<HTMLElement>('.dy-editor__monaco')!;
    const diffHost = $<HTMLElement>('.dy-diff__host')!;
    try {
      const { createWorkspaceEditor } = await import('./editor/monaco.ts');
      editor = createWorkspaceEditor(
        host,
        diffHost,
        data.files.map((f) => ({ path: f.path, language: f.language, readOnly: f.readOnly, text: drafts.read(f.path) })),
        (path, text) => {
          saver.change(path, text);
          const tab = tabs.find((t) => t.dataset.path === path);
          tab?.classList.toggle('dy-tab--changed', text !== data.files.find((f) => f.path === path)?.starter);
        },
        (path) => `Editor: ${path}${data.files.find((f) => f.path === path)?.readOnly ? ' (read-only)' : ''}`,
      );
      host.hidden = false;
      staticView?.remove();
      section.dataset.editor = 'ready';
      if (current) editor.open(current);
    } catch (err) {
      console.error('[dockyard] the editor did not load:', err);
      section.dataset.editor = 'failed';
      if (staticView) staticView.dataset.failed = 'true';
      announce('The editor could not load; reload the page to try again. Your drafts are kept.');
    }
  }

  /* ---------- Busy state ---------- */
  const busyButtons = () => [...section.querySelectorAll<HTMLButtonElement>('[data-action="check"], [data-action="run"], [data-action="reset"]')];
  const setBusy = (busy: boolean, what?: string) => {
    section.toggleAttribute('data-busy', busy);
    for (const b of busyButtons()) b.disabled = busy;
    checkButton.setAttribute('aria-busy', String(busy && what === 'check'));
    if (what) announce(busy ? (what === 'check' ? 'Checking…' : 'Running…') : '');
  };

  /* ---------- Check ---------- */
  const renderVerdict = (view: VerdictView) => {
    verdictEl.hidden = false;
    verdictEl.dataset.tone = view.tone;
    verdictEl.replaceChildren();
    const head = document.createElement('div');
    head.className = 'dy-verdict__head';
    const title = document.createElement('p');
    title.className = 'dy-verdict__title';
    title.tabIndex = -1;
    title.textContent = view.headline;
    head.append(title);
    if (view.score) {
      const score = document.createElement('span');
      score.className = 'dy-verdict__score';
      score.textContent = view.score;
      head.append(score);
    }
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'dy-btn dy-btn--quiet';
    close.textContent = 'Hide';
    close.setAttribute('aria-label', 'Hide the check results');
    close.addEventListener('click', () => {
      verdictEl.hidden = true;
      checkButton.focus();
    });
    head.append(close);
    verdictEl.append(head);
    if (view.detail) {
      const detail = document.createElement('p');
      detail.className = 'dy-verdict__detail';
      detail.textContent = view.detail;
      verdictEl.append(detail);
    }
    const items: HTMLElement[] = [];
    if (view.items.length > 0) {
      const list = document.createElement('ul');
      list.className = 'dy-verdict__list';
      for (const item of view.items) {
        const li = document.createElement('li');
        li.className = 'dy-check';
        li.dataset.status = item.status;
        li.tabIndex = -1;
        const name = document.createElement('p');
        name.className = 'dy-check__name';
        const mark = document.createElement('span');
        mark.className = 'dy-check__mark';
        mark.textContent = item.passed ? '✓ Pass' : item.status === 'error' ? '! Error' : '✗ Fail';
        name.append(mark, ` ${item.name}`);
        li.append(name);
        if (item.message) {
          const msg = document.createElement('p');
          msg.className = 'dy-check__message';
          msg.textContent = item.message;
          li.append(msg);
        }
        if (item.hint) {
          const hint = document.createElement('p');
          hint.className = 'dy-check__hint';
          const label = document.createElement('strong');
          label.textContent = 'Hint: ';
          hint.append(label, item.hint);
          li.append(hint);
        }
        if (item.output) {
          const out = document.createElement('pre');
          out.className = 'dy-check__output';
          out.textContent = item.output;
          li.append(out);
        }
        list.append(li);
        items.push(li);
      }
      verdictEl.append(list);
    }
    const target = view.firstFailure >= 0 ? items[view.firstFailure] : title;
    target?.focus();
    target?.scrollIntoView({ block: 'nearest' });
  };

  const check = async () => {
    saver.flush();
    setBusy(true, 'check');
    verdictEl.hidden = false;
    verdictEl.dataset.tone = 'busy';
    verdictEl.replaceChildren(Object.assign(document.createElement('p'), { className: 'dy-verdict__title', textContent: 'Checking your work…' }));
    let outcome: CheckOutcome;
    try {
      let body: unknown;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (data.kind === 'terminal') {
        const session = new SessionClient('docker', section.dataset.module || data.module, store).stored();
        if (!session) {
          outcome = { kind: 'http-error', status: 409, code: 'no_session', message: 'Your sandbox has not started yet: wait until the terminal says Ready, then check again.' };
          finishCheck(outcome);
          return;
        }
        body = { sessionId: session.id };
        headers.authorization = `Bearer ${session.token}`;
      } else {
        body = { files: drafts.submission() };
      }
      const res = await fetch(`/api/exercises/${encodeURIComponent(data.slug)}/check`, { method: 'POST', headers, body: JSON.stringify(body) });
      outcome = await checkOutcomeOf(res);
    } catch (err) {
      outcome = { kind: 'network', message: `The server did not answer (${(err as Error).message}).` };
    }
    finishCheck(outcome);
  };
  const finishCheck = (outcome: CheckOutcome) => {
    setBusy(false, 'check');
    const view = verdictView(outcome);
    renderVerdict(view);
    announce(view.score ? `${view.headline}. ${view.score}.` : view.headline);
    if (view.event) {
      window.dispatchEvent(
        new CustomEvent('dockyard:check', {
          detail: { exercise: data.slug, module: data.module, status: view.event.status, score: view.event.score, maxScore: view.event.maxScore },
        }),
      );
    }
  };
  checkButton.addEventListener('click', () => void check());

  /* ---------- Run (python): stream the program's output ---------- */
  const runButton = $<HTMLButtonElement>('[data-action="run"]');
  const stopButton = $<HTMLButtonElement>('[data-action="stop"]');
  const output = $<HTMLElement>('.dy-output__text');
  const outputState = $<HTMLElement>('.dy-output__state');
  let running: AbortController | undefined;
  const append = (text: string, kind: 'stdout' | 'stderr' | 'note') => {
    if (!output) return;
    const span = document.createElement('span');
    span.className = `dy-output__${kind}`;
    span.textContent = text;
    output.append(span);
    output.scrollTop = output.scrollHeight;
  };
  /** Runs the draft, or `example` (a lesson's code block) instead of it, streaming what it prints. */
  const run = async (example?: string) => {
    if (!output || running) return;
    saver.flush();
    running = new AbortController();
    setBusy(true, 'run');
    if (runButton) runButton.hidden = true;
    if (stopButton) {
      stopButton.hidden = false;
      stopButton.disabled = false;
      stopButton.focus();
    }
    output.replaceChildren();
    output.dataset.state = 'running';
    if (outputState) outputState.textContent = 'Starting…';
    let ended = false;
    const onEvent = (event: RunEvent) => {
      if (event.type === 'start') {
        if (outputState) outputState.textContent = `Running ${event.entry}…`;
      } else if (event.type === 'output') {
        append(event.data, event.stream);
      } else {
        ended = true;
        output.dataset.state = event.reason;
        if (outputState) outputState.textContent = event.message ?? event.reason;
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
        const message = outcome.kind === 'http-error' ? verdictView(outcome).detail ?? outcome.message : 'The run failed.';
        ended = true;
        output.dataset.state = 'error';
        if (outputState) outputState.textContent = 'The program could not run';
        append(message, 'note');
      } else {
        await readRunStream(res.body, onEvent);
      }
    } catch (err) {
      if (!ended) {
        const stopped = running?.signal.aborted;
        output.dataset.state = stopped ? 'stopped' : 'error';
        if (outputState) outputState.textContent = stopped ? 'Stopped' : 'The run was cut off';
        append(stopped ? '\nThe run was stopped.\n' : `\nThe connection to the server was lost (${(err as Error).message}).\n`, 'note');
      }
    } finally {
      running = undefined;
      setBusy(false, 'run');
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
  if (output && data.kind === 'python') {
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

  /* ---------- Copy to the terminal (dockerfile and compose exercises) ---------- */
  const copyButton = $<HTMLButtonElement>('[data-action="copy"]');
  copyButton?.addEventListener('click', () => {
    saver.flush();
    if (section.dataset.state !== 'ready') {
      announce('The terminal is not ready yet: wait until it says Ready, then copy again.');
      return;
    }
    section.dispatchEvent(new CustomEvent('dockyard:type', { detail: copyCommand(data.slug, drafts.all()) }));
    announce(`Your files are in ~/${data.slug} in the terminal.`);
  });

  /* ---------- Solution: a diff of the draft against the reference ---------- */
  const solutionButton = $<HTMLButtonElement>('[data-action="solution"]');
  const diffView = $<HTMLElement>('.dy-editor__diff');
  const diffTitle = $<HTMLElement>('.dy-diff__title');
  const closeDiff = () => {
    if (!diffView || diffView.hidden) return;
    editor?.closeDiff();
    diffView.hidden = true;
    solutionButton?.setAttribute('aria-pressed', 'false');
    solutionButton?.focus();
  };
  solutionButton?.addEventListener('click', () => {
    if (!editor || !diffView) return;
    if (!diffView.hidden) return closeDiff();
    const file = data.files.find((f) => f.path === current && !f.readOnly) ?? data.files.find((f) => !f.readOnly);
    if (!file) return;
    selectTab(file.path, false);
    saver.flush();
    diffView.hidden = false;
    if (diffTitle) diffTitle.textContent = `${file.path}: your draft compared with the reference solution (red: only in your draft; green: only in the solution)`;
    editor.showDiff(file.path, data.solution[file.path] ?? '');
    solutionButton.setAttribute('aria-pressed', 'true');
    $<HTMLButtonElement>('[data-action="close-diff"]')?.focus();
  });
  $<HTMLButtonElement>('[data-action="close-diff"]')?.addEventListener('click', closeDiff);
  diffView?.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') closeDiff();
  });

  /* ---------- Reset, after confirming ---------- */
  const dialog = $<HTMLDialogElement>('dialog.dy-confirm');
  $<HTMLButtonElement>('[data-action="reset"]')?.addEventListener('click', () => dialog?.showModal());
  dialog?.addEventListener('close', () => {
    if (dialog.returnValue !== 'reset') return;
    closeDiff();
    saver.discard();
    drafts.reset();
    for (const f of data.files) if (!f.readOnly) editor?.setText(f.path, f.starter);
    // setText reports the change: store nothing for files now equal to the starter.
    saver.discard();
    drafts.reset();
    if (!editor && staticView && current) staticView.textContent = drafts.read(current);
    updateChanged();
    announce('Your files are back to the starter.');
    editor?.focus();
  });

  /* ---------- Download my files ---------- */
  $<HTMLButtonElement>('[data-action="download"]')?.addEventListener('click', async () => {
    saver.flush();
    const { zipSync, strToU8 } = await import('fflate');
    const entries = Object.fromEntries(Object.entries(drafts.all()).map(([path, text]) => [`${data.slug}/${path}`, strToU8(text)]));
    const zip = zipSync(entries, { level: 6 });
    const url = URL.createObjectURL(new Blob([zip as BlobPart], { type: 'application/zip' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${data.slug}.zip`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  });

  /* ---------- Without an engine: say so; the editor keeps working ---------- */
  const h = await health;
  if (!h.ok) {
    section.dataset.engine = 'off';
    if (output) {
      output.dataset.state = 'unavailable';
      output.textContent = `The sandbox is off, so Run and Check cannot work right now. ${h.advice} Your edits are still saved in this browser.`;
    }
    if (status && !section.querySelector('.dy-terminal')) {
      section.dataset.state = 'unavailable';
      status.textContent = 'Sandbox unavailable';
    }
  } else if (status && !section.querySelector('.dy-terminal')) {
    section.dataset.state = 'ready';
    status.textContent = 'Ready';
  }
}
