import asyncio


async def download(url):
    """Stands in for fetching a page: takes one second."""
    await asyncio.sleep(1)
    return f"page of {url}"


async def crawl(urls, limit=3):
    """Downloads every url, at most `limit` at a time; returns the pages in the order of urls."""
    return await asyncio.gather(*(download(url) for url in urls))


if __name__ == "__main__":
    urls = [f"https://example.test/{n}" for n in range(9)]
    for page in asyncio.run(crawl(urls, limit=3)):
        print(page)
