from dockyard_check import check
from dockyard_check.terminal import container, docker, made_from, tail

JOB = "rows = b'x' * (80 << 20); print('report ready:', len(rows), 'bytes')"
READY = 'report ready: 83886080 bytes'
MIB = 1024 * 1024


def report():
    info = container('report')
    if info is None:
        raise AssertionError('Skipped: there is no container named report.')
    return info


def output():
    return docker('logs', 'report')[1]


@check('report runs the same job, from python:3.11-slim', hint='Keep the command after the image name as commands.sh has it; change only the options before the image.')
def _():
    info = report()
    assert made_from(info, 'python:3.11-slim'), f'report was made from {info["Config"]["Image"]}, not python:3.11-slim'
    cmd = info['Config'].get('Cmd') or []
    same = len(cmd) == 3 and cmd[:2] == ['python', '-c'] and ' '.join(cmd[2].split()) == JOB
    assert same, f'report runs {" ".join(cmd)!r}, not the report job'


@check('report finished its work instead of being killed', hint='docker inspect --format \'{{.State.OOMKilled}}\' report: true means it went over its memory limit.')
def _():
    state = report()['State']
    assert not state.get('Running'), 'report is still running'
    assert not state.get('OOMKilled'), f'report was killed for going over its memory limit (exit code {state.get("ExitCode")}, OOMKilled true)'
    assert state.get('ExitCode') == 0, f'report ended with exit code {state.get("ExitCode")}. Its output:\n{tail(output(), 5, 400) or "(nothing)"}'
    assert READY in output(), f'report did not print {READY!r}. Its output:\n{tail(output(), 5, 400) or "(nothing)"}'


@check('report still has a memory limit, of at most 256 MiB', hint='Keep -m on the docker run line, with a value the job fits in, such as -m 128m.')
def _():
    limit = (report().get('HostConfig') or {}).get('Memory') or 0
    assert limit > 0, 'report has no memory limit: keep one, so the job cannot take the whole machine'
    assert limit <= 256 * MIB, f'report may use {limit // MIB} MiB: at most 256 MiB'
