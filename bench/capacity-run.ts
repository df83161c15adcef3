/**
 * `npm run capacity`: the capacity climbs of `npm run loadtest` alone (docker sandboxes running and frozen, python
 * ones), written into the `capacity` section of docs/benchmarks.md. CAPACITY_MAX (docker; python twice as many),
 * CAPACITY_STEP and CAPACITY_THAWS scale it down for a machine others are using.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { connectEngine, probeEngine } from '../sandbox-server/docker/engine.ts';
import { ensureImages } from '../sandbox-server/images/index.ts';
import { CAPACITY_CLIMBS, capacitySection, measureCapacity } from './capacity.ts';
import { upsertSection } from './doc-sections.ts';

const MAX = Number(process.env.CAPACITY_MAX ?? 240);
const STEP = Number(process.env.CAPACITY_STEP ?? 10);
const THAWS = Number(process.env.CAPACITY_THAWS ?? 10);
const DOC = resolve(import.meta.dirname, '..', 'docs', 'benchmarks.md');
const log = (line: string) => console.error(`[capacity] ${line}`);

const docker = connectEngine();
const engine = await probeEngine(docker, 5000);
if (!engine.ok) throw new Error(`the Docker engine does not answer: ${engine.error}`);
await ensureImages(docker, { onProgress: (line) => log(`images: ${line}`) });
const found = [];
for (const [kind, freeze] of CAPACITY_CLIMBS) {
  found.push(await measureCapacity(docker, kind, { max: kind === 'docker' ? MAX : MAX * 2, step: STEP, thaws: THAWS, freeze, log }));
}
const scale = `Ceiling: ${MAX} docker sandboxes, ${MAX * 2} python ones, in steps of ${STEP}.`;
const section = capacitySection(found, process.env.CAPACITY_NOTE ? `${scale} ${process.env.CAPACITY_NOTE}` : scale);
console.log(section);
await writeFile(DOC, upsertSection(await readFile(DOC, 'utf8'), 'capacity', section));
