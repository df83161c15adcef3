import os, re, shutil

from dockyard_check import check
from dockyard_check.docker import SUBMISSION, build, cleanup, require_image, run, run_detached, tail, wait_for_http

PACKAGES = ['flask 3.1.1', 'requests 2.32.3']


def edited_copy(name, filename, extra):
    """A copy of the submission with one line appended to `filename`: the same project after a small edit."""
    folder = os.path.join(os.path.dirname(SUBMISSION), name)
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(SUBMISSION, folder, symlinks=True)
    with open(os.path.join(folder, filename), 'a') as f:
        f.write(extra)
    return folder


def pip_step(log):
    """How BuildKit's plain log ends the step that runs pip install: 'CACHED', 'DONE', 'ERROR', or None when no step does."""
    started = re.search(r'^#(\d+) \[[^\]]*\] RUN .*pip3? install.*$', log, re.M)
    if not started:
        return None
    ends = re.findall(rf'^#{started.group(1)} (CACHED|DONE|ERROR)\b', log, re.M)
    return ends[-1] if ends else None


@check('The Dockerfile builds, installing requirements.txt with pip', hint='Read the build log: which step failed, and what did it print?')
def _():
    result = build()
    assert result.ok, 'docker build failed:\n' + tail(result.log)
    assert pip_step(result.log), 'no RUN step of the build runs pip install: the app needs the packages of requirements.txt'


@check('The app answers on port 8000 with the packages of requirements.txt',
       hint='Keep RUN pip install -r requirements.txt (with requirements.txt copied before it) and end with CMD ["python", "app.py"].')
def _():
    require_image()
    try:
        container = run_detached(ports=[8000])
        status, body = wait_for_http('http://127.0.0.1:8000/', timeout=15, container=container)
        assert status == 200 and 'Hello' in body, f'the app answered {status}: {body[:200]!r}'
        missing = [p for p in PACKAGES if p not in body]
        assert not missing, f'the app says {body.strip()!r}: {", ".join(missing)} not installed'
    finally:
        cleanup()


@check('After a change to app.py, the pip install step comes from the cache',
       hint='Copy only requirements.txt before RUN pip install, and copy the rest of the code after it.')
def _():
    require_image()
    result = build(context=edited_copy('after-code-edit', 'app.py', '\n# A small change to the code.\n'), tag='after-code-edit')
    assert result.ok, 'the build after editing app.py failed:\n' + tail(result.log)
    assert pip_step(result.log) == 'CACHED', (
        'editing app.py made pip install run again: a COPY before the install step copies app.py, '
        'so its cache is invalidated by every change to the code')


@check('A new requirement downloads only the new package: pip keeps its cache in a cache mount',
       hint='Write the install as RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt.')
def _():
    require_image()
    result = build(context=edited_copy('after-new-requirement', 'requirements.txt', 'gunicorn\n'), tag='after-new-requirement')
    assert result.ok, 'the build after adding gunicorn to requirements.txt failed:\n' + tail(result.log)
    assert pip_step(result.log) == 'DONE', 'adding a line to requirements.txt did not run pip install again'
    # Only what the first build already had counts: a dependency that gunicorn brings along,
    # and the base image lacks, is new to this build and rightly downloaded.
    before = {name.lower() for name in re.findall(r'(?:Downloading|Using cached) \S*?/(\w+)-[\d.]+-', require_image().log)}
    downloaded = re.findall(r'Downloading \S*?/(\w+)-[\d.]+-', result.log)
    again = sorted({name for name in downloaded if name.lower() in before})
    assert not again, (f'pip downloaded {", ".join(again)} again although the first build had fetched them: '
                       "its download cache (/root/.cache/pip) went away with the step's old layer")
    leftover = run(image='after-new-requirement', args=['sh', '-c', 'find /root/.cache/pip -type f 2>/dev/null | wc -l'],
                   options=['--entrypoint', ''])
    assert leftover.exit_code == 0 and leftover.output.strip() == '0', "the image carries pip's download cache in /root/.cache/pip"


@check('README.md stays out of the image, and editing it rebuilds nothing',
       hint='List README.md in a .dockerignore file next to the Dockerfile: it is then not part of the build context.')
def _():
    built = require_image()
    result = run(args=['sh', '-c', 'test ! -e README.md && test ! -e /app/README.md'], options=['--entrypoint', ''])
    assert result.exit_code == 0, 'README.md was copied into the image'
    again = build(context=edited_copy('after-readme-edit', 'README.md', '\nOne more note.\n'), tag='after-readme-edit')
    assert again.ok, 'the build after editing README.md failed:\n' + tail(again.log)
    assert again.image_id == built.image_id, 'editing README.md produced a different image: some step still sees it'
