from dockyard_check import check
from dockyard_check.terminal import container, made_from, network, run, tail


def networks_of(info):
    return set((info.get('NetworkSettings') or {}).get('Networks') or {})


def running(name, image):
    info = container(name)
    if info is None:
        raise AssertionError(f'the engine has no container named {name}')
    assert made_from(info, image), f'{name} was made from {info["Config"]["Image"]!r}, not {image}'
    assert info['State']['Running'], f'{name} is {info["State"]["Status"]}; start it with -d and leave it running'
    return info


def on_exactly(name, info, wanted):
    joined = networks_of(info)
    assert joined == set(wanted), f'{name} is on {", ".join(sorted(joined)) or "no network"}; it should be on {" and ".join(wanted)} only'


def redis_ping_from(name):
    """redis-cli -h db ping, run in the network namespace of the container `name`."""
    return run('redis', args=['redis-cli', '-h', 'db', 'ping'], timeout=20, options=['--network', f'container:{name}'])


@check('The networks frontend and backend exist', hint='docker network create frontend, then docker network create backend.')
def _():
    missing = [n for n in ('frontend', 'backend') if network(n) is None]
    assert not missing, f'the engine has no network named {" nor ".join(missing)}'


@check('db runs redis on backend only', hint='docker run -d --name db --network backend redis')
def _():
    on_exactly('db', running('db', 'redis'), ['backend'])


@check('web runs nginx on frontend only', hint='docker run -d --name web --network frontend nginx')
def _():
    on_exactly('web', running('web', 'nginx'), ['frontend'])


@check('app runs busybox on both networks', hint='Start app on frontend, then docker network connect backend app.')
def _():
    info = running('app', 'busybox')
    on_exactly('app', info, ['backend', 'frontend'])


@check('app reaches db by name', hint='app needs a foot in backend, where db lives: docker network connect backend app.')
def _():
    if container('app') is None or container('db') is None:
        raise AssertionError('Skipped: app and db must both exist.')
    result = redis_ping_from('app')
    assert result.exit_code == 0 and 'PONG' in result.output, f'redis-cli -h db ping, from the network of app, did not get PONG:\n{tail(result.output, 5, 400)}'


@check('web cannot reach db', hint='Keep web on frontend only; if it joined backend, docker network disconnect backend web.')
def _():
    if container('web') is None or container('db') is None:
        raise AssertionError('Skipped: web and db must both exist.')
    assert container('web')['State']['Running'], 'Skipped: web is not running.'
    result = redis_ping_from('web')
    assert not (result.exit_code == 0 and 'PONG' in result.output), 'from the network of web, redis-cli -h db ping got PONG: web shares a network with db'
