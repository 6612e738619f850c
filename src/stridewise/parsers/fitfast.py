"""A fast FIT decoder for the messages parse_fit reads, giving what fitparse gives.

One tight loop walks the message headers (normal and compressed-timestamp), keeps the definitions, notes where
each record message starts, and renders the few other wanted messages one by one (``fitprofile.decode_message``).
The records of each definition are then rendered together into numpy arrays (``fitprofile.record_columns``).
Chained files, header and file CRCs, truncation and developer data are handled where fitparse handles them, and
where fitparse stops, this decoder stops with the same error (class and text) in ``FastDecode.stopped``.

Any case it does not mirror raises :class:`FastPathUnsupported` (with the reason), and the caller decodes the file
with fitparse, which stays the reference.
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, replace
from itertools import repeat
from typing import Any, Final

import numpy as np
from fitparse.profile import MESSAGE_TYPES
from fitparse.records import BASE_TYPE_BYTE, BASE_TYPES, DevField
from fitparse.utils import FitCRCError, FitEOFError, FitHeaderError, FitParseError

from stridewise.parsers import fitprofile as prof
from stridewise.parsers.fitcrc import crc16
from stridewise.parsers.fitprofile import Definition, FastPathUnsupported

__all__ = ["FastDecode", "FastPathUnsupported", "crc16", "decode"]

HEADER_MIN_SIZE: Final = 12  # FIT SDK: a 12-byte file header (14 with its own CRC)
FIELD_DESCRIPTION: Final = 206  # developer field names and types (FIT SDK, "developer data")
DEVELOPER_DATA_ID: Final = 207
RECORD: Final = 20
# How the data messages of a definition are handled.
SKIP, RECORD_KIND, RENDER, DECLINE = 0, 1, 2, 3
_NAMES_TO_NUMS: Final = {m.name: num for num, m in MESSAGE_TYPES.items()}

# Record messages mostly come in long runs of one definition (a 1 Hz run writes thousands in a row, with a lap or
# an event between). The walk looks this many messages ahead at once for the same header byte, with numpy, instead
# of one loop turn per record; 256 is several minutes at 1 Hz and costs a few microseconds when a run is short.
RUN_LOOKAHEAD: Final = 256
# Definitions without developer fields depend only on their bytes, and a device writes the same ones in every file:
# each is made once per process (at most this many kept; a real file has 5-80).
SHARED_DEFINITIONS_MAX: Final = 4096
_SHARED_DEFINITIONS: dict[tuple[bytes, frozenset[int]], Definition] = {}  # by bytes and the messages wanted


@dataclass
class FastDecode:
    """What was decoded: the wanted non-record messages in file order, and the record columns."""

    messages: list[tuple[str, dict[Any, Any]]]
    records: dict[str, np.ndarray]  # fitprofile.RECORD_FIELDS -> one value per record message
    stopped: FitParseError | None  # where fitparse would have stopped, with its error


def decode(data: bytes, wanted: Iterable[str]) -> FastDecode:
    """Decode ``data`` like ``fitparse.FitFile(data, check_crc=True).get_messages(wanted)``; see the module doc."""
    walker = _Walker(data, set(wanted))
    try:
        stopped: FitParseError | None = None
        try:
            walker.run()
        except FitParseError as exc:  # only raised here on purpose, where fitparse raises the same
            stopped = exc
        return FastDecode(walker.messages, walker.record_columns(), stopped)
    except FastPathUnsupported:
        raise
    except (ValueError, KeyError, IndexError, TypeError, AttributeError, OverflowError, struct.error) as exc:
        # fitparse would raise too (and say so in a warning) or decode a case not mirrored here: let it decide.
        raise FastPathUnsupported(f"{type(exc).__name__}: {exc}") from exc


def _eof(size: int, available: int) -> FitEOFError:
    return FitEOFError(f"Tried to read {size} bytes from .FIT file but got {max(0, min(size, available))}")


def _crc_error(computed: int, read: int) -> FitCRCError:
    return FitCRCError(f"CRC Mismatch [computed: 0x{computed:04X}, read: 0x{read:04X}]")


class _Walker:
    def __init__(self, data: bytes, wanted: set[str]) -> None:
        self.buf = data
        self.bytes = np.frombuffer(data, dtype=np.uint8)
        self.wanted = {_NAMES_TO_NUMS[name]: name for name in wanted if name in _NAMES_TO_NUMS}
        self.wanted_key = frozenset(self.wanted)  # how a definition is classified depends on what is wanted
        self.messages: list[tuple[str, dict[Any, Any]]] = []
        self.dev_types: dict[Any, dict[Any, Any]] = {}  # developer_data_index -> field number -> DevField
        self.accumulators: dict[int, dict[int, int]] = {}
        self.record_defs: list[Definition] = []
        self.record_starts = array("q")  # where each record message's fields start
        self.record_def_index = array("q")  # and the index of its definition in record_defs
        self.record_times: list[tuple[int, int]] = []  # (record number, compressed-header time)
        self.record_resets: dict[str, list[int]] = {}  # running total -> record numbers where it restarts at 0
        self.tail: list[dict[Any, Any]] = []  # a record cut short by the end of the file
        self.cache: dict[tuple[bytes, int], Definition] = {}  # by its bytes, and the developer data it was read with
        self.dev_version = 0  # changes with each developer data message, which can change what a definition means

    def run(self) -> None:
        start = 0
        while start < len(self.buf):
            start = self.file(start)

    def need(self, at: int, size: int) -> None:
        if at + size > len(self.buf):
            raise _eof(size, len(self.buf) - at)

    def file(self, start: int) -> int:
        """Decode one FIT file of a chain from ``start``; returns where the next one starts."""
        buf = self.buf
        self.need(start, HEADER_MIN_SIZE)
        if buf[start + 8:start + 12] != b".FIT":
            raise FitHeaderError("Invalid .FIT File Header")
        header_size, data_size = buf[start], struct.unpack_from("<I", buf, start + 4)[0]
        at = start + HEADER_MIN_SIZE
        if header_size > HEADER_MIN_SIZE:
            if header_size - HEADER_MIN_SIZE < 2:
                raise FitHeaderError("Irregular File Header Size")
            self.need(at, 2)
            computed, read = crc16(memoryview(buf)[start:at]), struct.unpack_from("<H", buf, at)[0]
            if computed != read and read != 0:  # a zero header CRC means "not computed" (FIT SDK)
                raise _crc_error(computed, read)
            self.need(at + 2, header_size - HEADER_MIN_SIZE - 2)
            at = start + header_size
        self.accumulators = {}
        at = self.walk(at, at + data_size)
        self.need(at, 2)
        computed, read = crc16(memoryview(buf)[start:at]), struct.unpack_from("<H", buf, at)[0]
        if computed != read:
            raise _crc_error(computed, read)
        return at + 2

    def walk(self, at: int, end: int) -> int:
        """The tight loop over the messages of one file, from ``at`` up to (or just past) ``end``.

        Timestamp fields only matter to later compressed-timestamp headers, so the latest message that has one is
        remembered (``stamped``) and read when such a header comes, not on every record.
        """
        buf, size = self.buf, len(self.buf)
        local: list[Definition | None] = [None] * 16
        last_time = 0  # fitparse's compressed-timestamp accumulator, reset with each file of a chain
        stamped: tuple[Definition, int] | None = None
        add_start, add_index = self.record_starts.append, self.record_def_index.append
        while at < end:
            if at >= size:
                raise _eof(1, 0)
            header = buf[at]
            stamp = None
            if header < 0x40:  # a data message with a normal header, the common case
                definition = local[header & 0xF]
                if definition is None:
                    raise FitParseError(f"Got data message with invalid local message type {header & 0xF}")
                body = at + 1
                at = body + definition.size
                if at > size:
                    self.cut_short(definition, body, -1, last_time, end)
                if definition.stamps:
                    stamped = definition, body
                if definition.kind == RECORD_KIND:
                    add_start(body)
                    add_index(definition.index)
                    if at < size and buf[at] == header:  # more records of this definition follow
                        at, last_body = self.skip_run(at, end, header, definition)
                        if definition.stamps:
                            stamped = definition, last_body
                    continue
            elif header & 0x80:  # compressed timestamp: local type in bits 5-6, seconds in bits 0-4
                definition = local[(header >> 5) & 0x3]
                if definition is None:
                    raise FitParseError(f"Got data message with invalid local message type {(header >> 5) & 0x3}")
                last_time, stamped = self.resolve(stamped, last_time), None
                body = at + 1
                at = body + definition.size
                if at > size:
                    self.cut_short(definition, body, header & 0x1F, last_time, end)
                if definition.stamps:
                    last_time = self.latest_time(definition, body, last_time)
                stamp = last_time = prof.compressed_time(header & 0x1F, last_time)
                if definition.kind == RECORD_KIND:
                    self.record_times.append((len(self.record_starts), stamp))
                    add_start(body)
                    add_index(definition.index)
                    continue
            else:
                definition, at = self.definition(at, header)
                local[header & 0xF] = definition
                continue
            if definition.kind == RENDER:
                self.render(definition, body, len(definition.fields), stamp)
            elif definition.kind == DECLINE:
                raise FastPathUnsupported(definition.unsupported or "")
        return at

    def skip_run(self, at: int, end: int, header: int, definition: Definition) -> tuple[int, int]:
        """Note the record messages from ``at`` on that repeat ``header`` (so the same definition), each wholly
        before ``end``; returns where the first other message starts and the body of the last record noted.

        The loop would do the same one message at a time: a normal header of the same byte names the same local
        type, and no definition message can come between two of them.
        """
        stride = definition.size + 1
        fitting = (min(end, len(self.buf)) - at) // stride  # messages that end before the data does
        count = 0
        while count < fitting:
            take = min(RUN_LOOKAHEAD, fitting - count)
            first = at + count * stride
            other = np.flatnonzero(self.bytes[first:first + take * stride:stride] != header)
            if len(other):
                count += int(other[0])
                break
            count += take
        if count == 0:
            return at, at - definition.size
        self.record_starts.extend(range(at + 1, at + 1 + count * stride, stride))
        self.record_def_index.extend(repeat(definition.index, count))
        return at + count * stride, at + 1 + (count - 1) * stride

    def resolve(self, stamped: tuple[Definition, int] | None, last_time: int) -> int:
        """The compressed-timestamp accumulator after the message ``stamped`` (None: no message since)."""
        if stamped is None:
            return last_time
        if (latest := self.latest_time(*stamped, -1)) == -1:  # fitparse would use an earlier one, not kept
            raise FastPathUnsupported("a compressed timestamp follows a message whose timestamp is invalid")
        return latest

    def latest_time(self, definition: Definition, body: int, last_time: int) -> int:
        """The last valid value of the message's timestamp fields, else ``last_time``."""
        for value in definition.ts_unpack(self.buf, body + definition.ts_offset):
            if value != definition.ts_invalid:
                last_time = value
        return last_time

    def cut_short(self, definition: Definition, body: int, offset: int, last_time: int, end: int) -> None:
        """The file ends inside this data message: fitparse keeps the fields it could read, then stops."""
        n_fields, at = 0, body
        for fd in definition.fields:
            if at + fd.size > len(self.buf):
                break
            n_fields, at = n_fields + 1, at + fd.size
            if fd in definition.stamps:
                value = prof.read_raw(fd, self.buf, body)
                last_time = value if value is not None else last_time
        stamp = prof.compressed_time(offset, last_time) if offset >= 0 else None
        if definition.kind == RECORD_KIND and definition.record_running:
            raise FastPathUnsupported("the file ends inside a record that feeds a running total")
        if definition.kind == RECORD_KIND:
            self.tail.append(self.rendered(definition, body, n_fields, stamp))
        elif definition.kind == RENDER:
            self.render(definition, body, n_fields, stamp)
        elif definition.kind == DECLINE:
            raise FastPathUnsupported(definition.unsupported or "")
        # The next read (the file CRC if the data size is used up, else a message header) finds no bytes.
        raise _eof(2 if at >= end else 1, 0)

    def rendered(self, definition: Definition, body: int, n_fields: int, stamp: int | None) -> dict[Any, Any]:
        return prof.decode_message(definition, self.buf, body, n_fields, stamp, self.accumulators)

    def render(self, definition: Definition, body: int, n_fields: int, stamp: int | None) -> None:
        values = self.rendered(definition, body, n_fields, stamp)
        if definition.mesg_num == DEVELOPER_DATA_ID:
            index = prof.raw_value(definition, self.buf, body, n_fields, "developer_data_index")
            self.dev_types[index] = {}
            self.dev_version += 1
        elif definition.mesg_num == FIELD_DESCRIPTION:
            self.add_dev_field(definition, body, n_fields)
        name = self.wanted.get(definition.mesg_num)
        if name is not None:
            self.messages.append((name, values))

    def add_dev_field(self, definition: Definition, body: int, n_fields: int) -> None:
        def raw(name: str) -> Any:
            return prof.raw_value(definition, self.buf, body, n_fields, name)

        index, number = raw("developer_data_index"), raw("field_definition_number")
        if index not in self.dev_types:
            # fitparse's message formats the raw value with %, so a multi-value one fails with TypeError there too
            raise FitParseError("No such dev_data_index=%s found" % index)  # noqa: UP031
        if index is None or raw("fit_base_type_id") not in BASE_TYPES:
            raise FastPathUnsupported("a developer field description without index or base type")
        self.dev_types[index][number] = DevField(
            dev_data_index=index, def_num=number, type=BASE_TYPES[raw("fit_base_type_id")],
            name=raw("field_name") or f"unnamed_dev_field_{number}", units=raw("units"),
            native_field_num=raw("native_field_num"))
        self.dev_version += 1

    def definition(self, at: int, header: int) -> tuple[Definition, int]:
        """The definition message at ``at`` and where it ends; devices repeat the same few definitions often."""
        buf, size = self.buf, len(self.buf)
        end = at + 6 + 3 * buf[at + 5] if at + 6 <= size else size + 1
        if header & 0x20 and end < size:
            end += 1 + 3 * buf[end]
        if end <= size:
            layout = buf[at + 1:end]
            cached = self.cache.get((layout, self.dev_version))
            if cached is not None:
                self.reset_accumulators(cached)
                return cached, end
            shared = _SHARED_DEFINITIONS.get((layout, self.wanted_key)) if not header & 0x20 else None
            if shared is not None:  # made from another file: this file's own copy, placed among its records
                definition = replace(shared)
                self.place(definition)
                self.cache[(layout, self.dev_version)] = definition
                self.reset_accumulators(definition)
                return definition, end
        return self.parse_definition(at, header)

    def parse_definition(self, at: int, header: int) -> tuple[Definition, int]:
        """Parse the definition message at ``at``, reading in the steps fitparse reads (for the same EOF error)."""
        buf = self.buf
        self.need(at + 1, 2)
        endian = ">" if buf[at + 2] else "<"
        self.need(at + 3, 3)
        mesg_num, n_fields = struct.unpack_from(endian + "HB", buf, at + 3)
        mesg_type = MESSAGE_TYPES.get(mesg_num)
        end = at + 6
        for _ in range(n_fields):
            self.need(end, 3)
            num, size, base_num = buf[end:end + 3]
            end += 3
            known = mesg_type is not None and num in mesg_type.fields
            if size % prof.base_size(BASE_TYPES.get(base_num, BASE_TYPE_BYTE)) and not known:
                # fitparse's warning names the field, and fails on a field the profile does not know
                raise FastPathUnsupported(f"unknown field {num} of message {mesg_num} has a misaligned size")
        n_dev = 0
        if header & 0x20:
            self.need(end, 1)
            n_dev = buf[end]
            end += 1
        key = (buf[at + 1:end], self.dev_version)
        fields, offset = [], 0
        for i in range(n_fields):
            num, size, base_num = buf[at + 6 + 3 * i:at + 9 + 3 * i]
            profile_field = mesg_type.fields.get(num) if mesg_type else None
            base = BASE_TYPES.get(base_num, BASE_TYPE_BYTE)
            if size % prof.base_size(base):
                base = BASE_TYPE_BYTE  # as fitparse: a misaligned field is read as bytes
            fields.append(prof.field_def(num, offset, size, base, profile_field, dev=False, endian=endian))
            offset += fields[-1].size
        for _ in range(n_dev):
            self.need(end, 3)
            num, size, dev_index = buf[end:end + 3]
            end += 3
            dev_field = self.dev_field(dev_index, num)
            fields.append(prof.field_def(num, offset, size, dev_field.type, dev_field, dev=True, endian=endian))
            offset += fields[-1].size
        definition = Definition(mesg_num, mesg_type, endian, tuple(fields), n_fields, offset)
        self.classify(definition)
        self.place(definition)
        self.cache[key] = definition
        if not n_dev and len(_SHARED_DEFINITIONS) < SHARED_DEFINITIONS_MAX:
            _SHARED_DEFINITIONS[(key[0], self.wanted_key)] = definition
        self.reset_accumulators(definition)
        return definition, end

    def dev_field(self, index: int, number: int) -> Any:
        if index not in self.dev_types:
            raise FitParseError(f"No such dev_data_index={index} found when looking up field {number}")
        if number not in self.dev_types[index]:
            raise FitParseError(f"No such field {number} for dev_data_index {index}")
        return self.dev_types[index][number]

    def reset_accumulators(self, definition: Definition) -> None:
        for mesg_num, field_num in definition.accumulating:
            self.accumulators.setdefault(mesg_num, {})[field_num] = 0
        for name in definition.record_running:
            self.record_resets.setdefault(name, []).append(len(self.record_starts))

    def classify(self, definition: Definition) -> None:
        """Decide how the data messages of a new definition are handled."""
        definition.accumulating = tuple(
            (definition.mesg_num, c.def_num) for fd in definition.fields[:definition.n_normal] if fd.field
            for c in (fd.field.components or ()) if c.accumulate)
        reason = next((f"field {fd.num} of message {definition.mesg_num} is shorter than one value"
                       for fd in definition.fields if fd.unpack is None), None)
        reason = reason or prof.plan_timestamps(definition)
        wanted = definition.mesg_num in self.wanted
        if definition.mesg_num == RECORD and wanted:
            try:
                prof.plan_records(definition)
                reason = reason or prof.processing_risk(definition)
            except FastPathUnsupported as exc:
                reason = reason or exc.reason
            definition.kind = RECORD_KIND
        elif (wanted or definition.mesg_num in (FIELD_DESCRIPTION, DEVELOPER_DATA_ID)
              or prof.processing_risk(definition) is not None):
            definition.kind = RENDER
        if reason is not None:
            definition.kind, definition.unsupported = DECLINE, reason

    def place(self, definition: Definition) -> None:
        """A record definition is numbered among this file's record definitions (its records are rendered by it)."""
        if definition.mesg_num == RECORD and RECORD in self.wanted:
            definition.index = len(self.record_defs)
            self.record_defs.append(definition)

    def record_columns(self) -> dict[str, np.ndarray]:
        count = len(self.record_starts)
        out = {name: np.full(count + len(self.tail), np.nan) for name in prof.RECORD_FIELDS}
        if count:
            self.fill_records(out, count)
        if self.tail:
            for name, values in prof.columns_from_values(self.tail).items():
                out[name][count:] = values
        return out

    def fill_records(self, out: dict[str, np.ndarray], count: int) -> None:
        """Render the records definition by definition, each definition's messages in one go."""
        starts = np.frombuffer(self.record_starts, dtype=np.int64)
        def_index = np.frombuffer(self.record_def_index, dtype=np.int64)
        data = np.frombuffer(self.buf, dtype=np.uint8)
        counters = {name: np.full(count, np.nan) for name in self.record_resets}
        for definition in self.record_defs:
            rows: slice | np.ndarray = slice(0, count)  # every record, when they share one definition
            if len(self.record_defs) > 1:
                rows = np.flatnonzero(def_index == definition.index)
                if not len(rows):
                    continue
            if not definition.size:
                continue
            windows = np.lib.stride_tricks.sliding_window_view(data, definition.size)
            values, fed = prof.record_columns(definition, windows[starts[rows]])
            for name, column in values.items():
                out[name][rows] = column
            for name, column in fed.items():
                counters[name][rows] = column
        for name, column in counters.items():
            component = next(d.record_running[name][1] for d in self.record_defs if name in d.record_running)
            totals = prof.scaled(prof.running_totals(column, np.asarray(self.record_resets[name]), component.bits),
                                 component)
            for definition in self.record_defs:
                writer = definition.record_plan.get(name)
                if writer is not None and writer[1] is not None and writer[1].accumulate:
                    rows = np.flatnonzero(def_index == definition.index)
                    out[name][rows] = totals[rows]
        if self.record_times:
            numbers, stamps = zip(*self.record_times, strict=True)
            out["timestamp"][list(numbers)] = stamps
