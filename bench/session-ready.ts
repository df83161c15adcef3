/** Session-ready times: POST /api/sessions until 201, from a cold start or from the warm pool. */
import type { SandboxKind } from '../sandbox-server/docker/driver.ts';
import { createSession, waitForWarm, type BenchSession } from './api-client.ts';
import type { Cleanup } from './cleanup.ts';
import { sleep, timed } from './timing.ts';

/** Pause after the pool reports a warm sandbox, so the just-booted sandbox has settled before the timed POST. */
export const WARM_SETTLE_MS = 300;

/** Times one POST → 201 and ends the session afterwards (the DELETE is not timed). */
async function timeOneSession(baseUrl: string, kind: SandboxKind, cleanup: Cleanup): Promise<number> {
  cleanup.checkpoint();
  let session: BenchSession | undefined;
  const { ms } = await timed(async () => {
    session = await createSession(baseUrl, kind);
  });
  cleanup.trackSession(session!);
  await cleanup.learnInstance(session!);
  await cleanup.endSession(session!);
  return ms;
}

/** Cold: the server keeps no warm sandboxes of `kind`; one unmeasured warm-up, then `runs` timed creations. */
export async function coldSessionReady(baseUrl: string, kind: SandboxKind, runs: number, cleanup: Cleanup): Promise<number[]> {
  await timeOneSession(baseUrl, kind, cleanup);
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) samples.push(await timeOneSession(baseUrl, kind, cleanup));
  return samples;
}

/** Warm: before each run (untimed) wait until health shows a warm sandbox of `kind`, then time the POST. */
export async function warmSessionReady(baseUrl: string, kind: SandboxKind, runs: number, cleanup: Cleanup): Promise<number[]> {
  const samples: number[] = [];
  for (let i = -1; i < runs; i += 1) {
    await waitForWarm(baseUrl, kind, 1, () => cleanup.checkpoint());
    await sleep(WARM_SETTLE_MS);
    const ms = await timeOneSession(baseUrl, kind, cleanup);
    if (i >= 0) samples.push(ms);
  }
  return samples;
}
