import asyncio
import signal


async def handle(job):
    """Stands in for one job: takes one second."""
    await asyncio.sleep(1)


async def serve(stop, done):
    """Handles jobs 0, 1, 2, … one after the other; appends each finished job to `done`."""
    job = 0
    while not stop.is_set():
        await handle(job)
        done.append(job)
        print(f"job {job} done")
        job += 1


async def main(done):
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await serve(stop, done)
    print("stopped cleanly")


if __name__ == "__main__":
    asyncio.run(main([]))
