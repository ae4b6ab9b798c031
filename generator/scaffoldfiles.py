# ruff: noqa: E501  (workflow lines are as long as their commands)
"""The GitHub workflows ``sdkgen init`` writes (scaffold.py): the API diff on
pull requests that change spec/, and a scheduled release pull request."""

from __future__ import annotations

from . import __version__


def diff_workflow(spec_name: str) -> str:
    return f"""# What a change to spec/ changes for SDK users (sdkgen diff), on each pull
# request; fails on a breaking change unless the pull request carries the label
# accept-breaking-api. Written by `sdkgen init`.
name: sdk-diff

on:
  pull_request:
    paths: ["spec/**"]
    types: [opened, synchronize, reopened, labeled, unlabeled]

jobs:
  diff:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: Install sdkgen
        # The repository variable SDKGEN_INSTALL says where from (a pip
        # requirement, e.g. git+https://...@v0.1.0); else the published one.
        run: python3 -m pip install -q "${{SDKGEN_INSTALL:-meetingbaas-sdkgen=={__version__}}}"
        env:
          SDKGEN_INSTALL: ${{{{ vars.SDKGEN_INSTALL }}}}
      - name: What changes for SDK users
        run: sdkgen diff "git:origin/${{{{ github.base_ref }}}}:spec/{spec_name}" --format github --fail-on "$FAIL_ON"
        env:
          FAIL_ON: ${{{{ contains(github.event.pull_request.labels.*.name, 'accept-breaking-api') && 'never' || 'breaking' }}}}
      - name: generated/ is what the spec makes
        run: sdkgen generate --check
"""


def release_workflow(spec_name: str) -> str:
    return f"""# Every weekday: fetch the spec from the repository variable SDK_SPEC_URL and,
# if it changes the SDK, open a pull request made by `sdkgen release` (new spec,
# regenerated generated/, bumped version, changelog entry) whose body is the
# markdown diff. Written by `sdkgen init`.
name: sdk-release

on:
  schedule:
    - cron: "41 6 * * 1-5"
  workflow_dispatch:

permissions:
  contents: write
  pull-requests: write

jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: Install sdkgen
        # The repository variable SDKGEN_INSTALL says where from (a pip
        # requirement, e.g. git+https://...@v0.1.0); else the published one.
        run: python3 -m pip install -q "${{SDKGEN_INSTALL:-meetingbaas-sdkgen=={__version__}}}"
        env:
          SDKGEN_INSTALL: ${{{{ vars.SDKGEN_INSTALL }}}}
      - name: Fetch the spec
        run: |
          url="${{{{ vars.SDK_SPEC_URL }}}}"
          if [ -z "$url" ]; then echo "::error::set the repository variable SDK_SPEC_URL"; exit 2; fi
          curl -fsSL --retry 3 "$url" -o "$RUNNER_TEMP/live.spec"
          sdkgen diff spec/{spec_name} "$RUNNER_TEMP/live.spec" --config spec/sdkgen.toml --format markdown --fail-on never > "$RUNNER_TEMP/diff.md"
      - name: Release
        id: release
        run: |
          sdkgen release --spec "$RUNNER_TEMP/live.spec" --strict | tee "$RUNNER_TEMP/release.txt"
          version=$(python3 -c 'import tomllib; print(tomllib.load(open("spec/sdkgen.toml", "rb"))["package"]["version"])')
          echo "version=$version" >> "$GITHUB_OUTPUT"
          if git diff --quiet; then echo "changed=false" >> "$GITHUB_OUTPUT"; else echo "changed=true" >> "$GITHUB_OUTPUT"; fi
      - name: Open the pull request
        if: steps.release.outputs.changed == 'true'
        env:
          # A PR opened with GITHUB_TOKEN starts no workflows: use a token of
          # your own (secret RELEASE_TOKEN) so that sdk-diff checks it.
          GH_TOKEN: ${{{{ secrets.RELEASE_TOKEN || github.token }}}}
          VERSION: ${{{{ steps.release.outputs.version }}}}
        run: |
          branch="sdk-release/$VERSION"
          git config user.name "sdkgen release"
          git config user.email "sdkgen-release@users.noreply.github.com"
          git switch -c "$branch"
          git add -A spec generated
          git commit -q -m "SDK $VERSION from the API spec"
          git push -f origin "$branch"
          if gh pr view "$branch" > /dev/null 2>&1; then
            gh pr edit "$branch" --title "SDK $VERSION: API update" --body-file "$RUNNER_TEMP/diff.md"
          else
            gh pr create --head "$branch" --title "SDK $VERSION: API update" --body-file "$RUNNER_TEMP/diff.md"
          fi
"""
