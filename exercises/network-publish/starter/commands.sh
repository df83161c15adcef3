# The commands you ran, one per line.
docker run -d --name api -p 8000:8000 python:3.11-slim python -m http.server 8000
docker run -d --name web nginx
