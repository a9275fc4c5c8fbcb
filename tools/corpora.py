#!/usr/bin/env python3
"""Regenerate `corpora-samples/` from Debian packages, or build larger benchmark corpora.

    python3 tools/corpora.py install            # apt-get the source packages (needs root)
    python3 tools/corpora.py samples            # rewrite corpora-samples/ (deterministic)
    python3 tools/corpora.py benchmark OUT.txt  # a 30 MB+ English corpus, outside the repository
    python3 tools/corpora.py multilingual OUT.txt  # every help language and catalog, interleaved
    python3 tools/corpora.py parallel LANG OUT.tsv  # English-LANG pairs from every installed source (de: 100k+)

Sources (see corpora-samples/SOURCES.md for versions and licences):
* LibreOffice help pages (libreoffice-help-XX): paragraphs in en, de, el, hi, ja, ko, ru, zh-CN.
  Untranslated paragraphs (identical to English) are dropped. Paired by (page, paragraph id)
  with the English page, they give sentence-aligned parallel text.
* LibreOffice UI catalogs (libreoffice-l10n-ar, -th): translated messages in Arabic and Thai,
  paired with their English msgid.
* linux-doc-6.1: the kernel's reStructuredText documentation, for the benchmark corpus.
* gettext catalogs of every installed package (/usr/share/locale/LANG) and of LibreOffice's UI, for
  the larger parallel corpus: each msgid with its first translation.
"""
import gzip
import html
import html.parser
import os
import re
import struct
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "corpora-samples")
HELP = "/usr/share/libreoffice/help"
RESOURCES = "/usr/lib/libreoffice/program/resource"
PACKAGES = ["libreoffice-help-en-us", "libreoffice-help-de", "libreoffice-help-el", "libreoffice-help-hi",
            "libreoffice-help-ja", "libreoffice-help-ko", "libreoffice-help-ru", "libreoffice-help-zh-cn",
            "libreoffice-l10n-ar", "libreoffice-l10n-th", "linux-doc-6.1", "gcc-12-locales"]
# language code -> (help directory, script)
HELP_LANGUAGES = {"en": ("en-US", "Latin"), "de": ("de", "Latin"), "el": ("el", "Greek"),
                  "hi": ("hi", "Devanagari"), "ja": ("ja", "Han and kana"), "ko": ("ko", "Hangul"),
                  "ru": ("ru", "Cyrillic"), "zh": ("zh-CN", "Han")}
CATALOG_LANGUAGES = {"ar": "Arabic", "th": "Thai"}
SAMPLE_BYTES = 80_000
PARALLEL_PAIRS = 600


