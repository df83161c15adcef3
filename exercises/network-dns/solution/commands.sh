docker network create lab
docker run -d --name web --network lab nginx
sleep 2
docker run --name probe --network lab busybox wget -qO- http://web
