docker run -d --name site -p 8088:80 nginx
docker run -d --name site-local -p 127.0.0.1:8089:80 nginx
docker port site
docker port site-local
sleep 1
curl -s http://localhost:8088 | head -n 4
