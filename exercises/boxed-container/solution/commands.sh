docker run -d --name boxed --hostname lab --memory 64m --pids-limit 20 busybox sleep 3600
docker run --rm busybox ps
