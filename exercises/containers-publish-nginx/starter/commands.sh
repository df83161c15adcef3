# The commands you ran, one per line.
docker run -d --name site nginx
