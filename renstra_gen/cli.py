"""Command line: thin commands that call one library function each and print one line per result."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from renstra_gen.cli_text import install as _indonesian_click
from renstra_gen.errors import ContentError, PrintProofError, RenstraError, printable

_indonesian_click()

DEFAULT_CONTENT = Path("content")
DEFAULT_OUT = Path("build")


def content_option(help_text: str = "Folder konten."):
    return click.option("--content", "content_dir", type=click.Path(path_type=Path), default=DEFAULT_CONTENT,
                        show_default=True, help=help_text)


templates_option = click.option("--templates", "templates", type=click.Path(path_type=Path, file_okay=False),
                                default=None, help="Folder templat Word/Excel sendiri (bawaan: templates/ proyek).")

out_option = click.option("--out", "out_dir", type=click.Path(path_type=Path), default=DEFAULT_OUT,
                          show_default=True, help="Folder keluaran.")


def _print_findings(findings) -> None:
    for f in findings:
        click.echo(str(f), err=True)


def _with_content(command: str, content_dir: Path) -> str:
    """A command to suggest, with the user's own --content (left out when it is the default)."""
    if Path(content_dir) == DEFAULT_CONTENT:
        return command
    import shlex

    return f"{command} --content {shlex.quote(str(content_dir))}"


def _report_warnings(findings, content_dir: Path, verbose: bool, details: str = "renstra check") -> None:
    """Every warning with --verbose; else one line with their count (and how many are new) and the
    command that lists them (`details`, with the user's --content)."""
    if verbose:
        _print_findings(findings)
        return
    if not findings:
        return
    from renstra_gen.check import baseline

    known = baseline.load(content_dir)
    hint = f" — jalankan {_with_content(details, content_dir)} untuk rinciannya"
    if known is None:
        click.echo(f"{len(findings)} peringatan{hint}", err=True)
        return
    new = len(baseline.new_only(findings, known))
    line = f"{len(findings) - new} temuan sudah dikenal ({baseline.FILE}), {new} baru"
    click.echo(line + (hint if new else ""), err=True)


def _report_placeholders(findings, pdf: bool, draft: bool) -> None:
    """A final PDF (not --draft) names every stand-in text it still prints, whatever else is shown."""
    found = [f for f in findings if f.placeholder]
    if not pdf or draft or not found:
        return
    click.echo(f"PDF akhir masih memuat {len(found)} teks pengganti; isi kontennya sebelum dokumen dikirim:", err=True)
    for f in found:
        click.echo(f"  {f}", err=True)


verbose_option = click.option("--verbose", "-v", is_flag=True, help="Cetak setiap peringatan, bukan hanya jumlahnya.")


no_proof_option = click.option("--no-proof", "no_proof", is_flag=True,
                               help="Lewati pemeriksaan cetak (setiap tabel dan paragraf harus ada di PDF).")


def _print_proof(result, no_proof: bool, pdf: bool = True) -> None:
    """One line on the print proof of a written PDF: passed, or skipped on request."""
    if not pdf:
        return
    if no_proof:
        click.echo("pemeriksaan cetak PDF dilewati (--no-proof): isi PDF tidak dibandingkan dengan dokumen.")
    elif result.proof is not None:
        click.echo(f"pemeriksaan cetak: semua teks dokumen ada di PDF ({result.proof.paragraphs} paragraf, "
                   f"{result.proof.cells} sel tabel).")


@click.group()
@click.option("--debug", is_flag=True, help="Tampilkan traceback lengkap bila terjadi galat.")
@click.version_option(package_name="renstra-gen", message="renstra-gen %(version)s",
                      help="Tampilkan versi lalu keluar.")
