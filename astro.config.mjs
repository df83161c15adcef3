// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import mdx from '@astrojs/mdx';
import { courseSidebar } from './site/course/sidebar.ts';
import { runnableBlocks } from './site/workspace/runnable-plugin.mjs';
import { monacoCssWithEditor } from './site/workspace/editor/monaco-css-plugin.mjs';

/** Where the site is built: dist/site, or DOCKYARD_SITE_DIR (the service passes its own). */
const outDir = process.env.DOCKYARD_SITE_DIR || './dist/site';

/** The course site: Astro sources in site/, lessons in content/, built to dist/site. */
export default defineConfig({
  srcDir: './site',
  publicDir: './site/public',
  outDir,
  // Each output folder keeps its own build cache (the service names it), so two builds to different folders never share one.
  cacheDir: process.env.DOCKYARD_SITE_CACHE_DIR || (process.env.DOCKYARD_SITE_DIR ? `${outDir.replace(/\/+$/, '')}.cache` : undefined),
  output: 'static',
  trailingSlash: 'always',
  // Monaco's stylesheets load with the editor's lazy chunk, not on every page.
  vite: { plugins: [monacoCssWithEditor()] },
  integrations: [
    starlight({
      title: 'Dockyard',
      description: 'Learn Docker by doing it: short lessons beside a live sandbox of your own.',
      logo: { src: './site/assets/logo.svg', replacesTitle: false },
      social: [],
      sidebar: courseSidebar(),
      components: {
        MarkdownContent: './site/components/LessonContent.astro',
        Sidebar: './site/components/progress/Sidebar.astro',
        SocialIcons: './site/components/progress/HeaderLinks.astro',
      },
      customCss: ['./site/styles/course.css'],
      lastUpdated: false,
      pagination: true,
      expressiveCode: { plugins: [runnableBlocks()] },
    }),
    mdx(),
  ],
});
