# The commands you ran, one per line.
docker run -d --name web nginx
sleep 2
docker run --name probe busybox wget -qO- -T 3 http://web
