import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inlineScriptHashes, siteCsp } from './site-headers.ts';
import { siteRoutes } from './site.ts';

/** The example of the CSP specification: this script hashes to this source. */
const SPEC_SCRIPT = "alert('Hello, world.');";
const SPEC_HASH = "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='";

describe('inline script hashes', () => {
  it('hashes what a browser runs inline, and nothing else', () => {
    const html = [
      `<script>${SPEC_SCRIPT}</script>`,
      `<script type="module">${SPEC_SCRIPT}</script>`,
      '<script type="module" src="/_astro/page.js"></script>',
      '<script type="application/json" id="data">{"a":1}</script>',
      '<SCRIPT aria-hidden="true">let x = 1;\n</SCRIPT>',
    ].join('\n');
    const hashes = inlineScriptHashes(html);
    // The same script twice is one source; the external and the JSON ones none.
    expect(hashes).toHaveLength(2);
    expect(hashes[0]).toBe(SPEC_HASH);
  });

  it('puts them in script-src beside the site itself, never unsafe-inline for scripts', () => {
    const csp = siteCsp([SPEC_HASH]);
    expect(csp).toContain(`script-src 'self' ${SPEC_HASH};`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(/script-src[^;]*unsafe-inline/.test(csp)).toBe(false);
  });
});

describe('the course pages', () => {
  const root = mkdtempSync(join(tmpdir(), 'dockyard-site-headers-'));
  writeFileSync(join(root, 'index.html'), `<!doctype html><h1>home</h1><script>${SPEC_SCRIPT}</script>`);
  writeFileSync(join(root, '404.html'), '<h1>lost</h1><script>console.log(404)</script>');
  mkdirSync(join(root, '_astro'));
  writeFileSync(join(root, '_astro', 'page.js'), 'export {};');
  const app = siteRoutes(root);

  it('send the security headers and a policy allowing exactly their own inline scripts', async () => {
    const res = await app.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain(SPEC_HASH);
    expect(await res.text()).toContain('<h1>home</h1>');
  });

  it('give the 404 page its own policy, and assets the other headers', async () => {
    const lost = await app.request('/no/such/page/');
    expect(lost.status).toBe(404);
    expect(lost.headers.get('content-security-policy')).toContain(inlineScriptHashes('<script>console.log(404)</script>')[0]!);
    expect(lost.headers.get('content-security-policy')).not.toContain(SPEC_HASH);
    const asset = await app.request('/_astro/page.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('x-content-type-options')).toBe('nosniff');
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });
});
