import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
// Inlined and injected by the script, so pages without a sandbox carry none of it.
import xtermCss from '@xterm/xterm/css/xterm.css?inline';
import { checkHealth, moduleOf, SessionClient, SessionUnavailable, type SandboxKind, type StoredSession } from './session-client.ts';
import { TerminalConnection, type ConnectionStatus } from './terminal-connection.ts';
import { terminalTheme } from './terminal-theme.ts';
import { commandToType } from './runnable.ts';
import { endHeld, liveSessions, moduleLabel, storedSessions } from './held-sessions.ts';
import { offerCapChoice } from './cap-choice.ts';

/** The workspace states shown in its bar. */
type WorkspaceState = 'checking' | 'starting' | 'ready' | 'reconnecting' | 'expired' | 'unavailable' | 'error';

const CONNECTION_LABELS: Record<ConnectionStatus, [WorkspaceState, string]> = {
  connecting: ['starting', 'Connecting to your sandbox…'],
  open: ['ready', 'Ready'],
  reconnecting: ['reconnecting', 'Reconnecting…'],
  expired: ['expired', 'Session expired'],
  closed: ['starting', 'Disconnected'],
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Brings a server-rendered workspace to life: health check, session, xterm terminal and runnable blocks. */
export async function mountWorkspace(
  section: HTMLElement,
  healthCheck: Promise<{ ok: true } | { ok: false; advice: string }> = checkHealth(),
): Promise<void> {
  const kind = (section.dataset.sandbox ?? 'docker') as SandboxKind;
  const label = kind === 'docker' ? 'Docker sandbox' : 'Python sandbox';
  const module = section.dataset.module || moduleOf(location.pathname);
  const client = new SessionClient(kind, module, localStorage);
  client.label = moduleLabel(document, module);
  const status = section.querySelector<HTMLElement>('[role="status"]')!;
  const action = section.querySelector<HTMLButtonElement>('.dy-workspace__action')!;
  const note = section.querySelector<HTMLElement>('.dy-workspace__note');
  const pane = section.querySelector<HTMLElement>('.dy-terminal-pane')!;
  const host = section.querySelector<HTMLElement>('.dy-terminal')!;

  const show = (state: WorkspaceState, text: string) => {
    section.dataset.state = state;
    status.textContent = text;
  };
  const offer = (text: string | undefined, onClick?: () => void) => {
    action.hidden = !text;
    action.textContent = text ?? '';
    action.onclick = onClick ? () => onClick() : null;
  };

  show('checking', 'Checking the sandbox service…');
  const health = await healthCheck;
  if (!health.ok) {
    show('unavailable', 'Sandbox unavailable');
    if (note) note.textContent = `${health.advice} The lesson itself reads fine without it.`;
    offer('Try again', () => location.reload());
    return;
  }

  if (!document.getElementById('dy-xterm-css')) {
    const style = document.createElement('style');
    style.id = 'dy-xterm-css';
    style.textContent = xtermCss;
    document.head.append(style);
  }
  note?.remove();
  host.hidden = false;
  pane.classList.add('dy-terminal-pane--live');
  const fontFamily = getComputedStyle(document.documentElement).getPropertyValue('--sl-font-mono').trim();
  const term = new Terminal({
    fontFamily: fontFamily || 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
    fontSize: 14,
    cursorBlink: true,
    scrollback: 5000,
    theme: terminalTheme(document.documentElement.dataset.theme),
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(host);
  term.textarea?.setAttribute('aria-label', `Terminal: ${label}`);
  fit.fit();

  // Starlight's theme switch sets data-theme on <html>: follow it.
  new MutationObserver(() => {
    term.options.theme = terminalTheme(document.documentElement.dataset.theme);
  }).observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });

  let resizeTimer: ReturnType<typeof setTimeout> | undefined;
  new ResizeObserver(() => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => fit.fit(), 100);
  }).observe(pane);

  let connection: TerminalConnection | undefined;
  term.onData((data) => connection?.send(data));
  term.onResize(({ cols, rows }) => connection?.resize(cols, rows));

  const connect = (session: StoredSession) => {
    connection = new TerminalConnection({
      url: (cols, rows) => client.terminalUrl(session, location, cols, rows),
      createSocket: (url) => new WebSocket(url),
      isSessionAlive: () => client.validate(session),
      onOutput: (bytes) => term.write(bytes),
      onStatus: (next) => {
        const [state, text] = CONNECTION_LABELS[next];
        show(state, text);
        if (next === 'expired') {
          term.write('\r\n\x1b[2mThis sandbox has expired. Start over for a fresh one.\x1b[0m\r\n');
          offer('Start over', () => void begin(true));
        }
      },
      cols: term.cols,
      rows: term.rows,
    });
    connection.start();
  };

  const begin = async (fresh: boolean) => {
    offer(undefined);
    connection?.dispose();
    connection = undefined;
    if (fresh) {
      client.forget();
      term.reset();
    }
    show('starting', 'Starting your sandbox…');
    for (;;) {
      try {
        return connect(await client.ensure());
      } catch (err) {
        if (err instanceof SessionUnavailable && err.code === 'too_many_sessions') {
          // At the cap: show this browser's other sandboxes, each with an End button.
          const held = await liveSessions(localStorage, storedSessions(localStorage, client.key));
          show('error', held.length ? 'End one of your sandboxes to start this one' : 'Waiting for a free sandbox at your address…');
          await offerCapChoice(pane, held, { retryAfterMs: err.retryAfterMs ?? 60_000, end: (h) => endHeld(localStorage, h) });
          show('starting', 'Starting your sandbox…');
          continue;
        } else if (err instanceof SessionUnavailable) {
          show('starting', err.code === 'at_capacity' ? 'Waiting for a free sandbox…' : 'Starting your sandbox…');
        } else {
          show('reconnecting', 'Reconnecting…');
        }
        await sleep(err instanceof SessionUnavailable && err.retryAfterMs !== undefined ? err.retryAfterMs : 5000);
      }
    }
  };

  // The exercise editor's "Copy to terminal" types its command here.
  section.addEventListener('dockyard:type', (event) => {
    const command = (event as CustomEvent<string>).detail;
    if (typeof command !== 'string' || !connection) return;
    connection.send(command);
    term.focus();
  });

  addRunButtons(document, label, (command) => {
    connection?.send(command);
    // Give the terminal the keyboard, then bring it on screen (xterm draws only while visible).
    term.focus();
    const still = matchMedia('(prefers-reduced-motion: reduce)').matches;
    section.scrollIntoView({ block: 'nearest', behavior: still ? 'instant' : 'smooth' });
  });
  await begin(false);
}

/** Adds a "Run in terminal" button under every code block marked runnable. */
function addRunButtons(root: Document, label: string, run: (command: string) => void): void {
  for (const figure of root.querySelectorAll<HTMLElement>('[data-dy-runnable]')) {
    const lines = [...figure.querySelectorAll('pre .ec-line')].map((line) => line.textContent ?? '');
    const command = commandToType(lines, figure.dataset.dyRunnable);
    if (!command) continue;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'dy-run';
    button.textContent = 'Run in terminal';
    button.setAttribute('aria-label', `Run in terminal: ${lines.join(' ').replace(/\s+/g, ' ').trim()}`);
    button.title = `Type this into the ${label} terminal and run it`;
    button.addEventListener('click', () => run(command));
    (figure.closest('.expressive-code') ?? figure).after(button);
  }
}
