"""`renstra init`: a complete starter content set for a new Renstra, from templates/init/ and the nomenclature.

The files are the templates with the office's identity filled in; the program tree (T-C.27) holds
every program, kegiatan and sub kegiatan (kabupaten/kota) of the chosen bidang urusan plus the
Penunjang program of the first one, with the sub kegiatan's indikator and satuan; targets and
pagu are left empty. Text the planner must replace is marked `[PANDUAN: ...]`, which `renstra
check` and `renstra build` report line by line. An existing folder is never written into.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jinja2

from renstra_gen.content import nomenklatur as nk
from renstra_gen.errors import RenstraError

INIT_TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "init"
_PERIODE = re.compile(r"^(\d{4})\s*[-–]\s*(\d{4})$")


class InitError(RenstraError):
    """The starter content set cannot be made (folder exists, unknown bidang, bad period)."""


def _q(value) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(str(value), ensure_ascii=False)


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


def program_tree(bidang: list[str], nom: nk.Nomenklatur) -> tuple[str, list[str]]:
    """The `program:` list of T-C.27 as YAML lines, and the program names (for T-C.24)."""
    programs: list[nk.Entry] = []
    for i, b in enumerate(bidang):
        for p in nom.children(b):
            if p.level != "program":
                continue
            if p.kode.endswith(".01") and i > 0:
                continue  # one Penunjang program: the first bidang's
            if not any(k.kode.split(".")[3] == "2" for k in nom.children(p.kode)):
                continue  # no kabupaten/kota kegiatan (special-autonomy programs only)
            programs.append(p)
    lines: list[str] = []
    for p in programs:
        lines += [f"  - kode: {_q(p.kode)}", f"    nama: {_q(p.nama)}", "    sasaran: sasaran-1",
                  "    indikator: null", "    target: {}", "    kegiatan:"]
        kegiatan = [k for k in nom.children(p.kode) if k.kode.split(".")[3] == "2"]  # kabupaten/kota
        if not kegiatan:
            lines[-1] = "    kegiatan: []"
        for k in kegiatan:
            lines += [f"      - kode: {_q(k.kode)}", f"        nama: {_q(k.nama)}", "        indikator: null",
                      "        target: {}", "        sub_kegiatan:"]
            subs = nom.children(k.kode)
            if not subs:
                lines[-1] = "        sub_kegiatan: []"
            for s in subs:
                indikator = f"{s.indikator} ({s.satuan})" if s.indikator and s.satuan else (s.indikator or None)
                lines += [f"          - kode: {_q(s.kode)}", f"            nama: {_q(s.nama)}",
                          f"            indikator: {_q(indikator) if indikator else 'null'}",
                          "            target: {}", "            pagu: {}"]
    return "\n".join(lines), [p.nama for p in programs]


def normalise_bidang(code: str) -> str:
    """A bidang urusan code as the nomenclature writes it: '1.2' and '1.02.' are 1.02."""
    code = code.strip().rstrip(".")
    match = re.fullmatch(r"(\d)\s*\.\s*(\d{1,2})", code)
    return f"{match.group(1)}.{int(match.group(2)):02d}" if match else code


def unknown_bidang(code: str, nom: nk.Nomenklatur) -> str:
    """The refusal of an unknown bidang: the codes that come near (by code or by name), else every
    bidang urusan, each with its name."""
    bidang = [e for e in nom.entries.values() if e.level == "bidang_urusan"]
    words = nk.normalise_name(code).split()
    near = [e for e in bidang if words and not code[:1].isdigit() and set(words) <= set(nk.normalise_name(e.nama).split())]
    near = near or [e for e in bidang if code[:1].isdigit() and e.kode.startswith(code.split(".")[0] + ".")]
    listed = near or bidang
    lines = "\n".join(f"  {e.kode}  {e.nama}" for e in listed)
    what = "yang mirip" if near else "yang ada"
    return (f"bidang urusan '{code}' tidak ada dalam nomenklatur {nom.version} (contoh yang benar: --bidang 1.02). "
            f"Bidang urusan {what}:\n{lines}")


def initials(name: str) -> str:
    """'Dinas Pemberdayaan Perempuan dan Perlindungan Anak' -> 'DPPPA' (capitalised words only)."""
    return "".join(w[0] for w in name.split() if w[:1].isupper()) or name


def init(folder: Path, bidang: list[str], perangkat_daerah: str, daerah: str, periode: str,
         version: str = nk.CURRENT, singkatan: str | None = None) -> list[Path]:
    """Write the starter content set into `folder` (which must not exist); returns the files written."""
    folder = Path(folder)
    if folder.exists():
        raise InitError(f"{folder} sudah ada; init tidak pernah menimpa folder yang ada (pilih folder baru)")
    match = _PERIODE.match(periode.strip())
    if not match or int(match.group(2)) <= int(match.group(1)):
        raise InitError(f"periode '{periode}' tidak sah (contoh: 2025-2029)")
    awal, akhir = int(match.group(1)), int(match.group(2))
    office = None  # (file inside the new folder, its bytes) of an office's own version
    if version in nk.VERSIONS:
        nom = nk.load(version)
    else:  # a stored office version (nomenklatur/<nama>.tsv.gz of another content folder): copied in
        from renstra_gen.content import nomenklatur_kantor as kantor


        if not Path(version).is_file():
            raise InitError(f"nomenklatur '{version}' tidak dikenal: pakai {', '.join(nk.VERSIONS)} atau berkas "
                            f"nomenklatur kantor (.tsv.gz) dari `renstra nomenklatur impor`")
        version, nom, data = kantor.from_file(Path(version))
        office = (kantor.relative_file(version), data)
    bidang = list(dict.fromkeys(normalise_bidang(b) for b in bidang))
    if not bidang:
        raise InitError("sebutkan sedikitnya satu --bidang (contoh: --bidang 1.06)")
    for b in bidang:
        entry = nom.get(b)
        if entry is None or entry.level != "bidang_urusan":
            raise InitError(unknown_bidang(b, nom))
    tree, programs = program_tree(bidang, nom)
    name, region = " ".join(perangkat_daerah.split()), " ".join(daerah.split())
    short = " ".join((singkatan or initials(name)).split())
    if region.casefold() not in name.casefold():
        name = f"{name} {region}"  # "Dinas Sosial" of "Kabupaten Contoh": "Dinas Sosial Kabupaten Contoh"
    values = {
        "slug": slugify(f"renstra {name} {awal} {akhir}"),
        "perangkat_daerah": name,
        "singkatan": short,
        "daerah": region,
        "awal": awal,
        "akhir": akhir,
        "bidang": bidang,
        "nomenklatur": version,
        "programs": programs,
        "program_yaml": tree,
    }
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(INIT_TEMPLATES)), undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True, autoescape=False)
    env.filters["q"] = _q
    outputs: dict[Path, bytes] = {}
    for path in sorted(INIT_TEMPLATES.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(INIT_TEMPLATES).as_posix()
        if path.suffix == ".yaml":  # identity and tables filled in now; Markdown keeps its own {{ ... }}
            text = env.get_template(rel).render(values)
        else:
            text = path.read_text(encoding="utf-8")
        outputs[folder / rel] = text.encode("utf-8")
    if version != nk.CURRENT:
        key = folder / "renstra.yaml"
        outputs[key] = outputs[key].replace(b'nomenklatur: "1317"', f'nomenklatur: "{version}"'.encode())
    if office is not None:
        outputs[folder / office[0]] = office[1]
    from renstra_gen.system.atomic import write_atomically

    folder.mkdir(parents=True)
    try:
        return write_atomically(outputs)
    except Exception:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
        raise
