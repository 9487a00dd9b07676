#!/usr/bin/env bash
# Installs what Hearth needs on Debian / Raspberry Pi OS: Node.js 20+ and a compiler for the SQLite
# addon, then the npm packages (which build the hub). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
need=""
command -v g++ >/dev/null 2>&1 || need="$need build-essential python3"
# Speech recognition: Debian's pocketsphinx library and US English model (the addon builds against them).
[ -f /usr/include/pocketsphinx/pocketsphinx.h ] || need="$need libpocketsphinx-dev pkg-config"
[ -d /usr/share/pocketsphinx/model/en-us/en-us ] || need="$need pocketsphinx-en-us"
# Spoken replies: flite (the voice) and aplay (the hub's speaker).
command -v flite >/dev/null 2>&1 || need="$need flite"
command -v aplay >/dev/null 2>&1 || need="$need alsa-utils"
if ! command -v node >/dev/null 2>&1 || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then need="$need nodejs npm"; fi
if [ -n "$need" ]; then $SUDO apt-get update -qq && $SUDO apt-get install -y -qq $need; fi
if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  echo "Hearth needs Node.js 20 or newer; this system has $(node --version)." >&2
  echo "Debian 13 (trixie) and Raspberry Pi OS trixie ship Node.js 20 as the nodejs package; Debian 12 (bookworm) ships 18." >&2
  echo "Upgrade the system, or install a Node.js 20+ build for this machine, then run this again." >&2
  exit 1
fi
# package.json pins rollup (the test runner's bundler) to the newest release whose platform packages all
# exist in the registry, so the lock lists every platform and npm ci works on x64 and arm64 alike.
# onnxruntime-node ships its CPU binaries in the package; its install script would only fetch GPU extras.
export ONNXRUNTIME_NODE_INSTALL=skip
npm ci --no-audit --no-fund
