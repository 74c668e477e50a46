#!/usr/bin/env bash
# Regenerates the pictures of the README from the real output:
# - docs/two-neurons.png: symann's standalone LaTeX, compiled by pdflatex, cropped by pdftoppm;
# - docs/wide-latex.png: the first page of a 16-input network's worked solution (pdflatex);
# - docs/wide-html.png: the same network's HTML page in headless Chromium, 500 px wide.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
symann solve examples/two-neurons.toml --format latex --standalone -o "$work/doc.tex"
(cd "$work" && pdflatex -interaction=nonstopmode -halt-on-error doc.tex >/dev/null)
pdftoppm -png -r 130 -singlefile -x 90 -y 80 -W 960 -H 620 "$work/doc.pdf" docs/two-neurons

# a 16-4-3 network: 16 inputs, a ReLU layer of 4, a softmax of 3 (weights k/100 - 0.5 ...)
python3 - "$work/wide.json" <<'PY'
import json, sys
weights = lambda rows, cols, seed: [[round(((r * 7 + c * 13 + seed) % 19) / 20 - 0.45, 2)
                                     for c in range(cols)] for r in range(rows)]
network = {"title": "A wide layer: 16 inputs, 4 ReLU neurons, softmax of 3",
           "inputs": [round(((k * 5) % 11) / 10 - 0.5, 1) for k in range(16)],
           "layers": [{"weights": weights(4, 16, 3), "biases": [0.1, -0.2, 0.05, 0],
                       "activation": "relu"},
                      {"weights": weights(3, 4, 5), "biases": [0, 0.1, -0.1],
                       "activation": "softmax"}]}
json.dump(network, open(sys.argv[1], "w"))
PY
symann solve "$work/wide.json" --format latex --standalone -o "$work/wide.tex"
(cd "$work" && pdflatex -interaction=nonstopmode -halt-on-error wide.tex >/dev/null)
pdftoppm -png -r 110 -singlefile -f 1 -x 80 -y 70 -W 800 -H 860 "$work/wide.pdf" docs/wide-latex
symann solve "$work/wide.json" --format html -o "$work/wide.html"
chromium --headless --no-sandbox --disable-gpu --user-data-dir="$work/profile" \
    --hide-scrollbars --window-size=500,1500 --screenshot="$PWD/docs/wide-html.png" \
    "file://$work/wide.html" 2>/dev/null

# - docs/exercise-page.png, docs/solution-page.png: the first page of each sheet of
#   `symann exercise` for a roster of one student (pdflatex, pdftoppm)
printf 'student\nAda Lovelace\n' > "$work/roster.csv"
symann exercise --seed 2026 --architecture 2-2-1 --activation relu,sigmoid \
    --roster "$work/roster.csv" --formats latex --out "$work/week3"
for sheet in exercise solution; do
    (cd "$work/week3" && pdflatex -interaction=nonstopmode -halt-on-error $sheet.tex >/dev/null)
    pdftoppm -png -r 100 -singlefile -f 1 -x 60 -y 60 -W 760 -H 620 \
        "$work/week3/$sheet.pdf" "docs/$sheet-page"
done
