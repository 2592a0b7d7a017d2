#!/usr/bin/env bash
# Side-by-side benchmark of launchgate against gitleaks and `git log -p`.
# Usage: bench/compare.sh [-n RUNS] [-staged-runs N] [-staged=false] [REPO_PATH]
# Without REPO_PATH it generates a synthetic repository. See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
exec go run ./bench/compare "$@"
