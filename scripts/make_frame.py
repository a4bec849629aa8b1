"""Build doc_templates/frame.docx: the Word frame every DOCX document is rendered into.

The frame holds what the body does not: page size and margins, named styles with East Asian
fonts, the running header (number and title; letterhead, then annex, contract number and
version; a rule below, as in the PDF) and the page footer with PAGE and NUMPAGES fields.
docxtpl fills its ``{{ ... }}`` placeholders; the renderer puts the body in place of the
paragraph whose text is ``[[docflow-body]]``.

It keeps only the styles the renderer uses, bullets that are real characters (•, ◦, ▪ in
Times New Roman, not the Symbol font's private-use code), no automatic spacing between CJK
and Latin text (the PDF has none either), a minimal app.xml and no leftover parts of
python-docx's template (customXml, stylesWithEffects).

Run: .venv/bin/python scripts/make_frame.py [OUT]
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import BaseStyle
from docx.text.paragraph import Paragraph

BODY_MARKER = "[[docflow-body]]"
LABEL_STYLE = "Annex Label"
# Style ids the renderer uses (and what they are based on, added by prune_styles).
USED_STYLES = {
    "Normal",
    "DefaultParagraphFont",
    "TableNormal",
    "NoList",
    "TableGrid",
    "Heading1",
    "Heading2",
    "Heading3",
    "ListBullet",
    "ListBullet2",
    "ListBullet3",
    "ListNumber",
    "ListNumber2",
    "ListNumber3",
    "Header",
    "Footer",
    "TableText",
    "TableHeading",
    "AnnexLabel",
}
BULLETS = {"ListBullet": "\u2022", "ListBullet2": "\u25e6", "ListBullet3": "\u25aa"}
APP_XML = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
    ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>docflow</Application><DocSecurity>0</DocSecurity>"
    "<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>"
    "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>"
)
SERIF = ("Times New Roman", "SimSun")  # Latin, East Asian
SANS = ("Arial", "SimHei")
# Names fontconfig and LibreOffice can find when the Windows fonts are missing, and the
# other way round for the Noto faces that kept tokens name (see render/docxbody.py).
ALT_NAMES = {
    "SimSun": ("Noto Serif CJK SC", "roman"),
    "SimHei": ("Noto Sans CJK SC", "swiss"),
    "Noto Serif CJK SC": ("SimSun", "roman"),
    "Noto Sans CJK SC": ("SimHei", "swiss"),
}
FIXED_DATE = (1980, 1, 1, 0, 0, 0)


def set_fonts(rpr_owner: BaseStyle, fonts: tuple[str, str]) -> None:
    """Replace a style's rFonts (theme fonts included) with a Latin and an East Asian font."""
    rpr = rpr_owner.element.get_or_add_rPr()
    for old in rpr.findall(qn("w:rFonts")):
        rpr.remove(old)
    rfonts = OxmlElement("w:rFonts")
    latin, east_asian = fonts
    for attr, value in (("ascii", latin), ("hAnsi", latin), ("cs", latin)):
        rfonts.set(qn(f"w:{attr}"), value)
    rfonts.set(qn("w:eastAsia"), east_asian)
    rpr.insert(0, rfonts)


