docker network create store
docker run -d --name api --network store python:3.11-slim python -m http.server 8000
docker run -d --name web --network store -p 8080:80 nginx
