docker volume create shared
docker run --rm -v shared:/data busybox sh -c 'echo "echo Hello from the first container" > /data/hello.sh'
docker run --rm -v shared:/data busybox sh -c 'echo "echo Changed by the second container" >> /data/hello.sh'
docker run --rm -v shared:/data busybox sh /data/hello.sh