def style_paragraphs(document: DocxDocument) -> None:
    """Normal, headings, list and table text styles: sizes of Chinese official documents."""
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for old in rpr.findall(qn("w:lang")) + rpr.findall(qn("w:rFonts")):
        rpr.remove(old)
    rfonts = OxmlElement("w:rFonts")
    for attr, value in (("ascii", SERIF[0]), ("hAnsi", SERIF[0]), ("eastAsia", SERIF[1])):
        rfonts.set(qn(f"w:{attr}"), value)
    rpr.insert(0, rfonts)
    lang = OxmlElement("w:lang")
    # Latin text is English (codes, names, e-mail addresses) even in a Chinese document:
    # tagged Chinese, LibreOffice breaks it anywhere. The renderer sets en-GB for English.
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)
    normal = styles["Normal"]
    set_fonts(normal, SERIF)
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.25
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY  # the renderer: left for zh
    no_autospace(normal)
    for level, size, align in ((1, 18, WD_ALIGN_PARAGRAPH.CENTER), (2, 13, None), (3, 11, None)):
        heading = styles[f"Heading {level}"]
        set_fonts(heading, SANS)
        heading.font.size = Pt(size)
        heading.font.bold = True
        heading.font.italic = False
        heading.font.color.rgb = RGBColor(0, 0, 0)
        heading.paragraph_format.alignment = align
        heading.paragraph_format.space_before = Pt(12 if level > 1 else 0)
        heading.paragraph_format.space_after = Pt(6 if level < 3 else 3)
        heading.paragraph_format.keep_with_next = True
        no_hyphens(heading)
    for name in (
        "List Bullet",
        "List Bullet 2",
        "List Bullet 3",
        "List Number",
        "List Number 2",
        "List Number 3",
    ):
        styles[name].paragraph_format.space_after = Pt(2)
        styles[name].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
        no_hyphens(styles[name])
    label = styles.add_style(LABEL_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    label.base_style = normal
    label.font.bold = True
    label.paragraph_format.keep_with_next = True
    table_text = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = normal
    table_text.font.size = Pt(9.5)
    table_text.paragraph_format.space_after = Pt(0)
    table_text.paragraph_format.line_spacing = 1.1
    table_text.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    no_hyphens(table_text)  # column widths fit the longest word, as in the PDF
    table_heading = styles.add_style("Table Heading", WD_STYLE_TYPE.PARAGRAPH)
    table_heading.base_style = table_text
    set_fonts(table_heading, SANS)
    table_heading.font.bold = True
    for name in ("Header", "Footer"):
        style = styles[name] if name in styles else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        ppr = style.element.get_or_add_pPr()
        for tabs in ppr.findall(qn("w:tabs")):  # the default template's 4680/9360 stops
            ppr.remove(tabs)
        style.base_style = normal
        style.font.size = Pt(8.5)
        style.font.color.rgb = RGBColor(0x44, 0x44, 0x44)
        style.paragraph_format.space_after = Pt(0)


def no_autospace(style: BaseStyle) -> None:
    """No automatic gap between CJK and Latin text or digits (the PDF has none either).

    On the style, not in docDefaults, which LibreOffice does not read for this.
    """
    ppr = style.element.get_or_add_pPr()
    anchor = next(
        (
            ppr.find(qn(t))
            for t in ("w:bidi", "w:spacing", "w:ind", "w:jc")
            if ppr.find(qn(t)) is not None
        ),
        None,
    )
    for name in ("w:autoSpaceDE", "w:autoSpaceDN"):
        flag = OxmlElement(name)
        flag.set(qn("w:val"), "0")
        if anchor is not None:
            anchor.addprevious(flag)
        else:
            ppr.append(flag)


def no_hyphens(style: BaseStyle) -> None:
    """Never hyphenate the style's paragraphs (English body text is hyphenated)."""
    ppr = style.element.get_or_add_pPr()
    if ppr.find(qn("w:suppressAutoHyphens")) is None:
        flag = OxmlElement("w:suppressAutoHyphens")
        # schema order: after keepNext/keepLines/numPr/pBdr/tabs, before spacing and jc
        later = [
            ppr.find(qn(tag))
            for tag in ("w:kinsoku", "w:autoSpaceDE", "w:spacing", "w:ind", "w:jc", "w:outlineLvl")
        ]
        anchor = next((node for node in later if node is not None), None)
        if anchor is not None:
            anchor.addprevious(flag)
        else:
            ppr.append(flag)


def prune_styles(document: DocxDocument) -> None:
    """Keep the styles the renderer uses (and those they are based on); drop latent styles."""
    root = document.styles.element
    by_id = {node.get(qn("w:styleId")): node for node in root.findall(qn("w:style"))}
    keep = set()
    todo = [sid for sid in USED_STYLES if sid in by_id]
    while todo:
        sid = todo.pop()
        if sid in keep:
            continue
        keep.add(sid)
        based = by_id[sid].find(qn("w:basedOn"))
        if based is not None:
            todo.append(based.get(qn("w:val")))
    for sid, node in by_id.items():
        if sid not in keep:
            root.remove(node)
            continue
        for tag in ("w:link", "w:next", "w:rsid"):
            for ref in node.findall(qn(tag)):
                if tag == "w:rsid" or ref.get(qn("w:val")) not in keep:
                    node.remove(ref)
    for latent in root.findall(qn("w:latentStyles")):
        root.remove(latent)


def real_bullets(document: DocxDocument) -> None:
    """Bullet levels print •, ◦ or ▪ in Times New Roman instead of Symbol's private code."""
    numbering = document.part.numbering_part.element
    for level in numbering.iter(qn("w:lvl")):
        fmt = level.find(qn("w:numFmt"))
        if fmt is None or fmt.get(qn("w:val")) != "bullet":
            continue
        style = level.find(qn("w:pStyle"))
        char = BULLETS.get(style.get(qn("w:val")) if style is not None else "", "\u2022")
        level.find(qn("w:lvlText")).set(qn("w:val"), char)
        rpr = level.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            level.append(rpr)
        for old in rpr.findall(qn("w:rFonts")):
            rpr.remove(old)
        fonts = OxmlElement("w:rFonts")
        for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
            fonts.set(qn(f"w:{attr}"), SERIF[0])
        fonts.set(qn("w:hint"), "default")
        rpr.insert(0, fonts)


def add_field(paragraph: Paragraph, instruction: str) -> None:
    """A complex field (PAGE, NUMPAGES) with a placeholder result Word updates."""
    run = paragraph.add_run()
    for kind, text in (
        ("begin", None),
        ("instr", instruction),
        ("separate", None),
        ("text", "1"),
        ("end", None),
    ):
        if kind == "instr":
            node = OxmlElement("w:instrText")
            node.set(qn("xml:space"), "preserve")
            node.text = f" {text} "
        elif kind == "text":
            node = OxmlElement("w:t")
            node.text = text
        else:
            node = OxmlElement("w:fldChar")
            node.set(qn("w:fldCharType"), kind)
        run._r.append(node)


def page_frame(document: DocxDocument) -> None:
    """A4, binding margin left, header and footer."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(25), Mm(22)
    section.left_margin, section.right_margin = Mm(30), Mm(20)
    section.header_distance, section.footer_distance = Mm(12), Mm(10)
    text_width = section.page_width - section.left_margin - section.right_margin

    # Two lines as in the PDF: number and title on the right; the letterhead on the left of
    # the second line, with annex, contract number and version on the right.
    header = section.header.paragraphs[0]
    header.style = document.styles["Header"]
    header.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
    header.add_run("\t")
    header.add_run("{{ head.title }}")
    header.add_run().add_break()
    header.add_run("{{ letterhead }}")
    header.add_run("\t")
    header.add_run("{{ head.detail }}")
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for attr, value in (("val", "single"), ("sz", "4"), ("space", "1"), ("color", "888888")):
        bottom.set(qn(f"w:{attr}"), value)
    border.append(bottom)
    # schema order: pBdr comes before tabs
    header._p.get_or_add_pPr().find(qn("w:tabs")).addprevious(border)

    footer = section.footer.paragraphs[0]
    footer.style = document.styles["Footer"]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("{{ page.before }}")
    add_field(footer, "PAGE")
    footer.add_run("{{ page.middle }}")
    add_field(footer, "NUMPAGES")
    footer.add_run("{{ page.after }}")


def font_table(document: DocxDocument) -> None:
    """Declare the East Asian fonts with the Noto CJK names as alternatives."""
    from lxml import etree

    part = document.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable"
    )
    fonts = etree.fromstring(part.blob)
    for name, (alt, family) in ALT_NAMES.items():
        font = etree.SubElement(fonts, qn("w:font"))
        font.set(qn("w:name"), name)
        etree.SubElement(font, qn("w:altName")).set(qn("w:val"), alt)
        etree.SubElement(font, qn("w:charset")).set(qn("w:val"), "86")  # GB2312
        etree.SubElement(font, qn("w:family")).set(qn("w:val"), family)
    part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)


def clean_package(document: DocxDocument) -> None:
    """Drop what would make output vary or mislead: thumbnail, rsids, generator text, the
    template's bibliography part and stale style copy; write a minimal app.xml."""
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rel_id]
        elif rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = APP_XML.encode("utf-8")
    stale = (
        RT.CUSTOM_XML,
        "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
    )
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype in stale:
            del document.part.rels[rel_id]
    settings = document.settings.element
    for tag in ("w:rsids", "w:savePreviewPicture"):
        for node in settings.findall(qn(tag)):
            settings.remove(node)
    # justified lines that end in a manual line break must not be stretched
    compat = settings.find(qn("w:compat"))
    compat.insert(0, OxmlElement("w:doNotExpandShiftReturn"))
    # theme fonts of East Asian text are Chinese (python-docx's template says Japanese)
    for lang in settings.findall(qn("w:themeFontLang")):
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")
    props = document.core_properties
    props.author = ""
    props.comments = ""
    props.title = ""


def build() -> bytes:
    """The frame as bytes, with fixed zip timestamps."""
    document = Document()
    style_paragraphs(document)
    prune_styles(document)
    real_bullets(document)
    page_frame(document)
    font_table(document)
    clean_package(document)
    document.add_paragraph(BODY_MARKER)
    raw = io.BytesIO()
    document.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dest:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, FIXED_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            dest.writestr(entry, source.read(info.filename))
    return out.getvalue()


def main() -> None:
    """Write the frame to the path given, or to doc_templates/frame.docx."""
    root = Path(__file__).resolve().parents[1]
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else root / "doc_templates" / "frame.docx"
    target.write_bytes(build())
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
