"""A Wyoming client built on the vendored library Home Assistant uses (../shared/vendor/python): one call per run,
one JSON object per line on stdout. Called by test/wyoming/wyoming.test.ts."""
import asyncio
import json
import sys

from wyoming.asr import Transcribe, Transcript
from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.client import AsyncTcpClient
from wyoming.error import Error
from wyoming.handle import Handled, NotHandled
from wyoming.info import Describe, Info
from wyoming.intent import Intent, NotRecognized, Recognize
from wyoming.pipeline import PipelineStage, RunPipeline
from wyoming.snd import Played
from wyoming.tts import Synthesize
from wyoming.wake import Detect, Detection, NotDetected

from wav_chunks import chunks, collect_reply


def out(**kw):
    print(json.dumps(kw), flush=True)


async def read(client, *types, timeout=30):
    """The next event of one of `types` (others are printed as they pass), or Error."""
    while True:
        event = await asyncio.wait_for(client.read_event(), timeout)
        if event is None:
            raise SystemExit("connection closed")
        if Error.is_type(event.type):
            return Error.from_event(event)
        for t in types:
            if t.is_type(event.type):
                return t.from_event(event)
        out(passing=event.type)


async def main(port, cmd, *args):
    async with AsyncTcpClient("127.0.0.1", port) as c:
        if cmd == "describe":
            await c.write_event(Describe().event())
            info = await read(c, Info)
            out(asr=[m.name for p in info.asr for m in p.models], wake=[m.name for p in info.wake for m in p.models],
                handle=[p.name for p in info.handle], intent=[p.name for p in info.intent],
                tts=[v.name for p in info.tts for v in p.voices], home_control=info.handle[0].supports_home_control)
        elif cmd == "transcribe":
            await c.write_event(Transcribe(language="en").event())
            for e in chunks(args[0]):
                await c.write_event(e.event())
            t = await read(c, Transcript)
            out(type="transcript", text=t.text) if isinstance(t, Transcript) else out(type="error", code=t.code)
        elif cmd == "detect":
            await c.write_event(Detect(names=json.loads(args[1]) if len(args) > 1 else None).event())
            for e in chunks(args[0], lead_silence_s=2.0, tail_silence_s=1.0):
                await c.write_event(e.event())
            r = await read(c, Detection, NotDetected)
            out(type="detection", name=r.name) if isinstance(r, Detection) else out(type="not-detected" if isinstance(r, NotDetected) else "error")
        elif cmd == "recognize":
            await c.write_event(Recognize(text=args[0]).event())
            r = await read(c, Intent, NotRecognized)
            out(type="intent", name=r.name, entities={e.name: e.value for e in r.entities}) if isinstance(r, Intent) else out(type="not-recognized")
        elif cmd == "handle":
            await c.write_event(Transcript(text=args[0]).event())
            r = await read(c, Handled, NotHandled)
            out(type="handled" if isinstance(r, Handled) else "not-handled", text=r.text)
        elif cmd == "synthesize":
            await c.write_event(Synthesize(text=args[0]).event())
            start = await read(c, AudioStart)
            samples = 0
            n = 0
            while True:
                e = await read(c, AudioChunk, AudioStop)
                if isinstance(e, AudioStop):
                    break
                samples += len(e.audio) // 2
                n += 1
            out(type="audio", rate=start.rate, width=start.width, channels=start.channels, samples=samples, chunks=n)
        elif cmd == "satellite":
            await c.write_event(RunPipeline(start_stage=PipelineStage.WAKE, end_stage=PipelineStage.TTS).event())
            for e in chunks(args[0], lead_silence_s=2.0, tail_silence_s=1.5):
                await c.write_event(e.event())
            got = await collect_reply(c.read_event)
            await c.write_event(Played().event())
            out(**got)
        elif cmd == "garbage":
            await c.write_event(Describe().event())
            await read(c, Info)
            c._writer.write(b'{"type": "audio-chunk", "data_length": 99999999999}\n')
            await c._writer.drain()
            r = await read(c, Info)
            out(type="error", code=r.code) if isinstance(r, Error) else out(type=str(type(r)))
            out(closed=await asyncio.wait_for(c.read_event(), 10) is None)
        elif cmd == "drop":
            # A satellite that vanishes mid-stream: half its audio, then the connection closes.
            await c.write_event(RunPipeline(start_stage=PipelineStage.WAKE, end_stage=PipelineStage.TTS).event())
            for i, e in enumerate(chunks(args[0])):
                if i > 20:
                    break
                await c.write_event(e.event())
            out(dropped=True)


if __name__ == "__main__":
    port, cmd, *rest = sys.argv[1:]
    asyncio.run(main(int(port), cmd, *rest))
