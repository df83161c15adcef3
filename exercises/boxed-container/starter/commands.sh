# The commands you ran, one per line.
docker run -d --name boxed busybox sleep 3600
