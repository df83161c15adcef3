docker pull redis
docker image inspect -f '{{json .Config.Entrypoint}} {{json .Config.Cmd}}' redis
docker run -d --name cache-7000 redis redis-server --port 7000
docker run --name os-check --entrypoint cat redis /etc/os-release
docker ps -a
