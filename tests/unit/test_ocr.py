"""OCR of photos and scans (nlp/inputs/ocr.py, issue 15): the findings read from an image of a
report equal those of its text, whatever way the image lies, and a missing Tesseract is one
clear line.

The report images are drawn here with Pillow and a system font at 300 dpi. Tests that run
Tesseract skip when it is not installed; in CI (REQUIRE_OCR=1, set by .ci/run) they fail.
"""
import io
import os
import textwrap
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

import nlp
from nlp.inputs import ocr
from nlp.inputs.readers import ReadError, read_bytes, read_document

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
DPI = 300

# CI (.ci/run) installs Tesseract (nld, eng) and the DejaVu font and sets REQUIRE_OCR=1:
# there a missing one is a failure, never a silent skip.
if os.environ.get("REQUIRE_OCR") and (ocr.missing() or not FONT.exists()):
    raise RuntimeError(f"OCR is required (REQUIRE_OCR is set) but missing: {ocr.missing() or FONT}")
needs_ocr = pytest.mark.skipif(
    bool(ocr.missing()) or not FONT.exists(),
    reason=f"OCR is not installed ({ocr.missing() or FONT}): apt-get install {ocr.INSTALL_HINT} fonts-dejavu-core",
)

REPORTS = {
    "en": (
        "MRI LUMBAR SPINE\n"
        "Findings: At L4-L5 there is a broad-based disc bulge with mild canal stenosis.\n"
        "L5-S1: left paracentral disc protrusion contacting the left S1 nerve root.\n"
        "No vertebral fracture. No spondylolisthesis.\n"
        "Conclusion: disc protrusion L5-S1 on the left."
    ),
    "nl": (
        "MRI LWK\n"
        "Verslag: op niveau L4-L5 een diffuse bulging van de discus met lichte kanaalstenose.\n"
        "L5-S1: links paramediane discusprotrusie met contact met de linker S1-wortel.\n"
        "Geen wervelfractuur. Geen spondylolisthesis.\n"
        "Conclusie: discusprotrusie L5-S1 links."
    ),
}


def draw(lines, width_px=2100, points=11):
    """Black text on white at 300 dpi, one wrapped line under the other."""
    font = ImageFont.truetype(str(FONT), round(points * DPI / 72))
    wrapped = [part for line in lines for part in (textwrap.wrap(line, 70) or [""])]
    step = round(font.size * 1.4)
    image = Image.new("L", (width_px, 2 * 120 + step * len(wrapped)), 255)
    pen = ImageDraw.Draw(image)
    for row, line in enumerate(wrapped):
        pen.text((120, 120 + row * step), line, font=font, fill=0)
    return image


def encode(image, fmt="PNG", **options):
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def keys(text, lang):
    report = nlp.analyse(text, lang=lang)
    return sorted((f.concept, f.negated, tuple(sorted(f.levels))) for f in report.findings)


# --- the findings of the image are those of the text -------------------------------------------


@needs_ocr
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_ocr_photo_of_a_report_gives_the_findings_of_its_text(lang):
    text = REPORTS[lang]
    expected = keys(text, lang)
    assert any(negated for _, negated, _ in expected) and any(levels for _, _, levels in expected)
    document = read_document(encode(draw(text.splitlines())), "report.png")
    assert document.ocr and document.pages == 1 and document.confidence > 80
    assert keys(document.text, lang) == expected


@needs_ocr
@pytest.mark.parametrize("turn", [Image.Transpose.ROTATE_90, Image.Transpose.ROTATE_180],
                         ids=["on-its-side", "upside-down"])
def test_ocr_turns_a_rotated_page_upright(turn):
    text = REPORTS["en"]
    image = draw(text.splitlines()).transpose(turn)
    assert keys(read_bytes(encode(image), "sideways.png"), "en") == keys(text, "en")


