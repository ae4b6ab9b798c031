#!/usr/bin/env bash
# The composite action's one step (action.yml): runs the sdkgen command its
# inputs name. Inputs come as SDKGEN_* environment variables and are passed as
# single arguments, never evaluated. Exit codes are sdkgen's: 0 ok, 1 a check or
# diff found something, 2 bad input, 3 a bug in sdkgen.
set -euo pipefail

read -r -a sdkgen <<< "${SDKGEN:-sdkgen}"  # the tests run it from a checkout
config=()
if [ -n "${SDKGEN_CONFIG:-}" ]; then config=(--config "$SDKGEN_CONFIG"); fi
spec=()
if [ -n "${SDKGEN_SPEC:-}" ]; then spec=(--spec "$SDKGEN_SPEC"); fi

case "${SDKGEN_COMMAND:-}" in
  check)
    out=()
    if [ -n "${SDKGEN_OUT:-}" ]; then out=(--out "$SDKGEN_OUT"); fi
    exec "${sdkgen[@]}" generate --check "${spec[@]}" "${config[@]}" "${out[@]}"
    ;;
  diff)
    if [ -z "${SDKGEN_OLD:-}" ]; then
      echo "::error::sdkgen action: 'diff' needs the input 'old'" >&2
      exit 2
    fi
    new=()
    if [ -n "${SDKGEN_NEW:-}" ]; then new=("$SDKGEN_NEW"); fi
    exec "${sdkgen[@]}" diff "$SDKGEN_OLD" "${new[@]}" "${config[@]}" \
      --format "${SDKGEN_FORMAT:-github}" --fail-on "${SDKGEN_FAIL_ON:-breaking}"
    ;;
  release)
    if [ -z "${SDKGEN_SPEC:-}" ]; then
      echo "::error::sdkgen action: 'release' needs the input 'spec' (the new spec)" >&2
      exit 2
    fi
    exec "${sdkgen[@]}" release "${spec[@]}" --strict
    ;;
  *)
    echo "::error::sdkgen action: command must be check, diff or release, not '${SDKGEN_COMMAND:-}'" >&2
    exit 2
    ;;
esac
