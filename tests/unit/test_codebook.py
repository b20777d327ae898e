from analysis.config import project_root
from analysis.data.codebook import codebook_markdown
from analysis.data.tables import specs


def test_committed_codebook_is_generated_from_the_schemas():
    committed = (project_root() / "docs" / "codebook.md").read_text(encoding="utf-8")
    assert committed == codebook_markdown(), "docs/codebook.md is stale: run `peaceops data codebook`"


def test_every_column_of_every_table_is_described():
    for name, spec in specs().items():
        for col, c in spec.schema.columns.items():
            assert c.description and len(c.description) > 5, f"{name}.{col}"


def test_codebook_lists_every_table_with_key_and_unit():
    md = codebook_markdown()
    for name, spec in specs().items():
        assert f"## `{name}`" in md
        assert f"- unit of analysis: {spec.unit}" in md
