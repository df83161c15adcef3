# The commands you ran, one per line.
docker run -d --name cache-7000 redis
