/**
 * The code editor, loaded only when a workspace with files is shown (dynamic import): Monaco's
 * core with the editing features a student uses, the four languages the course needs, and its
 * worker bundled locally, so nothing comes from a network.
 */
import * as monaco from 'monaco-editor/editor/editor.api.js';
import 'monaco-editor/features/codicon/register.js';
import 'monaco-editor/features/bracketMatching/register.js';
import 'monaco-editor/features/clipboard/register.js';
import 'monaco-editor/features/comment/register.js';
import 'monaco-editor/features/contextmenu/register.js';
import 'monaco-editor/features/cursorUndo/register.js';
import 'monaco-editor/features/diffEditor/register.js';
import 'monaco-editor/features/find/register.js';
import 'monaco-editor/features/folding/register.js';
import 'monaco-editor/features/hover/register.js';
import 'monaco-editor/features/indentation/register.js';
import 'monaco-editor/features/linesOperations/register.js';
import 'monaco-editor/features/multicursor/register.js';
import 'monaco-editor/features/readOnlyMessage/register.js';
import 'monaco-editor/features/suggest/register.js';
import 'monaco-editor/features/toggleTabFocusMode/register.js';
import 'monaco-editor/features/wordHighlighter/register.js';
import 'monaco-editor/features/wordOperations/register.js';
import 'monaco-editor/languages/definitions/dockerfile/register.js';
import 'monaco-editor/languages/definitions/python/register.js';
import 'monaco-editor/languages/definitions/shell/register.js';
import 'monaco-editor/languages/definitions/yaml/register.js';
import EditorWorker from 'monaco-editor/editor/editor.worker.js?worker';

(globalThis as { MonacoEnvironment?: unknown }).MonacoEnvironment = {
  getWorker: () => new EditorWorker(),
};

// Monaco's own themes, on the workspace's backgrounds (the terminal's, see terminal-theme.ts).
monaco.editor.defineTheme('dockyard-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [],
  colors: { 'editor.background': '#111318', 'editorGutter.background': '#111318' },
});
monaco.editor.defineTheme('dockyard-light', {
  base: 'vs',
  inherit: true,
  rules: [],
  colors: { 'editor.background': '#fbfcfe', 'editorGutter.background': '#fbfcfe' },
});

/** Monaco's theme for Starlight's `data-theme` ("light" or "dark"; anything else is dark). */
export function monacoTheme(theme: string | undefined): string {
  return theme === 'light' ? 'dockyard-light' : 'dockyard-dark';
}

/** Our language names → Monaco's. */
export function monacoLanguage(language: string): string {
  return ['dockerfile', 'python', 'shell', 'yaml'].includes(language) ? language : 'plaintext';
}

/** One file open in the editor. */
export interface EditorFile {
  path: string;
  language: string;
  readOnly: boolean;
  text: string;
}

/** The workspace's editor: one Monaco editor with a model per file, and a diff view on demand. */
export interface WorkspaceEditor {
  /** Shows file `path`. */
  open(path: string): void;
  /** The text of file `path`. */
  text(path: string): string;
  /** Replaces the text of `path` (Reset), as one undoable edit. */
  setText(path: string, text: string): void;
  /** Shows the draft of `path` beside `reference`, read-only; close() returns to editing. */
  showDiff(path: string, reference: string): void;
  closeDiff(): void;
  focus(): void;
  layout(): void;
}

const fontFamily = () => getComputedStyle(document.documentElement).getPropertyValue('--sl-font-mono').trim() || 'ui-monospace, monospace';

/** Options every Dockyard editor shares: the page's theme, the course's mono font. */
export function editorOptions() {
  return {
    theme: monacoTheme(document.documentElement.dataset.theme),
    automaticLayout: true,
    minimap: { enabled: false },
    fontFamily: fontFamily(),
    fontSize: 14,
    scrollBeyondLastLine: false,
    tabSize: 4,
    renderWhitespace: 'selection',
    fixedOverflowWidgets: true,
  } as const;
}

/** A read-only side-by-side diff editor in `host`: the Solution view's, and the comparison of two attempts. */
export function createReadOnlyDiff(host: HTMLElement, ariaLabel: string): monaco.editor.IStandaloneDiffEditor {
  return monaco.editor.createDiffEditor(host, {
    ...editorOptions(),
    readOnly: true,
    originalEditable: false,
    renderSideBySide: true,
    useInlineViewWhenSpaceIsLimited: true,
    ariaLabel,
  });
}

/** Creates the editor in `host` (and a diff view in `diffHost`); onChange gets every edit of an editable file. */
export function createWorkspaceEditor(
  host: HTMLElement,
  diffHost: HTMLElement,
  files: EditorFile[],
  onChange: (path: string, text: string) => void,
  label: (path: string) => string,
): WorkspaceEditor {
  const theme = () => monacoTheme(document.documentElement.dataset.theme);
  const models = new Map(
    files.map((f) => [f.path, monaco.editor.createModel(f.text, monacoLanguage(f.language), monaco.Uri.file(`/exercise/${f.path}`))]),
  );
  const readOnly = new Map(files.map((f) => [f.path, f.readOnly]));
  const common = editorOptions();
  const editor = monaco.editor.create(host, { ...common, model: models.get(files[0]!.path) ?? null });
  let current = files[0]!.path;
  for (const [path, model] of models) {
    model.onDidChangeContent(() => {
      if (!readOnly.get(path)) onChange(path, model.getValue());
    });
  }
  const apply = (path: string) => {
    const ro = readOnly.get(path) === true;
    editor.updateOptions({
      readOnly: ro,
      readOnlyMessage: { value: `${path} is read-only: it is part of the exercise.` },
      ariaLabel: label(path),
    });
  };
  apply(current);

  let diff: monaco.editor.IStandaloneDiffEditor | undefined;
  let reference: monaco.editor.ITextModel | undefined;

  // Starlight's theme switch sets data-theme on <html>: follow it.
  new MutationObserver(() => monaco.editor.setTheme(theme())).observe(document.documentElement, {
    attributes: true,
    attributeFilter: ['data-theme'],
  });

  return {
    open(path) {
      const model = models.get(path);
      if (!model) return;
      current = path;
      editor.setModel(model);
      apply(path);
    },
    text: (path) => models.get(path)?.getValue() ?? '',
    setText(path, text) {
      const model = models.get(path);
      if (!model) return;
      model.pushEditOperations([], [{ range: model.getFullModelRange(), text }], () => null);
    },
    showDiff(path, referenceText) {
      const model = models.get(path);
      if (!model) return;
      reference?.dispose();
      reference = monaco.editor.createModel(referenceText, model.getLanguageId());
      diff ??= createReadOnlyDiff(diffHost, 'Your draft beside the reference solution');
      diff.setModel({ original: model, modified: reference });
      diff.getModifiedEditor().updateOptions({ readOnly: true, ariaLabel: `Reference solution of ${path}` });
      diff.getOriginalEditor().updateOptions({ readOnly: true, ariaLabel: `Your draft of ${path} (not changed by this view)` });
    },
    closeDiff() {
      // Detach the draft model before disposing so the draft is never touched.
      diff?.setModel(null);
      diff?.dispose();
      diff = undefined;
      reference?.dispose();
      reference = undefined;
      editor.setModel(models.get(current) ?? null);
    },
    focus: () => editor.focus(),
    layout: () => editor.layout(),
  };
}
