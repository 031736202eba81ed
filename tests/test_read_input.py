"""Reading input files: every bad input is one clear line; good text comes out clean."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

import reader.article.inputs as inputs
from reader.article import InputError, decode_bytes, read_text_file


def _error(path: Path | str) -> str:
    with pytest.raises(InputError) as info:
        read_text_file(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    return message


def test_missing_file(tmp_path: Path) -> None:
    assert _error(tmp_path / "nope.txt").endswith("no such file")


def test_parent_is_a_file(tmp_path: Path) -> None:
    parent = tmp_path / "a.txt"
    parent.write_text("hello")
    assert "no such file" in _error(parent / "b.txt")


def test_directory(tmp_path: Path) -> None:
    assert _error(tmp_path).endswith("is a directory, not a file")


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("top secret text")

    def refuse(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    assert "permission denied" in _error(path)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file_for_real(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("top secret text")
    path.chmod(0)
    try:
        assert "permission denied" in _error(path)
    finally:
        path.chmod(0o644)


def test_binary_with_nul_bytes(tmp_path: Path) -> None:
    path = tmp_path / "notes.bin"
    path.write_bytes(b"abc\x00\x01\x02def" * 10)
    assert str(_error(path)) == f"{path}: not a text file (binary data)"


def test_binary_without_nul_bytes(tmp_path: Path) -> None:
    path = tmp_path / "noise.dat"
    path.write_bytes(bytes(range(1, 32)) * 20 + b"some text")
    assert _error(path).endswith("not a text file (binary data)")


def test_known_binary_formats_are_named(tmp_path: Path) -> None:
    path = tmp_path / "paper.pdf"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    assert _error(path).endswith("not a text file (a PDF document)")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert _error(path).endswith("empty file")


def test_whitespace_only_file(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_bytes(b"  \n\t\r\n   \n")
    assert _error(path).endswith("no text (only whitespace)")


def test_control_characters_only_count_as_no_text(tmp_path: Path) -> None:
    path = tmp_path / "escapes.txt"
    path.write_bytes(b"\x1b[0m\n\x1b[2J\n")
    assert _error(path).endswith("no text (only whitespace)")


def test_undecodable_text(tmp_path: Path) -> None:
    path = tmp_path / "garbled.txt"
    path.write_bytes(b"The report said " + bytes(range(0x80, 0xA0)) * 3 + b" and then ended.")
    assert "unknown text encoding" in _error(path)


def test_too_large_checked_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inputs, "MAX_BYTES", 2048)
    path = tmp_path / "big.txt"
    path.write_text("word " * 1000)  # 5000 bytes
    assert _error(path).endswith("too large (4.9 KB; the limit is 2 KB)")


def test_too_large_limit_in_megabytes(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("word " * 1000)
    with pytest.raises(InputError, match=r"too large \(4.9 KB; the limit is 1000 bytes\)"):
        read_text_file(path, max_bytes=1000)
    with pytest.raises(InputError, match=r"too large \(21 MB; the limit is 20 MB\)"):
        decode_bytes(b"x" * (21 * 1024 * 1024), "stdin")


def test_decode_bytes_names_stdin() -> None:
    with pytest.raises(InputError, match=r"^<stdin>: empty file$"):
        decode_bytes(b"", "<stdin>")


def test_cp1252_with_curly_quotes(tmp_path: Path) -> None:
    text = "“It’s a naïve café,” she said — and left."
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode("cp1252"))
    assert read_text_file(path) == text


def test_latin1_accents() -> None:
    text = "Crème brûlée and a déjà vu at the café in Zürich."
    assert decode_bytes(text.encode("latin-1"), "menu.txt") == text


def test_mostly_utf8_with_a_damaged_byte_stays_utf8() -> None:
    data = "It’s a “test” — naïve café.".encode() + b"\xff" + " more “text”".encode()
    assert decode_bytes(data, "x") == "It’s a “test” — naïve café.\ufffd more “text”"


def test_legacy_non_western_encoding_detected() -> None:
    text = "Привет, как дела? Это текст на русском языке, и он достаточно длинный."
    assert decode_bytes(text.encode("cp1251"), "ru.txt") == text


def test_utf16_with_bom(tmp_path: Path) -> None:
    text = "Grüße aus Köln — “quoted” text\nsecond line"
    for codec in ("utf-16", "utf-16-be"):
        data = text.encode(codec)
        if codec == "utf-16-be":
            data = codecs.BOM_UTF16_BE + data
        path = tmp_path / f"{codec}.txt"
        path.write_bytes(data)
        assert read_text_file(path) == text


def test_utf16_without_bom() -> None:
    assert decode_bytes("Plain words here.".encode("utf-16-le"), "x") == "Plain words here."


def test_utf8_bom_stripped(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(codecs.BOM_UTF8 + "Héllo".encode())
    assert read_text_file(path) == "Héllo"


def test_crlf_and_cr_normalised(tmp_path: Path) -> None:
    path = tmp_path / "dos.txt"
    path.write_bytes(b"one\r\ntwo\r\n\r\nthree\rfour")
    assert read_text_file(path) == "one\ntwo\n\nthree\nfour"


def test_ansi_escapes_and_control_characters_removed() -> None:
    data = (
        b"\x1b[1;31mRed title\x1b[0m\n"
        b"\x1b]8;;https://example.com\x1b\\a link\x1b]8;;\x1b\\ here\n"
        b"bell\x07 back\x08space\ttab\x1b(B ok\x7f"
    )
    assert decode_bytes(data, "log.txt") == "Red title\na link here\nbell backspace\ttab ok"


def test_clean_text_is_idempotent() -> None:
    messy = "a\r\nb\x1b[2Kc\u2028d\x00"
    once = inputs.clean_text(messy)
    assert once == "a\nbc\nd"
    assert inputs.clean_text(once) == once


def test_file_name_with_newline_stays_one_line(tmp_path: Path) -> None:
    path = tmp_path / "odd\nname.txt"
    with pytest.raises(InputError) as info:
        read_text_file(path)
    assert "\n" not in str(info.value) and "odd?name.txt" in str(info.value)
