#!/usr/bin/env python3
"""Render an HTML report of `polytoken stats -o` in headless Chromium and check it.

    python tools/oracle/check_report_html.py REPORT.html --tokenizers N --bars N --cells N --curves N \
        [--png OUT.png] [--chromium /usr/bin/chromium]
    python tools/oracle/check_report_html.py --self-test [--chromium /usr/bin/chromium]

Checks: the page renders to a PNG of the window's width and of the page's whole height (measured by
a first run of Chromium on a copy of the page that logs document.documentElement.scrollHeight),
which is not blank; Chromium logs no console message for the page (--enable-logging=stderr --v=0
prints every console message, whatever its level, as a ":CONSOLE" line, so any one fails: a static
report logs nothing, and Chromium reports invalid SVG attributes there); the DOM Chromium dumps has
an <svg>, no <script>, no http:// or https:// (namespace declarations xmlns="http://www.w3.org/..."
aside) and the expected numbers of elements of class "bar", "cell" and "curve".

--self-test renders pages built to fail (console.error, an invalid SVG attribute, a wrong number of
bars, an external reference, no <svg>, a blank page) and a good page, and asserts that exactly the
expected checks fail: proof that the checks can fail.
"""
import argparse
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import zlib
from html.parser import HTMLParser

WIDTH = 1100
TIMEOUT = 60
MAX_HEIGHT = 16000
CONSOLE = re.compile(r":CONSOLE[:(]")
HEIGHT_MARK = "POLYTOKEN-CHECK-HEIGHT"
NAMESPACE = re.compile(r'\sxmlns(?::[\w-]+)?\s*=\s*(["\'])https?://www\.w3\.org/[^"\']*\1', re.IGNORECASE)


class Failure(Exception):
    pass


def find_chromium(requested):
    path = shutil.which(requested) if requested else (shutil.which("chromium") or shutil.which("chromium-browser"))
    if not path or not os.access(path, os.X_OK):
        raise SystemExit(f"check_report_html: Chromium not found ({requested or 'chromium on PATH'}); "
                         "install Debian's package: apt-get install -y --no-install-recommends chromium")
    return path


def run_chromium(chromium, url, arguments, height):
    """Run headless Chromium on url; returns (stdout, console lines). Own profile, 60 s limit."""
    with tempfile.TemporaryDirectory(prefix="check-report-chromium-") as profile:
        command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                   "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                   "--disable-background-networking", "--disable-component-update",
                   f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
                   f"--window-size={WIDTH},{height}", *arguments, url]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        try:
            stdout, stderr = process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise Failure(f"chromium did not finish within {TIMEOUT} s: {' '.join(command)}")
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
    stderr = stderr.decode("utf-8", "replace")
    if process.returncode != 0:
        raise Failure(f"chromium exited {process.returncode}: {' '.join(command)}\n{stderr[-3000:]}")
    console = [line for line in stderr.splitlines() if CONSOLE.search(line)]
    return stdout.decode("utf-8", "replace"), console


def page_height(chromium, path, scratch):
    """The page's height at WIDTH: a copy of it that logs scrollHeight on load, in a 100-pixel window."""
    with open(path, encoding="utf-8") as f:
        page = f.read()
    probe = (f'<script>window.addEventListener("load", () => console.log("{HEIGHT_MARK} " + '
             'Math.ceil(Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0))))</script>')
    at = page.lower().rfind("</body>")
    page = page[:at] + probe + page[at:] if at >= 0 else page + probe
    copy = os.path.join(scratch, "height-probe.html")
    with open(copy, "w", encoding="utf-8") as f:
        f.write(page)
    _, console = run_chromium(chromium, "file://" + copy, ["--dump-dom"], 100)
    for line in console:
        match = re.search(HEIGHT_MARK + r" (\d+)", line)
        if match:
            return int(match.group(1))
    raise Failure("could not measure the page's height (no height message on Chromium's console): " + "\n".join(console))


