#!/usr/bin/env bash
# Regenerates docs/two-neurons.png from the real output: symann's standalone LaTeX,
# compiled by pdflatex, the page cropped to the text by pdftoppm.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
symann solve examples/two-neurons.toml --format latex --standalone -o "$work/doc.tex"
(cd "$work" && pdflatex -interaction=nonstopmode -halt-on-error doc.tex >/dev/null)
pdftoppm -png -r 130 -singlefile -x 90 -y 80 -W 960 -H 620 "$work/doc.pdf" docs/two-neurons
rm -rf "$work"
