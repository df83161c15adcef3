mkdir site
echo '<h1>My first site</h1>' > site/index.html
docker run -d --name site -p 8080:80 -v "$PWD/site":/usr/share/nginx/html:ro nginx
sleep 2
curl http://localhost:8080
echo '<p>Edited on the host</p>' >> site/index.html
curl http://localhost:8080
