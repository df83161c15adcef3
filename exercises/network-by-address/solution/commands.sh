docker run -d --name web nginx
sleep 2
WEB_IP=$(docker inspect -f '{{.NetworkSettings.Networks.bridge.IPAddress}}' web)
docker run --name probe busybox wget -qO- "http://$WEB_IP"
