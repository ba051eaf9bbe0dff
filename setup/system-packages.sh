#!/usr/bin/env sh
# Debian/Ubuntu packages the analyser uses beside Python: Tesseract with Dutch and English data
# (reading photos and scanned PDFs); with --tests also Chromium and the font the tests draw with.
# Installs only what is missing. Without apt-get it says what to install and goes on: the page
# and the analyser work without OCR (a photo then gets one clear message).
set -eu

packages=""
langs="$(tesseract --list-langs 2>/dev/null || true)"
for lang in nld eng; do
  if ! printf '%s\n' "$langs" | grep -qx "$lang"; then
    packages="tesseract-ocr tesseract-ocr-nld tesseract-ocr-eng"
  fi
done
if [ "${1:-}" = "--tests" ]; then
  [ -x /usr/bin/chromium ] || packages="$packages chromium"
  [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || packages="$packages fonts-dejavu-core"
fi
[ -n "$packages" ] || exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "Not installed: $packages (no apt-get here; install them with your package manager to read photos and scans)." >&2
  exit 0
fi
sudo=""
if [ "$(id -u)" != "0" ]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086  # the package list is meant to split into words
$sudo apt-get install -y -qq $packages >/dev/null
