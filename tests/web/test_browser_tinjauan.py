"""One whole review round in a real browser (Playwright, Debian's Chromium) against `renstra serve`:
the penyusun submits; the verifikator adds notes on a BAB paragraph and a Tabel 6.2 row and returns
it; the penyusun answers and resubmits; the verifikator verifies; the kepala approves; the final PDF
(with its empty signature field) downloads; a PDF signed with a test certificate uploads and verifies;
the Halaman Verifikasi of the printed document lists the verifier with the NIP and unit of the account.
Screenshots at 1366x768 go to $RENSTRA_SCREENSHOTS when it is set."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import pytest

from tests.web.test_browser import ROOT, _login, _page, _shot, browser, playwright_sync, server  # noqa: F401

pytestmark = [pytest.mark.browser]

ACCOUNTS = """
import django; django.setup()
from django.contrib.auth.models import User
from renstra_gen.web.kantor.models import Office, Profile
from renstra_gen.web.tinjauan.models import ProfilPemeriksa
demo = Office.objects.get(slug="demo")
for username, role, office, first, last in (("ani", "penyusun", demo, "Ani", "Penyusun"),
                                             ("vera", "verifikator", None, "Vera", "Verifikator"),
                                             ("maria", "kepala", demo, "Maria", "Kepala")):
    u = User.objects.create_user(username, "", f"sandi-{username}-uji-123", first_name=first, last_name=last)
    Profile.objects.create(user=u, role=role, office=office)
ProfilPemeriksa.objects.create(user=User.objects.get(username="vera"), nama="Vera Verifikator, S.E., M.Si",
                               nip="19900101 201501 2 001", jabatan="Perencana Ahli Muda", unit="Bappeda Kabupaten Uji")
