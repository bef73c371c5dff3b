"""Modbus TCP device for the proof runs: a pymodbus server with `registers` holding registers that change every
`interval_ms` (register i holds (i * 7 + tick) mod 65536), counting the requests and register values it served.

Usage: python3 modbus_server.py '{"port": 5020, "registers": 500, "interval_ms": 100}'
Prints "PORT <n>" once listening, then "STATS {json}" every second:
  {"requests": n, "values_served": n, "ticks": n}
Exits on SIGTERM/SIGINT, or when its parent process is gone.
"""
import asyncio
import json
import os
import signal
import sys

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.framer.socket_framer import ModbusSocketFramer
from pymodbus.server.async_io import ModbusTcpServer

SPEC = json.loads(sys.argv[1])
SIZE = int(SPEC.get("registers", 500))
STATS = {"requests": 0, "values_served": 0, "ticks": 0}


class CountingBlock(ModbusSequentialDataBlock):
    """A data block that counts the requests (validate runs once per request) and the values read."""

    def validate(self, address, count=1):
        ok = super().validate(address, count)
        if ok:
            STATS["requests"] += 1
            STATS["values_served"] += count
        return ok


async def main():
    block = CountingBlock(0, [0] * SIZE)
    slave = ModbusSlaveContext(hr=block, ir=ModbusSequentialDataBlock(0, [0] * SIZE), zero_mode=True)
    context = ModbusServerContext(slaves={1: slave}, single=False)
    server = ModbusTcpServer(
        context, framer=ModbusSocketFramer, address=("127.0.0.1", SPEC.get("port", 0)), allow_reuse_address=True
    )
    task = asyncio.ensure_future(server.serve_forever())
    await server.serving
    print(f"PORT {server.server.sockets[0].getsockname()[1]}", flush=True)
    loop = asyncio.get_running_loop()
    stop = loop.create_future()

    def finish(*_):
        if not stop.done():
            stop.set_result(None)

    loop.add_signal_handler(signal.SIGTERM, finish)
    loop.add_signal_handler(signal.SIGINT, finish)

    parent = os.getppid()

    async def ticker():
        interval = SPEC.get("interval_ms", 100) / 1000.0
        while True:
            tick = STATS["ticks"]
            block.setValues(0, [(i * 7 + tick) % 65536 for i in range(SIZE)])
            STATS["ticks"] += 1
            if os.getppid() != parent:
                finish()
            await asyncio.sleep(interval)

    async def reporter():
        while True:
            print("STATS " + json.dumps(STATS), flush=True)
            await asyncio.sleep(1)

    tasks = [asyncio.ensure_future(ticker()), asyncio.ensure_future(reporter())]
    await stop
    print("STATS " + json.dumps(STATS), flush=True)
    for t in tasks:
        t.cancel()
    await server.server_close()
    task.cancel()


if __name__ == "__main__":
    asyncio.run(main())
