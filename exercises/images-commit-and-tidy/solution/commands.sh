docker pull busybox
docker run --name draft busybox sh -c 'echo "first try" > /greeting.txt'
docker commit draft
docker commit draft greeting:draft
docker run --name final busybox sh -c 'echo "Hello from a committed image" > /greeting.txt'
docker commit --change 'CMD ["cat", "/greeting.txt"]' final greeting:v1
docker run --rm greeting:v1
docker history greeting:v1
docker rm draft final
docker rmi greeting:draft
docker image prune -f
docker images
