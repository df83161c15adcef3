docker run -d -p 5000:5000 --name registry registry:2
docker build -t localhost:5000/course/greeter:1.0 - <<'EOF'
FROM busybox
CMD ["echo", "Hello from my registry"]
EOF
docker tag localhost:5000/course/greeter:1.0 localhost:5000/course/greeter:latest
docker push localhost:5000/course/greeter:1.0
docker push localhost:5000/course/greeter:latest
curl http://localhost:5000/v2/course/greeter/tags/list
