# The commands you ran, one per line.
docker network create frontend
docker network create backend
docker run -d --name db --network backend redis
docker run -d --name web --network frontend nginx
docker run -d --name app --network frontend busybox sleep 3600
