"""Click's own texts (usage, errors, prompts) in Bahasa Indonesia, through the gettext hooks it calls."""

from __future__ import annotations

import importlib

TEXTS = {
    "Usage:": "Pemakaian:",
    "Options": "Pilihan",
    "Commands": "Perintah",
    "Positional arguments": "Argumen",
    "Show this message and exit.": "Tampilkan bantuan ini lalu keluar.",
    "Show the version and exit.": "Tampilkan versi lalu keluar.",
    "Aborted!": "Dibatalkan.",
    "Error: {message}": "Galat: {message}",
    "Try '{command} {option}' for help.": "Coba '{command} {option}' untuk bantuan.",
    "Missing argument": "Argumen belum diisi",
    "Missing option": "Pilihan belum diisi",
    "Missing parameter": "Parameter belum diisi",
    "Missing {param_type}": "{param_type} belum diisi",
    "Missing command.": "Perintah belum ditulis.",
    "Missing parameter: {param_name}": "Parameter belum diisi: {param_name}",
    "No such command {name!r}.": "Perintah {name!r} tidak ada.",
    "No such option {name!r}.": "Pilihan {name!r} tidak ada.",
    "Option {name!r} does not take a value.": "Pilihan {name!r} tidak menerima nilai.",
    "Invalid value for {param_hint}: {message}": "Nilai tidak sah untuk {param_hint}: {message}",
    "Invalid value: {message}": "Nilai tidak sah: {message}",
    "{value!r} is not a valid {number_type}.": "{value!r} bukan {number_type} yang sah.",
    "{value} is not in the range {range}.": "{value} di luar rentang {range}.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} tidak ada.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} adalah folder.",
    "{name} {filename!r} is a file.": "{name} {filename!r} adalah berkas, bukan folder.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} tidak dapat dibaca.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} tidak dapat ditulis.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} tidak dapat dijalankan.",
    "Could not open file {filename!r}: {message}": "Berkas {filename!r} tidak dapat dibuka: {message}",
    "file": "berkas",
    "directory": "folder",
    "path": "jalur",
    "Path": "Jalur",
    "File": "Berkas",
    "Directory": "Folder",
    "integer": "bilangan bulat",
    "float": "angka",
    "boolean": "true/false",
    "default: {default}": "bawaan: {default}",
    "required": "wajib",
    "env var: {var}": "variabel lingkungan: {var}",
    "Do you want to continue?": "Lanjutkan?",
    "Repeat for confirmation": "Ulangi untuk konfirmasi",
    "Error: invalid input": "Galat: masukan tidak sah",
    "Error: The two entered values do not match.": "Galat: kedua nilai yang dimasukkan tidak sama.",
    "Press any key to continue...": "Tekan tombol apa saja untuk melanjutkan...",
    "unknown error": "galat tidak dikenal",
    "Value must be an iterable.": "Nilai harus berupa daftar.",
    "Choose from:\n\t{choices}": "Pilih salah satu:\n\t{choices}",
}
PLURALS = {
    "Got unexpected extra argument ({args})": "Argumen tambahan tidak diharapkan ({args})",
    "Got unexpected extra arguments ({args})": "Argumen tambahan tidak diharapkan ({args})",
    "Did you mean {possibility}?": "Maksud Anda {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Maksud Anda salah satu dari: {possibilities}?)",
    "Option {name!r} requires an argument.": "Pilihan {name!r} memerlukan nilai.",
    "Option {name!r} requires {nargs} arguments.": "Pilihan {name!r} memerlukan {nargs} nilai.",
    "{value!r} is not {choice}.": "{value!r} bukan {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} bukan salah satu dari {choices}.",
    "{value!r} does not match the format {format}.": "{value!r} tidak sesuai bentuk {format}.",
    "{value!r} does not match the formats {formats}.": "{value!r} tidak sesuai bentuk {formats}.",
    "Takes {nargs} values but 1 was given.": "Memerlukan {nargs} nilai, tertulis 1.",
    "Takes {nargs} values but {len} were given.": "Memerlukan {nargs} nilai, tertulis {len}.",
}

MODULES = ["core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils"]


def gettext(message: str) -> str:
    return TEXTS.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    message = singular if n == 1 else plural
    return PLURALS.get(message, message)


def install() -> None:
    """Point click's modules at the translations above (click reads `_`/`ngettext` at call time)."""
    for name in MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
    # the metavar of an option is its type's name in capitals ("--periode TEXT"): name them in Indonesian
    from click import types

    types.StringParamType.name = "teks"
    types.IntParamType.name = "bilangan bulat"
    types.FloatParamType.name = "angka"
