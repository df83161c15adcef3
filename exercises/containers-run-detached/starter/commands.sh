# The commands you ran, one per line.
docker run busybox echo "warming up"
