# The commands you ran, one per line.
docker volume create cache-data
