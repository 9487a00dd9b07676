"""A Wyoming satellite as wyoming-satellite is one: a server the voice service connects to. When told run-satellite,
it streams a WAV ("hey jarvis, turn on the kitchen light") after run-pipeline and prints what comes back as one JSON
line. Built on the vendored library (../shared/vendor/python). Prints {"port": N} first."""
import asyncio
import json
import sys
import wave

from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.event import async_read_event, async_write_event
from wyoming.pipeline import PipelineStage, RunPipeline
from wyoming.satellite import RunSatellite
from wyoming.snd import Played

WAV = sys.argv[1]
done = asyncio.Event()


async def serve(reader, writer):
    first = await async_read_event(reader)
    if first is None or not RunSatellite.is_type(first.type):
        print(json.dumps({"unexpected": first.type if first else None}), flush=True)
        done.set()
        return
    with wave.open(WAV, "rb") as w:
        rate, width, channels = w.getframerate(), w.getsampwidth(), w.getnchannels()
        audio = bytes(rate * 2 * width) + w.readframes(w.getnframes()) + bytes(int(rate * 1.5) * width)
    await async_write_event(RunPipeline(start_stage=PipelineStage.WAKE, end_stage=PipelineStage.TTS).event(), writer)
    await async_write_event(AudioStart(rate=rate, width=width, channels=channels).event(), writer)
    step = 1024 * width * channels
    for i in range(0, len(audio), step):
        await async_write_event(AudioChunk(rate=rate, width=width, channels=channels, audio=audio[i : i + step]).event(), writer)
    got = {"run_satellite": True}
    while "audio_stop" not in got:
        e = await asyncio.wait_for(async_read_event(reader), 30)
        if e is None:
            break
        if e.type == "audio-chunk":
            got["audio_samples"] = got.get("audio_samples", 0) + len(e.payload or b"") // 2
        elif e.type == "audio-stop":
            got["audio_stop"] = True
        else:
            got[e.type] = e.data
    await async_write_event(Played().event(), writer)
    print(json.dumps(got), flush=True)
    done.set()


async def main():
    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    print(json.dumps({"port": server.sockets[0].getsockname()[1]}), flush=True)
    await asyncio.wait_for(done.wait(), 90)
    server.close()


asyncio.run(main())
