docker run -d --name legacy -p 8080:80 nginx
mkdir -p site
echo '<h1>The new site</h1>' > site/index.html
docker run -d --name site -p 8080:80 -v "$PWD/site":/usr/share/nginx/html:ro nginx
