import asyncio


async def handle(job):
    """Stands in for real work: takes one second."""
    await asyncio.sleep(1)
    return job * 10


async def worker(queue, results):
    while True:
        job = await queue.get()
        try:
            results.append(await handle(job))
        finally:
            queue.task_done()


async def run_jobs(jobs, workers=3):
    queue = asyncio.Queue()
    results = []
    for job in jobs:
        queue.put_nowait(job)
    tasks = [asyncio.create_task(worker(queue, results)) for _ in range(workers)]
    await queue.join()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return sorted(results)


if __name__ == "__main__":
    print(asyncio.run(run_jobs(range(6), workers=3)))
