# The commands you ran, one per line.
docker run --rm busybox sleep 1
