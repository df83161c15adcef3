docker pull debian:bookworm-slim
docker pull nginx
docker image inspect -f '{{json .RootFS.Layers}}' nginx
docker tag nginx "nginx:layers-$(docker image inspect -f '{{len .RootFS.Layers}}' nginx)"
docker run --name scratchpad debian:bookworm-slim sh -c 'echo draft > /tmp/notes.txt'
docker diff scratchpad
