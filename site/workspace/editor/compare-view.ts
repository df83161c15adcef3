/**
 * Two attempts of a student side by side, in the Solution view's read-only diff editor
 * (loaded only when the instructor compares attempts, like the workspace's editor).
 */
import * as monaco from 'monaco-editor/editor/editor.api.js';
import { createReadOnlyDiff, monacoLanguage, monacoTheme } from './monaco.ts';

/** The comparison view: one file of two attempts at a time. */
export interface CompareView {
  /** Shows `before` (left) and `after` (right) of file `path`, highlighted as `language`. */
  show(path: string, before: string, after: string, language: string, label: string): void;
  dispose(): void;
}

/** Creates the comparison view in `host`; it follows the page's light or dark theme. */
export function createCompareView(host: HTMLElement): CompareView {
  let diff: monaco.editor.IStandaloneDiffEditor | undefined;
  let models: monaco.editor.ITextModel[] = [];
  const theme = new MutationObserver(() => monaco.editor.setTheme(monacoTheme(document.documentElement.dataset.theme)));
  theme.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  const release = () => {
    diff?.setModel(null);
    for (const model of models) model.dispose();
    models = [];
  };
  return {
    show(_path, before, after, language, label) {
      release();
      diff ??= createReadOnlyDiff(host, label);
      diff.updateOptions({ ariaLabel: label });
      models = [monaco.editor.createModel(before, monacoLanguage(language)), monaco.editor.createModel(after, monacoLanguage(language))];
      diff.setModel({ original: models[0]!, modified: models[1]! });
    },
    dispose() {
      release();
      diff?.dispose();
      diff = undefined;
      theme.disconnect();
    },
  };
}
