/** `npm run images [-- --force | --check]`: builds the offline image kit, or reports whether it is ready. */
import { connectEngine, engineAddress, probeEngine } from '../docker/engine.ts';
import { formatDuration } from './progress.ts';
import { ensureImages, imageStatus } from './index.ts';

const USAGE = `usage: npm run images [-- --force | --check]
  (no option)  build the images that are missing or whose Dockerfile changed, then seed the mirror
  --force      rebuild every image without the layer cache and reseed the mirror
  --check      print the kit's status; exit 1 if it is not ready`;

/** Runs the command line; returns the exit code. */
async function main(argv: string[]): Promise<number> {
  const args = new Set(argv);
  if (args.has('--help') || args.has('-h')) {
    console.log(USAGE);
    return 0;
  }
  const unknown = [...args].filter((a) => !['--force', '--check'].includes(a));
  if (unknown.length || (args.has('--force') && args.has('--check'))) {
    console.error(`images: bad arguments ${[...args].join(' ')}\n${USAGE}`);
    return 2;
  }
  const docker = connectEngine();
  const probe = await probeEngine(docker, 5000);
  if (!probe.ok) {
    console.error(`images: no Docker engine at ${engineAddress()}: ${probe.error}`);
    return 1;
  }
  if (args.has('--check')) {
    const status = await imageStatus(docker);
    for (const image of status.images) {
      console.log(`${image.upToDate ? 'ok     ' : 'MISSING'} ${image.ref}${image.reason ? ` (${image.reason})` : ''}`);
    }
    console.log(`${status.mirror.ready ? 'ok     ' : 'MISSING'} mirror${status.mirror.reason ? ` (${status.mirror.reason})` : ''}`);
    if (status.index) console.log(`${status.index.ready ? 'ok     ' : 'MISSING'} package index${status.index.reason ? ` (${status.index.reason})` : ''}`);
    console.log(status.ready ? 'The image kit is ready.' : `Not ready: ${status.missing.join(', ')}. Run \`npm run images\`.`);
    return status.ready ? 0 : 1;
  }
  try {
    const result = await ensureImages(docker, {
      force: args.has('--force'),
      onProgress: (line) => console.log(line),
    });
    const what = result.built.length ? `built ${result.built.length} image(s) (${result.built.join(', ')})` : 'nothing to build';
    console.log(`Image kit ready: ${what}${result.mirrorSeeded ? ', mirror seeded' : ''} in ${formatDuration(result.durationMs)}.`);
    return 0;
  } catch (err) {
    console.error(`\nimages: FAILED: ${(err as Error).message}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
