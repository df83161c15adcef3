# The commands you ran, one per line.
docker pull redis:7
