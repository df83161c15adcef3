docker version
docker info
docker run --name facts --label engine.version="$(docker version --format '{{.Server.Version}}')" --label engine.storage-driver="$(docker info --format '{{.Driver}}')" --label engine.mirror="$(docker info --format '{{range .RegistryConfig.Mirrors}}{{.}}{{end}}')" busybox true
docker ps -a --filter label=engine.version