class Paragraphs(html.parser.HTMLParser):
    """Collects the text of every element with an id like par_id… or hd_id…."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, id or None)
        self.found = {}

    def handle_starttag(self, tag, attrs):
        ident = dict(attrs).get("id") or ""
        if tag in ("br", "img", "input", "meta", "link"):
            return
        self.stack.append((tag, ident if re.match(r"(par|hd)_id", ident) else None))
        if self.stack[-1][1]:
            self.found.setdefault(self.stack[-1][1], [])

    def handle_endtag(self, tag):
        while self.stack:
            t, _ = self.stack.pop()
            if t == tag:
                break

    def handle_data(self, data):
        for _, ident in reversed(self.stack):
            if ident:
                self.found[ident].append(data)
                break


def help_paragraphs(lang_dir):
    """(page, id) -> text for every help page of one language, in sorted page order."""
    base = os.path.join(HELP, lang_dir, "text")
    result = {}
    for dirpath, _, files in sorted(os.walk(base)):
        for name in sorted(files):
            if not name.endswith(".html"):
                continue
            path = os.path.join(dirpath, name)
            parser = Paragraphs()
            with open(path, encoding="utf-8") as f:
                parser.feed(f.read())
            page = os.path.relpath(path, base)
            for ident, parts in parser.found.items():
                text = " ".join("".join(parts).split())
                if text:
                    result[(page, ident)] = text
    return result


def read_mo(path):
    """msgid -> first msgstr of a gettext .mo file."""
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    endian = "<" if magic == 0x950412DE else ">"
    _, count, original, translated = struct.unpack(endian + "4I", data[4:20])
    result = {}
    for i in range(count):
        olen, ooff = struct.unpack(endian + "2I", data[original + 8 * i: original + 8 * i + 8])
        tlen, toff = struct.unpack(endian + "2I", data[translated + 8 * i: translated + 8 * i + 8])
        msgid = data[ooff: ooff + olen].split(b"\0")[0].decode("utf-8", "replace")
        msgstr = data[toff: toff + tlen].split(b"\0")[0].decode("utf-8", "replace")
        if "\x04" in msgid:
            msgid = msgid.split("\x04", 1)[1]
        if msgid and msgstr and msgid != msgstr:
            result[msgid] = msgstr
    return result


def catalog_pairs(lang):
    pairs = {}
    base = os.path.join(RESOURCES, lang, "LC_MESSAGES")
    for name in sorted(os.listdir(base)):
        for msgid, msgstr in read_mo(os.path.join(base, name)).items():
            msgid = " ".join(msgid.replace("~", "").split())
            msgstr = " ".join(msgstr.replace("~", "").split())
            if len(msgid) > 20 and msgid not in pairs:
                pairs[msgid] = msgstr
    return pairs


def take(lines, budget):
    out, size = [], 0
    for line in lines:
        size += len(line.encode("utf-8")) + 1
        if size > budget:
            break
        out.append(line)
    return out


def write_lines(path, lines):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


def samples():
    os.makedirs(os.path.join(OUT, "monolingual"), exist_ok=True)
    os.makedirs(os.path.join(OUT, "parallel"), exist_ok=True)
    english = help_paragraphs("en-US")
    for lang, (lang_dir, _) in HELP_LANGUAGES.items():
        paragraphs = english if lang == "en" else help_paragraphs(lang_dir)
        keys = sorted(paragraphs)
        if lang == "en":
            lines = [paragraphs[k] for k in keys]
        else:
            lines = [paragraphs[k] for k in keys if k in english and paragraphs[k] != english[k]]
        # Spread the sample over the whole help: every n-th paragraph.
        step = max(1, len(lines) * 120 // (SAMPLE_BYTES // 2) // 10)
        write_lines(os.path.join(OUT, "monolingual", f"{lang}.txt"), take(lines[::step], SAMPLE_BYTES))
        if lang in ("de", "ja"):
            pairs = [f"{english[k]}\t{paragraphs[k]}" for k in keys
                     if k in english and paragraphs[k] != english[k] and "\t" not in english[k] + paragraphs[k]]
            step = max(1, len(pairs) // PARALLEL_PAIRS)
            write_lines(os.path.join(OUT, "parallel", f"en-{lang}.tsv"), pairs[::step][:PARALLEL_PAIRS])
    for lang in CATALOG_LANGUAGES:
        pairs = catalog_pairs(lang)
        keys = sorted(pairs)
        write_lines(os.path.join(OUT, "monolingual", f"{lang}.txt"), take([pairs[k] for k in keys], SAMPLE_BYTES))
        step = max(1, len(keys) // PARALLEL_PAIRS)
        write_lines(os.path.join(OUT, "parallel", f"en-{lang}.tsv"),
                    [f"{k}\t{pairs[k]}" for k in keys[::step][:PARALLEL_PAIRS] if "\t" not in k + pairs[k]])


def benchmark(path, minimum=32_000_000):
    """Kernel documentation as plain lines, repeated if needed to reach `minimum` bytes."""
    base = "/usr/share/doc/linux-doc-6.1/Documentation"
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(base) for f in fs if f.endswith(".rst.gz"))
    written = 0
    with open(path, "w", encoding="utf-8") as out:
        while written < minimum:
            for name in files:
                with gzip.open(name, "rt", encoding="utf-8", errors="replace") as f:
                    text = f.read()
                out.write(text)
                written += len(text.encode("utf-8"))
    print(f"{path}: {written / 1e6:.1f} MB from {len(files)} files")


def multilingual(path):
    """Every paragraph of the help in its eight languages and every message of the Arabic and Thai
    catalogs, one per line, the languages interleaved line by line (so any slice is a mix)."""
    languages = {lang: list(help_paragraphs(lang_dir).values()) for lang, (lang_dir, _) in HELP_LANGUAGES.items()}
    for lang in CATALOG_LANGUAGES:
        languages[lang] = [text for _, text in sorted(catalog_pairs(lang).items())]
    longest = max(len(lines) for lines in languages.values())
    written = 0
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for index in range(longest):
            for lang in sorted(languages):
                if index < len(languages[lang]):
                    line = languages[lang][index] + "\n"
                    out.write(line)
                    written += len(line.encode("utf-8"))
    sizes = ", ".join(f"{lang} {len(lines)}" for lang, lines in sorted(languages.items()))
    print(f"{path}: {written / 1e6:.1f} MB; lines per language: {sizes}")


def parallel(lang, path):
    """English-LANG pairs: help paragraphs paired by id, then every catalog's messages; each distinct pair once."""
    pairs = {}
    if os.path.isdir(os.path.join(HELP, lang)):
        english, translated = help_paragraphs("en-US"), help_paragraphs(lang)
        for key in sorted(translated):
            if key in english:
                pairs[(english[key], translated[key])] = None
    catalogs = [os.path.join(RESOURCES, lang, "LC_MESSAGES"), f"/usr/share/locale/{lang}/LC_MESSAGES"]
    for base in catalogs:
        if not os.path.isdir(base):
            continue
        for name in sorted(os.listdir(base)):
            if name.endswith(".mo"):
                for msgid, msgstr in read_mo(os.path.join(base, name)).items():
                    pairs[(" ".join(msgid.replace("~", "").split()), " ".join(msgstr.replace("~", "").split()))] = None
    kept = [f"{en}\t{xx}" for en, xx in pairs if en and xx and en != xx and "\t" not in en + xx]
    write_lines(path, kept)
    print(f"{path}: {len(kept)} English-{lang} pairs")


def install():
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *PACKAGES], check=True)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "install":
        install()
    elif command == "samples":
        samples()
    elif command == "benchmark" and len(sys.argv) == 3:
        benchmark(sys.argv[2])
    elif command == "multilingual" and len(sys.argv) == 3:
        multilingual(sys.argv[2])
    elif command == "parallel" and len(sys.argv) == 4:
        parallel(sys.argv[2], sys.argv[3])
    else:
        print(__doc__)
        sys.exit(2)
