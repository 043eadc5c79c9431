#!/usr/bin/env bash
# End to end: a small sweep, then `mibench report` in every format, checked by the tools a
# reader would use: each SVG parses as XML, the HTML parses with balanced tags and renders in
# headless Chromium (every figure present in the rendered DOM, a non-empty screenshot), and the
# LaTeX table compiles with plain pdflatex + booktabs.
#   tests/report_formats.sh MIBENCH
set -euo pipefail
mibench=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/config.json" <<'JSON'
{"schema_version": 1, "seed": 5, "replicates": 2, "sample_sizes": [300, 600],
 "tasks": ["1v1-normal-0.75", "multinormal-dense-2-2-0.5", "multinormal-sparse-3-3-2-2.0"],
 "estimators": ["ksg", "gaussian", "infonce:batch=64,lr=0.01,eval_every=50,steps=200"],
 "cell_time_limit_s": 60}
JSON
"$mibench" run "$tmp/config.json" --out "$tmp/run" --threads 2 2>/dev/null
"$mibench" report "$tmp/run" --format md,csv,json,tex,svg,html --out "$tmp/report" >/dev/null 2>&1
cd "$tmp/report"
for f in report.md report.csv report.json report.tex report.html report.heatmap.svg \
         report.estimate-vs-n.svg report.runtime.svg report.samples-needed.svg \
         report.bias-vs-dimension.svg report.training-curves.svg; do
  [ -s "$f" ] || { echo "missing or empty: $f" >&2; exit 1; }
done

python3 - <<'PY'
import glob, json, sys, xml.etree.ElementTree as ET
from html.parser import HTMLParser
for f in glob.glob("*.svg"):
    root = ET.parse(f).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg", f
json.load(open("report.json"))
VOID = {"meta", "br", "img", "hr", "input", "link", "col", "area", "base", "source", "wbr",
        "circle", "line", "rect", "polygon", "polyline", "path"}
class Balanced(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack = []
    def handle_starttag(self, tag, attrs):
        if tag not in VOID: self.stack.append(tag)
    def handle_startendtag(self, tag, attrs): pass
    def handle_endtag(self, tag):
        if tag in VOID: return
        if not self.stack or self.stack[-1] != tag:
            sys.exit(f"report.html: </{tag}> closes <{self.stack[-1] if self.stack else None}>")
        self.stack.pop()
p = Balanced()
p.feed(open("report.html", encoding="utf-8").read())
p.close()
if p.stack: sys.exit(f"report.html: unclosed {p.stack}")
PY

printf '\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage{booktabs}\n\\begin{document}\n\\input{report.tex}\n\\end{document}\n' > paper.tex
pdflatex -interaction=nonstopmode -halt-on-error paper.tex >pdflatex.log 2>&1 ||
  { tail -20 pdflatex.log >&2; echo "report.tex does not compile" >&2; exit 1; }
[ -s paper.pdf ]

browser=$(command -v chromium || command -v chromium-browser)
"$browser" --headless --no-sandbox --disable-gpu --dump-dom "file://$PWD/report.html" \
  >dom.html 2>/dev/null
figures=$(grep -o '<figure id="[a-z-]*">' dom.html | wc -l)
[ "$figures" -eq 6 ] || { echo "rendered DOM has $figures figures, expected 6" >&2; exit 1; }
grep -q '<h2>Provenance</h2>' dom.html
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,900 \
  --screenshot="$PWD/shot.png" "file://$PWD/report.html" >/dev/null 2>&1
[ -s shot.png ]
echo "report formats: all parse, render and compile"
