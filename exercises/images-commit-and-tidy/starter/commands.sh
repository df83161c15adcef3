# These first lines make the mess you will tidy: keep them, and add your commands below.
docker pull busybox
docker run --name draft busybox sh -c 'echo "first try" > /greeting.txt'
docker commit draft
docker commit draft greeting:draft
# Your commands:
