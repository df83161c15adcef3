import asyncio


async def handle(job):
    """Stands in for real work: takes one second."""
    await asyncio.sleep(1)
    return job * 10


async def worker(queue, results):
    while True:
        job = await queue.get()
        results.append(await handle(job))
        # TODO: tell the queue that this job is finished


async def run_jobs(jobs, workers=3):
    queue = asyncio.Queue()
    results = []
    for job in jobs:
        queue.put_nowait(job)
    # TODO: start `workers` worker tasks,
    #       wait until every job is handled,
    #       then stop the workers and wait for them to end.
    return sorted(results)


if __name__ == "__main__":
    print(asyncio.run(run_jobs(range(6), workers=3)))
