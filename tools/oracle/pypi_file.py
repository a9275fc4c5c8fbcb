#!/usr/bin/env python3
"""Downloads one file of a PyPI project (a wheel or an sdist, by file name) from PyPI's simple
index, as pip reads it, and checks its SHA-256.

    python tools/oracle/pypi_file.py PROJECT FILENAME SHA256 OUTPUT
"""
import hashlib
import json
import sys
import urllib.parse
import urllib.request


def main():
    project, filename, sha256, output = sys.argv[1:5]
    index = f"https://pypi.org/simple/{project}/"
    listing = json.load(urllib.request.urlopen(urllib.request.Request(index, headers={"Accept": "application/vnd.pypi.simple.v1+json"})))
    entry = next(f for f in listing["files"] if f["filename"] == filename)
    data = urllib.request.urlopen(urllib.parse.urljoin(index, entry["url"])).read()
    assert hashlib.sha256(data).hexdigest() == sha256, f"{filename}: unexpected SHA-256"
    with open(output, "wb") as f:
        f.write(data)


if __name__ == "__main__":
    main()
