"""Reasons for failures raised outside the package (the OS, zip, XML and PDF libraries), in Bahasa Indonesia.

Their own messages are English ("No such file or directory", "File is not a zip file"); a finding
names the file and says what is wrong in Indonesian instead. `--debug` still shows the original."""

from __future__ import annotations

import errno

#: errno -> what it means for the user
OS_REASONS = {
    errno.ENOENT: "berkas atau folder tidak ada",
    errno.EACCES: "tidak ada izin untuk membukanya",
    errno.EPERM: "tidak ada izin untuk membukanya",
    errno.EISDIR: "ini folder, bukan berkas",
    errno.ENOTDIR: "sebagian jalurnya bukan folder",
    errno.EEXIST: "sudah ada",
    errno.ENOSPC: "ruang penyimpanan penuh",
    errno.EDQUOT: "kuota penyimpanan habis",
    errno.EROFS: "penyimpanan hanya dapat dibaca",
    errno.ENAMETOOLONG: "nama berkas terlalu panjang",
    errno.ELOOP: "tautan simbolik berputar",
    errno.EBUSY: "sedang dipakai program lain",
    errno.ETXTBSY: "sedang dipakai program lain",
    errno.EIO: "galat baca/tulis perangkat penyimpanan",
    errno.EXDEV: "tidak dapat dipindah antar-penyimpanan",
    errno.EMFILE: "terlalu banyak berkas terbuka",
    errno.ENOTEMPTY: "folder tidak kosong",
}


def os_reason(e: OSError) -> str:
    """'berkas atau folder tidak ada' for ENOENT; the errno's name for one not listed."""
    if e.errno in OS_REASONS:
        return OS_REASONS[e.errno]
    name = errno.errorcode.get(e.errno or 0)
    return f"galat sistem {name}" if name else "galat sistem"


def reason(e: BaseException) -> str:
    """Why a file could not be read, whatever library failed on it."""
    import zipfile

    if isinstance(e, OSError) and e.errno is not None:
        return os_reason(e)
    if isinstance(e, zipfile.BadZipFile):
        return "bukan berkas zip/Office, atau berkasnya rusak"
    if isinstance(e, UnicodeError):
        return "pengodean teks tidak dikenal"
    if isinstance(e, MemoryError):
        return "berkas terlalu besar untuk dibaca"
    return "berkas rusak atau bentuknya tidak dikenal"
