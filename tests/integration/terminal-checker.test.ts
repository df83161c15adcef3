import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkLiveSandbox, runTerminalCheck } from '../../sandbox-server/checkers/terminal/check.ts';
import type { Verdict } from '../../sandbox-server/contract/verdict.ts';
import { expectGolden, goldenCases } from '../support/golden.ts';
import { trackedDriver } from '../support/tracked-driver.ts';

const root = resolve(import.meta.dirname, '..', '..');
const fixtures = join(root, 'tests/fixtures/terminal-checker');
const exercise = join(root, 'exercises/terminal-shared-volume');
const checkProgram = readFileSync(join(exercise, 'check.py'), 'utf8');
const commands = (path: string) => readFileSync(path, 'utf8');
const fakeDocker = readFileSync(join(fixtures, 'fake-docker.sh'), 'utf8');

const { docker, driver, ready, expectNoneLeft } = trackedDriver();
const walls: string[] = [];

async function replay(file: string, label: string): Promise<Verdict> {
  await ready();
  const started = Date.now();
  const verdict = await runTerminalCheck(driver, { files: { 'commands.sh': commands(file) }, checkProgram });
  walls.push(`${label} ${Date.now() - started} ms`);
  return verdict;
}

const stable = (v: Verdict) => ({ status: v.status, error_kind: v.error_kind, score: v.score, max_score: v.max_score, tests: v.tests.map((t) => [t.name, t.status]) });
const names = ['The volume shared exists', 'hello.sh is in the volume', 'hello.sh has both lines', 'Running hello.sh prints both lines, in order'];
const statuses = (...s: string[]) => names.map((n, i) => [n, s[i]]);

