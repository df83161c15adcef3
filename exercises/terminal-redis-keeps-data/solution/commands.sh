docker volume create cache-data
docker run -d --name cache-v1 -v cache-data:/data redis
sleep 2
docker exec cache-v1 redis-cli set greeting hello
docker stop cache-v1
docker rm cache-v1
docker run -d --name cache-v2 -v cache-data:/data redis
sleep 2
docker exec cache-v2 redis-cli get greeting
