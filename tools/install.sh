#!/usr/bin/env bash
# Installs what Hearth needs on Debian / Raspberry Pi OS: Node.js 20+ and a compiler for the SQLite
# addon, then the npm packages (which build the hub). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
# --service: also install the systemd unit (tools/systemd/hearth.service) and start it; --profile pi4|pi5|jetson-nano.
service=""; profile=""
while [ $# -gt 0 ]; do
  case "$1" in
    --service) service=1 ;;
    --profile) profile="${2:?--profile needs a name}"; shift ;;
    *) echo "install.sh: unknown option $1 (use --service, --profile NAME)" >&2; exit 2 ;;
  esac
  shift
done
if [ -n "$profile" ] && [ ! -f "firmware-config/profiles/$profile.yaml" ]; then
  echo "install.sh: no profile $profile; the profiles are: $(ls firmware-config/profiles | sed 's/\.yaml$//' | tr '\n' ' ')" >&2; exit 2
fi
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
need=""
command -v g++ >/dev/null 2>&1 || need="$need build-essential python3"
# Speech recognition: Debian's pocketsphinx library and US English model (the addon builds against them).
[ -f /usr/include/pocketsphinx/pocketsphinx.h ] || need="$need libpocketsphinx-dev pkg-config"
[ -d /usr/share/pocketsphinx/model/en-us/en-us ] || need="$need pocketsphinx-en-us"
# Adapting pocketsphinx to the household's voices (hearth learn --voices, opt-in): sphinxtrain's bw, mllr_solve, map_adapt.
[ -x /usr/lib/sphinxtrain/bw ] || need="$need sphinxtrain"
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
[ -z "$service" ] && exit 0
# The service: a system user of its own (in the audio group for the microphone and speaker), state in /var/lib/hearth,
# the config in /etc/hearth/hearth.yaml (the documented defaults the first time; yours after).
id hearth >/dev/null 2>&1 || $SUDO useradd --system --home-dir /var/lib/hearth --shell /usr/sbin/nologin --groups audio hearth
$SUDO install -d -m 0755 /etc/hearth
[ -f /etc/hearth/hearth.yaml ] || $SUDO install -m 0640 -g hearth firmware-config/default-config.yaml /etc/hearth/hearth.yaml
sed -e "s#@HEARTH_DIR@#$(pwd)#g" -e "s#@NODE@#$(command -v node)#g" -e "s#@PROFILE_ARG@#${profile:+--profile $profile}#g" \
  tools/systemd/hearth.service | $SUDO tee /etc/systemd/system/hearth.service >/dev/null
$SUDO systemctl daemon-reload
$SUDO systemctl enable --now hearth.service
echo "Hearth runs as a service: systemctl status hearth; journalctl -u hearth -f. Edit /etc/hearth/hearth.yaml, then systemctl restart hearth."
