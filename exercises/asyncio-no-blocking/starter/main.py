import asyncio
import time


async def heartbeat(name, beats):
    for i in range(beats):
        print(f"{name} beat {i}")
        time.sleep(0.5)


async def main():
    await asyncio.gather(heartbeat("left", 4), heartbeat("right", 4))


if __name__ == "__main__":
    asyncio.run(main())
