"""A video upload is probed from its own bytes: FFmpeg never fetches what a file points to."""

import io
import socket
import threading

import av
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import open_video
from notes.media import inspect_note_video
from tests.factories import video_bytes


@pytest.fixture
def listener():
    """A local TCP port that records (then drops) every connection made to it."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.05)
    connections: list[tuple[str, int]] = []
    done = threading.Event()

    def accept() -> None:
        while not done.is_set():
            try:
                connection, address = server.accept()
            except TimeoutError:
                continue
            connections.append(address)
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], connections
    done.set()
    thread.join(timeout=5)
    server.close()


def hls_media_playlist(port: int) -> str:
    return (
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n"
        f"#EXTINF:10.0,\nhttp://127.0.0.1:{port}/seg.ts\n#EXT-X-ENDLIST\n"
    )


def hls_master_playlist(port: int) -> str:
    return (
        "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=64x48\n"
        f"http://127.0.0.1:{port}/video/index.m3u8\n"
    )


def dash_manifest(port: int) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" '
        'mediaPresentationDuration="PT10S" minBufferTime="PT2S" '
        'profiles="urn:mpeg:dash:profile:isoff-on-demand:2011">'
        f"<BaseURL>http://127.0.0.1:{port}/</BaseURL>"
        '<Period><AdaptationSet mimeType="video/mp4" codecs="avc1.42c00d">'
        '<Representation id="1" bandwidth="800000" width="64" height="48">'
        '<SegmentList duration="10"><Initialization sourceURL="init.mp4"/>'
        '<SegmentURL media="seg1.m4s"/></SegmentList>'
        "</Representation></AdaptationSet></Period></MPD>\n"
    )


def ffconcat_list(port: int) -> str:
    return (
        "ffconcat version 1.0\n"
        f"file 'http://127.0.0.1:{port}/part1.mp4'\nfile 'file:/etc/hostname'\n"
    )


PLAYLISTS = {
    "hls": hls_media_playlist,
    "hls-master": hls_master_playlist,
    "dash": dash_manifest,
    "ffconcat": ffconcat_list,
}


@pytest.mark.parametrize("name", ["clip.mp4", "clip.mov", "clip.webm", "pl.m3u8"])
@pytest.mark.parametrize("playlist", PLAYLISTS)
def test_playlist_uploaded_as_a_video_is_refused_without_reaching_the_network(
    listener, playlist, name
):
    port, connections = listener
    upload = SimpleUploadedFile(name, PLAYLISTS[playlist](port).encode(), "video/mp4")

    with pytest.raises(ValidationError) as error:
        inspect_note_video(upload)

    assert error.value.code == "not_a_video"
    assert error.value.messages == [f"“{name}” is not a video we can play. Use MP4, MOV or WebM."]
    assert connections == []


def test_a_demuxer_that_follows_references_still_opens_nothing_else(listener, monkeypatch):
    """Second line of defence: were an HLS playlist ever taken for a video, FFmpeg may still
    open nothing besides the upload."""
    port, connections = listener
    monkeypatch.setattr("core.uploads.video_demuxer", lambda head: "hls")
    upload = SimpleUploadedFile("clip.mp4", hls_media_playlist(port).encode(), "video/mp4")

    with pytest.raises(ValidationError) as error, open_video(upload):
        pass

    assert error.value.code == "not_a_video"
    assert connections == []


@pytest.mark.parametrize(("container", "extension"), [("mp4", "mp4"), ("webm", "webm")])
def test_real_videos_under_any_name_are_opened_with_their_own_demuxer(container, extension):
    upload = SimpleUploadedFile("clip.m3u8", video_bytes(container=container), "video/mp4")

    info = inspect_note_video(upload)

    assert (info.extension, info.width, info.height) == (extension, 64, 48)


def test_a_mov_file_is_recognised_as_mp4():
    mov = SimpleUploadedFile("clip.mov", quicktime_bytes(), "video/quicktime")

    info = inspect_note_video(mov)

    assert (info.extension, info.width, info.height) == ("mp4", 64, 48)


def quicktime_bytes() -> bytes:
    """The factory's MP4 remuxed into a QuickTime (.mov) file by PyAV."""
    source = av.open(io.BytesIO(video_bytes(container="mp4")))
    buffer = io.BytesIO()
    with source, av.open(buffer, mode="w", format="mov") as output:
        stream = output.add_stream_from_template(source.streams.video[0])
        for packet in source.demux(source.streams.video[0]):
            if packet.dts is None:
                continue
            packet.stream = stream
            output.mux(packet)
    return buffer.getvalue()
