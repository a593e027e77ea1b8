"""The composed plan as the official .docx, through the Word template (docxtpl for the cover and signature)."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
from dataclasses import replace
from pathlib import Path
from typing import Callable

import jinja2
from docx.opc.pkgwriter import _ContentTypesItem
from docx.shared import Emu
from docxtpl import DocxTemplate
from jinja2.sandbox import ImmutableSandboxedEnvironment
from lxml import etree

from renstra_gen.content.attachments import Attachment
from renstra_gen.compose.renstra import Chapter, FigurePlan, Plan
from renstra_gen.errors import ContentError, ConversionError, Source, error
from renstra_gen.grid import CONTINUED, Grid, columns_of
from renstra_gen.narrative.document import Block, Heading, Para, Place
from renstra_gen.layout import page
from renstra_gen.layout.verifikasi import keep_name, nip_line

SIGNATURE_LEFT = 4535  # twips: the TandaTangan style's left indent in templates/renstra.docx and renja.docx
NORMAL_PT = 11  # the templates' body text size
from renstra_gen.numbers import tanggal
from renstra_gen.render import figures, metrics, oxml
from renstra_gen.render.fit import SLACK as metrics_slack
from renstra_gen.render.math import omml
from renstra_gen.render.package import CONTENT_TYPES, DOCUMENT_LEVEL, zip_parts
from renstra_gen.render.table import table_pieces
from renstra_gen.render.table_cache import table_pieces_kept

LIST_STEP = 454  # twips: list indentation per level (0.8 cm)


def render_docx(plan: Plan, template: Path, figures: dict[str, bytes], draft: str | None = None,
                cover: dict | None = None, title: str | None = None, filled: list[list[str]] | None = None,
                breaks: dict[int, list[int]] | None = None, repeated: dict | None = None) -> bytes:
    """Render the whole document to .docx bytes (not yet zip-normalised).

    `draft`: the footer line of a draft ("DRAFT — 28 November 2026"); with it every page also
    carries a diagonal DRAFT watermark. Without it the document has no draft marks at all.
    `cover`: extra values for the template's tags (the Renja's `tahun`); `title`: the document title.
    `filled`: the front-matter lists as LibreOffice filled them for this same document (`docx_to_pdf`
    with `lists=True`): their page numbers are written into the lists' field results, and Word is
    not asked to update the fields on opening. Without it the lists carry titles only and Word
    fills them when the document is opened.
    `breaks`: per table (its index among the document's tables) the body rows that start a page, as
    measured in a PDF of this document (a table not named: none; `{}`: no label repeated anywhere,
    as in a tracked-changes document); None: every table's breaks predicted. Merged labels and the
    parent rows of a tree of rows are repeated at the breaks (render/table.py); `repeated` receives,
    per table with merged body cells or a tree of rows, its grid and the body rows where they were repeated."""
    tpl = DocxTemplate(str(template))
    env = ImmutableSandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)
    ident = plan.identity
    context = {
        "judul": ident.judul,
        "perangkat_daerah": ident.perangkat_daerah,
        "daerah": ident.daerah,
        "periode": ident.periode,
        "kepala": ident.kepala,
        "penetapan": ident.penetapan,
        "tanggal_penetapan": tanggal(ident.penetapan.tanggal),
        **(cover or {}),
    }
    try:
        tpl.render(context, jinja_env=env)
    except jinja2.TemplateError as e:
        raise ContentError([error(Source(str(template)), f"templat Word tidak dapat diisi: {e}")]) from e
    doc = tpl.docx
    header_rid = _add_draft_marks(doc, draft) if draft else None
    template_xml = etree.tostring(doc.element, encoding="unicode")
    writer = _Writer(plan, doc, figures, title_page=draft is None)
    writer.breaks = breaks
    writer.repeated = repeated if repeated is not None else {}
    ba = plan.berita_acara
    ba_front = ba is not None and not ba.lampiran and bool(plan.verification)  # after the Halaman Verifikasi
    ba_lampiran = ba is not None and ba.lampiran
    has = {"DAFTAR_ISI": True, "DAFTAR_TABEL": bool(plan.tables), "DAFTAR_GAMBAR": bool(plan.figures),
           "DAFTAR_LAMPIRAN": bool(plan.lampiran or plan.attachments or ba_lampiran)}
    # the front matter as printed: [[DAFTAR_X]] sits under a heading of the template's own (always
    # printed); [[HALAMAN_DAFTAR_X]] is a whole page with its heading, printed only when the document has an X
    writer.front = ["KATA PENGANTAR"] if ">[[KATA_PENGANTAR]]<" in template_xml else []
    if plan.verification and ">[[HALAMAN_VERIFIKASI]]<" in template_xml:
        writer.front.append(plan.verification.title)
        if ba_front:
            writer.front.append(ba.title)
    for name in has:
        if f">[[{name}]]<" in template_xml or (f">[[HALAMAN_{name}]]<" in template_xml and has[name]):
            writer.front.append(name.replace("_", " "))
    lists = {  # name: (field instruction, entries)
        "DAFTAR_ISI": ('TOC \\o "1-3" \\h \\z \\u', writer.contents_entries()),
        "DAFTAR_TABEL": _caption_list("Judul Tabel", [g.title for g in plan.tables.values()]),
        "DAFTAR_GAMBAR": _caption_list("Judul Gambar", [f.title for f in plan.figures.values()]),
        "DAFTAR_LAMPIRAN": _caption_list("Judul Lampiran", [_lampiran_title(g) for g in plan.lampiran]
                                         + ([BA_LAMPIRAN] if ba_lampiran else [])
                                         + [a.caption for a in plan.attachments]),
    }
    spec = {f"[[{n}]]": n for n in lists} | {f"[[HALAMAN_{n}]]": n for n in lists if has[n]}
    present = sorted((m for m in spec if f">{m}<" in template_xml), key=lambda m: template_xml.find(f">{m}<"))
    pages = _list_pages({m: lists[spec[m]][1] for m in present}, filled) if filled is not None else {}
    generated = {f"[[HALAMAN_{n}]]": "" for n in lists}  # a page the document has nothing for
    for m in present:
        toc = oxml.toc_field(*lists[spec[m]], pages=pages.get(m), filled=filled is not None)
        generated[m] = writer.front_page(spec[m].replace("_", " "), toc) if m.startswith("[[HALAMAN_") else toc
    # the template's signature block follows the Kata Pengantar: its closing lines keep with it
    for marker, make in (("[[KATA_PENGANTAR]]", lambda: writer.blocks(plan.kata_pengantar, keep_end=True)),
                         ("[[HALAMAN_VERIFIKASI]]", lambda: writer.verification() + (
                             "".join(writer.berita_acara()) if ba_front else "")),
                         ("[[ISI]]", writer.body)):
        if f">{marker}<" in template_xml:
            generated[marker] = make()
    # the last section of the body: its properties live at the end of w:body
    final = re.search(r"<w:sectPr\b(?:(?!<w:sectPr\b).)*?</w:sectPr>\s*</w:body>", template_xml, re.S)
    xml = template_xml[:final.start()] + writer.current_sect_pr() + "</w:body>" + template_xml[final.end():]
    pieces = oxml.splice_markers(xml, generated)
    del generated, xml
    if header_rid:  # the watermark header on every section (our sectPr elements carry no attributes)
        sect = f'<w:sectPr><w:headerReference w:type="default" r:id="{header_rid}"/>'
        pieces = [p.replace("<w:sectPr>", sect) if isinstance(p, str) else p for p in pieces]  # a table holds no sectPr
    # at province scale each copy of the body is a hundred megabytes: encoded in slices as it is compressed
    head = b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    # the tables' pieces were checked when they were written (render/table_cache.py): the rest here
    oxml.check_well_formed(b"".join([head, *oxml.utf8([p for p in pieces if id(p) not in writer.checked])]))

    if filled is None:
        _ask_to_update_fields(doc.settings.element)
    core = doc.core_properties
    core.title = title or f"{ident.judul} {ident.perangkat_daerah.nama} {ident.periode.awal}-{ident.periode.akhir}"
    core.author = ident.perangkat_daerah.nama
    core.subject = core.title
    core.keywords = "Renstra; Perangkat Daerah; Permendagri 86/2017"
    core.last_modified_by = ident.perangkat_daerah.nama
    stamp = dt.datetime.combine(ident.penetapan.tanggal, dt.time(0, 0))
    core.created = core.modified = stamp
    core.revision = 1
    # the body is written as text: parsing tens of megabytes into lxml only to serialise it again
    # cost seconds and hundreds of megabytes at province scale
    parts = package_parts(doc)
    parts["word/document.xml"] = itertools.chain([head], oxml.utf8(pieces))  # compressed as encoded, never joined
    return zip_parts(parts.items(), level=DOCUMENT_LEVEL)


# the children of w:settings that CT_Settings (wml.xsd) places after w:updateFields; m:mathPr,
# sl:schemaLibrary and the extension elements (w14:, w15:) of other namespaces come after it too
_AFTER_UPDATE_FIELDS = {oxml.qn(f"w:{t}") for t in (
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "attachedSchema",
    "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures",
    "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType", "shapeDefaults",
    "doNotEmbedSmartTags", "decimalSymbol", "listSeparator")}


def _ask_to_update_fields(settings) -> None:
    """<w:updateFields w:val="true"/> in its place in the schema's sequence: Word refreshes the lists on opening."""
    if settings.find(oxml.qn("w:updateFields")) is not None:
        return
    el = etree.Element(oxml.qn("w:updateFields"))
    el.set(oxml.qn("w:val"), "true")
    after = next((c for c in settings if isinstance(c.tag, str) and
                  (c.tag in _AFTER_UPDATE_FIELDS or not c.tag.startswith(f"{{{oxml.W_NS}}}"))), None)
    if after is None:
        settings.append(el)
    else:
        after.addprevious(el)


def package_parts(doc) -> dict[str, bytes]:
    """What python-docx's `Document.save` writes, as {member name: bytes}, without zipping it twice."""
    package = doc.part.package
    parts = list(package.iter_parts())
    out = {CONTENT_TYPES: _ContentTypesItem.from_parts(parts).blob, "_rels/.rels": package.rels.xml}
    for part in parts:
        out[part.partname.membername] = part.blob
        if len(part.rels):
            out[part.partname.rels_uri.membername] = part.rels.xml
    return out


def _add_draft_marks(doc, label: str) -> str:
    """A DRAFT watermark header part and the draft line in the footer; returns the header's r:id
    (the caller references it from every section)."""
    first = doc.sections[0]
    first.header.is_linked_to_previous = False  # creates the header part and its relationship
    header = first.header._element
    for p in list(header):
        header.remove(p)
    header.append(etree.fromstring(oxml.watermark("DRAFT")))
    rid = first._sectPr.find(oxml.qn("w:headerReference")).get(oxml.qn("r:id"))
    # the footer part as saved: docxtpl replaces rendered header/footer parts behind python-docx's
    # cached view, so go through the relationship rather than `section.footer`
    footer_rid = first._sectPr.find(oxml.qn("w:footerReference")).get(oxml.qn("r:id"))
    footer = doc.part.rels[footer_rid].target_part._element
    footer.append(oxml.fragment(oxml.para(oxml.run(label, bold=True, size=9), align="center"))[0])
    return rid


def _caption_list(style: str, titles: list[str]) -> tuple[str, list[tuple[int, str]]]:
    return f'TOC \\h \\z \\t "{style},1"', [(1, t) for t in titles]


def _list_pages(lists: dict[str, list[tuple[int, str]]], filled: list[list[str]]) -> dict[str, list[str]]:
    """The page number of every entry of each list (in document order), from LibreOffice's filled
    lists ("title\tpage" per entry); the titles must be ours, in our order, or nothing is written."""
    def squash(s: str) -> str:
        return re.sub(r"\s+", "", s).casefold()

    if len(filled) != len(lists):
        raise ConversionError(f"LibreOffice mengisi {len(filled)} daftar, dokumen memuat {len(lists)}")
    pages = {}
    for (marker, entries), got in zip(lists.items(), filled):
        got = [e.rsplit("\t", 1) for e in got if "\t" in e]
        name = marker.strip("[]").replace("_", " ").title()
        if len(got) != len(entries):
            raise ConversionError(f"{name}: LibreOffice mengisi {len(got)} entri, dokumen memuat {len(entries)}")
        for (_, label), (title, _) in zip(entries, got):
            if squash(title) != squash(label):
                raise ConversionError(f"{name}: entri '{title.strip()}' dari LibreOffice, di dokumen '{label}'")
        pages[marker] = [page.strip() for _, page in got]
    return pages


BA_LAMPIRAN = "Berita Acara Verifikasi"  # its title in the Renja's Lampiran (and the Daftar Lampiran)


def render_berita_acara(plan: Plan, template: Path) -> bytes:
    """The Berita Acara Verifikasi (plan.berita_acara) as a document of its own: the template's
    styles, page and footer, its body replaced by the Berita Acara alone."""
    from docx import Document

    doc = Document(str(template))
    body = doc.element.body
    writer = _Writer(plan, doc, {}, title_page=False)  # reads the footers from the template's section
    for child in list(body):
        body.remove(child)
    pieces = writer.berita_acara(page_break=False) + [writer.current_sect_pr()]
    xml = etree.tostring(doc.element, encoding="unicode")
    head = b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    document = head + xml.replace("<w:body/>", "<w:body>" + "".join(pieces) + "</w:body>", 1).encode("utf-8")
    oxml.check_well_formed(document)
    ident = plan.identity
    core = doc.core_properties
    core.title = f"Berita Acara Verifikasi {ident.perangkat_daerah.nama}"
    core.author = core.last_modified_by = ident.perangkat_daerah.nama
    core.subject = core.title
    core.keywords = "Berita Acara Verifikasi"
    stamp = dt.datetime.combine(ident.penetapan.tanggal, dt.time(0, 0))
    core.created = core.modified = stamp
    core.revision = 1
    parts = package_parts(doc)
    parts["word/document.xml"] = document
    return zip_parts(parts.items(), level=DOCUMENT_LEVEL)


def _lampiran_title(g: Grid) -> str:
    return f"Lampiran {g.number}: {g.caption}"


class _Writer:
    """Writes blocks as XML text, keeping track of page orientation to open and close sections."""

    def __init__(self, plan: Plan, doc, pngs: dict[str, bytes], title_page: bool = True):
        self.plan = plan
        self.title_page = title_page
        self.doc = doc
        self.pngs = pngs
        self.paper = plan.identity.kertas
        self.section_paper = self.paper  # the paper of the section being written (a table may have its own)
        sect = doc.element.body.find(oxml.qn("w:sectPr"))
        self.footer_refs = "".join(
            f'<w:footerReference w:type="{el.get(oxml.qn("w:type"))}" r:id="{el.get(oxml.qn("r:id"))}"/>'
            for el in sect.findall(oxml.qn("w:footerReference")))
        self.landscape = False
        self.sections = 0  # body sections closed so far
        # the pieces already checked as XML (the tables'), by id; each held here, so that no id is reused by
        # another string while the document is made (a page joins a table's pieces into one string)
        self.checked: dict[int, str] = {}
        # drawing ids (wp:docPr/@id) must be unique in the document; python-docx numbers a new
        # picture from the template's ids alone, since the body is joined in later as text
        self.next_shape_id = doc.part.next_id
        self.front: list[str] = []  # titles of the front matter pages, in order (for the Daftar Isi)
        self.tables = 0  # tables written so far: a table's index in the document
        self.breaks: dict[int, list[int]] | None = None  # per table index: measured page breaks (render_docx)
        self.repeated: dict[int, tuple[Grid, list[int]]] = {}  # per table with merges or a tree of rows: (grid, rows repeated at)

    def _table(self, g: Grid, landscape: bool, encoded: bool = False) -> list:
        """The table's rows, its merged labels repeated at its page breaks (measured or predicted).
        `encoded`: as UTF-8 (render/table_cache.py), for pieces that only go into the package as they
        are (never joined into a page's string)."""
        n = self.tables
        self.tables += 1
        used: list[int] = []
        paper = self.section_paper
        height = page.text_block(paper, landscape)[1]
        breaks = self.breaks.get(n, []) if self.breaks is not None else None

        def make(grid: Grid, width: int, math) -> list[str]:
            return table_pieces(grid, width, math, page_height=height, breaks=breaks, used=used)

        # the pieces depend on the page height and the breaks too (where the labels are repeated), and
        # give the breaks used: both are part of the kept entry (render/table_cache.py)
        out = table_pieces_kept(g, page.text_width(paper, landscape), omml, str(self.plan.content.root), make,
                                self.checked, variant=f"{height}|{breaks}", side=used, encoded=encoded)
        if g.levels or any(c.rowspan > 1 for row in g.body for c in row):
            self.repeated[n] = (g, used)
        return out

    # -- sections
    def current_sect_pr(self) -> str:
        start = 1 if self.sections == 0 else None
        return oxml.sect_pr(self.section_paper, self.landscape, self.footer_refs, "decimal", start)

    def _switch(self, landscape: bool, paper: str | None = None) -> str:
        """A new section when the orientation or the paper changes. `paper`: a table's own paper; text
        goes back to the document's, except on landscape pages between two tables."""
        if paper is None:
            paper = self.section_paper if landscape and self.landscape else self.paper
        if landscape == self.landscape and paper == self.section_paper:
            return ""
        xml = oxml.para(oxml.run(""), sect_pr=self.current_sect_pr(), spacing_after=0)
        self.sections += 1
        self.landscape = landscape
        self.section_paper = paper
        return xml

    # -- front matter
    def front_page(self, title: str, content: str) -> str:
        return oxml.para(oxml.run(title), style="JudulDepan", page_break_before=True) + content

    def verification(self) -> str:
        """The Halaman Verifikasi on a page of its own: the sentence, the verifiers' grid, the head's signature."""
        v = self.plan.verification
        if v is None:
            return ""
        out = [self.front_page(v.title, oxml.para(oxml.run(v.sentence), align="both"))]
        out += self._table(v.grid, False)
        out.append(oxml.para(""))
        if v.kepala:
            k = v.kepala
            when = tanggal(v.date) if v.date else "......................"
            lines = [(f"{v.place} {when}", False, False), ("Mengetahui,", False, False), (k.jabatan, True, False),
                     ("", False, False), ("", False, False), ("", False, False), (keep_name(k.nama), True, True),
                     (k.pangkat or "", False, False), (nip_line(k.nip) if k.nip else "", False, False)]
            left = self._signature_left(k.nama)
            out += [oxml.para(oxml.run(t, bold=b, underline=u) if t else "", style="TandaTangan", left=left)
                    for t, b, u in lines]
        return "".join(out)

    @property
    def _ba_lampiran(self) -> bool:
        return self.plan.berita_acara is not None and self.plan.berita_acara.lampiran

    def berita_acara(self, page_break: bool = True) -> list[str]:
        """The Berita Acara Verifikasi: number, the opening sentence, the verifiers, the rounds with
        their notes, the outcome, the verifiers' signatures and the head of office's."""
        b = self.plan.berita_acara
        if b.lampiran:
            out = [oxml.para(oxml.run(BA_LAMPIRAN), style="JudulLampiran", page_break_before=page_break)]
        else:
            out = [oxml.para(oxml.run(b.title), style="JudulDepan", page_break_before=page_break)]
        out.append(oxml.para(oxml.run(b.number), align="center"))
        out.append(oxml.para(oxml.run(b.opening), align="both"))
        out += self._table(b.people, False)
        out.append(oxml.para(""))
        out.append(oxml.para(oxml.run(b.rounds_intro), align="both", keep_next=True))
        out += self._table(b.rounds, False)
        out.append(oxml.para(""))
        out.append(oxml.para(oxml.run(b.outcome), align="both"))
        out.append(oxml.para(oxml.run(b.closing), align="both"))
        out.append(oxml.para(oxml.run(b.place_date), align="right", keep_next=True))
        out.append(oxml.para(oxml.run("Verifikator,", bold=True), keep_next=True))
        out += self._table(b.signatures, False)
        out.append(oxml.para(""))
        if b.kepala:
            k = b.kepala
            lines = [("Mengetahui,", False, False), (k.jabatan, True, False), ("", False, False),
                     ("", False, False), ("", False, False), (keep_name(k.nama), True, True),
                     (k.pangkat or "", False, False), (nip_line(k.nip) if k.nip else "", False, False)]
            left = self._signature_left(k.nama)
            out += [oxml.para(oxml.run(t, bold=bold, underline=u) if t else "", style="TandaTangan", left=left,
                              keep_next=False if i == len(lines) - 1 else None)
                    for i, (t, bold, u) in enumerate(lines)]
        return out

    def contents_entries(self) -> list[tuple[int, str]]:
        entries = [(1, t) for t in self.front]
        for ch in self.plan.chapters:
            entries.append((1, f"{ch.label} {ch.title}"))
            entries += [(b.level, f"{b.number} {b.text}") for b in ch.blocks if isinstance(b, Heading)]
        if self.plan.lampiran or self.plan.attachments or self._ba_lampiran:
            entries.append((1, "LAMPIRAN"))
        return entries

    # -- body
    # The body is built as a flat list of pieces (paragraphs, table rows), never joined into one
    # string: see oxml.splice_markers.
    def body(self) -> list[str]:
        front_end = oxml.para(oxml.run(""), sect_pr=oxml.sect_pr(
            self.paper, False, self.footer_refs, "lowerRoman", 1, title_page=self.title_page), spacing_after=0)
        parts = [front_end]
        for i, ch in enumerate(self.plan.chapters):
            # the last chapter's closing lines keep with the signature block after it
            parts += self.chapter(ch, keep_end=i == len(self.plan.chapters) - 1)
        parts.append(self.closing())
        if self.plan.lampiran or self.plan.attachments or self._ba_lampiran:
            parts.append(self._switch(False))
            parts.append(oxml.para(oxml.run("LAMPIRAN"), style="Heading1"))
            for g in self.plan.lampiran:
                parts.append(self._switch(g.landscape, g.paper))
                parts += self.table(g, caption=_lampiran_title(g), style="JudulLampiran")
            parts.append(self._switch(False))
            if self._ba_lampiran:  # the Berita Acara Verifikasi before the attached documents
                parts += self.berita_acara(page_break=bool(self.plan.lampiran))
            for i, a in enumerate(self.plan.attachments):
                parts += self.cover(a, new_page=bool(self.plan.lampiran) or self._ba_lampiran or i > 0)
        parts.append(self._switch(False))
        return parts

    def cover(self, a: Attachment, new_page: bool) -> list[str]:
        """The cover page of an attached document: its Lampiran caption, number, date and subject,
        and where the document itself is (render.attachments puts its pages after this one)."""
        out = [oxml.para(oxml.run(a.caption), style="JudulLampiran", page_break_before=new_page)]
        fields = [("Nomor", a.nomor), ("Tanggal", tanggal(a.tanggal) if a.tanggal else None), ("Tentang", a.tentang)]
        for label, value in fields:
            if value:
                out.append(oxml.para(oxml.run(f"{label}\t: {value}"), style="Daftar", align="left", left=1701, hanging=1701))
        note = "dokumen terlampir pada halaman berikut" if a.file else "dokumen asli disisipkan setelah halaman ini"
        out.append(oxml.para(oxml.run(f"({note})", italic=True), style="Paragraf", align="center"))
        return out

    def chapter(self, ch: Chapter, keep_end: bool = False) -> list[str]:
        out = [self._switch(False)]
        out.append(oxml.para(oxml.run(f"{ch.label} \n{ch.title}"), style="Heading1"))
        out += self.blocks(ch.blocks, keep_end)
        return out

    def blocks(self, blocks: list[Block], keep_end: bool = False) -> list[str]:
        """`keep_end`: the last paragraph keeps with what follows (a signature block).

        Whatever happens, a list lead-in ("... sebagai berikut:") keeps with its list, and the
        last two paragraphs before a table, a figure or the end stay together, so that a page
        never holds a single spilled line."""
        out = []
        keep = _kept_paragraphs(blocks, keep_end)
        wide = _text_between_wide(blocks, self._is_landscape)
        for i, b in enumerate(blocks):
            if isinstance(b, Heading):
                indent = 567 if b.level == 2 else 794
                out.append(self._switch(i in wide))
                out.append(oxml.para(oxml.run(f"{b.number} \t{b.text}"), style=f"Heading{b.level}",
                                     left=indent, hanging=indent))
            elif isinstance(b, Para):
                out.append(self._switch(i in wide))
                out.append(self.paragraph(b, i in keep))
            elif isinstance(b, Place):
                if b.kind == "tabel":
                    g = self.plan.tables[b.key]
                    out.append(self._switch(g.landscape, g.paper))
                    out += self.table(g, keep_end=keep_end and i == len(blocks) - 1)
                else:
                    # a figure printed as several parts (a pohon kinerja per tujuan): each on its own page
                    for n, f in enumerate(f for f in self.plan.figures.values() if f.key == b.key):
                        out.append(self._switch(f.landscape))
                        out.append(self.figure(f, page_break=n > 0))
        return out

    def _is_landscape(self, b: Place, last: bool) -> bool:
        """Whether a placed table or figure prints landscape (a figure in parts: its first or last part)."""
        if b.kind == "tabel":
            return self.plan.tables[b.key].landscape
        parts = [f for f in self.plan.figures.values() if f.key == b.key]
        return bool(parts) and (parts[-1] if last else parts[0]).landscape

    def paragraph(self, p: Para, keep: bool = False) -> str:
        runs = "".join(oxml.run(r.text, r.bold, r.italic) for r in p.runs)
        keep_next = True if keep else None
        if p.kind == "runin":
            left = p.level * LIST_STEP if p.level else None
            return oxml.para(runs, style="Subjudul", left=left)
        if p.level == 0:
            return oxml.para(runs, style="Paragraf", keep_next=keep_next)
        left = p.level * LIST_STEP
        if p.marker:
            return oxml.para(oxml.run(p.marker + "\t") + runs, style="Daftar", left=left, hanging=LIST_STEP,
                             keep_next=keep_next)
        return oxml.para(runs, style="Daftar", left=left, keep_next=keep_next)

    def table(self, g: Grid, caption: str | None = None, style: str = "JudulTabel", keep_end: bool = False) -> list[str]:
        out = [oxml.para(oxml.run(caption or g.title), style=style)]
        out += [oxml.para(oxml.run(line), style="Daftar", keep_next=True, spacing_after=0) for line in g.preamble]
        if g.parts:
            # the columns split over tables (a matrix's years, `pisah_tahun`): each further one on a new
            # page under "<title> (lanjutan)", in no caption style (the Daftar Tabel lists the table once)
            for i, columns in enumerate(g.parts):
                if i:
                    out.append(oxml.para(oxml.run(f"{caption or g.title}{CONTINUED}", bold=True), align="center",
                                         keep_next=True, page_break_before=True))
                # a key of its own: the kept pieces of one part do not replace the other's (render/table_cache.py)
                out += self._table(replace(columns_of(g, columns), key=f"{g.key}-{i + 1}"), g.landscape, encoded=True)
        else:
            out += self._table(g, g.landscape, encoded=True)
        # a paragraph after every table: the source line, or an empty one (LibreOffice needs it)
        out.append(oxml.para(oxml.run(f"Sumber: {g.source}") if g.source else "", style="Sumber",
                             keep_next=True if keep_end else None))
        return out

    def figure(self, f: FigurePlan, page_break: bool = False) -> str:
        png = self.pngs[f.drawing or f.key]
        natural = int.from_bytes(png[16:20], "big") * 914400 // figures.DPI  # PNG IHDR width -> EMU
        width = min(natural, page.text_width(self.paper, f.landscape) * 635)  # twips -> EMU
        inline = self.doc.part.new_pic_inline(io.BytesIO(png), Emu(width), None)
        inline.docPr.id = self.next_shape_id
        inline.docPr.name = f"Picture {self.next_shape_id}"
        self.next_shape_id += 1
        drawing = f"<w:r><w:drawing>{etree.tostring(inline, encoding='unicode')}</w:drawing></w:r>"
        out = [oxml.para(drawing, style="Gambar", page_break_before=page_break),
               oxml.para(oxml.run(f.title), style="JudulGambar")]
        if f.source:
            out.append(oxml.para(oxml.run(f"Sumber: {f.source}"), style="Sumber", align="center"))
        return "".join(out)

    def closing(self) -> str:
        ident = self.plan.identity
        k = ident.kepala
        lines = [
            ("", False, False),
            (f"Ditetapkan di {ident.penetapan.tempat}", False, False),
            (f"Pada tanggal {tanggal(ident.penetapan.tanggal)}", False, False),
            (k.jabatan, True, False),
            ("", False, False), ("", False, False), ("", False, False),
            (keep_name(k.nama), True, True),
            (k.pangkat or "", False, False),
            (nip_line(k.nip) if k.nip else "", False, False),
        ]
        # the style keeps each line with the next; the block's last line ends the chain
        left = self._signature_left(k.nama)
        return self._switch(False) + "".join(
            oxml.para(oxml.run(t, bold=b, underline=u) if t else "", style="TandaTangan", left=left,
                      keep_next=False if i == len(lines) - 1 else None) for i, (t, b, u) in enumerate(lines))

    def _signature_left(self, nama: str) -> int | None:
        """The left indent of a signature block whose name (bold, with its degrees) is wider than the
        block the TandaTangan style leaves (from SIGNATURE_LEFT to the right margin): the block widens
        to the left so that the underlined name stays on one line; None keeps the style's indent."""
        need = metrics.measure(True).line(keep_name(nama)) * NORMAL_PT * 20 * metrics_slack + 60
        width = page.text_width(self.paper, False)
        if width - SIGNATURE_LEFT >= need:
            return None
        return max(0, int(width - need))


#: characters of text between two landscape tables or figures that stay on a landscape page
SHORT_TEXT = 600


def _text_between_wide(blocks: list[Block], landscape: Callable[[Place, bool], bool]) -> set[int]:
    """Indexes of the headings and paragraphs printed on landscape pages: a short run of them
    between two landscape tables or figures. In a portrait section of its own such a run would
    fill a page with a line or two and leave the rest empty."""
    out: set[int] = set()
    i = 0
    while i < len(blocks):
        if isinstance(blocks[i], Place):
            i += 1
            continue
        start = i
        while i < len(blocks) and not isinstance(blocks[i], Place):
            i += 1
        if start == 0 or i == len(blocks):
            continue
        text = sum(len(b.text) for b in blocks[start:i])
        if text <= SHORT_TEXT and landscape(blocks[start - 1], True) and landscape(blocks[i], False):
            out.update(range(start, i))
    return out


def _kept_paragraphs(blocks: list[Block], keep_end: bool) -> set[int]:
    """Indexes of the paragraphs that keep with the next block (see `_Writer.blocks`)."""
    keep = set()
    for i, b in enumerate(blocks):
        if not isinstance(b, Para):
            continue
        after = blocks[i + 1] if i + 1 < len(blocks) else None
        if after is not None and b.text.rstrip().endswith(":"):
            keep.add(i)  # a lead-in with its list (or table)
        # the second-to-last paragraph of a run of paragraphs keeps with the last one
        if isinstance(after, Para) and not (i + 2 < len(blocks) and isinstance(blocks[i + 2], Para)):
            keep.add(i)
    if keep_end and blocks and isinstance(blocks[-1], Para):
        keep.add(len(blocks) - 1)
    return keep
