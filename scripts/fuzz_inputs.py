"""Hostile inputs for scripts/fuzz.py: mutations of real activity files, and inputs generated at run time.

Every mutator takes the bytes of a real file and a seeded ``random.Random`` and returns new bytes, or None when it
does not apply to that file (a FIT mutation of a GPX file). Generators make inputs no real file resembles: bombs,
archives nested deep, XML nested deep. Nothing here is written to the repository; sizes are chosen per mode.
"""

from __future__ import annotations

import functools
import gzip
import io
import random
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

Mutator = Callable[[bytes, random.Random], bytes | None]
ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx", ".fit.gz", ".gpx.gz", ".tcx.gz", ".zip")


@dataclass(frozen=True)
class Input:
    name: str  # file name, with the suffix that routes it (.fit, .gpx.gz, .zip...)
    data: bytes
    kind: str  # the mutator or generator that made it


# --- seeds ---------------------------------------------------------------------------------------------------------
def seed_files(roots: list[Path], *, max_bytes: int) -> list[Path]:
    """Activity files (and zips) under ``roots`` of 1 to ``max_bytes`` bytes, in a stable order (an empty file has
    nothing to mutate; the 0-byte case is covered by truncation)."""
    found = []
    for root in roots:
        if root.is_dir():
            found += [p for p in sorted(root.rglob("*")) if p.is_file() and p.name.lower().endswith(ACTIVITY_SUFFIXES)
                      and 0 < p.stat().st_size <= max_bytes]
    return found


def _is_fit(data: bytes) -> bool:
    return len(data) >= 12 and data[8:12] == b".FIT"


def _is_xml(data: bytes) -> bool:
    return data.lstrip()[:1] == b"<"


# --- mutators over real files ----------------------------------------------------------------------------------------
def bit_flips(data: bytes, rng: random.Random) -> bytes | None:
    out = bytearray(data)
    for _ in range(rng.choice((1, 1, 2, 4, 16))):
        out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def truncate(data: bytes, rng: random.Random) -> bytes | None:
    return data[: rng.randrange(len(data))]


def fit_header(data: bytes, rng: random.Random) -> bytes | None:
    """The 12/14-byte FIT header: size, protocol, profile, data size, '.FIT', header CRC."""
    if not _is_fit(data):
        return None
    out = bytearray(data)
    field = rng.choice(("size", "data_size", "signature", "crc", "protocol"))
    if field == "size":
        out[0] = rng.choice((0, 1, 12, 14, 15, 255))
    elif field == "data_size":
        out[4:8] = rng.choice((0, 1, len(data) * 2, 0xFFFFFFFF, rng.randrange(2**32))).to_bytes(4, "little")
    elif field == "signature":
        out[8:12] = rng.choice((b".FIX", b"\0\0\0\0", b".fit"))
    elif field == "crc" and data[0] >= 14:
        out[12:14] = rng.randbytes(2)
    else:
        out[1] = rng.randrange(256)
    return bytes(out)


def fit_definitions(data: bytes, rng: random.Random) -> bytes | None:
    """Damage definition messages: field count, field size, base type, global message number, architecture."""
    if not _is_fit(data):
        return None
    header = data[0] if data[0] in (12, 14) else 12
    # Definition headers: normal header (bit 7 clear) with bit 6 set, reserved byte 0, architecture 0 or 1.
    starts = [i for i in range(header, len(data) - 5)
              if data[i] & 0xC0 == 0x40 and data[i + 1] == 0 and data[i + 2] in (0, 1)]
    if not starts:
        return None
    out = bytearray(data)
    for start in rng.sample(starts, min(len(starts), rng.choice((1, 1, 3)))):
        target = rng.choice(("arch", "global", "count", "field"))
        if target == "arch":
            out[start + 2] = rng.choice((1 - data[start + 2], 7))
        elif target == "global":
            out[start + 3:start + 5] = rng.randbytes(2)
        elif target == "count":
            out[start + 5] = rng.choice((0, 1, 255, rng.randrange(256)))
        else:
            count = data[start + 5]
            if count and start + 6 + 3 * count <= len(data):
                field = start + 6 + 3 * rng.randrange(count)
                out[field + rng.choice((0, 1, 2))] = rng.choice((0, 1, 3, 7, 0x84, 0xFF, rng.randrange(256)))
    return bytes(out)


