"""The exception tree: a file's reason is always one line."""

from __future__ import annotations

from stridewise.errors import CorruptFileError, InputError


def test_a_reason_from_a_library_that_wrote_a_newline_is_one_line() -> None:
    """The fuzz harness found lxml's "Char 0x0 out of allowed range\\n, line 1045" reaching the summary in two lines."""
    error = CorruptFileError("run.gpx", "not well-formed XML (Invalid character: Char 0x0 out of allowed range\n, "
                                        "line 1045, column 3)")
    assert error.reason == ("not well-formed XML (Invalid character: Char 0x0 out of allowed range , line 1045, "
                            "column 3)")
    assert str(error) == f"run.gpx: {error.reason}"
    assert InputError("a.fit", "  two\r\nlines\t ", offset=12).reason == "two lines"
