"""Shared by client.py and satellite.py: a WAV as Wyoming audio events, and what a satellite gets back for a run."""
import asyncio
import wave

from wyoming.audio import AudioChunk, AudioStart, AudioStop

SAMPLES_PER_CHUNK = 1024


def chunks(path, lead_silence_s=0.0, tail_silence_s=0.0):
    """audio-start, audio-chunks of 1024 samples (with silence before and after), audio-stop."""
    with wave.open(path, "rb") as w:
        rate, width, channels = w.getframerate(), w.getsampwidth(), w.getnchannels()
        audio = w.readframes(w.getnframes())
    pad = lambda s: bytes(int(s * rate) * width * channels)
    audio = pad(lead_silence_s) + audio + pad(tail_silence_s)
    step = SAMPLES_PER_CHUNK * width * channels
    yield AudioStart(rate=rate, width=width, channels=channels)
    for i in range(0, len(audio), step):
        yield AudioChunk(rate=rate, width=width, channels=channels, audio=audio[i : i + step])
    yield AudioStop()


async def collect_reply(read_event, timeout=30):
    """Events until the reply's audio-stop: each event's data by type, and how many samples of audio came."""
    got = {}
    while "audio_stop" not in got:
        e = await asyncio.wait_for(read_event(), timeout)
        if e is None:
            raise SystemExit("connection closed")
        if e.type == "audio-chunk":
            got["audio_samples"] = got.get("audio_samples", 0) + len(e.payload or b"") // 2
        elif e.type == "audio-stop":
            got["audio_stop"] = True
        else:
            got[e.type] = e.data
    return got
