"""The changelog ``sdkgen release`` keeps: hand-written ``## Unreleased`` notes
join the next release's entry."""

from __future__ import annotations

from generator.changelog import UNRELEASED, prepend, with_notes

ENTRY = """## 0.7.0 (2026-12-05)

From `api.yaml` (API 2.0). API diff: 0 breaking; suggested bump: minor.

### Added

- new method `client.bots.list()`

### Changed

- `Bot.name` is now optional
"""
OLDER = "## 0.6.0 (2026-12-04)\n\nFrom `api.yaml`.\n"


def test_notes_join_the_entry_section_by_section() -> None:
    changelog = (
        f"# Changelog\n\n{UNRELEASED}\n\nThe types moved.\n\n### Changed\n\n"
        f"- types live in public modules\n\n### Removed\n\n- `types._other`\n\n" + OLDER
    )
    out = prepend(changelog, ENTRY, "unused")
    assert UNRELEASED not in out
    new, older = out.split("\n## 0.6.0")
    assert older == OLDER.removeprefix("## 0.6.0")
    changed = new.split("### Changed\n\n")[1].split("\n\n")[0]
    # The release's own lines first, then the notes', under one heading.
    assert changed == "- `Bot.name` is now optional\n- types live in public modules"
    assert new.count("### Changed") == 1
    assert "### Removed\n\n- `types._other`" in new
    assert "suggested bump: minor.\n\nThe types moved.\n\n### Added" in new


def test_without_notes_the_entry_goes_on_top() -> None:
    changelog = "# Changelog\n\n" + OLDER
    assert prepend(changelog, ENTRY, "unused") == f"# Changelog\n\n{ENTRY}\n{OLDER}"


def test_notes_with_no_release_before_them() -> None:
    changelog = f"# Changelog\n\n{UNRELEASED}\n\n- a note\n"
    out = prepend(changelog, ENTRY, "unused")
    assert out.startswith("# Changelog\n\n## 0.7.0 (2026-12-05)")
    assert "suggested bump: minor.\n\n- a note\n\n### Added" in out
    assert out.endswith("- `Bot.name` is now optional\n")
    assert UNRELEASED not in out


def test_a_later_unreleased_heading_is_not_taken() -> None:
    """Only a leading ``## Unreleased`` holds notes for the next release."""
    changelog = f"# Changelog\n\n{OLDER}\n{UNRELEASED}\n\n- stale\n"
    out = prepend(changelog, ENTRY, "unused")
    assert out == f"# Changelog\n\n{ENTRY}\n{OLDER}\n{UNRELEASED}\n\n- stale\n"


def test_with_notes_keeps_an_entry_unchanged_without_notes() -> None:
    assert with_notes(ENTRY, "") == ENTRY
