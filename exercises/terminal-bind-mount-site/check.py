import os
from datetime import datetime

from dockyard_check import check
from dockyard_check.docker import wait_for_http
from dockyard_check.terminal import container, made_from, tail

FOLDER = '/root/site'
PAGE = os.path.join(FOLDER, 'index.html')
TARGET = '/usr/share/nginx/html'
FIRST = '<h1>My first site</h1>'
EDIT = '<p>Edited on the host</p>'


def page_text():
    if not os.path.isfile(PAGE):
        raise AssertionError(f'Skipped: there is no {PAGE}.')
    with open(PAGE, encoding='utf-8', errors='replace') as f:
        return f.read()


def site_mount():
    """The running container site and its mount at /usr/share/nginx/html; AssertionError when either is missing."""
    info = container('site')
    if info is None:
        raise AssertionError('Skipped: there is no container named site.')
    if not info['State'].get('Running'):
        raise AssertionError(f'Skipped: site is not running (status: {info["State"]["Status"]}).')
    for m in info.get('Mounts') or []:
        if m.get('Destination') == TARGET:
            return info, m
    raise AssertionError(f'Skipped: site has nothing mounted at {TARGET}, so nginx serves its own welcome page.')


@check('/root/site/index.html has the heading', hint="In /root: mkdir site, then echo '<h1>My first site</h1>' > site/index.html")
def _():
    assert os.path.isdir(FOLDER), f'there is no folder {FOLDER} in the sandbox'
    assert os.path.isfile(PAGE), f'there is no file index.html in {FOLDER}'
    text = page_text()
    assert FIRST in text, f'index.html does not contain {FIRST}; it contains:\n{tail(text, 5, 300)}'


@check('index.html was edited on the host', hint=f"Append the line with >> so the heading stays: echo '{EDIT}' >> site/index.html")
def _():
    text = page_text()
    assert EDIT in text, f'index.html does not contain {EDIT}; it contains:\n{tail(text, 5, 300)}'


@check('The container site runs nginx', hint='docker run -d --name site … nginx (options such as -p and -v go before the image name).')
def _():
    info = container('site')
    assert info is not None, 'there is no container named site'
    assert info['State'].get('Running'), f'site is not running (status: {info["State"]["Status"]}); docker logs site may say why'
    image = info['Config'].get('Image', '')
    assert made_from(info, 'nginx'), f'site runs the image {image}, not nginx'


@check('/root/site is bind-mounted read-only at /usr/share/nginx/html', hint='-v /root/site:/usr/share/nginx/html:ro (a source starting with / is a folder of the sandbox, not a volume name). Remove site and start it again to change its mounts.')
def _():
    _info, m = site_mount()
    assert m.get('Type') == 'bind', f'what is mounted at {TARGET} is a {m.get("Type")} ({m.get("Name")}), not a bind mount of {FOLDER}'
    assert os.path.realpath(m.get('Source', '')) == FOLDER, f'the folder mounted at {TARGET} is {m.get("Source")}, not {FOLDER}'
    assert m.get('RW') is False, f'the bind mount is writable; add :ro after {TARGET}'


def started_at(info):
    """When the container last started, in seconds since the epoch."""
    stamp = info['State'].get('StartedAt', '')
    whole, _, fraction = stamp.rstrip('Z').partition('.')
    moment = datetime.fromisoformat(whole + '+00:00').timestamp()
    return moment + float('0.' + (fraction or '0'))


@check('index.html was edited while site was running', hint='Start site first, then edit the file: a bind mount shows the change at once, without restarting nginx.')
def _():
    info, _m = site_mount()
    edited = os.stat(PAGE).st_mtime
    assert edited > started_at(info), 'site was (re)started after your last edit of index.html: edit the file while site runs, and see the page change without a restart'


@check('Port 8080 serves /root/site/index.html as it is now', hint='Publish the port with -p 8080:80, and try curl http://localhost:8080 yourself.')
def _():
    site_mount()
    text = page_text()
    status, body = wait_for_http('http://127.0.0.1:8080/', timeout=10, container='site')
    assert status == 200, f'http://localhost:8080 answered with status {status}'
    assert body.strip() == text.strip(), f'http://localhost:8080 does not serve the current index.html; it served:\n{tail(body, 6, 400)}'
