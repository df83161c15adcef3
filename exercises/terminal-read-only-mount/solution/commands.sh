docker volume create app-config
docker run --rm -v app-config:/config busybox sh -c 'echo mode=production > /config/app.conf'
docker run -d --name app -v app-config:/etc/app:ro busybox sleep 3600
docker exec app cat /etc/app/app.conf
docker exec app touch /etc/app/new.txt
