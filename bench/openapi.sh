#!/usr/bin/env bash
# Side-by-side benchmark of launchgate's OpenAPI checks against Spectral
# (OWASP ruleset) and vacuum.
# Usage: bench/openapi.sh [-n RUNS] [-keep] [-timeout 15m] [SPEC...]
# SPEC is a file or one of small, github, github-deref. See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
exec go run ./bench/openapi "$@"
