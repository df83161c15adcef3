# The commands you ran, one per line.
docker pull debian:bookworm-slim
docker pull nginx
