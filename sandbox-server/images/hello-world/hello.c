/* Dockyard's offline stand-in for Docker's hello-world image. */
#include <unistd.h>

static const char message[] =
    "\n"
    "Hello from Docker!\n"
    "This message shows that your installation appears to be working correctly.\n"
    "\n"
    "(This is Dockyard's offline stand-in for the hello-world image: the course\n"
    "machine has no route to Docker Hub, so this image was built locally and is\n"
    "served by the course's own registry mirror.)\n"
    "\n"
    "To generate this message, Docker took the following steps:\n"
    " 1. The Docker client contacted the Docker daemon.\n"
    " 2. The Docker daemon pulled the \"hello-world\" image (here: from the course mirror).\n"
    " 3. The Docker daemon created a new container from that image which runs the\n"
    "    executable that produced the output you are currently reading.\n"
    " 4. The Docker daemon streamed that output to the Docker client, which sent it\n"
    "    to your terminal.\n"
    "\n"
    "To try something more ambitious, you can run a Debian container with:\n"
    " $ docker run -it debian:bookworm-slim bash\n"
    "\n";

int main(void) {
  const char *p = message;
  ssize_t left = (ssize_t)(sizeof message - 1);
  while (left > 0) {
    ssize_t n = write(1, p, (size_t)left);
    if (n <= 0) return 1;
    p += n;
    left -= n;
  }
  return 0;
}
