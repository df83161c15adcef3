import asyncio


async def fetch(name):
    await asyncio.sleep(1)
    return name


async def fetch_all():
    return await asyncio.gather(*(fetch(name) for name in ["a", "b", "c"]))


if __name__ == "__main__":
    print(asyncio.run(fetch_all()))
