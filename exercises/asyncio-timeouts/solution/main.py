import asyncio

# How long each page takes to download, in seconds.
DELAYS = {"fast": 0.5, "medium": 1.5, "slow": 5}


async def fetch(name):
    await asyncio.sleep(DELAYS[name])
    return f"<{name}>"


async def fetch_or_none(name, limit):
    """Returns the page, or None when it takes longer than `limit` seconds."""
    try:
        async with asyncio.timeout(limit):
            return await fetch(name)
    except TimeoutError:
        return None


async def fetch_all(names, limit=2):
    return await asyncio.gather(*(fetch_or_none(name, limit) for name in names))


if __name__ == "__main__":
    print(asyncio.run(fetch_all(["fast", "slow", "medium"], 2)))
