import { serve } from '@hono/node-server';
import { loadConfig } from './config.ts';
import { connectEngine, engineAddress } from './docker/engine.ts';
import { EngineMonitor } from './docker/engine-monitor.ts';
import { engineAdvice } from './docker/advice.ts';
import { createApp } from './http/app.ts';
import { ensureSiteBuilt } from './site/ensure-site.ts';
import { ensureImages, imageStatus, kitImageNames } from './images/index.ts';

const log = (line: string) => console.log(`[dockyard] ${line}`);

const config = loadConfig();
if (config.DOCKYARD_SKIP_SITE_BUILD === '0') {
  await ensureSiteBuilt(config.projectRoot, config.siteDir, log);
}

const docker = connectEngine();
const address = engineAddress();
const monitor = new EngineMonitor(docker);

let imageBuild: Promise<void> | undefined;
/** Builds missing images in the background; the site and health keep answering meanwhile. */
function buildImagesIfMissing(): void {
  if (config.DOCKYARD_SKIP_IMAGES === '1' || imageBuild) return;
  imageBuild = (async () => {
    const status = await imageStatus(docker);
    if (status.ready) return;
    log(`Sandbox images missing (${status.missing.join(', ')}): building them now. This takes minutes on a new machine.`);
    await ensureImages(docker, { onProgress: (line) => log(`images: ${line}`) });
    log('Sandbox images ready.');
  })()
    .catch((err: unknown) => log(`Building sandbox images failed: ${(err as Error).message}. Run \`npm run images\` to see why.`))
    .finally(() => {
      imageBuild = undefined;
    });
}

monitor.onChange((state) => {
  if (state.ok) {
    log(`Docker engine ${state.version} answers at ${address}.`);
    buildImagesIfMissing();
  } else {
    log(engineAdvice(address, state.error));
  }
});
await monitor.probe();
monitor.start(5000);

const app = createApp({
  probeEngine: () => monitor.probe(),
  engineState: () => monitor.state,
  imageStatus: () => imageStatus(docker),
  imageNames: kitImageNames,
  engineAddress: address,
  siteDir: config.siteDir,
});

const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  log(`Dockyard is serving the course at http://${host}:${info.port}/`);
});

function shutdown(signal: string): void {
  log(`${signal} received, shutting down.`);
  monitor.stop();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 5000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
