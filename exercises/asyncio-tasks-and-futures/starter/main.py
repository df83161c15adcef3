import asyncio


async def fetch_report():
    """Downloads the morning report: two seconds."""
    await asyncio.sleep(2)
    return "report"


async def tidy_cache():
    """Tidies the cache: one second."""
    await asyncio.sleep(1)


async def morning():
    # TODO: start fetch_report in the background first, then tidy the cache meanwhile.
    report = await fetch_report()
    await tidy_cache()
    print("cache tidied")
    return report


ADDRESSES = {"redis": "10.0.0.5", "db": "10.0.0.7"}


def start_lookup(name, callback):
    """An old callback API (leave it as it is): looks `name` up, then calls callback(address) half a second later."""
    asyncio.get_running_loop().call_later(0.5, callback, ADDRESSES[name])


async def lookup(name):
    # TODO: return the address that start_lookup passes to its callback, by awaiting a future.
    raise NotImplementedError


async def main():
    print(await morning())
    print(await lookup("redis"))


if __name__ == "__main__":
    asyncio.run(main())
