import asyncio


async def fetch(name):
    await asyncio.sleep(1)
    return name


async def fetch_all():
    results = []
    for name in ["a", "b", "c"]:
        results.append(await fetch(name))
    return results


if __name__ == "__main__":
    print(asyncio.run(fetch_all()))
