#!/usr/bin/env python3
"""Checks one medsite build of a synthetic corpus before its times count.

usage: check_links.py OUTPUT_DIR CORPUS_DIR PAGES

1. OUTPUT_DIR/medications/*/index.html: exactly PAGES of them.
2. The first medication page alphabetically (by file name in
   CORPUS_DIR/content/medications/) contains the title from its front matter
   (HTML-escaped, as a page shows it) and the rating widget (`id="rate"`).
3. No broken internal links: every `href="/..."` and `src="/..."` in every
   HTML file under OUTPUT_DIR names an existing file (`index.html` for a
   folder address; `#fragment` and `?query` stripped, %-escapes decoded).
   Addresses starting with `//` (another host) are not internal.

Prints what it checked; exits 1 when a check failed, 2 on bad arguments.
Python 3 standard library only.
"""

import html
import os
import re
import sys
from urllib.parse import unquote

ATTR = re.compile(rb"""\b(href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def front_matter_title(path):
    """The `title` of a page's front matter (YAML `---` or TOML `+++`)."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for fence in ("---", "+++"):
        if text.startswith(fence + "\n"):
            end = text.find("\n" + fence, len(fence))
            block = text[len(fence) + 1 : end if end >= 0 else len(text)]
            for line in block.splitlines():
                m = re.match(r"\s*title\s*[:=]\s*(.*)$", line)
                if m:
                    v = m.group(1).strip()
                    if len(v) >= 2 and v[0] == v[-1] == '"':
                        v = v[1:-1].replace('\\"', '"').replace("\\\\", "\\")
                    elif len(v) >= 2 and v[0] == v[-1] == "'":
                        v = v[1:-1].replace("''", "'")
                    return v
    return None


def main():
    if len(sys.argv) != 4 or not sys.argv[3].isdigit():
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    out, corpus, pages = sys.argv[1], sys.argv[2], int(sys.argv[3])
    failures = []

    # 1. number of medication pages
    med_dir = os.path.join(out, "medications")
    written = 0
    if os.path.isdir(med_dir):
        for name in os.listdir(med_dir):
            if os.path.isfile(os.path.join(med_dir, name, "index.html")):
                written += 1
    line = f"medication pages written: {written} (expected {pages})"
    print(f"  {'ok  ' if written == pages else 'FAIL'} {line}")
    if written != pages:
        failures.append(line)

    # 2. sample page: title and rating widget
    src_dir = os.path.join(corpus, "content", "medications")
    sources = sorted(
        n for n in os.listdir(src_dir) if n.endswith(".md") and n != "_index.md"
    )
    if not sources:
        failures.append(f"no medication pages in {src_dir}")
        print(f"  FAIL no medication pages in {src_dir}")
    else:
        first = sources[0]
        slug = first[: -len(".md")]
        title = front_matter_title(os.path.join(src_dir, first))
        page = os.path.join(med_dir, slug, "index.html")
        rel = os.path.relpath(page, out)
        if not os.path.isfile(page):
            line = f"sample page {rel} (from {first}) is missing"
            print(f"  FAIL {line}")
            failures.append(line)
        else:
            with open(page, encoding="utf-8") as f:
                body = f.read()
            if not title:
                line = f"no title in the front matter of {first}"
                print(f"  FAIL {line}")
                failures.append(line)
            else:
                shown = html.escape(title, quote=False)
                ok = shown in body or title in body
                line = f"sample page {rel} contains its title {title!r}"
                print(f"  {'ok  ' if ok else 'FAIL'} {line}")
                if not ok:
                    failures.append(line + ": not found")
            ok = 'id="rate"' in body
            line = f'sample page {rel} contains the rating widget (id="rate")'
            print(f"  {'ok  ' if ok else 'FAIL'} {line}")
            if not ok:
                failures.append(line + ": not found")

    # 3. internal links
    exists = {}  # resolved path -> bool

    def resolve(url):
        path = url.split("#", 1)[0].split("?", 1)[0]
        path = unquote(path)
        rel = path.lstrip("/")
        target = os.path.join(out, rel)
        if path.endswith("/") or os.path.isdir(target):
            target = os.path.join(target, "index.html")
        return os.path.normpath(target)

    html_files = links = 0
    broken = []  # (file, url)
    broken_count = 0
    out_abs = os.path.abspath(out)
    for dirpath, _dirs, files in os.walk(out):
        for name in files:
            if not name.endswith(".html"):
                continue
            html_files += 1
            fpath = os.path.join(dirpath, name)
            with open(fpath, "rb") as f:
                data = f.read()
            for m in ATTR.finditer(data):
                raw = m.group(2) if m.group(2) is not None else m.group(3)
                if not raw.startswith(b"/") or raw.startswith(b"//"):
                    continue
                url = html.unescape(raw.decode("utf-8", "replace"))
                links += 1
                target = resolve(url)
                ok = exists.get(target)
                if ok is None:
                    inside = os.path.abspath(target).startswith(out_abs + os.sep)
                    ok = inside and os.path.isfile(target)
                    exists[target] = ok
                if not ok:
                    broken_count += 1
                    if len(broken) < 20:
                        broken.append((os.path.relpath(fpath, out), url))
    line = (
        f"internal links (href/src starting with /): {links} in {html_files} "
        f"HTML files, {len(exists)} distinct targets, {broken_count} broken"
    )
    print(f"  {'ok  ' if broken_count == 0 else 'FAIL'} {line}")
    if broken_count:
        failures.append(line)
        for f, u in broken:
            print(f"       {f}: {u}")
        if broken_count > len(broken):
            print(f"       ... and {broken_count - len(broken)} more")

    if failures:
        print(f"medsite output check FAILED ({len(failures)}):")
        for f in failures:
            print(f"  - {f}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
