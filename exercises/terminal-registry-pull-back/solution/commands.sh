docker run -d -p 5000:5000 --name registry registry:2
docker pull hello-world
docker tag hello-world localhost:5000/demo/hello:v1
docker push localhost:5000/demo/hello:v1
docker rmi hello-world localhost:5000/demo/hello:v1
docker images
docker pull localhost:5000/demo/hello:v1
docker run --name hello-again localhost:5000/demo/hello:v1
