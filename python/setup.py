"""Builds libPolytokenC.so with the Swift toolchain (the Swift runtime linked statically) and
puts it in the package, so the wheel runs on a machine without Swift.

POLYTOKEN_LIBRARY=path/to/libPolytokenC.so skips the build and packages that file instead."""

import os
import shutil
import subprocess
from pathlib import Path

from setuptools import Distribution, setup
from setuptools.command.bdist_wheel import bdist_wheel
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
PACKAGE_ROOT = Path(os.environ.get("POLYTOKEN_SWIFT_PACKAGE", HERE.parent))


def build_library() -> Path:
    prebuilt = os.environ.get("POLYTOKEN_LIBRARY")
    if prebuilt:
        return Path(prebuilt)
    if not (PACKAGE_ROOT / "Package.swift").exists():
        raise RuntimeError(f"{PACKAGE_ROOT}/Package.swift not found: build from the Polytoken repository "
                           "(or set POLYTOKEN_SWIFT_PACKAGE or POLYTOKEN_LIBRARY)")
    if shutil.which("swift") is None:
        raise RuntimeError("building polytoken needs the Swift toolchain (swift on PATH); "
                           "or set POLYTOKEN_LIBRARY to a built libPolytokenC.so")
    scratch = PACKAGE_ROOT / ".build-python"
    subprocess.run(["swift", "build", "-c", "release", "--product", "PolytokenC", "--scratch-path", str(scratch),
                    "-Xswiftc", "-static-stdlib"], cwd=PACKAGE_ROOT, check=True)
    return scratch / "release" / "libPolytokenC.so"


class BuildWithLibrary(build_py):
    """Copies the Swift library (its symbol tables stripped: 107 MB to 68) and its C header into the built package."""

    def run(self):
        super().run()
        target = Path(self.build_lib) / "polytoken"
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(build_library(), target / "libPolytokenC.so")
        if shutil.which("strip"):
            subprocess.run(["strip", "--strip-unneeded", str(target / "libPolytokenC.so")], check=True)
        shutil.copy2(PACKAGE_ROOT / "Sources" / "PolytokenC" / "polytoken.h", target / "polytoken.h")


class PlatformWheel(bdist_wheel):
    """A wheel for this platform (it holds a native library) usable by any Python 3."""

    def finalize_options(self):
        super().finalize_options()
        self.root_is_pure = False

    def get_tag(self):
        _, _, platform = super().get_tag()
        return "py3", "none", platform


class BinaryDistribution(Distribution):
    """A distribution holding a native library: installed as platform-specific files."""

    def has_ext_modules(self):
        return True


setup(distclass=BinaryDistribution, cmdclass={"build_py": BuildWithLibrary, "bdist_wheel": PlatformWheel})
