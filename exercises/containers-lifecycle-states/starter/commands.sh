# The commands you ran, one per line.
docker run -d --name standby busybox sleep 600
