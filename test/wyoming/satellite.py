"""A Wyoming satellite as wyoming-satellite is one: a server the voice service connects to. When told run-satellite,
it streams a WAV ("hey jarvis, turn on the kitchen light") after run-pipeline and prints what comes back as one JSON
line. Built on the vendored library (../shared/vendor/python). Prints {"port": N} first."""
import asyncio
import json
import sys

from wyoming.event import async_read_event, async_write_event
from wyoming.pipeline import PipelineStage, RunPipeline
from wyoming.satellite import RunSatellite
from wyoming.snd import Played

from wav_chunks import chunks, collect_reply

WAV = sys.argv[1]
done = asyncio.Event()


async def serve(reader, writer):
    first = await async_read_event(reader)
    if first is None or not RunSatellite.is_type(first.type):
        print(json.dumps({"unexpected": first.type if first else None}), flush=True)
        done.set()
        return
    await async_write_event(RunPipeline(start_stage=PipelineStage.WAKE, end_stage=PipelineStage.TTS).event(), writer)
    for e in chunks(WAV, lead_silence_s=2.0, tail_silence_s=1.5):
        event = e.event()
        if event.type != "audio-stop":  # a satellite streams on; the hub's endpointer ends the request
            await async_write_event(event, writer)
    got = {"run_satellite": True, **(await collect_reply(lambda: async_read_event(reader)))}
    await async_write_event(Played().event(), writer)
    print(json.dumps(got), flush=True)
    done.set()


async def main():
    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    print(json.dumps({"port": server.sockets[0].getsockname()[1]}), flush=True)
    await asyncio.wait_for(done.wait(), 90)
    server.close()


asyncio.run(main())
