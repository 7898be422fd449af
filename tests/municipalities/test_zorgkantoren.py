"""The zorgkantoor data: only current municipalities, each in one region, every entry sourced."""

import yaml

from municipalities.importer import REGISTER_CSV, read_register
from municipalities.zorgkantoren import ZORGKANTOREN_FILE, load_zorgkantoren


def test_every_listed_municipality_exists_and_lies_in_one_region():
    codes = {row.cbs_code for row in read_register(REGISTER_CSV)}
    regions = yaml.safe_load(ZORGKANTOREN_FILE.read_text(encoding="utf-8"))["zorgkantoren"]
    listed = [code for region in regions for code in region["gemeenten"]]
    assert set(listed) <= codes
    assert len(listed) == len(set(listed)) == len(load_zorgkantoren())


def test_every_zorgkantoor_names_an_https_source_and_a_check_date():
    for zorgkantoor in load_zorgkantoren().values():
        assert zorgkantoor.source.startswith("https://") and zorgkantoor.checked.year >= 2026
        assert zorgkantoor.website is None or zorgkantoor.website.startswith("https://")
