import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { debianMirror, parseDeb822Sources, parseSourcesList, pickMirror } from './apt-mirror.ts';

// Example hosts are reserved names (RFC 2606), not package hosts.
const DEB822 = `Types: deb
# a comment
URIs: http://archive.example.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://security.example.org/debian-security
Suites: bookworm-security
Components: main
`;

describe('parseDeb822Sources', () => {
  it('reads URIs and suites of every stanza', () => {
    expect(parseDeb822Sources(DEB822)).toEqual([
      { uri: 'http://archive.example.org/debian', suites: ['bookworm', 'bookworm-updates'], types: ['deb'] },
      { uri: 'http://security.example.org/debian-security', suites: ['bookworm-security'], types: ['deb'] },
    ]);
  });

  it('skips disabled stanzas', () => {
    expect(parseDeb822Sources('Enabled: no\nTypes: deb\nURIs: http://a.example/debian\nSuites: bookworm\n')).toEqual([]);
  });
});

describe('parseSourcesList', () => {
  it('reads one-line entries with options, ignoring comments and deb-src', () => {
    const text = '# deb http://old.example/debian bookworm main\ndeb [arch=amd64 signed-by=/k.gpg] http://a.example/debian/ bookworm main\ndeb-src http://a.example/debian bookworm main\n';
    const sources = parseSourcesList(text);
    expect(sources[0]).toEqual({ types: ['deb'], uri: 'http://a.example/debian/', suites: ['bookworm'] });
    expect(pickMirror(sources)).toBe('http://a.example/debian');
  });
});

describe('pickMirror', () => {
  it('prefers the archive serving the suite itself over security', () => {
    expect(pickMirror(parseDeb822Sources(DEB822).reverse())).toBe('http://archive.example.org/debian');
  });

  it('ignores non-http sources and falls back to a non-security archive', () => {
    expect(pickMirror([{ uri: 'cdrom:[Debian]/', suites: ['bookworm'], types: ['deb'] }])).toBeUndefined();
    expect(pickMirror([{ uri: 'https://b.example/debian', suites: ['trixie'], types: ['deb'] }])).toBe('https://b.example/debian');
  });
});

describe('debianMirror', () => {
  const aptDir = () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'kit-apt-'));
    mkdirSync(path.join(root, 'sources.list.d'));
    return { root, apt: { sourcesList: path.join(root, 'sources.list'), sourcesDir: path.join(root, 'sources.list.d') } };
  };

  it('takes the env override first', () => {
    const { apt } = aptDir();
    expect(debianMirror({ DOCKYARD_DEBIAN_MIRROR: 'http://env.example/debian/' }, apt)).toBe('http://env.example/debian');
  });

  it('reads *.sources, ignoring other files, then sources.list', () => {
    const { apt } = aptDir();
    writeFileSync(path.join(apt.sourcesDir, 'other.sources.disabled'), 'Types: deb\nURIs: http://no.example/debian\nSuites: bookworm\n');
    writeFileSync(path.join(apt.sourcesList), 'deb http://list.example/debian bookworm main\n');
    expect(debianMirror({}, apt)).toBe('http://list.example/debian');
    writeFileSync(path.join(apt.sourcesDir, 'debian.sources'), DEB822);
    expect(debianMirror({}, apt)).toBe('http://archive.example.org/debian');
  });

  it('explains what to set when nothing is found', () => {
    const { apt } = aptDir();
    expect(() => debianMirror({}, apt)).toThrow(/DOCKYARD_DEBIAN_MIRROR/);
  });
});