def read_png(path):
    """(width, height, rows of pixels as bytes, bytes per pixel) of an 8-bit non-interlaced PNG."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise Failure(f"{path} is not a PNG file")
    position, chunks, header = 8, [], None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        crc, = struct.unpack(">I", data[position + 8 + length:position + 12 + length])
        if zlib.crc32(kind + body) != crc:
            raise Failure(f"{path}: bad CRC in chunk {kind!r}")
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        elif kind == b"IEND":
            break
        position += 12 + length
    if header is None or not chunks:
        raise Failure(f"{path}: no IHDR or IDAT chunk")
    width, height, depth, colour, _, _, interlace = header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour)
    if depth != 8 or channels is None or interlace:
        raise Failure(f"{path}: unexpected PNG format (depth {depth}, colour type {colour}, interlace {interlace})")
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    if len(raw) != height * (stride + 1):
        raise Failure(f"{path}: image data of {len(raw)} bytes, not {height} rows of {stride + 1}")
    return width, height, unfilter(raw, width, height, channels), channels


def unfilter(raw, width, height, bpp):
    stride = width * bpp
    try:
        import numpy as np
    except ImportError:
        np = None
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if kind == 0:
            pass
        elif kind == 2 and np is not None:
            line = bytearray((np.frombuffer(line, np.uint8) + np.frombuffer(previous, np.uint8)).tobytes())
        elif kind == 1 and np is not None:
            pixels = np.frombuffer(line, np.uint8).reshape(width, bpp).astype(np.uint64)
            line = bytearray((np.cumsum(pixels, axis=0) % 256).astype(np.uint8).tobytes())
        elif kind in (1, 2, 3, 4):
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = previous[i]
                if kind == 1:
                    line[i] = (line[i] + a) & 255
                elif kind == 2:
                    line[i] = (line[i] + b) & 255
                elif kind == 3:
                    line[i] = (line[i] + ((a + b) >> 1)) & 255
                else:
                    c = previous[i - bpp] if i >= bpp else 0
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        else:
            raise Failure(f"unknown PNG filter type {kind} in row {y}")
        rows.append(bytes(line))
        previous = line
    return rows


def check_png(path, height):
    errors = []
    width, got_height, rows, bpp = read_png(path)
    if width != WIDTH:
        errors.append(f"screenshot width {width}, expected {WIDTH}")
    if got_height != height:
        errors.append(f"screenshot height {got_height}, expected {height}")
    colours = set()
    for row in rows[::4]:
        colours.update(row[i:i + bpp] for i in range(0, len(row), bpp * 2))
        if len(colours) > 64:
            break
    if len(colours) < 8:
        errors.append(f"screenshot looks blank: {len(colours)} distinct colours")
    return errors, len(colours), (width, got_height)


class Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.classes = {}
        self.tags = {}

    def handle_starttag(self, tag, attributes):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        for name, value in attributes:
            if name == "class" and value:
                for c in set(value.split()):
                    self.classes[c] = self.classes.get(c, 0) + 1

    handle_startendtag = handle_starttag


def check_dom(dom, expected):
    errors = []
    if not dom.strip():
        return ["Chromium dumped an empty DOM"]
    if re.search(r"<script", dom, re.IGNORECASE):
        errors.append("the DOM contains <script")
    external = re.findall(r"[^\s<>]{0,30}https?://[^\s<>]{0,60}", NAMESPACE.sub(" ", dom), re.IGNORECASE)
    if external:
        errors.append(f"the DOM references http:// or https://: {external[:3]}")
    if not re.search(r"<svg[\s>]", dom, re.IGNORECASE):
        errors.append("the DOM has no <svg")
    parser = Elements()
    parser.feed(dom)
    parser.close()
    counts = {}
    for name, number in expected.items():
        counts[name] = parser.classes.get(name, 0)
        if counts[name] != number:
            errors.append(f'elements of class "{name}": expected {number}, got {counts[name]}')
    return errors, counts


def check_report(chromium, path, expected, png=None):
    """All errors found in the report at path; raises Failure if Chromium itself fails."""
    path = os.path.abspath(path)
    if not os.path.isfile(path):
        raise Failure(f"no report at {path}")
    url = "file://" + path
    errors, summary = [], {}
    with tempfile.TemporaryDirectory(prefix="check-report-") as scratch:
        height = page_height(chromium, path, scratch)
        summary["page height"] = height
        if height > MAX_HEIGHT:
            errors.append(f"page height {height} px exceeds {MAX_HEIGHT}: only the top is captured")
            height = MAX_HEIGHT
        height = max(height, 100)
        shot = os.path.abspath(png) if png else os.path.join(scratch, "report.png")
        if os.path.exists(shot):
            os.remove(shot)
        _, console = run_chromium(chromium, url, [f"--screenshot={shot}"], height)
        if not os.path.isfile(shot):
            errors.append(f"chromium wrote no screenshot to {shot}")
        else:
            png_errors, colours, size = check_png(shot, height)
            errors += png_errors
            summary["screenshot"] = f"{size[0]}x{size[1]}, {colours}{'+' if colours > 64 else ''} colours"
        dom, console_dom = run_chromium(chromium, url, ["--dump-dom"], height)
        # The same message from both runs once, without Chromium's [process:thread:time:LEVEL:CONSOLE:n] prefix.
        messages = dict.fromkeys(line.split("] ", 1)[-1].strip() for line in console + console_dom)
        errors += [f"console message: {message}" for message in messages]
        dom_errors, counts = check_dom(dom, expected)
        errors += dom_errors
        summary.update(counts)
    return errors, summary


def self_test(chromium):
    good_body = ('<svg width="600" height="200" viewBox="0 0 600 200">'
                 '<rect class="bar" x="10" y="20" width="200" height="30" fill="#4477aa"/>'
                 '<rect class="bar" x="10" y="60" width="120" height="30" fill="#ee6677"/>'
                 '<path class="curve" d="M 300 180 L 400 100 L 580 40" stroke="#228833" fill="none" stroke-width="3"/>'
                 '<text x="300" y="20">self-test</text></svg>'
                 '<table><tr><td class="cell" style="background:#ccbb44">1.00</td></tr></table>')

    def page(body):
        return f'<!doctype html><html><head><meta charset="utf-8"><title>t</title></head><body>{body}</body></html>'

    expected = {"bar": 2, "cell": 1, "curve": 1}
    cases = [
        ("good page", page(good_body), []),
        ("console.error", page(good_body + '<script>console.error("polytoken self-test")</script>'),
         ['console message: ', 'polytoken self-test', '<script']),
        ("invalid SVG attribute", page(good_body.replace('width="120"', 'width="-120"')),
         ['console message: ', 'attribute width']),
        ("wrong number of bars", page(good_body.replace('class="bar" x="10" y="60"', 'class="bat" x="10" y="60"')),
         ['elements of class "bar": expected 2, got 1']),
        ("external reference", page(good_body + '<img src="https://example.invalid/x.png" alt="">'),
         ['references http:// or https://']),
        ("no svg", page('<table><tr><td class="cell">1</td></tr></table>' + '<p>text</p>' * 3),
         ['no <svg', 'class "bar": expected 2, got 0']),
        ("blank page", page('<svg width="10" height="10"></svg>' + '<span class="bar"></span>' * 2
                            + '<span class="cell"></span><span class="curve"></span>'),
         ['looks blank']),
    ]
    failed = False
    with tempfile.TemporaryDirectory(prefix="check-report-self-test-") as scratch:
        for name, html, wanted in cases:
            path = os.path.join(scratch, name.replace(" ", "-").replace(".", "-") + ".html")
            with open(path, "w", encoding="utf-8") as f:
                f.write(html)
            errors, _ = check_report(chromium, path, expected)
            text = "\n".join(errors)
            missing = [w for w in wanted if w not in text]
            if missing or (not wanted and errors):
                failed = True
                print(f"check_report_html self-test FAILED on {name}: wanted {wanted}, got:\n  " + "\n  ".join(errors or ["no errors"]))
            else:
                print(f"check_report_html self-test: {name}: " + ("passes" if not errors else f"caught ({'; '.join(e[:90] for e in errors)})"))
    if failed:
        sys.exit("check_report_html: the self-test failed: a check does not catch what it should")
    print("check_report_html: self-test passed")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("report", nargs="?")
    parser.add_argument("--tokenizers", type=int)
    parser.add_argument("--bars", type=int)
    parser.add_argument("--cells", type=int)
    parser.add_argument("--curves", type=int)
    parser.add_argument("--png")
    parser.add_argument("--chromium")
    parser.add_argument("--self-test", action="store_true")
    args = parser.parse_args()
    chromium = find_chromium(args.chromium)
    try:
        if args.self_test:
            self_test(chromium)
            return
        if args.report is None or None in (args.bars, args.cells, args.curves):
            parser.error("REPORT.html, --bars, --cells and --curves are required (or --self-test)")
        if args.tokenizers is not None and (args.tokenizers < 1 or args.bars % args.tokenizers or args.curves % args.tokenizers
                                            or args.cells % args.tokenizers):
            parser.error("--bars, --cells and --curves are tokenizers x languages: multiples of --tokenizers")
        errors, summary = check_report(chromium, args.report, {"bar": args.bars, "cell": args.cells, "curve": args.curves}, args.png)
    except Failure as failure:
        sys.exit(f"check_report_html: {failure}")
    print(f"check_report_html: {args.report}" + (f" ({args.tokenizers} tokenizers)" if args.tokenizers is not None else "")
          + ": " + ", ".join(f"{k} {v}" for k, v in summary.items()))
    if errors:
        for error in errors:
            print(f"check_report_html: FAIL: {error}", file=sys.stderr)
        sys.exit(f"check_report_html: {len(errors)} problems in {args.report}")
    print("check_report_html: the report renders, logs nothing and has the expected elements")


if __name__ == "__main__":
    main()
