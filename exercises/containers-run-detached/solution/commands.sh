docker run --rm busybox echo "warming up"
docker run -d --name clock -e GREETING=ahoy busybox sh -c 'while true; do echo "$GREETING $(date)"; sleep 1; done'
sleep 2
docker logs clock
docker ps -a
