docker create --name standby busybox sleep 600
docker run --name task busybox sh -c 'echo "task failed" >&2; exit 3'
docker run -d --name retry --restart on-failure:3 busybox sh -c 'echo trying; exit 1'
sleep 3
docker ps -a
