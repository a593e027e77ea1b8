"""The workspace in a real browser (Playwright for Python, Debian's Chromium), against `renstra serve`.

The journey of the issue: the admin creates an office and a penyusun; the penyusun adds a sub
kegiatan from the nomenclature search, types pagu 1.500.000 for the last year, sees the kegiatan,
program and JUMLAH totals change before saving, saves (keyboard only), sees the findings, builds the
final PDF, downloads it and the PDF's text holds the new figures; a verifikator sees it read-only.
Screenshots of each main page at 1366x768 go to $RENSTRA_SCREENSHOTS when it is set."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
ADMIN_PASSWORD = "sandi-admin-uji-123"

if not Path(CHROMIUM).exists():  # pragma: no cover - tools/install.sh --test installs it
    pytest.skip("chromium tidak terpasang (bash tools/install.sh --test)", allow_module_level=True)
playwright_sync = pytest.importorskip("playwright.sync_api")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`renstra serve` on a random loopback port with its own data folder; stopped after the tests."""
    data = tmp_path_factory.mktemp("data")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(RENSTRA_DATA=str(data), RENSTRA_ADMIN_PASSWORD=ADMIN_PASSWORD, RENSTRA_SECRET_KEY="uji-" + "k" * 40)
    log = open(data / "serve.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "renstra_gen", "serve", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError((data / "serve.log").read_text())
            time.sleep(0.3)
    yield {"url": f"http://127.0.0.1:{port}", "data": data}
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="module")
def browser():
    with playwright_sync.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


def _shot(page, name: str) -> None:
    folder = os.environ.get("RENSTRA_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"))


def _page(browser, server):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)  # e.g. CSP violations
    page.errors = errors
    page.set_default_timeout(30_000)
    return page