_NUMBER = re.compile(rb">(-?\d+(?:\.\d+)?)<")
_ATTRIBUTE_NUMBER = re.compile(rb'"(-?\d+\.\d+)"')
ABSURD_NUMBERS = (b"1e400", b"-1e400", b"nan", b"-99999", b"99999999999", b"1e-400", b"", b"abc", b"0x10", b"1,5")


def broken_xml(data: bytes, rng: random.Random) -> bytes | None:
    """Tag soup, absurd numbers, stray entities, a DOCTYPE with entities that must never be expanded."""
    if not _is_xml(data):
        return None
    choice = rng.choice(("number", "coordinate", "drop_close", "stray", "doctype", "encoding", "cut_tag"))
    if choice == "number":
        found = list(_NUMBER.finditer(data))
        if not found:
            return None
        match = rng.choice(found)
        return data[:match.start(1)] + rng.choice(ABSURD_NUMBERS) + data[match.end(1):]
    if choice == "coordinate":
        found = list(_ATTRIBUTE_NUMBER.finditer(data))
        if not found:
            return None
        match = rng.choice(found)
        value = rng.choice((b"91", b"-181", b"1e400", b"nan", b"0", b"999"))
        return data[:match.start(1)] + value + data[match.end(1):]
    if choice == "drop_close":
        closes = [m.start() for m in re.finditer(rb"</", data)]
        if not closes:
            return None
        at = rng.choice(closes)
        end = data.find(b">", at)
        return data[:at] + data[end + 1:] if end > 0 else None
    if choice == "stray":
        at = rng.randrange(len(data))
        return data[:at] + rng.choice((b"<", b"&", b"&undefined;", b"]]>", b"\x00", b"<![CDATA[")) + data[at:]
    if choice == "doctype":
        laughs = (b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                  b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY ext SYSTEM '
                  b'"file:///etc/passwd">]>')
        body = data.split(b"?>", 1)[1] if data.lstrip().startswith(b"<?xml") else data
        name = re.search(rb"<name>", body)
        if name:
            body = body[:name.end()] + rng.choice((b"&lol3;", b"&ext;")) + body[name.end():]
        return b'<?xml version="1.0" encoding="UTF-8"?>\n' + laughs + body
    if choice == "encoding":
        at = rng.randrange(len(data))
        return data[:at] + rng.choice((b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"\xf4\x90\x80\x80")) + data[at:]
    tags = [m.start() for m in re.finditer(rb"<[a-zA-Z]", data)]
    if not tags:
        return None
    at = rng.choice(tags) + rng.randrange(1, 6)
    return data[:at]


def gzip_wrap(data: bytes, rng: random.Random) -> bytes | None:
    """A gzip of the file (then damaged half of the time): the .gz path of the readers."""
    packed = bytearray(gzip.compress(data, compresslevel=1))
    if rng.random() < 0.5 and len(packed) > 20:
        at = rng.randrange(10, len(packed))
        packed[at] ^= 1 << rng.randrange(8)
    return bytes(packed)


MUTATORS: dict[str, Mutator] = {
    "bit_flips": bit_flips, "truncate": truncate, "fit_header": fit_header, "fit_definitions": fit_definitions,
    "broken_xml": broken_xml, "gzip": gzip_wrap,
}