describe('terminal checker', { timeout: 240_000 }, () => {
  afterAll(async () => {
    console.log(`[terminal-checker] wall per check: ${walls.join(', ')}`);
    await expectNoneLeft();
  });

  it('rejects a submission without commands.sh before any sandbox exists', async () => {
    const v = await runTerminalCheck(driver, { files: { 'notes.txt': 'hi' }, checkProgram });
    expect(v).toMatchObject({ status: 'error', error_kind: 'runtime', resources: { wall_ms: 0 } });
    expect(v.message).toMatch(/no commands\.sh/);
  });

  describe.concurrent('replay: golden (tests/fixtures/terminal-checker/*/expected.json)', () => {
    for (const golden of goldenCases('terminal-checker')) {
      it(golden.name, async () => {
        await ready();
        const started = Date.now();
        const verdict = await runTerminalCheck(driver, { files: golden.files, checkProgram: golden.checkProgram });
        walls.push(`${golden.name} ${Date.now() - started} ms`);
        expectGolden(verdict, golden.expected);
      });
    }

    it('starter: fails with hints; the replay output is in the message', async () => {
      const v = await replay(join(exercise, 'starter/commands.sh'), 'starter');
      expect(stable(v)).toEqual({ status: 'fail', error_kind: undefined, score: 1, max_score: 4, tests: statuses('pass', 'fail', 'fail', 'fail') });
      for (const t of v.tests.filter((t) => t.status !== 'pass')) expect(t.hint).toBeTruthy();
      expect(v.message).toMatch(/^\d of 4 checks passed\.\n\nReplaying commands\.sh ended with exit code 0; its last output:\nshared/);
    });
  });

  it('hostile: a replayed submission has a terminal\'s rights, not the nested engine\'s', async () => {
    await ready();
    const attack = [
      'mkdir -p /tmp/p; mount -t proc proc /tmp/p && echo PROC-MOUNTED',
      'echo "|/tmp/x" > /proc/sys/kernel/core_pattern && echo CORE-PATTERN-SET',
      'ls /var/lib/docker | wc -l | sed "s/^/storage-entries=/"',
      'grep CapEff /proc/self/status',
    ].join('\n');
    const v = await runTerminalCheck(driver, { files: { 'commands.sh': `${attack}\n` }, checkProgram });
    expect(v.status).toBe('fail');
    expect(v.message).not.toMatch(/PROC-MOUNTED|CORE-PATTERN-SET/);
    // The engine's storage is out of sight, and SYS_ADMIN (bit 21) is not among the replay's capabilities.
    expect(v.message).toMatch(/storage-entries=0/);
    const capEff = BigInt(`0x${/CapEff:\s*([0-9a-f]+)/.exec(v.message ?? '')?.[1] ?? 'ffffffffff'}`);
    expect(capEff & (1n << 21n)).toBe(0n);
  });

  it('endless: a replay that never ends is stopped at its wall limit; the state so far is still checked', async () => {
    await ready();
    const started = Date.now();
    const v = await runTerminalCheck(driver, { files: { 'commands.sh': 'docker volume create shared\nsleep 600\necho never\n' }, checkProgram, limits: { replayWallMs: 5000 } });
    walls.push(`endless ${Date.now() - started} ms`);
    expect(stable(v)).toEqual({ status: 'fail', error_kind: undefined, score: 1, max_score: 4, tests: statuses('pass', 'fail', 'fail', 'fail') });
    expect(v.message).toMatch(/Replaying commands\.sh did not finish within 5 s; its last output:\nshared$/);
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('live: a fake docker, an alias, a PATH in .bashrc and a docker context do not change the verdict', async () => {
    await ready();
    const sandbox = await driver.create('docker', { 'dockyard.test': 'terminal-live' });
    const sh = (script: string) => driver.run(sandbox, ['/bin/sh', '-c', script], { timeoutMs: 60_000 });
    try {
      const b64 = Buffer.from(fakeDocker).toString('base64');
      const plant = await sh(
        [
          // System folders such as /usr/local/bin are read-only once the sandbox runs: the fake goes in the learner's own.
          `mkdir -p /root/bin && echo ${b64} | base64 -d > /root/bin/docker && chmod +x /root/bin/docker`,
          `echo 'export PATH=/root/bin:$PATH' >> /root/.bashrc`,
          `echo 'alias docker=/root/bin/docker' >> /root/.bashrc`,
          // A context pointing at nothing: the real CLI would fail if it read the learner's ~/.docker.
          `mkdir -p /root/.docker && echo '{"currentContext": "fake"}' > /root/.docker/config.json`,
          // A planted harness where the python checker's bootstrap would write.
          'mkdir -p /tmp/dockyard/dockyard_check /work && echo "raise SystemExit(0)" > /tmp/dockyard/check.py',
        ].join(' && '),
      );
      expect(plant.exitCode, plant.stderr).toBe(0);
      // The fakes do fool the learner's own shell…
      const fooled = await driver.run(sandbox, ['bash', '-lic', 'docker volume inspect shared; docker run --rm -v shared:/data busybox sh /data/hello.sh'], { timeoutMs: 30_000 });
      expect(fooled.stdout).toMatch(/"Name": "shared"[\s\S]*Hello from the first container\nChanged by the second container/);

      // …but not the check: nothing was built, so it fails.
      let started = Date.now();
      const before = await checkLiveSandbox(docker, sandbox.containerId, { checkProgram });
      walls.push(`live-fake ${Date.now() - started} ms`);
      expect(before.message).toBe('0 of 4 checks passed.');
      expect(stable(before)).toEqual({ status: 'fail', error_kind: undefined, score: 0, max_score: 4, tests: statuses('fail', 'fail', 'fail', 'fail') });

      // Build the real state with the real CLI (HOME elsewhere so the fake context is not used), then check again, twice.
      const solution = commands(join(exercise, 'solution/commands.sh'));
      const built = await driver.run(sandbox, ['/usr/bin/env', '-i', 'PATH=/usr/sbin:/usr/bin:/sbin:/bin', 'HOME=/nonexistent', '/bin/bash', '-c', solution], { timeoutMs: 120_000 });
      expect(built.stdout).toMatch(/Changed by the second container/);
      for (const label of ['live-real', 'live-again']) {
        started = Date.now();
        const after = await checkLiveSandbox(docker, sandbox.containerId, { checkProgram });
        walls.push(`${label} ${Date.now() - started} ms`);
        expect(stable(after)).toEqual({ status: 'pass', error_kind: undefined, score: 4, max_score: 4, tests: statuses('pass', 'pass', 'pass', 'pass') });
      }
      // The check leaves no folder behind and the learner's files are untouched.
      const left = await sh('ls -d /tmp/dockyard-check-* 2>/dev/null | wc -l; cat /root/.docker/config.json; head -c 9 /root/bin/docker');
      expect(left.stdout).toBe('0\n{"currentContext": "fake"}\n#!/bin/sh');
    } finally {
      await driver.remove(sandbox);
    }
  });
});