"""


def _pdftext(path) -> str:
    return " ".join(subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())


def test_one_whole_review_round(browser, server, tmp_path):  # noqa: F811
    from renstra_gen.web import engine
    from tests.certs import PASSWORD, make_ca, make_p12

    expect = playwright_sync.expect
    url, data = server["url"], server["data"]
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env.update(RENSTRA_DATA=str(data), RENSTRA_SECRET_KEY="uji-" + "k" * 40,
               DJANGO_SETTINGS_MODULE="renstra_gen.web.settings")
    subprocess.run([sys.executable, "-c", ACCOUNTS], cwd=ROOT, env=env, check=True)
    ca = make_ca()
    (data / "tte-akar").mkdir()
    ca.write_pem(data / "tte-akar" / "akar.pem")
    doc_url = url + "/k/demo/tinjauan/renstra/"

    # the penyusun submits the Renstra
    ani = _page(browser, server)
    _login(ani, server, "ani", "sandi-ani-uji-123")
    ani.goto(url + "/k/demo/tinjauan/")
    _shot(ani, "21-tinjauan-daftar")
    ani.click("table.daftar a:text-is('Renstra')")
    ani.click("button[data-aksi='ajukan']")
    expect(ani.locator("#status-dokumen")).to_have_attribute("data-status", "diajukan")
    ani.goto(url + "/k/demo/tinjauan/")  # the content is frozen while the version is under review
    expect(ani.locator(".peringatan")).to_contain_text("tidak dapat diubah")
    _shot(ani, "21b-tinjauan-beku")
    ani.goto(url + "/k/demo/tabel-6-2/")
    expect(ani.locator("#simpan")).to_have_count(0)

    # the verifikator: notes on a BAB paragraph and on a row of Tabel 6.2, then returns it
    vera = _page(browser, server)
    _login(vera, server, "vera", "sandi-vera-uji-123")
    vera.goto(url + "/profil-pemeriksa/")
    expect(vera.locator("#id_nip")).to_have_value("19900101 201501 2 001")
    _shot(vera, "20-profil-pemeriksa")
    vera.goto(url + "/tinjauan/")
    expect(vera.locator("table.tinjauan-ringkasan")).to_contain_text("Renstra: Diajukan")
    _shot(vera, "22-tinjauan-ikhtisar")
    vera.click("table.tinjauan-ringkasan a:text-is('Renstra')")
    paragraf = vera.locator("#id_letak option[value^='paragraf|bab/2-']").nth(2).get_attribute("value")
    baris = vera.locator("#id_letak option[value^='baris|1.06.']").nth(6).get_attribute("value")
    vera.select_option("#id_letak", paragraf)
    vera.fill("#id_isi", "BAB II: realisasi 2025 belum sesuai LKPJ")
    vera.click("button:has-text('Tambah catatan')")
    expect(vera.locator(".pesan")).to_contain_text("Catatan ditambahkan")
    vera.select_option("#id_letak", baris)
    vera.fill("#id_isi", "Kolom catatan kosong untuk sub kegiatan ini")
    vera.click("button:has-text('Tambah catatan')")
    rows = vera.locator("#catatan tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Paragraf BAB: BAB II")
    expect(rows.nth(1)).to_contain_text(f"Baris (kode): {baris.split('|')[1]}")
    _shot(vera, "23-catatan-verifikator")
    vera.click("button[data-aksi='kembalikan']")
    expect(vera.locator("#status-dokumen")).to_have_attribute("data-status", "dikembalikan")

    # the penyusun answers every note and resubmits
    ani.goto(doc_url)
    for n, text in ((1, "Realisasi 2025 disesuaikan dengan LKPJ"), (2, "Kolom catatan sudah diisi")):
        ani.fill(f"textarea[aria-label='jawaban catatan {n}']", text)
        ani.locator(f"#catatan tbody tr:nth-child({n}) button:has-text('Simpan jawaban')").click()
        expect(ani.locator(".pesan")).to_contain_text("Catatan diperbarui")
    expect(ani.locator("#catatan tbody tr[data-keadaan='dijawab']")).to_have_count(2)
    _shot(ani, "24-jawaban-penyusun")
    ani.click("button[data-aksi='ajukan_ulang']")
    expect(ani.locator("#status-dokumen")).to_have_attribute("data-status", "diajukan_ulang")

    # the verifikator verifies; the kepala approves, which builds the final PDF with the record
    vera.goto(doc_url)
    expect(vera.locator("#catatan")).to_contain_text("Kolom catatan sudah diisi")
    vera.click("button[data-aksi='verifikasi']")
    expect(vera.locator("#status-dokumen")).to_have_attribute("data-status", "diverifikasi")
    maria = _page(browser, server)
    _login(maria, server, "maria", "sandi-maria-uji-123")
    maria.goto(doc_url)
    maria.click("button[data-aksi='setujui']")
    expect(maria.locator("#status-dokumen")).to_have_attribute("data-status", "disetujui")
    for _ in range(400):  # the build runs in the background; the page never waits for it
        if maria.locator("#unduh-pdf-final").count():
            break
        assert "Gagal" not in maria.locator("#ttd").inner_text()
        maria.wait_for_timeout(1000)
        maria.goto(doc_url)
    _shot(maria, "25-disetujui-pdf-final")
    with maria.expect_download() as dl:
        maria.click("#unduh-pdf-final")
    final = tmp_path / "final.pdf"
    dl.value.save_as(final)
    unsigned = engine.verify_signed(final.read_bytes(), [data / "tte-akar" / "akar.pem"])
    assert not unsigned.ok and "bidang tanda tangan yang masih kosong: TTE_Penutup" in " ".join(unsigned.lines)
    text = _pdftext(final)
    import re
    start = re.search(r"HALAMAN VERIFIKASI (?!\.)", text).start()  # the page, not its Daftar Isi entry
    page = text[start:start + 1500]
    assert "Vera Verifikator, S.E., M.Si" in page and "NIP. 19900101 201501 2 001" in page
    assert "Bappeda Kabupaten Uji" in page and "Atambua," in page
    # the Berita Acara Verifikasi follows it in the final PDF, and downloads as a document of its own
    ba = text[re.search(r"BERITA ACARA VERIFIKASI (?!\.)", text).start():][:3000]
    assert text.index("BERITA ACARA VERIFIKASI ", start) > start
    assert "Vera Verifikator, S.E., M.Si" in ba and "dalam 2 putaran" in ba and "TELAH DIVERIFIKASI" in ba
    expect(maria.locator("#unduh-ba-pdf")).to_be_visible()
    maria.locator("#berita-acara").scroll_into_view_if_needed()
    _shot(maria, "25b-berita-acara")
    with maria.expect_download() as dl:
        maria.click("#unduh-ba-pdf")
    dl.value.save_as(tmp_path / "ba.pdf")
    ba = " ".join(_pdftext(tmp_path / "ba.pdf").split())
    assert "BERITA ACARA VERIFIKASI" in ba and "NIP. 19900101 201501 2 001" in ba and "Bappeda Kabupaten Uji" in ba

    # signed in "the office's signing application" (here: the test certificate), uploaded and verified
    p12 = make_p12(ca, tmp_path / "maria.p12", "Maria Sabina Mau Taek")
    signed = tmp_path / "final-ttd.pdf"
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(1) as pool:  # pyhanko runs its own event loop; Playwright's is running in this thread
        signed.write_bytes(pool.submit(engine.sign_with_p12, final.read_bytes(), p12.read_bytes(), PASSWORD).result())
    maria.set_input_files("#id_berkas", str(signed))
    maria.click("button:has-text('Unggah dan periksa tanda tangan')")
    expect(maria.locator("#status-dokumen")).to_have_attribute("data-status", "ditandatangani")
    expect(maria.locator("#sha256")).to_have_text(hashlib.sha256(signed.read_bytes()).hexdigest())
    expect(maria.locator(".periksa-ttd")).to_contain_text("berantai ke CA Uji")
    _shot(maria, "26-ditandatangani")
    with maria.expect_download() as dl:
        maria.click("#unduh-ttd")
    dl.value.save_as(tmp_path / "resmi.pdf")
    assert (tmp_path / "resmi.pdf").read_bytes() == signed.read_bytes()
    for p in (ani, vera, maria):
        assert not [e for e in p.errors if "Content Security Policy" in e], p.errors
