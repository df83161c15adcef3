import type Docker from 'dockerode';
import type { StreamMessage } from './progress.ts';

/** Follows an engine JSON stream (build, pull, push, import) to its end; rejects on an error message. */
export function followStream(
  docker: Docker,
  stream: NodeJS.ReadableStream,
  onMessage: (message: StreamMessage) => void = () => {},
): Promise<StreamMessage[]> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null, output: StreamMessage[]) => {
        if (err) return reject(err);
        const failed = output.find((m) => m.error || m.errorDetail?.message);
        if (failed) return reject(new Error((failed.errorDetail?.message ?? failed.error ?? 'unknown error').trim()));
        resolve(output);
      },
      (message: StreamMessage) => onMessage(message),
    );
  });
}

/** Rejects with `what timed out` after `ms`, otherwise settles like `promise`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} timed out after ${Math.round(ms / 1000)} s`)), ms);
      }),
    ]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}
