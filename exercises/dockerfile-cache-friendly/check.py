import os, shutil

from dockyard_check import check
from dockyard_check.docker import SUBMISSION, build, cleanup, history, require_image, run, run_detached, tail, wait_for_http

PACKAGES = ['requests==2.32.3', 'rich==13.7.1', 'click==8.1.7']


def edited_copy(name, filename, extra):
    """A copy of the submission with one line appended to `filename`: the same project after a small edit."""
    folder = os.path.join(os.path.dirname(SUBMISSION), name)
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(SUBMISSION, folder, symlinks=True)
    with open(os.path.join(folder, filename), 'a') as f:
        f.write(extra)
    return folder


def install_step(tag):
    """The history row of the RUN step that runs install.sh, or None."""
    rows = [r for r in history(tag) if 'install.sh' in r.get('CreatedBy', '') and '#(nop)' not in r.get('CreatedBy', '')]
    return rows[-1] if rows else None


@check('The Dockerfile builds', hint='Read the build log: which step failed, and what did it print?')
def _():
    result = build()
    assert result.ok, 'docker build failed:\n' + tail(result.log)


@check('The app answers on port 8000 and lists the installed packages',
       hint='Keep RUN sh install.sh (it needs requirements.txt and install.sh in /app) and end with CMD ["python", "app.py"].')
def _():
    require_image()
    try:
        container = run_detached(ports=[8000])
        status, body = wait_for_http('http://127.0.0.1:8000/', timeout=15, container=container)
        assert status == 200 and 'Hello' in body, f'the app answered {status}: {body[:200]!r}'
        missing = [p for p in PACKAGES if p not in body]
        assert not missing, f'the app says {body.strip()!r}: install.sh did not install {", ".join(missing)}'
    finally:
        cleanup()


@check('After a change to app.py, the install step comes from the cache',
       hint='Copy only requirements.txt and install.sh before RUN sh install.sh, and copy the rest of the code after it.')
def _():
    require_image()
    first = install_step('submission')
    assert first, 'no step of the image runs install.sh'
    result = build(context=edited_copy('after-code-edit', 'app.py', '\n# A small change to the code.\n'), tag='after-code-edit')
    assert result.ok, 'the build after editing app.py failed:\n' + tail(result.log)
    second = install_step('after-code-edit')
    assert second and second.get('ID') == first.get('ID'), (
        'editing app.py made install.sh run again: a COPY before the install step copies app.py, '
        'so its cache is invalidated by every change to the code')


@check('README.md stays out of the image, and editing it rebuilds nothing',
       hint='List README.md in a .dockerignore file next to the Dockerfile: it is then not part of the build context.')
def _():
    built = require_image()
    result = run(args=['sh', '-c', 'test ! -e README.md && test ! -e /app/README.md'], options=['--entrypoint', ''])
    assert result.exit_code == 0, 'README.md was copied into the image'
    again = build(context=edited_copy('after-readme-edit', 'README.md', '\nOne more note.\n'), tag='after-readme-edit')
    assert again.ok, 'the build after editing README.md failed:\n' + tail(again.log)
    assert again.image_id == built.image_id, 'editing README.md produced a different image: some step still sees it'
