#!/usr/bin/env bash
# Regenerates the README's screenshots (assets/screenshot*.png) from a real run of tasktui:
#   bash assets/screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v tmux >/dev/null || missing+=(tmux)
/usr/bin/python3 -c "import PIL" 2>/dev/null || missing+=(python3-pil)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ] || missing+=(fonts-dejavu-core)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
cargo build --release --locked --quiet
/usr/bin/python3 assets/screenshots.py
