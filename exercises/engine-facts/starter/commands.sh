# The commands you ran, one per line.
docker version
docker run --name facts busybox true
