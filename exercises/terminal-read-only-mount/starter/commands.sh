# The commands you ran, one per line.
docker volume create app-config
