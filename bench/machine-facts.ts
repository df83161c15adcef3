/** Facts about the machine and engine a bench run measured on. */
import os from 'node:os';
import type Docker from 'dockerode';

/** What the report states about where it was measured. */
export interface MachineFacts {
  date: string;
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  kernel: string;
  node: string;
  engineVersion: string;
  engineApi: string;
  storageDriver: string;
  cgroup: string;
  isolation: string;
}

/** Reads the machine's and the engine's facts (isolation comes from the server's health, filled in later). */
export async function machineFacts(docker: Docker): Promise<MachineFacts> {
  const [version, info] = await Promise.all([docker.version(), docker.info() as Promise<Record<string, unknown>>]);
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    engineVersion: version.Version,
    engineApi: version.ApiVersion,
    storageDriver: String(info['Driver'] ?? 'unknown'),
    cgroup: `v${String(info['CgroupVersion'] ?? '?')} (${String(info['CgroupDriver'] ?? '?')} driver)`,
    isolation: 'unknown',
  };
}