def _login(page, server, username, password):
    page.goto(server["url"] + "/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.keyboard.press("Enter")
    page.wait_for_url(server["url"] + "/")


def test_journey_admin_penyusun_build_pdf_and_verifikator(browser, server, tmp_path):
    expect = playwright_sync.expect
    url = server["url"]
    admin = _page(browser, server)
    admin.goto(url + "/masuk/")
    _shot(admin, "01-masuk")
    _login(admin, server, "admin", ADMIN_PASSWORD)
    expect(admin.locator("body")).to_contain_text("Dinas Sosial Kabupaten Belu (demo)")
    _shot(admin, "02-daftar")

    # the admin creates an office (bidang from the nomenclature) and two accounts
    admin.click("text=+ Perangkat daerah baru")
    admin.fill("#id_perangkat_daerah", "Dinas Sosial")
    admin.fill("#id_singkatan", "dinsos-contoh")
    admin.fill("#id_daerah", "Kabupaten Contoh")
    admin.fill("#id_periode", "2025-2029")
    admin.select_option("#id_bidang", ["1.06"])
    _shot(admin, "03-kantor-baru")
    admin.click("button:has-text('Buat')")
    admin.wait_for_url(url + "/k/dinsos-contoh/")
    for username, nama, peran, kantor in (("ani", "Ani Penyusun", "penyusun", "Dinas Sosial Kabupaten Contoh"),
                                          ("vera", "Vera Verifikator", "verifikator", None)):
        admin.goto(url + "/akun/baru/")
        admin.fill("#id_username", username)
        admin.fill("#id_nama", nama)
        admin.fill("#id_email", f"{username}@contoh.go.id")
        admin.select_option("#id_peran", peran)
        if kantor:
            admin.select_option("#id_kantor", label=kantor)
        admin.fill("#id_password", f"sandi-{username}-uji-123")
        admin.click("button:has-text('Buat akun')")
        admin.wait_for_url(url + "/")
        expect(admin.locator(".pesan")).to_contain_text(f"Akun {username}")

    # the penyusun: remove a sub kegiatan, find it again in the nomenclature and add it back
    ani = _page(browser, server)
    _login(ani, server, "ani", "sandi-ani-uji-123")
    expect(ani.locator("body")).not_to_contain_text("demo")  # only their own office
    ani.click("text=Dinas Sosial Kabupaten Contoh")
    _shot(ani, "04-beranda")
    ani.click("text=Tabel 6.2 — Program")
    grid = ani.locator("#grid")
    first_sub = grid.locator("tr[data-level='sub_kegiatan']").first
    kode = first_sub.locator("td.kol-kode").inner_text().strip()
    nama = first_sub.locator("td.kol-nama").inner_text().strip()
    keg_key = first_sub.get_attribute("data-key").rsplit(".", 1)[0]
    prog_key = keg_key.split(".")[0]
    ani.on("dialog", lambda d: d.accept())
    first_sub.locator("button.hapus").click()
    expect(ani.locator(".berhasil")).to_contain_text("dihapus")
    expect(ani.locator("#grid td.kol-kode", has_text=kode)).to_have_count(0)
    ani.fill("#cari-q", kode)
    result = ani.locator("#hasil-cari li", has_text=kode)
    expect(result).to_contain_text(nama)
    _shot(ani, "05-cari-nomenklatur")
    result.locator("button").click()
    expect(ani.locator(".berhasil")).to_contain_text(f"sub kegiatan {kode} ditambahkan")
    row = ani.locator("#grid tr[data-level='sub_kegiatan']", has=ani.locator("td.kol-kode", has_text=kode))
    expect(row).to_have_count(1)

    # type the pagu the Indonesian way: the totals change before saving
    years = ani.locator("#grid").get_attribute("data-years").split(",")
    last = years[-1]
    cell = row.locator(f"input.pagu[data-year='{last}']")
    cell.click()
    ani.keyboard.type("1.500.000")
    for key in (keg_key, prog_key, "jumlah"):
        expect(ani.locator(f"output[data-total='{key}'][data-year='{last}']")).to_have_text("1.500.000")
    expect(ani.locator(f"output[data-total='jumlah'][data-year='akhir']")).to_have_text("1.500.000")
    _shot(ani, "06-tabel-6-2")
    ani.keyboard.press("Control+s")  # save from the keyboard
    expect(ani.locator(".berhasil")).to_contain_text(f"pagu {last} {kode}")
    expect(row.locator(f"input.pagu[data-year='{last}']")).to_have_value("1.500.000")
    expect(ani.locator(f"output[data-total='jumlah'][data-year='{last}']")).to_have_text("1.500.000")
    expect(ani.locator("#temuan")).to_contain_text("Temuan pemeriksaan")
    expect(ani.locator("#temuan li").first).to_be_visible()
    # keyboard moves: Enter goes to the same column of the next editable row
    cell = row.locator(f"input.pagu[data-year='{last}']")
    cell.focus()
    ani.keyboard.press("Enter")
    assert ani.evaluate("document.activeElement.dataset.col") == f"p{last}"

    # build the final PDF in the background, watch its progress, preview and download it
    ani.click("text=Dinas Sosial Kabupaten Contoh")
    ani.click("button:has-text('Renstra PDF final')")
    ani.wait_for_url(re.compile(r".*/pekerjaan/[0-9a-f-]+/$"))
    expect(ani.locator("#status")).to_have_attribute("data-status", "selesai", timeout=400_000)
    expect(ani.locator("iframe.pratinjau")).to_be_visible()
    ani.wait_for_timeout(1500)
    _shot(ani, "07-pekerjaan-pdf")
    pdf_link = ani.locator("#status a[href$='.pdf']")
    with ani.expect_download() as dl:
        pdf_link.click()
    target = tmp_path / "renstra.pdf"
    dl.value.save_as(target)
    assert target.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True).stdout
    flat = " ".join(text.split())
    assert "1.500.000" in flat
    assert kode in flat
    ani.click("text=Riwayat")
    expect(ani.locator("table.daftar")).to_contain_text("Ani Penyusun")
    _shot(ani, "08-riwayat")
    ani.click("header >> text=Identitas")
    expect(ani.locator("form.formulir")).to_contain_text("Nama kepala")
    _shot(ani, "10-identitas")
    ani.click("header >> text=Naskah")
    ani.click("button:has-text('Pratinjau')")
    expect(ani.locator(".pratinjau-naskah h3").first).to_be_visible()
    _shot(ani, "11-naskah-pratinjau")
    ani.click("header >> text=Impor Excel")
    expect(ani.locator("input[type=file]")).to_be_visible()
    _shot(ani, "12-impor-excel")
    assert not [e for e in ani.errors if "Content Security Policy" in e], ani.errors

    # the verifikator reads the office, cannot change it
    vera = _page(browser, server)
    _login(vera, server, "vera", "sandi-vera-uji-123")
    vera.goto(url + "/k/dinsos-contoh/tabel-6-2/")
    expect(vera.locator("#simpan")).to_have_count(0)
    expect(vera.locator("#cari-q")).to_have_count(0)
    vrow = vera.locator("#grid tr[data-level='sub_kegiatan']", has=vera.locator("td.kol-kode", has_text=kode))
    expect(vrow.locator(f"input.pagu[data-year='{last}']")).to_have_value("1.500.000")
    expect(vrow.locator(f"input.pagu[data-year='{last}']")).to_have_attribute("readonly", "")
    _shot(vera, "09-verifikator-baca-saja")
    vera.goto(url + "/k/dinsos-contoh/")
    expect(vera.locator("button", has_text="Renstra PDF final")).to_have_count(0)
    expect(vera.locator("#status, table.daftar").first).to_contain_text("Selesai")


