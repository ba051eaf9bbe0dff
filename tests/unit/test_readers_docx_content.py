"""Every piece of text a Word document shows is read (issue 16).

python-docx's ``paragraph.text`` skipped runs inside tracked insertions, content controls,
smart tags, simple fields, custom XML and text boxes, and the reader skipped headers,
footers and footnotes: a "No" typed with track changes on was lost, and the finding after
it read as present. Each case fails on that reader.
"""
from __future__ import annotations

import io
import zipfile

import docx
import pytest

from nlp import analyse
from nlp.inputs.readers import read_bytes

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def _docx_with_body(body_xml: str) -> bytes:
    """A .docx whose body holds ``body_xml`` (WordprocessingML) before the section."""
    document = docx.Document()
    document.add_paragraph("PLACEHOLDER")
    buffer = io.BytesIO()
    document.save(buffer)
    return _replace_member(
        buffer.getvalue(), "word/document.xml",
        lambda xml: xml.replace(
            xml[xml.index("<w:p>"):xml.index("</w:p>") + len("</w:p>")]
            if "<w:p>" in xml else xml[xml.index("<w:p "):xml.index("</w:p>") + len("</w:p>")],
            body_xml,
        ),
    )


def _replace_member(data: bytes, name: str, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == name:
                content = change(content.decode("utf-8")).encode("utf-8")
            target.writestr(item, content)
    return out.getvalue()


CASES = {
    "tracked insertion": f'<w:p><w:ins w:id="1" w:author="A" w:date="2026-01-01T00:00:00Z">{_run("No ")}</w:ins>{_run("cauda equina compression.")}</w:p>',
    "content control": f'<w:p><w:sdt><w:sdtPr/><w:sdtContent>{_run("No ")}</w:sdtContent></w:sdt>{_run("cauda equina compression.")}</w:p>',
    "smart tag": f'<w:p><w:smartTag w:uri="x" w:element="y">{_run("No ")}</w:smartTag>{_run("cauda equina compression.")}</w:p>',
    "simple field": f'<w:p><w:fldSimple w:instr="MERGEFIELD neg">{_run("No ")}</w:fldSimple>{_run("cauda equina compression.")}</w:p>',
    "custom XML": f'<w:p><w:customXml w:element="finding">{_run("No ")}</w:customXml>{_run("cauda equina compression.")}</w:p>',
    "block content control": f'<w:sdt><w:sdtPr/><w:sdtContent><w:p>{_run("No cauda equina compression.")}</w:p></w:sdtContent></w:sdt>',
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_wrapped_runs_are_read(case):
    text = read_bytes(_docx_with_body(CASES[case]), "report.docx")
    assert "No cauda equina compression." in text
    findings = analyse(text, lang="en").findings
    assert findings and all(f.negated for f in findings if f.concept == "cauda_equina_compression")


def test_tracked_deletion_is_not_read():
    body = (f'<w:p><w:del w:id="1" w:author="A" w:date="2026-01-01T00:00:00Z"><w:r><w:delText>No </w:delText></w:r></w:del>'
            f'{_run("disc extrusion at L4-L5.")}</w:p>')
    assert read_bytes(_docx_with_body(body), "report.docx") == "disc extrusion at L4-L5."


def test_field_instruction_is_not_read():
    body = (f'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
            f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>{_run("1")}<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
            f'<w:p>{_run("Disc bulge.")}</w:p>')
    assert read_bytes(_docx_with_body(body), "report.docx") == "1\nDisc bulge."


def test_text_box_is_read_once():
    box = f'<w:txbxContent><w:p>{_run("No vertebral fracture.")}</w:p></w:txbxContent>'
    body = (f'<w:p {MC}>{_run("Findings:")}<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
            f'<wps:wsp xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:txbx>{box}</wps:txbx></wps:wsp>'
            f'</w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox>{box}</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>')
    text = read_bytes(_docx_with_body(body), "report.docx")
    assert text.count("No vertebral fracture.") == 1 and text.startswith("Findings:")


def test_nested_table_is_read():
    inner = f'<w:tbl><w:tr><w:tc><w:p>{_run("No spinal cord compression.")}</w:p></w:tc></w:tr></w:tbl>'
    body = f'<w:tbl><w:tr><w:tc><w:p>{_run("C5-C6")}</w:p></w:tc><w:tc>{inner}<w:p/></w:tc></w:tr></w:tbl>'
    text = read_bytes(_docx_with_body(body), "report.docx")
    assert text == "C5-C6\tNo spinal cord compression."


def test_headers_footers_and_footnotes_are_read():
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "MRI lumbar spine"
    document.add_paragraph("Disc protrusion at L4-L5.")
    document.sections[0].footer.paragraphs[0].text = "Addendum: no cauda equina compression."
    buffer = io.BytesIO()
    document.save(buffer)
    data = _add_footnote(buffer.getvalue(), "No vertebral fracture.")
    lines = read_bytes(data, "report.docx").split("\n")
    assert lines[0] == "MRI lumbar spine"
    assert lines.index("Disc protrusion at L4-L5.") < lines.index("No vertebral fracture.")
    assert lines[-1] == "Addendum: no cauda equina compression."


def _add_footnote(data: bytes, text: str) -> bytes:
    footnotes = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {W}>'
                 f'<w:footnote w:id="1"><w:p>{_run(text)}</w:p></w:footnote></w:footnotes>')
    data = _replace_member(
        data, "[Content_Types].xml",
        lambda xml: xml.replace("</Types>", '<Override PartName="/word/footnotes.xml" ContentType='
                                '"application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>'),
    )
    data = _replace_member(
        data, "word/_rels/document.xml.rels",
        lambda xml: xml.replace("</Relationships>", '<Relationship Id="rIdFn" Type="http://schemas.openxmlformats.org/'
                                'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>'),
    )
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "a") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("word/footnotes.xml", footnotes)
    return out.getvalue()
