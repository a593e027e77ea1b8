from renstra_gen.workflows.build import build
from tests.conftest import FIXTURES


def test_two_builds_are_byte_identical(tmp_path):
    a = build(FIXTURES / "minimal", tmp_path / "a").written
    b = build(FIXTURES / "minimal", tmp_path / "b").written
    assert [p.name for p in a] == [p.name for p in b]
    for x, y in zip(a, b):
        assert x.read_bytes() == y.read_bytes(), x.name


def test_source_date_epoch_sets_zip_times(tmp_path, monkeypatch):
    import zipfile
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    for path in build(FIXTURES / "minimal", tmp_path).written:
        assert {i.date_time for i in zipfile.ZipFile(path).infolist()} == {(2023, 11, 14, 22, 13, 20)}
