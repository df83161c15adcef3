import Docker from 'dockerode';

/** The result of asking a Docker engine whether it answers. */
export interface EngineProbe {
  ok: boolean;
  version?: string;
  apiVersion?: string;
  error?: string;
}

/** Where the engine lives: `DOCKER_HOST` when set, the default socket otherwise. */
export function engineAddress(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_HOST && env.DOCKER_HOST.length > 0 ? env.DOCKER_HOST : 'unix:///var/run/docker.sock';
}

/** Connects to the engine named by `DOCKER_HOST`, or the default Unix socket. */
export function connectEngine(env: NodeJS.ProcessEnv = process.env): Docker {
  const host = env.DOCKER_HOST;
  if (!host) return new Docker({ socketPath: '/var/run/docker.sock' });
  if (host.startsWith('unix://')) return new Docker({ socketPath: host.slice('unix://'.length) });
  const url = new URL(host.replace(/^tcp:/, env.DOCKER_TLS_VERIFY ? 'https:' : 'http:'));
  return new Docker({
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'https:' ? 2376 : 2375)),
    protocol: url.protocol === 'https:' ? 'https' : 'http',
  });
}

/** Asks the engine for its version, within `timeoutMs`; never throws. */
export async function probeEngine(docker: Docker, timeoutMs = 2000): Promise<EngineProbe> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const version = await Promise.race([
      docker.version(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, version: version.Version, apiVersion: version.ApiVersion };
  } catch (err) {
    return { ok: false, error: describeEngineError(err) };
  } finally {
    if (timer) clearTimeout(timer);
  }
}

function describeEngineError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT') return `no Docker socket at ${e.message.match(/connect ENOENT (\S+)/)?.[1] ?? 'the configured address'}`;
  if (e?.code === 'ECONNREFUSED') return 'the Docker engine refused the connection (is dockerd running?)';
  if (e?.code === 'EACCES') return 'permission denied on the Docker socket (add this user to the docker group)';
  return e?.message ?? String(err);
}
