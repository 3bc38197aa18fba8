#!/usr/bin/env python3
"""A TCP proxy that delays every chunk by a fixed time in each direction: a slow link without the
kernel's netem qdisc (this machine's kernel lacks sch_netem). `testbed up --latency MS` runs one in
the root namespace in front of every host's sshd, listening on 127.0.0.1.

Each direction of a connection is a queue: a chunk read at time t is written at t + delay, in
order, so a round trip costs 2 x delay and throughput is not limited.

How late each chunk really leaves (beyond its delay: a busy machine starves the event loop) is
kept; SIGUSR1 writes the count, median, p99 and max since the last SIGUSR1 as JSON to
$DELAY_PROXY_STATS (tests/bench reads it to show the slow link held at 100 hosts too).

usage: delay-proxy.py DELAY_MS LISTEN_PORT=TARGET_HOST:TARGET_PORT...
"""
import asyncio
import json
import os
import signal
import sys
import time

LATE = []  # seconds each chunk left after its due time, since the last SIGUSR1 (the first MAX_SAMPLES)
COUNT = {"chunks": 0, "max": 0.0}  # every chunk since the last SIGUSR1
MAX_SAMPLES = 200000  # bounded memory when nobody asks (a long test session)


def dump_stats():
    path = os.environ.get("DELAY_PROXY_STATS")
    late, chunks, worst = sorted(LATE), COUNT["chunks"], COUNT["max"]
    LATE.clear()
    COUNT.update(chunks=0, max=0.0)
    if not path:
        return
    pick = lambda q: 1000 * late[min(len(late) - 1, int(q * len(late)))] if late else 0.0
    with open(path + ".tmp", "w") as f:
        json.dump({"chunks": chunks, "sampled": len(late), "median": pick(0.5), "p99": pick(0.99), "max": 1000 * worst,
                   "written_at": time.time()}, f)
    os.replace(path + ".tmp", path)


async def pump(reader, writer, delay):
    queue = asyncio.Queue()

    async def read():
        while True:
            data = await reader.read(65536)
            await queue.put((time.monotonic() + delay, data))
            if not data:
                return

    async def write():
        while True:
            due, data = await queue.get()
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            late = max(0.0, time.monotonic() - due)
            COUNT["chunks"] += 1
            COUNT["max"] = max(COUNT["max"], late)
            if len(LATE) < MAX_SAMPLES:
                LATE.append(late)
            if not data:
                if writer.can_write_eof():
                    writer.write_eof()
                return
            writer.write(data)
            await writer.drain()

    try:
        await asyncio.gather(read(), write())
    except (ConnectionError, OSError):
        writer.close()


def handler(target_host, target_port, delay):
    async def handle(client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.open_connection(target_host, target_port)
        except OSError:
            client_writer.close()
            return
        try:
            await asyncio.gather(pump(client_reader, server_writer, delay),
                                 pump(server_reader, client_writer, delay))
        finally:
            server_writer.close()
            client_writer.close()

    return handle


async def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    delay = int(argv[0]) / 1000.0
    servers = []
    for spec in argv[1:]:
        port, target = spec.split("=", 1)
        host, tport = target.rsplit(":", 1)
        servers.append(await asyncio.start_server(handler(host, int(tport), delay), "127.0.0.1", int(port)))
    asyncio.get_running_loop().add_signal_handler(signal.SIGUSR1, dump_stats)
    print("delay-proxy: listening", flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
