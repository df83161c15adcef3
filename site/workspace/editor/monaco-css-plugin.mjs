import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const PREFIX = '\0dockyard-monaco-css:';

/**
 * Vite plugin: Monaco's modules import their own stylesheets. Astro would link every one of
 * them from every page of the site; instead each becomes a small module that adds its
 * <style> when the editor chunk runs, so only pages that open the editor carry them.
 * Relative url()s (the codicon font) become bundled assets.
 */
export function monacoCssWithEditor() {
  return {
    name: 'dockyard-monaco-css-with-editor',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!source.endsWith('.css') || !importer || !importer.includes('/node_modules/monaco-editor/')) return null;
      // Ends in .js, so Vite's own CSS handling leaves the module alone.
      return `${PREFIX}${resolve(dirname(importer.replace(/\?.*$/, '')), source)}.js`;
    },
    load(id) {
      if (!id.startsWith(PREFIX)) return null;
      const file = id.slice(PREFIX.length, -'.js'.length);
      const css = readFileSync(file, 'utf8');
      const imports = [];
      const parts = [];
      let last = 0;
      for (const match of css.matchAll(/url\((['"]?)([^'")]+)\1\)/g)) {
        const url = match[2];
        if (/^(data:|https?:|#)/.test(url)) continue;
        const name = `asset${imports.length}`;
        imports.push(`import ${name} from ${JSON.stringify(`${resolve(dirname(file), url.replace(/[?#].*$/, ''))}?url`)};`);
        parts.push(JSON.stringify(css.slice(last, match.index)), `"url(" + JSON.stringify(${name}) + ")"`);
        last = match.index + match[0].length;
      }
      parts.push(JSON.stringify(css.slice(last)));
      return [
        ...imports,
        'const style = document.createElement("style");',
        `style.dataset.monaco = ${JSON.stringify(file.split('/node_modules/monaco-editor/')[1] ?? file)};`,
        `style.textContent = ${parts.join(' + ')};`,
        'document.head.append(style);',
      ].join('\n');
    },
  };
}