@click.help_option("-h", "--help", help="Tampilkan bantuan ini lalu keluar.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """renstra-gen: menyusun dokumen Renstra Perangkat Daerah dari berkas konten.

    \b
    Contoh:
      renstra build
      renstra check --content content
    """
    ctx.obj = {"debug": debug}
    from renstra_gen.system.scratch import exit_on_sigterm

    exit_on_sigterm()  # a terminated run still removes its temporaries


def _run(ctx: click.Context, fn):
    """Run a library call; translate the project's errors into one clear message and exit 1."""
    try:
        return fn()
    except ContentError as e:
        if ctx.obj.get("debug"):
            raise
        _print_findings(e.findings)
        n = sum(1 for f in e.findings if f.is_error)
        click.echo(f"Gagal: {n} galat, tidak ada berkas yang ditulis.", err=True)
        sys.exit(1)
    except PrintProofError as e:
        if ctx.obj.get("debug"):
            raise
        _print_findings(e.findings)
        click.echo("Gagal: PDF tidak memuat seluruh isi dokumen; tidak ada berkas yang ditulis "
                   "(berkas sebelumnya tetap).", err=True)
        sys.exit(1)
    except RenstraError as e:
        if ctx.obj.get("debug"):
            raise
        click.echo(f"Gagal: {e}", err=True)
        sys.exit(1)


@main.command()
@click.help_option("-h", "--help", help="Tampilkan bantuan ini lalu keluar.")
@content_option("Folder konten.")
@out_option
@click.option("--pdf", is_flag=True, help="Buat juga PDF siap cetak (LibreOffice; daftar isi terisi).")
@click.option("--draft", is_flag=True, help="Tandai setiap halaman DRAFT (tanda air dan baris kaki).")
@click.option("--update-fields", is_flag=True,
              help="Simpan .docx dengan Daftar Isi/Tabel/Gambar/Lampiran yang sudah terisi nomor halamannya.")
@click.option("--tte-kata-pengantar", is_flag=True,
              help="Pasang juga bidang tanda tangan elektronik di Kata Pengantar (bawaan: hanya di Penutup).")
@no_proof_option
@templates_option
@verbose_option
@click.pass_context
def build(ctx: click.Context, content_dir: Path, out_dir: Path, pdf: bool, draft: bool, update_fields: bool,
          tte_kata_pengantar: bool, no_proof: bool, templates: Path | None, verbose: bool) -> None:
    """Susun dokumen Renstra (.docx dan .xlsx, dan .pdf dengan --pdf) dari folder konten.

    Konten diperiksa lebih dulu: galat menghentikan penyusunan; peringatan dihitung (--verbose
    mencetak semuanya). Berkas lama tidak diganti bila penyusunan gagal. Dengan --draft nama
    berkas diberi akhiran -draft, sehingga berkas final tidak tertimpa. PDF akhir (tanpa --draft)
    memuat bidang tanda tangan elektronik kosong di atas blok tanda tangan Penutup. PDF dibaca
    kembali: setiap judul, paragraf dan sel tabel harus tercetak (kecuali --no-proof).

    \b
    Contoh:
      renstra build
      renstra build --pdf --draft
      renstra build --content content --out build
    """
    from renstra_gen.workflows.build import build as run_build

    from renstra_gen.workflows.build import DEFAULT_TEMPLATES

    result = _run(ctx, lambda: run_build(content_dir, out_dir, templates or DEFAULT_TEMPLATES, pdf=pdf, draft=draft,
                                         update_fields=update_fields, tte_kata_pengantar=tte_kata_pengantar,
                                         proof=not no_proof))
    _report_warnings(result.warnings, content_dir, verbose)
    _report_placeholders(result.warnings, pdf, draft)
    for path in result.written:
        click.echo(f"ditulis: {path}")
    _print_proof(result, no_proof, pdf)


@main.command()
@click.help_option("-h", "--help", help="Tampilkan bantuan ini lalu keluar.")
@content_option("Folder konten.")
@click.option("--strict", is_flag=True, help="Peringatan juga dianggap gagal (kode keluar 1).")
@click.option("--simpan-dasar", "save_baseline", is_flag=True,
              help="Catat temuan hari ini sebagai dasar (dasar-pemeriksaan.txt di folder konten); "
                   "pemeriksaan berikutnya hanya menampilkan temuan baru.")
@click.option("--semua", "show_all", is_flag=True, help="Tampilkan semua temuan, juga yang tercatat di dasar.")
@click.pass_context
def check(ctx: click.Context, content_dir: Path, strict: bool, save_baseline: bool, show_all: bool) -> None:
    """Periksa konten: setiap ketidaksesuaian dengan berkas dan barisnya.

    Galat (misalnya pagu bukan angka) membuat kode keluar 1; peringatan (misalnya jumlah
    induk yang tertulis berbeda dari jumlah rinciannya) tidak, kecuali dengan --strict.

    \b
    Contoh:
      renstra check
      renstra check --content content --strict
    """
    from renstra_gen.workflows.build import inspect

    from renstra_gen.check import baseline

    findings = _run(ctx, lambda: inspect(content_dir, collect=True))
    if save_baseline:
        path = _run(ctx, lambda: baseline.save(content_dir, findings))
        click.echo(f"{len(findings)} temuan dicatat sebagai dasar di {path}; pemeriksaan berikutnya hanya "
                   f"menampilkan temuan baru (--semua: semuanya).")
        return
    known = None if show_all else baseline.load(content_dir)
    shown = baseline.new_only(findings, known)
    current = None
    for f in sorted(shown, key=lambda f: (f.source.file, f.source.line or 0)):
        if f.source.file != current:
            current = f.source.file
            click.echo(f"\n{printable(current)}")
        click.echo(f"  {f}")
    errors = sum(1 for f in findings if f.is_error)
    warnings = sum(1 for f in shown if not f.is_error)
    hidden = len(findings) - len(shown)
    click.echo(f"\nHasil pemeriksaan: {errors} galat, {warnings} peringatan"
               + (f" baru ({hidden} temuan lama di {baseline.FILE} tidak ditampilkan; --semua: semuanya)." if known else "."))
    if errors or (strict and warnings):  # errors stop a build: they count even when set aside
        sys.exit(1)


@main.command("import-xlsx")
@click.help_option("-h", "--help", help="Tampilkan bantuan ini lalu keluar.")
@click.argument("workbook", metavar="BUKU_KERJA", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@content_option("Folder konten yang diperbarui.")
@click.option("--dry-run", is_flag=True, help="Hanya tampilkan perubahan; tidak ada berkas yang ditulis.")
@click.option("--paksa", is_flag=True,
              help="Pada konflik (nilai diubah di buku kerja dan di konten), pakai nilai buku kerja.")
@click.pass_context
def import_xlsx(ctx: click.Context, workbook: Path, content_dir: Path, dry_run: bool, paksa: bool) -> None:
    """Baca kembali isian buku kerja (Renstra atau Renja) yang diubah di Excel ke berkas konten.

    Yang dibaca: nama, indikator, satuan, unit, lokasi, target dan pagu sub kegiatan, serta
    target indikator. Sel lain yang diubah (rumus, nilai hitungan, kode, judul, baris baru)
    dilaporkan sebagai galat dengan nama sel (Tabel 6.2!K14). Bila konten berubah sejak buku
    kerja dibuat, nilai yang diubah di kedua sisi adalah konflik. Bila ada galat atau konflik,
    tidak ada berkas yang ditulis; berkas yang diubah ditulis bersama-sama, hanya baris nilainya.

    \b
    Contoh:
      renstra import-xlsx build/renstra-dinsos-belu-2021-2026-tabel.xlsx --dry-run
      renstra import-xlsx build/renja-2024-tabel.xlsx --paksa
    """
    from renstra_gen.workflows.import_xlsx import import_xlsx as run_import

    result = _run(ctx, lambda: run_import(workbook, content_dir, write=not dry_run, force=paksa))
    if result.content_changed:
        click.echo("Catatan: konten berubah sejak buku kerja ini dibuat; hanya nilai yang diubah di buku kerja "
                   "yang diterapkan.")
    for c in result.changes:
        mark = " [konflik, --paksa]" if c in result.forced else ""
        click.echo(f"{c.file}: {c}{mark}")
    if not result.changes:
        click.echo("Tidak ada perubahan.")
    elif dry_run:
        click.echo(f"{len(result.changes)} perubahan (--dry-run: tidak ada berkas yang ditulis).")
    else:
        click.echo(f"{len(result.changes)} perubahan ditulis.")


@main.command()
@click.help_option("-h", "--help", help="Tampilkan bantuan ini lalu keluar.")
@click.argument("docx", required=False, type=click.Path(path_type=Path, dir_okay=False))
@content_option("Folder konten (untuk nama berkas bawaan).")
@click.option("--out", "out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Berkas PDF keluaran (bawaan: di samping .docx).")
@no_proof_option
@click.pass_context
def pdf(ctx: click.Context, docx: Path | None, content_dir: Path, out: Path | None, no_proof: bool) -> None:
    """Ubah dokumen .docx menjadi PDF siap cetak (PDF/A-2b, daftar isi terisi).

    Tanpa DOCX, yang diubah adalah build/<slug>.docx dari renstra.yaml. PDF dibaca kembali dan
    dibandingkan dengan .docx (kecuali --no-proof); PDF lama tetap bila ada yang tidak tercetak.

    \b
    Contoh:
      renstra pdf
      renstra pdf build/renstra-dinsos-belu-2021-2026.docx --out cetak.pdf
    """
    from renstra_gen.workflows.pdf import convert_pdf  # not workflows.build: 0.16 s of imports

    def run():
        target = docx
        if target is None:
            from renstra_gen.content.load import load_content
            target = DEFAULT_OUT / f"{load_content(content_dir).identity.slug}.docx"
        return convert_pdf(target, out, proof=not no_proof)

    result = _run(ctx, run)
    for path in result.written:
        click.echo(f"ditulis: {path}")
    _print_proof(result, no_proof)


@main.command()
@click.help_option("-h", "--help", help="Tampilkan bantuan ini lalu keluar.")
@click.argument("year", metavar="TAHUN", type=int)
@content_option("Folder konten Renstra.")
@out_option
@click.option("--pdf", is_flag=True, help="Buat juga PDF.")
@click.option("--draft", is_flag=True, help="Tandai setiap halaman DRAFT.")
@no_proof_option
@templates_option
@verbose_option
@click.pass_context
def renja(ctx: click.Context, year: int, content_dir: Path, out_dir: Path, pdf: bool, draft: bool,
          no_proof: bool, templates: Path | None, verbose: bool) -> None:
    """Susun rancangan Renja tahun TAHUN dari Renstra (target dan pagu tahun itu, prakiraan maju tahun berikutnya).

    Masukan khusus tahun itu (realisasi, sumber dana, catatan, usulan masyarakat, narasi per BAB)
    dibaca dari <konten>/renja/<TAHUN>/ bila ada. Peringatan dihitung (--verbose mencetak semuanya).

    \b
    Contoh:
      renstra renja 2024
      renstra renja 2025 --pdf --draft
    """
    from renstra_gen.workflows.build import build_renja

    from renstra_gen.workflows.build import DEFAULT_TEMPLATES

    result = _run(ctx, lambda: build_renja(content_dir, out_dir, year, templates or DEFAULT_TEMPLATES, pdf=pdf,
                                           draft=draft, proof=not no_proof))
    _report_warnings(result.warnings, content_dir, verbose, f"renstra renja {year} --verbose")
    _report_placeholders(result.warnings, pdf, draft)
    for path in result.written:
        click.echo(f"ditulis: {path}")
    _print_proof(result, no_proof, pdf)


@main.command()
@click.help_option("-h", "--help", help="Tampilkan bantuan ini lalu keluar.")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--bidang", "bidang", multiple=True, required=True,
              help="Kode bidang urusan, misalnya 1.06; boleh lebih dari satu.")
@click.option("--perangkat-daerah", required=True, help='Nama Perangkat Daerah, misalnya "Dinas Sosial".')
@click.option("--daerah", required=True, help='Nama daerah, misalnya "Kabupaten Contoh".')
@click.option("--periode", required=True, help="Periode Renstra, misalnya 2025-2029.")
@click.option("--singkatan", default=None,
              help="Singkatan Perangkat Daerah untuk kolom unit penanggung jawab (bawaan: huruf awal namanya).")
@click.option("--nomenklatur", "versi", default="1317", show_default=True,
              help="1317, pasca-1317, atau berkas nomenklatur kantor (nomenklatur/<nama>.tsv.gz dari "
                   "`renstra nomenklatur impor`; disalin ke folder baru).")
@click.pass_context
def init(ctx: click.Context, folder: Path, bidang: tuple[str, ...], perangkat_daerah: str, daerah: str,
         periode: str, singkatan: str | None, versi: str) -> None:
    """Buat folder konten Renstra baru yang langsung dapat disusun.

    Berisi renstra.yaml, setiap BAB dengan subjudul Permendagri 86/2017 dan teks panduan
    [PANDUAN: ...] yang perlu diganti, setiap tabel dengan kolom resminya, dan pohon program
    berisi semua program, kegiatan dan sub kegiatan bidang itu (serta program Penunjang) dari
    nomenklatur, dengan indikator dan satuannya; target dan pagu masih kosong.
    Folder yang sudah ada tidak pernah ditimpa.

    \b
    Contoh:
      renstra init renstra-dinsos --bidang 1.06 --perangkat-daerah "Dinas Sosial" \\
          --daerah "Kabupaten Contoh" --periode 2025-2029
      renstra build --content renstra-dinsos
    """
    from renstra_gen.content import nomenklatur as nk
    from renstra_gen.workflows.init import init as run_init, normalise_bidang

    written = _run(ctx, lambda: run_init(folder, list(bidang), perangkat_daerah, daerah, periode, version=versi,
                                           singkatan=singkatan))
    click.echo(f"{len(written)} berkas ditulis di {folder}.")
    for code in dict.fromkeys(normalise_bidang(b) for b in bidang):
        entry = nk.load().get(code)
        click.echo(f"Bidang urusan {code} {entry.nama if entry else ''}".rstrip())
    click.echo(f"Langkah berikut: ganti teks [PANDUAN: ...], lalu `renstra check --content {folder}` "
               f"dan `renstra build --content {folder}`.")


_VERSI_HELP = ("Versi nomenklatur: 1317 (Kepmendagri 900.1.15.5-1317/2023), pasca-1317 (keadaan SIPD bidang 1.06 "
               "dan 2.08 sesudah Kepmendagri 900.1.15.5-3406/2024, bukan keputusan tersendiri; kode lain menurut "
               "1317), atau nama nomenklatur kantor yang diimpor (misalnya 3406/2024). Bawaan: yang ditulis "
               "renstra.yaml folder konten, atau 1317.")


class _SearchOrCommand(click.Group):
    """`renstra nomenklatur CARI` searches, as it always has; a first word that names a subcommand
    (`impor`, `cari`) runs that subcommand instead."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["cari", *args]
        return super().parse_args(ctx, args)


@main.group(cls=_SearchOrCommand)
@click.help_option("-h", "--help", help="Tampilkan bantuan ini lalu keluar.")
def nomenklatur() -> None:
    """Cari dalam nomenklatur resmi (renstra nomenklatur CARI), atau impor versi nomenklatur kantor
    sendiri dari lembar Excel/CSV (renstra nomenklatur impor BERKAS).

    \b
    Contoh:
      renstra nomenklatur 1.06.05
      renstra nomenklatur "anak terlantar"
      renstra nomenklatur impor "KODEFIKASI SIPD 3406.xlsx" --nama 3406/2024
      renstra nomenklatur cari impor        (mencari kata "impor")
    """


@nomenklatur.command("cari")
@click.help_option("-h", "--help", help="Tampilkan bantuan ini lalu keluar.")
@click.argument("cari")
@click.option("--versi", default=None, help=_VERSI_HELP)
@content_option("Folder konten (renstra.yaml menyebut versinya; nomenklatur kantor disimpan di sana).")
@click.pass_context
def nomenklatur_cari(ctx: click.Context, cari: str, versi: str | None, content_dir: Path) -> None:
    """Cari dalam nomenklatur menurut awalan kode atau kata: kode, tingkat, nama resmi,
    dan untuk sub kegiatan kinerja, indikator dan satuannya.

    \b
    Contoh:
      renstra nomenklatur 1.06.05
      renstra nomenklatur "anak terlantar"
      renstra nomenklatur 1.02.02.2.01 --versi 3406/2024
    """
    from renstra_gen.content import nomenklatur_kantor as kantor
    from renstra_gen.errors import Source

    if versi is None:
        declared = kantor.declared_in(content_dir)
        versi = declared if declared and declared != "tanpa" else "1317"
    resolved = _run(ctx, lambda: kantor.resolve(content_dir, versi, Source("--versi")))
    found = resolved.nom.search(cari)
    for e in found:
        special = f"  [{e.kewenangan}]" if e.kewenangan else ""
        click.echo(f"{e.kode}  {e.label}  {e.nama or '(nama tidak ada di sumber)'}{special}")
        if e.level == "sub_kegiatan":
            for what, value in (("kinerja", e.kinerja), ("indikator", e.indikator), ("satuan", e.satuan)):
                if value:
                    click.echo(f"    {what}: {value}")
    click.echo(f"{len(found)} kode ditemukan (nomenklatur {'1317' if resolved.older else versi}).")
    special = sum(1 for e in found if e.kewenangan)
    if special:
        click.echo(f"{special} di antaranya bertanda [...]: kode khusus daerah otonomi khusus atau keistimewaan "
                   "(angka kewenangan 3, 4, 5 atau 7 pada kode kegiatan), bukan untuk kabupaten/kota pada "
                   "umumnya, yang memakai angka 2 (misalnya 1.02.02.2.02).")
    if not found:
        sys.exit(1)


@nomenklatur.command("impor")
@click.help_option("-h", "--help", help="Tampilkan bantuan ini lalu keluar.")
@click.argument("berkas", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--nama", default=None, help='Nama versi, misalnya "3406/2024" (bawaan: nama berkas).')
@content_option("Folder konten; nomenklatur disimpan di nomenklatur/<nama>.tsv.gz di dalamnya.")
@click.option("--dry-run", is_flag=True, help="Periksa dan bandingkan saja; tidak ada berkas yang ditulis.")
@click.pass_context
def nomenklatur_impor(ctx: click.Context, berkas: Path, nama: str | None, content_dir: Path, dry_run: bool) -> None:
    """Impor versi nomenklatur kantor sendiri dari lembar Excel (.xlsx) atau CSV.

    Lembar berasal dari lampiran keputusan atau ekspor SIPD (kolom kode/kode rekening,
    nama/uraian/nomenklatur, kinerja, indikator, satuan; baris judul kolom dicari di 20 baris
    pertama). Setiap baris diperiksa (bentuk kode, induk ada, kode ganda dengan nama berbeda,
    nama kosong); bila ada galat, tidak ada yang disimpan. Ringkasan: jumlah kode per tingkat dan
    per bidang, dan kode yang ditambah, dihapus dan berganti nama dibanding 1317 untuk bidang
    yang dipakai konten. Sesudahnya tulis `nomenklatur: "<nama>"` di renstra.yaml.

    \b
    Contoh:
      renstra nomenklatur impor "KODEFIKASI SIPD KEMENDAGRI 900.1.15.5-3406-24.xlsx" --nama 3406/2024
      renstra nomenklatur impor nomenklatur-dinkes.csv --nama 3406/2024 --dry-run
    """
    from renstra_gen.content import nomenklatur_kantor as kantor
    from renstra_gen.workflows.nomenklatur_impor import impor, summary_lines

    summary = _run(ctx, lambda: impor(berkas, content_dir, nama, write=not dry_run))
    for line in summary_lines(summary):
        click.echo(line)
    if dry_run:
        click.echo("--dry-run: tidak ada berkas yang ditulis.")
        return
    for path in summary.written:
        click.echo(f"{'diganti' if summary.replaced else 'ditulis'}: {path}")
    if kantor.declared_in(content_dir) != summary.name:
        click.echo(f'Langkah berikut: tulis `nomenklatur: "{summary.name}"` di renstra.yaml, lalu '
                   f"`renstra check --content {content_dir}`.")


@main.command("migrasi-kode")
@click.help_option("-h", "--help", help="Tampilkan bantuan ini lalu keluar.")
@content_option("Folder konten yang kodenya diubah.")
@click.option("--ke", "target", default="1317", show_default=True,
              help="Nomenklatur tujuan: 1317, pasca-1317 (keadaan SIPD bidang 1.06 dan 2.08 sesudah 3406/2024), atau "
                   "nama nomenklatur kantor yang diimpor (renstra nomenklatur impor).")
@click.option("--dry-run", is_flag=True, help="Tampilkan perubahan saja; tidak ada berkas yang diubah.")
@click.pass_context
def migrasi_kode(ctx: click.Context, content_dir: Path, target: str, dry_run: bool) -> None:
    """Ubah kode pohon program ke nomenklatur 4 digit (Kepmendagri 900.1.15.5-1317/2023).

    Kode 2 digit yang nama resminya sesuai diberi nol di depan (padding); baris yang dinomori
    sendiri dicari menurut nama resmi dalam kegiatan yang sama; yang tidak dapat dipetakan
    didaftar. Hanya baris kode yang berubah (komentar dan tata letak tetap).

    \b
    Contoh:
      renstra migrasi-kode --dry-run
      renstra migrasi-kode --content content --ke 1317
    """
    from renstra_gen.workflows import migrasi

    result = _run(ctx, lambda: migrasi.plan(content_dir, target))
    for c in result.changes:
        click.echo(str(c))
    if result.unmapped:
        click.echo("Tidak dapat dipetakan (tetap seperti semula):")
        for u in result.unmapped:
            click.echo(f"  {u}")
    click.echo(f"Sub kegiatan: {result.count('padding', 'sub_kegiatan')} dengan padding, "
               f"{result.count('nama', 'sub_kegiatan')} menurut nama; program/kegiatan: "
               f"{result.count('nama') - result.count('nama', 'sub_kegiatan')} menurut nama, "
               f"{result.count('rapi')} dirapikan; {len(result.unmapped)} baris tidak dapat dipetakan.")
    if dry_run:
        click.echo("--dry-run: tidak ada berkas yang diubah.")
        return
    written = _run(ctx, lambda: migrasi.apply(content_dir, result))
    for path in written:
        click.echo(f"ditulis: {path}")


PASSWORD_ENV = "RENSTRA_P12_PASSWORD"


@main.command()
@click.help_option("-h", "--help", help="Tampilkan bantuan ini lalu keluar.")
@click.argument("pdf_file", metavar="PDF", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--p12", "p12", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="Sertifikat elektronik penanda tangan (PKCS#12: .p12/.pfx).")
@click.option("--keluar", "out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="PDF bertanda tangan (bawaan: <nama>-ttd.pdf di samping PDF masukan).")
@click.option("--tsa", default=None, metavar="URL", help="Server cap waktu (RFC 3161), bila jaringan mengizinkan.")
@click.option("--bidang", default=None, help="Tanda tangani hanya bidang ini (bawaan: semua bidang kosong).")
@click.pass_context
def tandatangan(ctx: click.Context, pdf_file: Path, p12: Path, out: Path | None, tsa: str | None,
                bidang: str | None) -> None:
    """Tanda tangani PDF akhir secara elektronik (PAdES) dengan sertifikat PKCS#12.

    Setiap bidang tanda tangan kosong (dari `renstra build --pdf`) diisi: tampilan berisi semua
    baris blok tanda tangan (jabatan, nama, pangkat, NIP), tanggal dan kode QR (judul dan SHA-256
    dokumen sebelum ditandatangani).
    Kata sandi sertifikat dibaca dari variabel lingkungan RENSTRA_P12_PASSWORD atau diminta
    saat perintah berjalan (tidak pernah sebagai argumen). PDF yang belum ditandatangani tetap disimpan.

    \b
    Contoh:
      renstra tandatangan build/renstra-dinsos-belu-2021-2026.pdf --p12 kepala.p12
      renstra tandatangan build/x.pdf --p12 kepala.p12 --keluar final.pdf --tsa http://tsa.example/tsr
    """
    from renstra_gen.tte.sign import sign_file

    password = os.environ.get(PASSWORD_ENV)
    if password is None and sys.stdin.isatty():
        password = click.prompt("Kata sandi sertifikat", hide_input=True, default="", show_default=False, err=True)
    elif password is None:  # piped in (one line), never echoed back
        line = sys.stdin.readline()
        if not line:
            click.echo(f"Gagal: kata sandi sertifikat tidak diberikan (isi {PASSWORD_ENV} atau ketik saat diminta)",
                       err=True)
            sys.exit(1)
        password = line.rstrip("\r\n")
    target, signed = _run(ctx, lambda: sign_file(pdf_file, p12, password, out, field=bidang, tsa=tsa))
    for w in signed.warnings:
        click.echo(f"{pdf_file}: peringatan: {w}", err=True)
    click.echo(f"ditandatangani oleh {signed.signer}: {', '.join(signed.fields)}")
    click.echo(f"ditulis: {target}")


@main.command("periksa-ttd")
@click.help_option("-h", "--help", help="Tampilkan bantuan ini lalu keluar.")
@click.argument("pdf_file", metavar="PDF", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--akar", "roots", multiple=True, type=click.Path(path_type=Path, dir_okay=False),
              help="Sertifikat akar tepercaya (PEM/DER), misalnya akar BSrE; boleh diulang.")
@click.option("--izinkan-penanda-lain", "other_signer", is_flag=True,
              help="Terima tanda tangan orang lain selain yang namanya tercetak di blok (misalnya Plt./Plh.).")
@click.pass_context
def periksa_ttd(ctx: click.Context, pdf_file: Path, roots: tuple[Path, ...], other_signer: bool) -> None:
    """Periksa setiap tanda tangan elektronik di PDF.

    Untuk setiap tanda tangan: utuh (isi tidak berubah), mencakup seluruh dokumen, nama
    penanda tangan pada sertifikat dibandingkan dengan nama yang tercetak di blok tanda tangan,
    dan keabsahan sertifikat terhadap akar yang diberikan dengan --akar.
    Kode keluar 1 bila ada yang tidak beres (termasuk penanda tangan yang bukan orang yang
    namanya tercetak, kecuali dengan --izinkan-penanda-lain).

    \b
    Contoh:
      renstra periksa-ttd build/renstra-dinsos-belu-2021-2026-ttd.pdf --akar akar-bsre.pem
    """
    from renstra_gen.tte.verify import verify_file

    report = _run(ctx, lambda: verify_file(pdf_file, list(roots), other_signer=other_signer))
    checks = report.checks
    for c in checks:
        click.echo(f"{pdf_file}: tanda tangan {c.field}: {'baik' if c.ok else 'BERMASALAH'}")
        for fact in c.facts:
            click.echo(f"  {fact}")
        for problem in c.problems:
            click.echo(f"  galat: {problem}")
    if report.unsigned_sha256:
        click.echo(f"SHA-256 PDF sebelum ditandatangani (isi kode QR): {report.unsigned_sha256}")
    for name in report.empty_fields:
        click.echo(f"bidang tanda tangan belum diisi: {name}")
    bad = sum(1 for c in checks if not c.ok)
    if bad:
        click.echo(f"Hasil: {bad} dari {len(checks)} tanda tangan bermasalah.")
        sys.exit(1)
    click.echo(f"Hasil: {len(checks)} tanda tangan, semuanya utuh dan sah.")


@main.command()
@click.help_option("-h", "--help", help="Tampilkan bantuan ini lalu keluar.")
@click.argument("lama")
@click.argument("baru", required=False)
@content_option("Folder konten (revisi git dibaca dari repositori folder ini; bawaan BARU).")
@out_option
@templates_option
@click.pass_context
def perubahan(ctx: click.Context, lama: str, baru: str | None, content_dir: Path, out_dir: Path,
              templates: Path | None) -> None:
    """Bandingkan dua versi Renstra: daftar perubahan dan dokumen Word dengan lacak perubahan.

    LAMA dan BARU adalah folder konten atau revisi git repositori folder konten (HEAD~1,
    sebuah tag). Tanpa BARU, yang dibandingkan adalah folder konten saat ini. Ditulis:
    <slug>-perubahan.docx (setiap perubahan sebagai revisi) dan <slug>-perubahan.xlsx
    (satu baris per perubahan).

    \b
    Contoh:
      renstra perubahan HEAD~1
      renstra perubahan penetapan-2021 HEAD
      renstra perubahan arsip/konten-lama content --out build
    """
    from renstra_gen.workflows.build import DEFAULT_TEMPLATES
    from renstra_gen.workflows.perubahan import perubahan as run_perubahan, summary_lines

    result = _run(ctx, lambda: run_perubahan(lama, baru, out_dir, content_dir, templates or DEFAULT_TEMPLATES))
    for line in summary_lines(result.changes):
        click.echo(line)
    for path in result.written:
        click.echo(f"ditulis: {path}")


@main.command()
@click.help_option("-h", "--help", help="Tampilkan bantuan ini lalu keluar.")
@click.option("--berhenti", is_flag=True, help="Hentikan LibreOffice yang sedang menunggu.")
@click.pass_context
def kantor(ctx: click.Context, berhenti: bool) -> None:
    """Tampilkan atau hentikan LibreOffice milik renstra yang tetap berjalan setelah --pdf.

    Setiap --pdf dan `renstra pdf` memakai satu LibreOffice yang tetap berjalan 10 menit setelah
    konversi terakhir (atur dengan RENSTRA_OFFICE_IDLE dalam detik; 0 = berhenti setiap kali),
    sehingga membuat PDF lagi setelah mengubah konten tidak menunggu LibreOffice dimulai.

    \b
    Contoh:
      renstra kantor
      renstra kantor --berhenti
    """
    from renstra_gen.render.office import Office

    office = _run(ctx, Office)
    if berhenti:
        _run(ctx, office.stop)
        click.echo("LibreOffice renstra dihentikan.")
        return
    info = office.running()
    if info:
        click.echo(f"LibreOffice renstra berjalan (proses {info['office']}, pengawas {info['server']}); "
                   f"berhenti sendiri setelah {info.get('idle', office.idle) / 60:g} menit tanpa konversi.")
    else:
        click.echo("LibreOffice renstra tidak berjalan; --pdf berikutnya memulainya.")


@main.command()
@click.help_option("-h", "--help", help="Tampilkan bantuan ini lalu keluar.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Alamat yang dilayani.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port yang dilayani.")
def serve(host: str, port: int) -> None:
    """Ruang kerja di peramban: data di $RENSTRA_DATA (bawaan ~/.local/share/renstra); pertama kali
    dijalankan membuat akun admin (kata sandinya dicetak sekali, atau dari RENSTRA_ADMIN_PASSWORD) dan
    perangkat daerah contoh dengan konten bawaan.

    Contoh: renstra serve --port 8000"""
    from renstra_gen.web.serve import serve as _serve

    _serve(host, port)


@main.command()
@click.help_option("-h", "--help", help="Tampilkan bantuan ini lalu keluar.")
@click.option("--id", "worker_id", default="w0", show_default=True,
              help="Nama pekerja ini (unik per mesin; LibreOffice-nya disimpan di folder data pekerja/NAMA).")
@click.option("--sekali", "burst", is_flag=True, help="Kerjakan antrean yang ada, lalu berhenti.")
def pekerja(worker_id: str, burst: bool) -> None:
    """Pekerja antrean ruang kerja: menjalankan build, PDF, impor dan daftar perubahan.

    Tanpa RENSTRA_REDIS_URL, antrean ada di basis data ruang kerja (renstra serve sudah menjalankan
    pekerjanya sendiri). Dengan RENSTRA_REDIS_URL (dan DATABASE_URL serta RENSTRA_DATA yang sama
    dengan server web), pekerja ini boleh berjalan di mesin lain. Berhenti: Ctrl+C (pekerjaan yang
    sedang berjalan diselesaikan dulu).

    Contoh: RENSTRA_REDIS_URL=redis://10.0.0.5:6379/0 renstra pekerja --id mesin2"""
    from renstra_gen.web.serve import worker as _worker

    _worker(worker_id, burst)


main.options_metavar = "[PILIHAN]"
main.subcommand_metavar = "PERINTAH [ARGUMEN]..."
for _command in main.commands.values():
    _command.options_metavar = "[PILIHAN]"
for _command in nomenklatur.commands.values():
    _command.options_metavar = "[PILIHAN]"
nomenklatur.subcommand_metavar = "CARI | impor BERKAS [PILIHAN]"


def run() -> None:
    """The `renstra` console command.

    It leaves without tearing the interpreter down: by then every output is written (atomically)
    and stdout/stderr are flushed, and freeing every object and module one by one took 60 ms,
    a seventh of the default build (0.42 s -> 0.36 s)."""
    try:
        main()
        code = 0
    except SystemExit as e:
        code = e.code
    if not isinstance(code, int):  # click exits with an int; a message is printed the way Python would
        if code is not None:
            print(code, file=sys.stderr)
        code = 0 if code is None else 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