@needs_ocr
def test_ocr_levels_a_skewed_phone_photo():
    text = REPORTS["nl"]
    image = draw(text.splitlines()).rotate(3, Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    photo = encode(image.convert("RGB"), "JPEG", quality=70)
    assert keys(read_bytes(photo, "foto.jpg"), "nl") == keys(text, "nl")


@needs_ocr
def test_ocr_reads_an_image_only_pdf_and_keeps_its_page_header_once():
    lines = REPORTS["nl"].splitlines()
    header = "Radiologie Ziekenhuis Oost - pagina {} van 2"
    pages = [draw([header.format(1), "", *lines[:3]]), draw([header.format(2), "", *lines[3:]])]
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", resolution=DPI, save_all=True, append_images=pages[1:])
    document = read_document(buffer.getvalue(), "scan.pdf")
    assert document.ocr and document.pages == 2
    assert document.text.count("Radiologie Ziekenhuis Oost") == 1
    assert keys(document.text, "nl") == keys(REPORTS["nl"], "nl")


@needs_ocr
def test_ocr_reads_two_columns_one_after_the_other():
    # Tesseract's automatic layout (--psm 3) finds columns of a few lines or more.
    columns = [draw(textwrap.wrap(REPORTS[lang].replace("\n", " "), 34), width_px=1150) for lang in ("en", "nl")]
    page = Image.new("L", (2400, max(column.height for column in columns)), 255)
    page.paste(columns[0], (0, 0))
    page.paste(columns[1], (1200, 0))
    text = read_bytes(encode(page), "columns.png")
    assert text.index("MRI LUMBAR") < text.index("on the left.") < text.index("MRI LWK") < text.index("L5-S1 links")


@needs_ocr
def test_ocr_reads_an_iphone_heic_photo():
    pillow_heif = pytest.importorskip("pillow_heif")
    pillow_heif.register_heif_opener()
    data = encode(draw(REPORTS["en"].splitlines()).convert("RGB"), "HEIF", quality=90)
    assert ocr.image_format(data) == "HEIF"
    assert keys(read_bytes(data, "IMG_0001.HEIC"), "en") == keys(REPORTS["en"], "en")


@needs_ocr
def test_ocr_stops_when_its_time_is_spent(monkeypatch):
    monkeypatch.setattr(ocr, "MAX_SECONDS", 0.0)
    with pytest.raises(ReadError) as info:
        read_bytes(encode(draw(["Disc bulge at L4-L5."])), "slow.png")
    assert info.value.code == "ocr_too_slow"


# --- without Tesseract ---------------------------------------------------------------------------


def test_ocr_missing_is_one_clear_line_in_both_languages_and_text_still_reads(monkeypatch):
    monkeypatch.setattr(ocr, "missing", lambda: "the tesseract program")
    image = Image.new("L", (400, 100), 255)
    ImageDraw.Draw(image).rectangle((20, 20, 380, 80), fill=0)
    with pytest.raises(ReadError) as info:
        read_bytes(encode(image), "photo.png")
    assert info.value.code == "ocr_missing"
    for lang in ("en", "nl"):
        message = info.value.message(lang)
        assert "\n" not in message and "tesseract-ocr-nld" in message and "tesseract-ocr-eng" in message
    assert read_bytes(b"Disc bulge at L4-L5.", "report.txt") == "Disc bulge at L4-L5."


def test_ocr_missing_names_what_is_lacking(monkeypatch):
    # Was "None or a string", true whatever missing() does: each case now on its own.
    class Listed:
        def __init__(self, langs: str) -> None:
            self.stdout = f"List of available languages (3):\n{langs}\n".encode()

    missing = ocr.missing.__wrapped__  # not the cached answer of this machine
    monkeypatch.setattr(ocr.shutil, "which", lambda name: "/usr/bin/tesseract")
    monkeypatch.setattr(ocr.subprocess, "run", lambda *a, **k: Listed("eng\nnld\nosd"))
    assert missing() is None
    monkeypatch.setattr(ocr.subprocess, "run", lambda *a, **k: Listed("eng\nosd"))
    assert missing() == "tesseract language data: nld"
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    assert missing() == "the tesseract program"


def test_ocr_image_format_by_content():
    assert ocr.image_format(b"\x89PNG\r\n\x1a\n....") == "PNG"
    assert ocr.image_format(b"\xff\xd8\xff\xe0") == "JPEG"
    assert ocr.image_format(b"\x00\x00\x00\x18ftypheic\x00\x00") == "HEIF"
    assert ocr.image_format(b"%PDF-1.7") is None
    assert ocr.image_format(b"Disc bulge") is None


def test_ocr_page_headers_and_footers_are_kept_once():
    pages = [
        ["Ziekenhuis Oost", "Patient 123", "Disc bulge at L4-L5.", "Pagina 1 van 2"],
        ["Ziekenhuis Oost", "Patient 123", "No fracture.", "Pagina 2 van 2"],
    ]
    assert ocr.drop_repeated_edges(pages) == [
        ["Ziekenhuis Oost", "Patient 123", "Disc bulge at L4-L5."],
        ["No fracture.", "Pagina 2 van 2"],
    ]


def test_ocr_a_line_repeated_inside_the_text_is_kept():
    pages = [["Header", "a", "b", "c", "No fracture.", "d", "e", "f"],
             ["Header", "g", "h", "i", "No fracture.", "j", "k", "l"]]
    assert ocr.drop_repeated_edges(pages)[1].count("No fracture.") == 1


def test_ocr_tsv_lines_keep_a_sentence_across_tesseract_paragraphs():
    # Tesseract starts a paragraph after the short line "At"; the page shows no gap there.
    rows = ["level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"]
    table = [(1, 100, "stenosis. At"), (2, 160, "L3-4 there"), (2, 220, "is more."), (3, 360, "New")]
    for line, (par, top, word) in enumerate(table):
        rows.append(f"5\t1\t1\t{par}\t{line}\t1\t10\t{top}\t50\t40\t95\t{word}")
    lines = ocr._tsv_lines("\n".join(rows))
    # ... and a blank line where the page has a gap (140 px where lines are 60 px apart).
    assert [[w for w, _ in line] for line in lines] == [["stenosis. At"], ["L3-4 there"], ["is more."], [], ["New"]]


@pytest.mark.parametrize("read,meant", [
    ("Ll-L2 and L5-Sl", "L1-L2 and L5-S1"),
    ("Tl2, Tl-weighted", "T12, T1-weighted"),
    ("L|-L2", "L1-L2"),
    ("SI joint, TI 150", "SI joint, TI 150"),  # words, not misread levels
    ("Sl-gewrichten, Sl joint", "Sl-gewrichten, Sl joint"),  # SI read with an l: not S1
    ("Ll9 all well", "Ll9 all well"),  # no level L19
])
def test_ocr_puts_a_level_with_one_read_as_l_right(read, meant):
    assert ocr.fix_levels(read) == meant
