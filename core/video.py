"""Video after upload (PyAV, no ffmpeg binary): a poster frame and a web-playable MP4.

Every video is opened through core.uploads.open_video, confined to its own bytes.
"""

import tempfile
from dataclasses import dataclass
from fractions import Fraction
from typing import BinaryIO

import av
from django.core.exceptions import ValidationError
from django.core.files import File
from PIL import Image

from core.uploads import open_video

# What every browser plays in <video>: H.264 video (and AAC audio, or none) in an MP4/MOV.
WEB_VIDEO_CODECS = {"h264"}
WEB_AUDIO_CODECS = {"aac", None}
TRANSCODE_PRESET = "veryfast"
TRANSCODE_CRF = "23"
MAX_TRANSCODE_SIDE = 1920  # larger uploads come out at 1080p-ish, even-sized for yuv420p


class VideoProcessingError(Exception):
    """The video cannot be decoded or transcoded; the message is safe to show its owner."""


@dataclass(frozen=True)
class Codecs:
    container: str
    video: str | None
    audio: str | None

    @property
    def is_web_playable(self) -> bool:
        return (
            self.container == "mov"
            and self.video in WEB_VIDEO_CODECS
            and self.audio in WEB_AUDIO_CODECS
        )


def video_codecs(source: BinaryIO) -> Codecs:
    with open_video(source) as container:
        video = container.streams.video[0].codec_context.name if container.streams.video else None
        audio = container.streams.audio[0].codec_context.name if container.streams.audio else None
        return Codecs(container=container.format.name, video=video, audio=audio)


def poster_frame(source: BinaryIO, *, at_seconds: float) -> Image.Image:
    """The first frame at or after `at_seconds` (the first frame of a shorter clip), as RGB."""
    try:
        with open_video(source) as container:
            stream = container.streams.video[0]
            first = None
            for frame in container.decode(stream):
                if first is None:
                    first = frame.to_image()
                if frame.time is not None and frame.time >= at_seconds:
                    return frame.to_image()
            if first is not None:
                return first
    except (av.FFmpegError, OSError, ValueError, IndexError, ValidationError) as error:
        raise VideoProcessingError(f"The video could not be decoded ({error}).") from error
    raise VideoProcessingError("The video has no frame to show.")


def _even(value: int) -> int:
    return max(2, value - value % 2)


def transcode_to_mp4(source: BinaryIO) -> File:
    """H.264/AAC in an MP4 with its index first (faststart), in a temporary file.

    The caller saves the returned File through its storage and closes it.
    """
    # A named file: faststart moves the index to the front in a second pass over the path.
    output_file = tempfile.NamedTemporaryFile(suffix=".mp4")  # noqa: SIM115 - returned
    try:
        with open_video(source) as container:
            in_video = container.streams.video[0]
            in_audio = container.streams.audio[0] if container.streams.audio else None
            width, height = in_video.codec_context.width, in_video.codec_context.height
            scale = min(1.0, MAX_TRANSCODE_SIDE / max(width, height))
            width, height = _even(round(width * scale)), _even(round(height * scale))
            rate = in_video.average_rate or Fraction(30)
            with av.open(
                output_file.name, mode="w", format="mp4", options={"movflags": "+faststart"}
            ) as output:
                out_video = output.add_stream(
                    "libx264", rate=rate, options={"preset": TRANSCODE_PRESET, "crf": TRANSCODE_CRF}
                )
                out_video.width, out_video.height, out_video.pix_fmt = width, height, "yuv420p"
                out_video.time_base = Fraction(1, int(round(rate)) or 30)
                frames = 0
                out_audio = None
                if in_audio is not None:
                    out_audio = output.add_stream("aac", rate=in_audio.codec_context.sample_rate)
                streams = [in_video] + ([in_audio] if in_audio is not None else [])
                for packet in container.demux(*streams):
                    for frame in packet.decode():
                        if packet.stream.type == "video":
                            frame = frame.reformat(width=width, height=height, format="yuv420p")
                            frame.pts = frames
                            frames += 1
                            for encoded in out_video.encode(frame):
                                output.mux(encoded)
                        elif out_audio is not None:
                            frame.pts = None
                            for encoded in out_audio.encode(frame):
                                output.mux(encoded)
                for encoded in out_video.encode():
                    output.mux(encoded)
                if out_audio is not None:
                    for encoded in out_audio.encode():
                        output.mux(encoded)
    except (av.FFmpegError, OSError, ValueError, IndexError, ValidationError) as error:
        output_file.close()
        raise VideoProcessingError(f"The video could not be transcoded ({error}).") from error
    output_file.seek(0)
    return File(output_file, name="video.mp4")
