/// <reference types="astro/client" />
// Starlight's additions to Astro.locals (starlightRoute, t): declared by its package, not exported.
/// <reference path="../node_modules/@astrojs/starlight/dist/global.d.ts" />

/** Components from packages (Starlight's): the site's own are checked from their TSX. */
declare module '*.astro' {
  const Component: (props: Record<string, unknown>) => unknown;
  export default Component;
}
