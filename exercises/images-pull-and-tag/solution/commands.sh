docker pull redis:7
docker tag redis:7 course/cache:stable
