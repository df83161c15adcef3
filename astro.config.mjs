// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import mdx from '@astrojs/mdx';
import { courseSidebar } from './site/course/sidebar.mjs';
import { runnableBlocks } from './site/workspace/runnable-plugin.mjs';

/** The course site: Astro sources in site/, lessons in content/, built to dist/site. */
export default defineConfig({
  srcDir: './site',
  publicDir: './site/public',
  outDir: './dist/site',
  output: 'static',
  trailingSlash: 'always',
  integrations: [
    starlight({
      title: 'Dockyard',
      description: 'Learn Docker by doing it: short lessons beside a live sandbox of your own.',
      logo: { src: './site/assets/logo.svg', replacesTitle: false },
      social: [],
      sidebar: courseSidebar,
      components: {
        MarkdownContent: './site/components/LessonContent.astro',
      },
      customCss: ['./site/styles/course.css'],
      lastUpdated: false,
      pagination: true,
      expressiveCode: { plugins: [runnableBlocks()] },
    }),
    mdx(),
  ],
});
