docker run --name hello hello-world
docker run --name look-around busybox ls /
docker ps -a
