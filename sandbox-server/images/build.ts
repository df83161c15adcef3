import type Docker from 'dockerode';
import type { KitImage } from './catalog.ts';
import { readContext } from './hash.ts';
import { LABEL_HASH, LABEL_MANAGED, LABEL_REF, LABEL_ROLE, LABEL_STAND_IN } from './labels.ts';
import { BuildLog, KitBuildError } from './progress.ts';

/** The labels the kit puts on an image it builds (stand-in set explicitly: children must not inherit it). */
export function kitLabels(image: KitImage, hash: string): Record<string, string> {
  return {
    [LABEL_MANAGED]: 'true',
    [LABEL_ROLE]: 'kit-image',
    [LABEL_REF]: image.ref,
    [LABEL_HASH]: hash,
    [LABEL_STAND_IN]: image.standIn ? 'true' : 'false',
  };
}

/** Options of one Dockerfile build. */
export interface BuildOptions {
  contextDir: string;
  hash: string;
  /** Condensed output lines (`Step 3/7: RUN apt-get …`). */
  onOutput?: (line: string) => void;
  /** Build without the layer cache. */
  noCache?: boolean;
}

/** Builds a kit image from its folder with every tag and the kit labels; returns the image ID or throws KitBuildError. */
export async function buildDockerfileImage(docker: Docker, image: KitImage, opts: BuildOptions): Promise<string> {
  const onOutput = opts.onOutput ?? (() => {});
  const log = new BuildLog();
  const src = readContext(opts.contextDir).map((f) => f.path);
  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.buildImage({ context: opts.contextDir, src }, {
      t: image.tags,
      labels: kitLabels(image, opts.hash),
      rm: true,
      forcerm: true,
      pull: false,
      nocache: opts.noCache ?? false,
    } as unknown as Docker.ImageBuildOptions);
  } catch (err) {
    throw new KitBuildError(image.ref, `the engine refused the build: ${(err as Error).message}`);
  }
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null) => (err ? reject(err) : resolve()),
      (message) => {
        const line = log.take(message);
        if (line) onOutput(line);
      },
    );
  }).catch((err: Error) => {
    throw new KitBuildError(image.ref, `the build stream broke: ${err.message}`, log.lastStep, log.lastLines());
  });
  if (log.error) throw new KitBuildError(image.ref, log.error, log.lastStep, log.lastLines());
  const inspected = await docker.getImage(image.tags[0]!).inspect().catch(() => undefined);
  if (!inspected || inspected.Config?.Labels?.[LABEL_HASH] !== opts.hash) {
    throw new KitBuildError(image.ref, 'the build ended without tagging the image', log.lastStep, log.lastLines());
  }
  return inspected.Id;
}
