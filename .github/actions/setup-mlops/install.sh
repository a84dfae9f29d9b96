#!/usr/bin/env bash
# Installs the mlops command into $MLOPS_HOME (bin/mlops, mlops.jar, lib/), for CI jobs and release packaging.
#   MLOPS_SOURCE=release MLOPS_VERSION=0.1.0  download the release archive, check its SHA-256, unpack it
#   MLOPS_SOURCE=build                        build it from the mlops repository in the current folder
# MLOPS_DOWNLOAD_URL (default: the GitHub releases of mlops-dev/mlops) serves v<version>/mlops-<version>.tar.gz
# and its .sha256; point it at a mirror when runners cannot reach GitHub.
set -euo pipefail
: "${MLOPS_HOME:?MLOPS_HOME must name the folder to install into}"
source="${MLOPS_SOURCE:-release}"
staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT

case "$source" in
  build)
    [[ -x ./mvnw && -f cli/pom.xml ]] || { echo "install.sh: MLOPS_SOURCE=build needs the mlops repository in $(pwd)" >&2; exit 2; }
    ./mvnw -B -ntp -q -pl cli -am -DskipTests package >&2
    cp cli/target/mlops.jar "$staging/"
    cp -r cli/target/lib "$staging/lib"
    ;;
  release)
    version="${MLOPS_VERSION:?MLOPS_VERSION must name the release, e.g. 0.1.0}"
    [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([.-][A-Za-z0-9.]+)?$ ]] || { echo "install.sh: '$version' is not a release version" >&2; exit 2; }
    base="${MLOPS_DOWNLOAD_URL:-https://github.com/mlops-dev/mlops/releases/download}/v$version"
    archive="mlops-$version.tar.gz"
    curl -fsSL --retry 3 --max-time 300 -o "$staging/$archive" "$base/$archive"
    curl -fsSL --retry 3 --max-time 60 -o "$staging/$archive.sha256" "$base/$archive.sha256"
    (cd "$staging" && echo "$(cut -d' ' -f1 "$archive.sha256")  $archive" | sha256sum -c --quiet -)
    tar -xzf "$staging/$archive" -C "$staging" --strip-components=1
    rm -f "$staging/$archive" "$staging/$archive.sha256"
    ;;
  *)
    echo "install.sh: MLOPS_SOURCE must be 'release' or 'build', got '$source'" >&2
    exit 2
    ;;
esac

mkdir -p "$staging/bin"
cat > "$staging/bin/mlops" <<'LAUNCHER'
#!/usr/bin/env bash
# mlops launcher of an installed distribution.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# nodelay: the JDK HTTP server otherwise stalls keep-alive responses by ~40 ms (Nagle + delayed ACK).
exec java ${MLOPS_JAVA_OPTS:-} -Dsun.net.httpserver.nodelay=true -jar "$here/mlops.jar" "$@"
LAUNCHER
chmod +x "$staging/bin/mlops"
rm -rf "$MLOPS_HOME"
mkdir -p "$(dirname "$MLOPS_HOME")"
cp -r "$staging" "$MLOPS_HOME"
"$MLOPS_HOME/bin/mlops" --version
