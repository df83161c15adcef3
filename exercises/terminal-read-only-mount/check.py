from dockyard_check import check
from dockyard_check.terminal import container, docker, read_volume_file, tail, volume_exists

VOLUME = 'app-config'
TARGET = '/etc/app'


def app_mount():
    """The running container app and its mount of app-config at /etc/app; AssertionError when either is missing."""
    info = container('app')
    if info is None:
        raise AssertionError('Skipped: there is no container named app.')
    if not info['State'].get('Running'):
        raise AssertionError(f'Skipped: app is not running (status: {info["State"]["Status"]}).')
    for m in info.get('Mounts') or []:
        if m.get('Destination') == TARGET:
            return info, m
    raise AssertionError(f'Skipped: app has nothing mounted at {TARGET}.')


@check('The volume app-config exists', hint='docker volume create app-config')
def _():
    assert volume_exists(VOLUME), 'the engine has no volume named app-config'


@check('app.conf in the volume says mode=production', hint="Write it from a container that mounts the volume writable: docker run --rm -v app-config:/config busybox sh -c 'echo mode=production > /config/app.conf'")
def _():
    assert volume_exists(VOLUME), 'Skipped: there is no volume app-config.'
    text = read_volume_file(VOLUME, 'app.conf')
    assert text is not None, 'the volume app-config has no file app.conf at its top level'
    lines = [line.strip() for line in text.splitlines()]
    assert 'mode=production' in lines, f'app.conf has no line mode=production; it contains:\n{tail(text, 5, 300)}'


@check('The container app is running', hint='Start it in the background with -d and give it a long command such as sleep 3600, so it keeps running.')
def _():
    info = container('app')
    assert info is not None, 'there is no container named app'
    assert info['State'].get('Running'), f'app is not running (status: {info["State"]["Status"]}); a container stops when its command ends'


@check('app mounts the volume app-config at /etc/app', hint='-v app-config:/etc/app:ro mounts the volume app-config at /etc/app.')
def _():
    _info, m = app_mount()
    assert m.get('Type') == 'volume' and m.get('Name') == VOLUME, f'what is mounted at /etc/app is not the volume app-config but {m.get("Name") or m.get("Source")} ({m.get("Type")})'


@check('The mount at /etc/app is read-only', hint='Add :ro after the target folder: -v app-config:/etc/app:ro. A mount cannot be changed on a running container: remove app and start it again.')
def _():
    _info, m = app_mount()
    assert m.get('RW') is False, 'the mount at /etc/app is writable (docker inspect app shows "RW": true under Mounts)'
    code, out = docker('exec', 'app', 'touch', f'{TARGET}/.dockyard-write-probe', timeout=15)
    if code == 0:
        docker('exec', 'app', 'rm', '-f', f'{TARGET}/.dockyard-write-probe', timeout=15)
    assert code != 0, 'a process inside app could create a file under /etc/app'


@check('app can read /etc/app/app.conf', hint='The container must see the file the first container wrote: mount the same volume, app-config, in both.')
def _():
    app_mount()
    code, out = docker('exec', 'app', 'cat', f'{TARGET}/app.conf', timeout=15)
    assert code == 0, f'cat /etc/app/app.conf inside app failed:\n{tail(out, 4, 300)}'
    assert 'mode=production' in out, f'/etc/app/app.conf inside app does not say mode=production; it contains:\n{tail(out, 5, 300)}'
