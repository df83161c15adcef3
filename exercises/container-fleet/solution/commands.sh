for i in 1 2 3; do docker run -d --name fleet-$i busybox sleep 3600; done
docker ps
docker run --name kernel busybox uname -r
uname -r
