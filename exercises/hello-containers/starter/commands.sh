# The commands you ran, one per line.
docker run --rm hello-world
