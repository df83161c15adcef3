import asyncio


async def fetch_report():
    """Downloads the morning report: two seconds."""
    await asyncio.sleep(2)
    return "report"


async def tidy_cache():
    """Tidies the cache: one second."""
    await asyncio.sleep(1)


async def morning():
    report = asyncio.create_task(fetch_report())
    await tidy_cache()
    print("cache tidied")
    return await report


ADDRESSES = {"redis": "10.0.0.5", "db": "10.0.0.7"}


def start_lookup(name, callback):
    """An old callback API (leave it as it is): looks `name` up, then calls callback(address) half a second later."""
    asyncio.get_running_loop().call_later(0.5, callback, ADDRESSES[name])


async def lookup(name):
    future = asyncio.get_running_loop().create_future()
    start_lookup(name, future.set_result)
    return await future


async def main():
    print(await morning())
    print(await lookup("redis"))


if __name__ == "__main__":
    asyncio.run(main())
