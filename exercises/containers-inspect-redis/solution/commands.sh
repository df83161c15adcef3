docker run -d --name cache redis
sleep 2
docker exec cache redis-cli set course dockyard
docker exec cache redis-cli set ip "$(docker inspect -f '{{.NetworkSettings.Networks.bridge.IPAddress}}' cache)"
docker logs cache
docker exec cache redis-cli set version "$(docker logs cache | grep -o 'version=[0-9.]*' | cut -d= -f2)"
docker exec cache redis-cli get ip