# --- generated inputs --------------------------------------------------------------------------------------------
def zip_of(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def damaged_zip(members: dict[str, bytes], rng: random.Random) -> bytes:
    """A zip with damaged deflate data, a damaged central directory, or a lying size field."""
    data = bytearray(zip_of(members))
    central = data.rfind(b"PK\x01\x02")
    where = rng.choice(("deflate", "central", "end", "sizes"))
    if where == "deflate" and len(data) > 64:
        for _ in range(4):
            data[rng.randrange(30, max(31, central if central > 31 else len(data)))] ^= 0xFF
    elif where == "central" and central >= 0:
        for _ in range(4):
            data[rng.randrange(central, len(data))] = rng.randrange(256)
    elif where == "end":
        end = data.rfind(b"PK\x05\x06")
        data[end + 16:end + 20] = rng.randrange(2**32).to_bytes(4, "little")  # central directory offset
    elif central >= 0:
        data[central + 24:central + 28] = (2**32 - 1).to_bytes(4, "little")  # uncompressed size: 4 GB
    return bytes(data)


def nested_zip(inner: bytes, inner_name: str, depth: int) -> bytes:
    data, name = inner, inner_name
    for level in range(depth):
        data, name = zip_of({name: data}, compression=zipfile.ZIP_STORED), f"level{level}.zip"
    return data


@functools.cache
def zero_bomb_zip(megabytes: int) -> bytes:
    """One member of ``megabytes`` MB of zeros named like a FIT file: a ratio of about 1000:1."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive, \
            archive.open("activity.fit", "w", force_zip64=True) as member:
        chunk = bytes(2**20)
        for _ in range(megabytes):
            member.write(chunk)
    return buffer.getvalue()


@functools.cache
def zero_bomb_gzip(megabytes: int) -> bytes:
    return gzip.compress(bytes(megabytes * 2**20), compresslevel=9)


def deep_xml(depth: int) -> bytes:
    """A GPX whose one track point holds ``depth`` nested elements inside <extensions>."""
    return (b'<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>'
            b'<trkpt lat="47.0" lon="8.3"><time>2026-07-01T06:00:00Z</time><extensions>' + b"<a>" * depth
            + b"</a>" * depth + b"</extensions></trkpt></trkseg></trk></gpx>")


def generated(rng: random.Random, seed_data: list[tuple[str, bytes]], *, big: bool, bombs: bool) -> Iterator[Input]:
    """One round of generated inputs (sizes larger with ``big``: the long mode; bombs only when ``bombs``)."""
    name, data = rng.choice(seed_data)
    members = {f"activities/{i}{Path(n).suffix}": d for i, (n, d) in enumerate(rng.sample(seed_data, 3))}
    yield Input("damaged.zip", damaged_zip(members, rng), "damaged_zip")
    yield Input("nested.zip", nested_zip(data, name, rng.choice((2, 5, 40, 1200 if big else 200))), "nested_zip")
    yield Input("deep.gpx", deep_xml(rng.choice((1000, 100_000, 150_000 if big else 20_000))), "deep_xml")
    if bombs:  # the same bytes each time (cached): generating 1 GB of zeros costs seconds
        yield Input("bomb.zip", zero_bomb_zip(1024 if big else 48), "zip_bomb")
        yield Input("bomb.fit.gz", zero_bomb_gzip(600 if big else 24), "gzip_bomb")


def inputs(count: int, seed: int, seeds: list[Path], *, big: bool = False, generated_every: int = 100,
           bombs_every: int = 1) -> Iterator[Input]:
    """``count`` inputs: mutations of ``seeds``; a round of generated ones every ``generated_every`` inputs, with
    bombs in every ``bombs_every``-th round."""
    rng = random.Random(seed)
    seed_data = [(p.name, p.read_bytes()) for p in seeds]
    made = rounds = 0
    while made < count:
        if made % generated_every == 0 and made // generated_every == rounds and generated_every <= count:
            rounds += 1
            for item in generated(rng, seed_data, big=big, bombs=(rounds - 1) % bombs_every == 0):
                if made < count:
                    made += 1
                    yield item
            continue
        name, data = rng.choice(seed_data)
        kind = rng.choice(sorted(MUTATORS))
        mutated = MUTATORS[kind](data, rng)
        if mutated is None:
            continue
        if kind == "gzip" and not name.endswith(".gz"):
            name += ".gz"
        made += 1
        yield Input(name, mutated, kind)
