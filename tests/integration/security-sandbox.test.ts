import { randomBytes } from 'node:crypto';
import { hostname, networkInterfaces } from 'node:os';
import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEngine } from '../../sandbox-server/docker/engine.ts';
import { SandboxDriver, type Sandbox } from '../../sandbox-server/docker/driver.ts';
import { asSandboxRoot, asStudent, hostMarker, quote, SHOCKER_PY, type HostMarker } from '../support/security.ts';

/**
 * Attacks from inside a docker sandbox (docs/security.md). Each runs as the student does, through
 * the sandbox's login-shell wrapper; the ones marked "sandbox root" also run with every right the
 * sandbox holds, to show the refusal does not depend on the student's shell alone.
 */
const docker = connectEngine();
const driver = new SandboxDriver(docker, {
  limits: { docker: { memoryBytes: 768 * 1024 * 1024, pidsLimit: 512, cpus: 1 } },
  diskQuota: false,
});

const REFUSED_BY_PLUGIN = /authorization denied by plugin dockyard-authz: Dockyard refused/;

describe('attacks from a docker sandbox', () => {
  let a: Sandbox;
  let b: Sandbox;
  let marker: HostMarker;

  beforeAll(async () => {
    marker = hostMarker();
    [a, b] = await Promise.all([driver.create('docker'), driver.create('docker')]);
    const pulled = await asStudent(driver, a, 'docker pull -q busybox && docker pull -q python:3.11-slim', 180_000);
    expect(pulled.exitCode, pulled.stdout + pulled.stderr).toBe(0);
  }, 300_000);
  afterAll(async () => {
    marker?.remove();
    await Promise.all([a, b].filter(Boolean).map((s) => driver.remove(s)));
  });

  it('refuses docker run --privileged -v /:/host … chroot /host, and -v /:/host alone; the host\'s files stay out of sight', async () => {
    const privileged = await asStudent(driver, a, `docker run --rm --privileged -v /:/host busybox chroot /host cat ${marker.path}`);
    expect(privileged.exitCode).not.toBe(0);
    expect(privileged.stderr).toMatch(REFUSED_BY_PLUGIN);
    expect(privileged.stderr).toContain('--privileged');
    const rootBind = await asStudent(driver, a, `docker run --rm -v /:/host busybox chroot /host cat ${marker.path}`);
    expect(rootBind.exitCode).not.toBe(0);
    expect(rootBind.stderr).toMatch(/Dockyard refused the bind mount of \//);
    for (const r of [privileged, rootBind]) expect(r.stdout + r.stderr).not.toContain(marker.secret);
    // What a student's / is: the sandbox's own filesystem, where the host's file does not exist.
    const own = await asSandboxRoot(driver, a, `cat /etc/hostname; cat ${marker.path} 2>&1 || true`);
    expect(own.stdout).toMatch(/^sandbox$/m);
    expect(own.stdout).toMatch(/No such file or directory/);
    expect(own.stdout).not.toContain(marker.secret);
  });

  it("cannot read the host's disk with forged file handles (open_by_handle_at), from the shell or a nested container", async () => {
    const script = `cat > /tmp/shocker.py <<'EOF'\n${SHOCKER_PY}\nEOF\npython3 /tmp/shocker.py ${marker.path}`;
    const student = await asStudent(driver, a, script);
    expect(student.stdout).toMatch(/^refused /m);
    const root = await asSandboxRoot(driver, a, script);
    expect(root.stdout).toMatch(/^refused /m);
    const nested = await asStudent(
      driver,
      a,
      `mkdir -p /root/sh && cat > /root/sh/shocker.py <<'EOF'\n${SHOCKER_PY}\nEOF\n` +
        `docker run --rm --cap-add DAC_READ_SEARCH -v /root/sh:/sh python:3.11-slim python3 /sh/shocker.py ${marker.path}; ` +
        `docker run --rm -v /root/sh:/sh python:3.11-slim python3 /sh/shocker.py ${marker.path}`,
    );
    expect(nested.stderr).toMatch(/Dockyard refused --cap-add DAC_READ_SEARCH/);
    expect(nested.stdout).toMatch(/^refused /m);
    for (const r of [student, root, nested]) expect(r.stdout + r.stderr).not.toContain(marker.secret);
  });

  it('nsenter -t 1 is refused to the student, and with the sandbox\'s full rights enters the sandbox\'s own PID 1', async () => {
    const student = await asStudent(driver, a, 'nsenter -t 1 -m -u -n -p hostname; echo "exit=$?"');
    expect(student.stdout + student.stderr).toMatch(/Operation not permitted|Permission denied/);
    expect(student.stdout).toMatch(/exit=[1-9]/);
    const root = await asSandboxRoot(driver, a, 'nsenter -t 1 -m -u -n -p sh -c "hostname; cat /proc/1/cmdline | tr \'\\0\' \' \'"');
    expect(root.stdout).toMatch(/^sandbox$/m);
    expect(root.stdout).toContain('tini');
    if (hostname() !== 'sandbox') expect(root.stdout).not.toContain(hostname());
  });

  it('a --pid=host nested container sees the sandbox\'s processes only; a --net=host one its interfaces only', async () => {
    const pid = await asStudent(driver, a, 'docker run --rm --pid host busybox ps -o pid,comm');
    expect(pid.exitCode, pid.stderr).toBe(0);
    const lines = pid.stdout.trim().split('\n').slice(1);
    expect(pid.stdout).toContain('dockerd');
    expect(pid.stdout).toMatch(/^\s*1\s+tini$/m);
    // The host runs this test's Node process, its own engine and much more; the sandbox, a few dozen.
    expect(pid.stdout).not.toMatch(/\bnode\b|vitest/);
    expect(lines.length).toBeLessThan(60);

    const net = await asStudent(driver, a, 'docker run --rm --network host busybox ip -4 -o addr');
    expect(net.exitCode, net.stderr).toBe(0);
    const sandboxIp = Object.values((await docker.getContainer(a.containerId).inspect()).NetworkSettings.Networks)[0]?.IPAddress;
    expect(net.stdout).toContain(` ${sandboxIp}/`);
    // Exactly the sandbox's own interfaces; a host address may recur only where the sandbox has the same one
    // itself (its nested engine's docker0 uses Docker's default 172.17.0.1, as the host's engine may).
    const own = await asStudent(driver, a, 'ip -4 -o addr');
    const addresses = (out: string) => [...out.matchAll(/inet (\S+)/g)].map((m) => m[1]).sort();
    expect(addresses(net.stdout)).toEqual(addresses(own.stdout));
    for (const list of Object.values(networkInterfaces())) {
      for (const addr of list ?? []) {
        if (addr.family === 'IPv4' && !addr.internal && !own.stdout.includes(` ${addr.address}/`)) expect(net.stdout).not.toContain(` ${addr.address}/`);
      }
    }
  });

  it("cannot open or mount a host block device: mknod gives a node that refuses to open, --device is refused", async () => {
    const dev = statSync('/').dev;
    // Linux dev_t: major in bits 8-19, minor in bits 0-7 and 20-31.
    const major = (dev >> 8) & 0xfff;
    const minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);
    const script =
      `mknod /tmp/disk b ${major} ${minor} 2>&1; head -c 512 /tmp/disk >/dev/null 2>&1 && echo DISK-READ || echo open-refused; ` +
      `mkdir -p /tmp/mnt; mount /tmp/disk /tmp/mnt 2>&1 && echo MOUNTED || echo mount-refused; rm -f /tmp/disk`;
    for (const run of [asStudent, asSandboxRoot]) {
      const r = await run(driver, a, script);
      expect(r.stdout).toContain('open-refused');
      expect(r.stdout).toContain('mount-refused');
      expect(r.stdout).not.toMatch(/DISK-READ|MOUNTED/);
    }
    const device = await asStudent(driver, a, `docker run --rm --device /dev/vda busybox true`);
    expect(device.stderr).toMatch(/Dockyard refused --device/);
  });

  it('cannot raise its own limits, see other sandboxes\' cgroups, or add rights to a nested container', async () => {
    const cgroups = await asSandboxRoot(driver, a, 'ls /sys/fs/cgroup/memory; cat /proc/self/cgroup; echo 99999999999 > /sys/fs/cgroup/memory/memory.limit_in_bytes && echo RAISED || echo limit-read-only');
    expect(cgroups.stdout).toContain('limit-read-only');
    expect(cgroups.stdout).not.toContain('RAISED');
    expect(cgroups.stdout).not.toMatch(/release_agent|^docker$/m);
    expect(cgroups.stdout).not.toContain(b.containerId);
    for (const opt of ['--cap-add SYS_ADMIN', '--security-opt seccomp=unconfined', '--security-opt systempaths=unconfined']) {
      const r = await asStudent(driver, a, `docker run --rm ${opt} busybox true`);
      expect(r.stderr, opt).toMatch(REFUSED_BY_PLUGIN);
    }
    // Kernel-wide settings stay out of reach: no fresh /proc, a read-only /proc/sys, no clock.
    const kernel = await asStudent(driver, a, 'mkdir -p /tmp/p; mount -t proc proc /tmp/p && echo PROC-MOUNTED; echo "|/tmp/x" > /proc/sys/kernel/core_pattern && echo CORE-PATTERN-SET; date -s 2001-01-01 >/dev/null 2>&1 && echo CLOCK-SET; echo done');
    expect(kernel.stdout).toContain('done');
    expect(kernel.stdout).not.toMatch(/PROC-MOUNTED|CORE-PATTERN-SET|CLOCK-SET/);
  });

  it('cannot tamper with what the sandbox engine runs from: its programs, settings, plugin and storage', async () => {
    const r = await asStudent(
      driver,
      a,
      'touch /usr/bin/x 2>/dev/null && echo USR-WRITABLE; echo /tmp/x.so > /etc/ld.so.preload 2>/dev/null && echo PRELOAD-SET; ' +
        'rm /run/docker/plugins/dockyard-authz.sock 2>/dev/null && echo PLUGIN-REMOVED; ls -A /var/lib/docker | wc -l; ' +
        'ln -s /var/lib/docker /root/engine-link; docker run --rm -v /root/engine-link:/x busybox ls /x; echo done',
    );
    expect(r.stdout).toContain('done');
    expect(r.stdout).not.toMatch(/USR-WRITABLE|PRELOAD-SET|PLUGIN-REMOVED/);
    expect(r.stdout).toMatch(/^0$/m); // the engine's storage is out of the shell's sight
    expect(r.stderr).toMatch(/Dockyard refused the bind mount of \/root\/engine-link/);
    // Bind mounts of the student's own folders work as the lessons use them.
    const ok = await asStudent(driver, a, 'mkdir -p /root/site && echo hi > /root/site/index.html && docker run --rm -v /root/site:/data:ro busybox cat /data/index.html');
    expect(ok.stdout.trim()).toBe('hi');
  });

  it("cannot read another session's files: another sandbox's volumes and folders are not there", async () => {
    const secret = `session-b-${randomBytes(6).toString('hex')}`;
    const setup = await asStudent(driver, b, `echo ${secret} > /root/${secret}.txt && docker volume create ${secret} >/dev/null && echo ok`);
    expect(setup.stdout).toContain('ok');
    const fromA = await asStudent(driver, a, `docker volume ls -q; find / -xdev -name '${secret}*' 2>/dev/null; grep -rs ${quote(secret)} /root /tmp /srv /home; echo done`);
    expect(fromA.stdout).toContain('done');
    expect(fromA.stdout).not.toContain(secret);
    const rootOfA = await asSandboxRoot(driver, a, `find / -xdev -name '${secret}*' 2>/dev/null; ls /var/lib/docker/volumes; echo done`);
    expect(rootOfA.stdout).not.toContain(secret);
  });

  it('cannot push over a course image on the mirror: python:3.11-slim stays what the course built', async () => {
    const before = await asStudent(driver, a, 'curl -fsS -H "Accept: application/vnd.docker.distribution.manifest.v2+json" -I http://dockyard-mirror:5000/v2/library/python/manifests/3.11-slim | grep -i docker-content-digest');
    expect(before.stdout).toMatch(/sha256:[0-9a-f]{64}/);
    const push = await asStudent(driver, a, 'docker tag busybox dockyard-mirror:5000/library/python:3.11-slim && docker push dockyard-mirror:5000/library/python:3.11-slim');
    expect(push.exitCode).not.toBe(0);
    expect(push.stdout + push.stderr).toMatch(/unsupported|read-only|405|method not allowed/i);
    const after = await asStudent(driver, a, 'curl -fsS -H "Accept: application/vnd.docker.distribution.manifest.v2+json" -I http://dockyard-mirror:5000/v2/library/python/manifests/3.11-slim | grep -i docker-content-digest');
    expect(after.stdout.trim()).toBe(before.stdout.trim());
  });
});
