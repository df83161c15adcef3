import time
from dockyard_check import check
from dockyard_check.docker import build, cleanup, docker, logs, require_image, run, run_detached, running, tail, wait_for_http

FORECAST = 'Forecast: sunny, 21 degrees.'
NETWORK = 'dockyard-weather-check'


@check('The image builds', hint='Read the build log: which step failed, and what did it print?')
def _():
    result = build()
    assert result.ok, 'docker build failed:\n' + tail(result.log)


@check('The app answers on a published port, from outside its container', hint='docker logs shows where the app listens; 127.0.0.1 in a container is reachable only from inside it.')
def _():
    require_image()
    try:
        container = run_detached(ports=[8000])
        try:
            status, body = wait_for_http('http://127.0.0.1:8000/', timeout=10, container=container)
        except AssertionError as e:
            said = tail(logs(container), 3, 300)
            raise AssertionError(f'{e} The app said:\n{said}') from None
        assert status == 200 and FORECAST in body, f'port 8000 answered {status}: {body[:200]!r}'
    finally:
        cleanup()


@check('Another container on the same network reaches the app by its name', hint='Another container connects to the app container\'s network address, not its loopback: listen on 0.0.0.0.')
def _():
    require_image()
    docker('network', 'create', NETWORK)
    try:
        container = run_detached(options=['--network', NETWORK, '--network-alias', 'weather'])
        time.sleep(1)
        assert running(container), f'the app stopped. Its output:\n{tail(logs(container), 6, 600)}'
        fetch = ('import time, urllib.request\n'
                 'for _ in range(20):\n'
                 '    try: print(urllib.request.urlopen("http://weather:8000/", timeout=2).read().decode()); break\n'
                 '    except OSError as e: err = e; time.sleep(0.5)\n'
                 'else: print("no answer:", err)\n')
        result = run(args=['python', '-c', fetch], options=['--network', NETWORK, '--entrypoint', ''], timeout=30)
        assert FORECAST in result.output, f'a container on the network asked http://weather:8000/ and got: {tail(result.output, 3, 300)}'
    finally:
        cleanup()
        docker('network', 'rm', NETWORK)
