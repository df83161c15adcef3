import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The Debian suite of a base image that names none (`debian:bookworm-slim`). */
export const DEBIAN_SUITE = 'bookworm';

interface AptSource {
  uri: string;
  suites: string[];
  types: string[];
}

/** Reads the sources of a deb822 `.sources` file (stanzas of `Types:`, `URIs:`, `Suites:` fields). */
export function parseDeb822Sources(text: string): AptSource[] {
  const sources: AptSource[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    let last: string | undefined;
    for (const raw of stanza.split('\n')) {
      if (raw.startsWith('#') || raw.trim() === '') continue;
      if (/^\s/.test(raw) && last) {
        fields.set(last, `${fields.get(last)} ${raw.trim()}`);
        continue;
      }
      const m = raw.match(/^([A-Za-z0-9-]+):\s*(.*)$/);
      if (m) {
        last = m[1]!.toLowerCase();
        fields.set(last, m[2]!.trim());
      }
    }
    if ((fields.get('enabled') ?? 'yes').toLowerCase() === 'no') continue;
    const words = (key: string) => (fields.get(key) ?? '').split(/\s+/).filter(Boolean);
    for (const uri of words('uris')) sources.push({ uri, suites: words('suites'), types: words('types') });
  }
  return sources;
}

/** Reads the sources of a one-line-style `sources.list` (`deb [options] URI suite components…`). */
export function parseSourcesList(text: string): AptSource[] {
  const sources: AptSource[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    const m = line.match(/^(deb|deb-src)\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/);
    if (m) sources.push({ types: [m[1]!], uri: m[2]!, suites: [m[3]!] });
  }
  return sources;
}

/** Picks the archive serving `suite` itself (not -security/-updates) among sources; plain http(s) only. */
export function pickMirror(sources: readonly AptSource[], suite = DEBIAN_SUITE): string | undefined {
  const usable = sources.filter((s) => /^https?:\/\//.test(s.uri) && (s.types.length === 0 || s.types.includes('deb')));
  const exact = usable.find((s) => s.suites.includes(suite));
  const fallback = usable.find((s) => !/security/.test(s.uri) && !s.suites.some((x) => /security/.test(x)));
  const chosen = exact ?? fallback;
  return chosen?.uri.replace(/\/+$/, '');
}

/** Where the machine's apt sources live; a parameter so tests can point elsewhere. */
export interface AptPaths {
  sourcesList: string;
  sourcesDir: string;
}

const DEFAULT_APT: AptPaths = { sourcesList: '/etc/apt/sources.list', sourcesDir: '/etc/apt/sources.list.d' };

/**
 * The Debian mirror debootstrap should use: env `DOCKYARD_DEBIAN_MIRROR`, else the machine's own apt sources
 * (`*.sources` and `*.list` under sources.list.d, then sources.list); throws when none is found.
 */
export function debianMirror(env: NodeJS.ProcessEnv = process.env, apt: AptPaths = DEFAULT_APT, suite = DEBIAN_SUITE): string {
  const fromEnv = env.DOCKYARD_DEBIAN_MIRROR?.trim();
  if (fromEnv) return fromEnv.replace(/\/+$/, '');
  const sources: AptSource[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(apt.sourcesDir).sort();
  } catch {
    // no sources.list.d
  }
  for (const name of names) {
    const file = path.join(apt.sourcesDir, name);
    try {
      if (name.endsWith('.sources')) sources.push(...parseDeb822Sources(readFileSync(file, 'utf8')));
      else if (name.endsWith('.list')) sources.push(...parseSourcesList(readFileSync(file, 'utf8')));
    } catch {
      // unreadable: skip
    }
  }
  try {
    sources.push(...parseSourcesList(readFileSync(apt.sourcesList, 'utf8')));
  } catch {
    // no sources.list
  }
  const mirror = pickMirror(sources, suite);
  if (!mirror) {
    throw new Error(
      `no Debian mirror found in ${apt.sourcesDir}/*.sources or ${apt.sourcesList}; ` +
        'set DOCKYARD_DEBIAN_MIRROR to the URL of a Debian archive',
    );
  }
  return mirror;
}
