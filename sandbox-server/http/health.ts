import { Hono } from 'hono';
import type { EngineProbe } from '../docker/engine.ts';
import { engineAdvice } from '../docker/advice.ts';

/** What /api/health reports. */
export interface Health {
  docker: EngineProbe;
  images: { ready: boolean; missing: string[] };
  /** The session service, once it runs: isolation profile, live sessions and warm sandboxes. */
  sandboxes?: SandboxesHealth | undefined;
}

export interface SandboxesHealth {
  isolation: string;
  sessions: number;
  warm: Record<string, number>;
}

/** Where health facts come from; injected so the route is testable without an engine. */
export interface HealthSources {
  probeEngine(): Promise<EngineProbe>;
  imageStatus(): Promise<{ ready: boolean; missing: string[] }>;
  /** Every image the kit provides, reported missing while the engine is down. */
  imageNames(): string[];
  engineAddress: string;
  /** The session service's state; undefined until it has started. */
  sandboxes?: () => SandboxesHealth | undefined;
}

/** GET /api/health: 200 when the engine answers, 503 (same body plus an error saying what to do) when not. */
export function healthRoutes(sources: HealthSources): Hono {
  const app = new Hono();
  app.get('/', async (c) => {
    const docker = await sources.probeEngine();
    if (!docker.ok) {
      const body: Health = { docker, images: { ready: false, missing: sources.imageNames() } };
      return c.json(
        { ...body, error: { code: 'engine_unavailable', message: engineAdvice(sources.engineAddress, docker.error) } },
        503,
      );
    }
    // Images still building is a state to report, not a failure of the service.
    const images = await sources.imageStatus();
    const body: Health = { docker, images, sandboxes: sources.sandboxes?.() };
    return c.json(body, 200);
  });
  return app;
}