def test_forms_of_the_cascade_and_a_table_and_finding_links_open_their_field(browser, server):
    """Issue 30: the cascade and a generic table edited in their forms, saved from the keyboard; the findings
    panel sets the baseline apart; a finding's link opens the page with its row highlighted and focused."""
    expect = playwright_sync.expect
    url = server["url"]
    page = _page(browser, server)
    _login(page, server, "admin", ADMIN_PASSWORD)
    page.goto(url + "/k/demo/")
    expect(page.locator("#temuan .ringkas")).to_contain_text("0 galat · 0 peringatan baru · 90 sudah dikenal")
    expect(page.locator("details.dikenal")).not_to_have_attribute("open", "")
    page.click("text=Tabel lain, gambar, lampiran dan masukan Renja")
    expect(page.locator("body")).to_contain_text("Masukan Renja per tahun")
    _shot(page, "13-konten-daftar")

    # the cascade: a target typed the Indonesian way, and one that makes a new finding
    page.goto(url + "/k/demo/")
    page.click("text=Kaskade kinerja — tujuan, sasaran, indikator")
    target = page.locator("[id='sel-indikator.0.target.2026']")
    expect(target).to_have_value("14,70")
    target.fill("14,5")
    page.locator("[id='sel-indikator.1.target.2026']").fill("abc")
    _shot(page, "14-kaskade")
    page.keyboard.press("Control+s")
    expect(page.locator(".berhasil")).to_contain_text("Target · 2026")
    expect(page.locator("[id='sel-indikator.0.target.2026']")).to_have_value("14,5")

    # a generic table's cell (the assets table, jenis umum: rows of cells)
    page.goto(url + "/k/demo/konten/?berkas=tabel/aset.yaml")
    cell = page.locator("[id='sel-baris.1.3']")
    expect(cell).to_have_value("2.199 m2")
    cell.fill("2.200 m2")
    _shot(page, "15-tabel-umum")
    page.click("#simpan")
    expect(page.locator(".berhasil")).to_contain_text("2.200 m2")
    expect(page.locator("[id='sel-baris.1.3']")).to_have_value("2.200 m2")
    page.goto(url + "/k/demo/konten/?berkas=tabel/capaian-kinerja.yaml")
    _shot(page, "15b-tabel-capaian")

    # the panel: the new finding first and counted, its link opens the indicator's row, focused
    page.goto(url + "/k/demo/")
    # (the new 2026 target also changes a known finding's figures: that one counts as new, as in the CLI)
    expect(page.locator("#temuan .ringkas")).to_contain_text(re.compile(r"0 galat · [12] peringatan baru · 8[89] sudah"))
    new = page.locator("#temuan ol.baru li", has_text="satuan target berubah")
    expect(new).to_have_count(1)
    _shot(page, "16-temuan-baru")
    new.locator("a").click()
    page.wait_for_url(re.compile(r".*berkas=indikator\.yaml#baris-indikator\.1$"))
    expect(page.locator("[id='baris-indikator.1']")).to_have_class(re.compile("sorot"))
    expect(page.locator("[id='baris-indikator.1'] :focus")).to_have_count(1)  # an input of that row has the focus
    _shot(page, "17-tautan-temuan")

    # a known finding in another table opens its field (the rasio written for 2017)
    page.goto(url + "/k/demo/")
    page.click("details.dikenal summary")
    known = page.locator("details.dikenal li", has_text="rasio 2017: tertulis 127,42").locator("a")
    known.click()
    page.wait_for_url(re.compile(r".*capaian-kinerja\.yaml#sel-indikator\.0\.rasio_tertulis\.2017$"))
    expect(page.locator("[id='sel-indikator.0.rasio_tertulis.2017']")).to_be_focused()
    expect(page.locator("[id='sel-indikator.0.rasio_tertulis.2017']")).to_have_class(re.compile("sorot"))

    # the Renja inputs of a year: started, a realisasi row added
    page.goto(url + "/k/demo/konten/")
    page.click("button:has-text('Mulai masukan Renja 2024')")
    expect(page.locator("h1")).to_contain_text("Masukan Renja 2024")
    realisasi = page.locator("[id='bagian-realisasi']")
    realisasi.locator("input[name='n:kode']").fill("1.06.01.2.01.01")
    realisasi.locator("input[name='n:tahun']").fill("2022")
    realisasi.locator("input[name='n:rp']").fill("14.500.000")
    realisasi.locator("button:has-text('Tambah')").click()
    expect(page.locator("[id='sel-realisasi.0.rp']")).to_have_value("14.500.000")
    _shot(page, "18-renja-masukan")
    page.goto(url + "/k/demo/impor-konten/")
    expect(page.locator("input[type=file]")).to_be_visible()
    _shot(page, "19-impor-konten")
    assert not [e for e in page.errors if "Content Security Policy" in e], page.errors
