import time

from dockyard_check import check
from dockyard_check.terminal import container, docker, made_from, run_with_volume, tail, volume_exists

VOLUME = 'cache-data'


def mounts_volume(info, target='/data'):
    """The mount of VOLUME at `target` in a container's inspect dict, or None."""
    for m in info.get('Mounts') or []:
        if m.get('Type') == 'volume' and m.get('Name') == VOLUME and m.get('Destination') == target:
            return m
    return None


def running_v2():
    info = container('cache-v2')
    if info is None:
        raise AssertionError('Skipped: there is no container named cache-v2.')
    if not info['State'].get('Running'):
        raise AssertionError('Skipped: cache-v2 is not running.')
    return info


@check('The volume cache-data exists', hint='Create it with docker volume create cache-data (docker volume ls lists the volumes).')
def _():
    assert volume_exists(VOLUME), 'the engine has no volume named cache-data'


@check('cache-v1 was replaced by cache-v2', hint='Stop it with docker stop cache-v1, remove it with docker rm cache-v1, then start cache-v2.')
def _():
    info = container('cache-v1')
    assert info is None, f'a container named cache-v1 still exists (status: {info["State"]["Status"]}); remove it once its data is saved'
    assert container('cache-v2') is not None, 'cache-v1 is gone, but there is no container named cache-v2 to take its place'


@check('cache-v2 runs Redis with cache-data mounted at /data', hint='docker run -d --name cache-v2 -v cache-data:/data redis')
def _():
    info = container('cache-v2')
    assert info is not None, 'there is no container named cache-v2'
    assert info['State'].get('Running'), f'cache-v2 is not running (status: {info["State"]["Status"]}); start it again with docker start cache-v2'
    image = info['Config'].get('Image', '')
    assert made_from(info, 'redis', 'redis:7'), f'cache-v2 runs the image {image}, not redis'
    assert mounts_volume(info), 'cache-v2 does not mount the volume cache-data at /data (see docker inspect cache-v2, under Mounts)'


@check('Redis saved its data into the volume', hint='Redis writes dump.rdb when it is stopped with docker stop (or when you run redis-cli save); docker rm -f kills it before it can.')
def _():
    assert volume_exists(VOLUME), 'Skipped: there is no volume cache-data.'
    result = run_with_volume(VOLUME, ['test', '-s', '/data/dump.rdb'])
    assert result.exit_code == 0, 'the volume cache-data holds no dump.rdb, the file Redis saves its keys to'


def first_load(log):
    """How many keys Redis loaded from disk the first time the container started; 0 when it started empty."""
    started = False
    for line in log.splitlines():
        if 'Server initialized' in line:
            if started:
                return 0  # a second start: the first one loaded nothing
            started = True
        elif started and 'keys loaded:' in line:
            try:
                return int(line.split('keys loaded:')[1].split(',')[0])
            except ValueError:
                return 0
    return 0


@check('cache-v2 found the data in the volume when it started', hint='The key must be set in cache-v1 and saved into cache-data before cache-v2 starts: set it in cache-v1, stop cache-v1, then start cache-v2.')
def _():
    running_v2()
    code, log = docker('logs', 'cache-v2')
    assert code == 0, f'docker logs cache-v2 failed: {tail(log, 3)}'
    loaded = first_load(log)
    assert loaded > 0, 'when cache-v2 first started, the volume held no keys (its log shows no "keys loaded"): the data was not saved by cache-v1 before cache-v2 started'


@check('cache-v2 finds the key greeting, set in cache-v1', hint='Set it in cache-v1 with docker exec cache-v1 redis-cli set greeting hello, then stop (not kill) cache-v1 before you start cache-v2.')
def _():
    running_v2()
    answer = None
    for _ in range(20):  # a server started a moment ago may still be loading its data
        code, out = docker('exec', 'cache-v2', 'redis-cli', 'get', 'greeting', timeout=10)
        answer = out.strip()
        if code == 0 and 'LOADING' not in answer and 'Could not connect' not in answer:
            break
        time.sleep(0.5)
    assert answer == 'hello', f'redis-cli get greeting in cache-v2 answered {tail(answer, 3, 200)!r}, expected hello'
