"""Build the installable package from a checkout, in one command.

    .venv/bin/python tools/build_package.py                 # PyInstaller build + .deb in out/
    .venv/bin/python tools/build_package.py --no-deb        # the self-contained folder only
    .venv/bin/python tools/build_package.py --from-dir DIR  # a .deb from an existing build folder

1. PyInstaller (package/hotline.spec, rules in tools/package_rules.py) makes one folder
   holding the program, Python, Qt (only the parts used), the translations, the sample
   checklist catalogue and the icon: ``build/package/dist/hotline/``, with the executable
   ``hotline`` (no arguments: the desktop app; with a subcommand: the command line).
2. The folder is tried: ``hotline --version`` must name this version.
3. On Debian-based systems the ``.deb`` is assembled with ``dpkg-deb``: the folder under
   ``/opt/hotline``, ``/usr/bin/hotline``, the start menu entry (Chinese and English names),
   the icon in the hicolor theme, dependencies on the system libraries Qt needs and on a
   Chinese font (checked against what the build's libraries really load), and maintainer
   scripts that refresh the menu and icon caches and never touch users' data folders.

The PDFs need no bundled font: they embed the system's Chinese TrueType font, which the
package depends on (hotline/reports/fonts.py finds it), or fall back to the CID font every
PDF viewer has. On Windows step 3 is Inno Setup's (package/windows/README.md).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tools.package_rules import read_version  # noqa: E402

PACKAGE = "hotline-desk"
INSTALL_DIR = "/opt/hotline"
COMMAND = "hotline"
DESKTOP_ID = "hotline-desk"  # hotline.paths.DESKTOP_ID: the app names its desktop entry
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
SPEC = ROOT / "package" / "hotline.spec"
ICON_SVG = ROOT / "resources" / "icons" / f"{DESKTOP_ID}.svg"
DEFAULT_MAINTAINER = "营商环境投诉热线工作台维护组 <hotline-desk@localhost>"

# What the build loads from the system, as Debian packages (alternatives: the names on
# Debian 12 / UOS / Kylin, and on Debian 13 / Ubuntu 24.04 after the 64-bit time_t
# renames). check_dependencies() verifies every library the build needs is covered.
DEB_DEPENDS = [
    "libglib2.0-0t64 | libglib2.0-0",
    "libdbus-1-3",
    "libfontconfig1",
    "libfreetype6",
    "libx11-6",
    "libx11-xcb1",
    "libxcb1",
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-image0",
    "libxcb-keysyms1",
    "libxcb-randr0",
    "libxcb-render-util0",
    "libxcb-render0",
    "libxcb-shape0",
    "libxcb-shm0",
    "libxcb-sync1",
    "libxcb-xfixes0",
    "libxcb-xinerama0",
    "libxcb-xkb1",
    "libxkbcommon0",
    "libxkbcommon-x11-0",
    "libegl1",
    "libgl1",
    "libopengl0",
    "libstdc++6",
    "libgcc-s1",
    "libuuid1",  # Python's uuid module
    "libcups2t64 | libcups2",
    # A Chinese font for the windows, and a TrueType one the PDFs can embed (Noto CJK is
    # OpenType/CFF: the PDFs then use the viewer's built-in font, see hotline/reports/fonts.py).
    "fonts-wqy-microhei | fonts-wqy-zenhei | fonts-noto-cjk",
]
DEB_RECOMMENDS = ["xdg-utils"]  # opening attachments and PDFs with the system's viewer

DESKTOP_ENTRY = f"""[Desktop Entry]
Type=Application
Version=1.0
Name=Business Environment Hotline Desk
Name[zh_CN]=营商环境投诉热线工作台
GenericName=Complaint hotline desk
GenericName[zh_CN]=投诉热线工作台
Comment=Register calls, dispatch cases to departments, call back and print reports
Comment[zh_CN]=登记来电、派单、回访、办结并打印统计报告
Exec={INSTALL_DIR}/{COMMAND}
TryExec={INSTALL_DIR}/{COMMAND}
Icon={DESKTOP_ID}
Terminal=false
Categories=Office;
Keywords=hotline;complaint;case;dispatch;report;热线;投诉;营商环境;工单;
StartupNotify=true
StartupWMClass={COMMAND}
"""

POSTINST = """#!/bin/sh
# The start menu and the icon theme learn about the new entry. Users' data folders
# (~/.local/share/hotline-desk and the like) are never touched: the program upgrades a
# database itself on its first start, after copying it.
set -e
if [ "$1" = "configure" ]; then
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q /usr/share/applications || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1; then
        gtk-update-icon-cache -q -t -f /usr/share/icons/hicolor || true
    fi
fi
exit 0
"""

POSTRM = """#!/bin/sh
# After removal (dpkg -r) and purge (dpkg -P): the menu and icon caches forget the entry.
# Users' databases, settings, drafts, backups and logs stay where they are, in each user's
# data folders: removing a program must never remove a centre's cases.
set -e
case "$1" in
    remove|purge)
        if command -v update-desktop-database >/dev/null 2>&1; then
            update-desktop-database -q /usr/share/applications || true
        fi
        if command -v gtk-update-icon-cache >/dev/null 2>&1; then
            gtk-update-icon-cache -q -t -f /usr/share/icons/hicolor || true
        fi
        ;;
esac
if [ "$1" = "purge" ] && [ -d /opt/hotline ]; then
    # Nothing is written under /opt/hotline at run time; an empty folder left by hand goes.
    rmdir --ignore-fail-on-non-empty /opt/hotline
fi
exit 0
"""


class BuildError(Exception):
    """A step of the build failed; the message says which and why."""


@dataclass(frozen=True)
class DebInfo:
    version: str  # the program's version (hotline/__init__.py)
    revision: int  # the package's revision of that version
    architecture: str
    maintainer: str
    glibc: str | None  # the newest GLIBC symbol version the build needs

    @property
    def deb_version(self) -> str:
        return f"{self.version}-{self.revision}"

    @property
    def file_name(self) -> str:
        return f"{PACKAGE}_{self.deb_version}_{self.architecture}.deb"


def log(message: str) -> None:
    print(f"[build_package] {message}", flush=True)


# -- 1. the self-contained folder -------------------------------------------------------------


def run_pyinstaller(work: Path) -> Path:
    """Run PyInstaller on package/hotline.spec; returns the build folder."""
    dist = work / "dist"
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    if sys.platform == "win32":
        # The executables' and the installer's icon (package/windows/hotline.iss).
        env["HOTLINE_ICON_ICO"] = str(write_ico(ICON_SVG, work / "icons" / f"{DESKTOP_ID}.ico"))
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level",
        "WARN",
        "--distpath",
        str(dist),
        "--workpath",
        str(work / "pyinstaller"),
        str(SPEC),
    ]
    log("PyInstaller: " + " ".join(command[3:]))
    result = subprocess.run(command, cwd=ROOT, env=env)
    if result.returncode != 0:
        raise BuildError(f"PyInstaller failed (exit code {result.returncode})")
    build = dist / "hotline"
    if not (build / COMMAND).is_file() and not (build / f"{COMMAND}.exe").is_file():
        raise BuildError(f"PyInstaller made no {COMMAND} executable in {build}")
    return build


def try_build(build: Path, version: str) -> None:
    """The build's own ``hotline --version`` must name this version (no display needed)."""
    executable = build / (COMMAND + (".exe" if sys.platform == "win32" else ""))
    env = {**os.environ, "HOTLINE_LANG": "en"}
    result = subprocess.run(
        [str(executable), "--version"], capture_output=True, text=True, env=env, timeout=120
    )
    if result.returncode != 0 or version not in result.stdout:
        raise BuildError(
            f"the build's '{COMMAND} --version' failed (exit {result.returncode}): "
            f"{result.stdout}{result.stderr}"
        )
    log(f"tried: {result.stdout.strip()}")


def folder_size(path: Path) -> int:
    """Bytes of the files under ``path`` (symbolic links not followed)."""
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


# -- 2. the icons --------------------------------------------------------------------------------


def render_icons(svg: Path, sizes: Iterable[int], folder: Path) -> dict[int, Path]:
    """PNG renderings of ``svg`` (``folder/<size>.png``), drawn by Qt without a display."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise BuildError(f"the icon {svg} cannot be read")
    folder.mkdir(parents=True, exist_ok=True)
    made = {}
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        path = folder / f"{size}.png"
        if not image.save(str(path), "PNG"):
            raise BuildError(f"cannot write {path}")
        made[size] = path
    del _app
    return made


def write_ico(svg: Path, path: Path) -> Path:
    """The Windows icon file: the 256 px rendering in an .ico (Windows scales it down)."""
    from PySide6.QtGui import QImage

    png = render_icons(svg, [256], path.parent / "ico")[256]
    if not QImage(str(png)).save(str(path), "ICO"):
        raise BuildError(f"cannot write {path}")
    return path


# -- 3. the .deb ---------------------------------------------------------------------------------


def elf_files(folder: Path) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def needed_glibc(folder: Path) -> str | None:
    """The newest ``GLIBC_x.y`` symbol version any file of the build needs (the build runs on
    systems whose C library is at least that), or None without objdump."""
    if shutil.which("objdump") is None:
        return None
    newest: tuple[int, ...] = ()
    for path in elf_files(folder):
        out = subprocess.run(
            ["objdump", "-T", str(path)], capture_output=True, text=True, check=False
        ).stdout
        for found in re.findall(r"GLIBC_(\d+(?:\.\d+)+)", out):
            newest = max(newest, tuple(int(n) for n in found.split(".")))
    return ".".join(str(n) for n in newest) if newest else None


def depends_field(glibc: str | None) -> str:
    libc = f"libc6 (>= {glibc})" if glibc else "libc6"
    return ", ".join([libc, *DEB_DEPENDS])


def control_file(info: DebInfo, installed_kib: int) -> str:
    return "\n".join(
        [
            f"Package: {PACKAGE}",
            f"Version: {info.deb_version}",
            f"Architecture: {info.architecture}",
            f"Maintainer: {info.maintainer}",
            f"Installed-Size: {installed_kib}",
            f"Depends: {depends_field(info.glibc)}",
            f"Recommends: {', '.join(DEB_RECOMMENDS)}",
            "Section: misc",
            "Priority: optional",
            "Description: 营商环境投诉热线工作台 - business-environment complaint hotline desk",
            " The desktop program of a city's business-environment complaint hotline:",
            " register calls, apply the first-offense penalty-exemption checklist, dispatch",
            " cases to departments with working-day deadlines, call back, close the loop",
            " and print weekly to annual reports. Works alone on an SQLite file or with",
            " colleagues on a PostgreSQL server. The command 'hotline' opens the desktop",
            " program, or with a subcommand works on the command line ('hotline --help').",
            "",
        ]
    )


def copyright_file(version: str) -> str:
    return (
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
        f"Upstream-Name: {PACKAGE}\n\n"
        "Files: *\n"
        "Copyright: the hotline desk's authors\n"
        "License: proprietary\n"
        " Made for the centre that runs the hotline. The build bundles Python (PSF licence),\n"
        " Qt and PySide6 (LGPL-3.0, unmodified, as shared libraries under\n"
        f" {INSTALL_DIR}/_internal), reportlab (BSD), peewee (MIT), psycopg2 (LGPL-3.0),\n"
        " openpyxl (MIT), babel (BSD), platformdirs (MIT), argon2-cffi (MIT), qrcode (BSD),\n"
        " python-stdnum (LGPL-2.1), phonenumbers (Apache-2.0), pypinyin (MIT) and\n"
        " chinesecalendar (MIT).\n"
        f" Version {version}.\n"
    )


def assemble_tree(build: Path, staging: Path, info: DebInfo, icons: dict[int, Path]) -> Path:
    """The file tree of the .deb in ``staging`` (made afresh); returns it."""
    if staging.exists():
        shutil.rmtree(staging)
    install = staging / INSTALL_DIR.lstrip("/")
    shutil.copytree(build, install, symlinks=True)
    for path in [install, *install.rglob("*")]:
        if path.is_symlink():
            continue
        executable = path.is_dir() or bool(path.stat().st_mode & 0o111)
        path.chmod(0o755 if executable else 0o644)
    bin_dir = staging / "usr" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / COMMAND).symlink_to(f"{INSTALL_DIR}/{COMMAND}")
    applications = staging / "usr" / "share" / "applications"
    applications.mkdir(parents=True)
    (applications / f"{DESKTOP_ID}.desktop").write_text(DESKTOP_ENTRY, encoding="utf-8")
    hicolor = staging / "usr" / "share" / "icons" / "hicolor"
    for size, png in sorted(icons.items()):
        folder = hicolor / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True)
        shutil.copyfile(png, folder / f"{DESKTOP_ID}.png")
    scalable = hicolor / "scalable" / "apps"
    scalable.mkdir(parents=True)
    shutil.copyfile(
        ROOT / "resources" / "icons" / f"{DESKTOP_ID}.svg", scalable / f"{DESKTOP_ID}.svg"
    )
    doc = staging / "usr" / "share" / "doc" / PACKAGE
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(copyright_file(info.version), encoding="utf-8")
    changelog = (
        f"{PACKAGE} ({info.deb_version}) stable; urgency=medium\n\n"
        f"  * Version {info.version} of the hotline desk.\n\n"
        f" -- {info.maintainer}  {time.strftime('%a, %d %b %Y %H:%M:%S +0000', time.gmtime())}\n"
    )
    with gzip.GzipFile(doc / "changelog.Debian.gz", "wb", mtime=0) as handle:
        handle.write(changelog.encode("utf-8"))
    for path in staging.rglob("*"):
        if (
            not path.is_symlink()
            and path.is_file()
            and INSTALL_DIR.lstrip("/") not in path.as_posix()
        ):
            path.chmod(0o644)
        elif not path.is_symlink() and path.is_dir():
            path.chmod(0o755)
    debian = staging / "DEBIAN"
    debian.mkdir()
    installed_kib = (folder_size(staging) + 1023) // 1024
    (debian / "control").write_text(control_file(info, installed_kib), encoding="utf-8")
    for name, text in (("postinst", POSTINST), ("postrm", POSTRM)):
        (debian / name).write_text(text, encoding="utf-8")
        (debian / name).chmod(0o755)
    (debian / "md5sums").write_text(md5sums(staging), encoding="utf-8")
    debian.chmod(0o755)
    return staging


def md5sums(staging: Path) -> str:
    lines = []
    for path in sorted(staging.rglob("*")):
        relative = path.relative_to(staging).as_posix()
        if relative.startswith("DEBIAN") or path.is_symlink() or not path.is_file():
            continue
        lines.append(f"{hashlib.md5(path.read_bytes()).hexdigest()}  {relative}")
    return "\n".join(lines) + "\n"


def build_deb(staging: Path, out: Path) -> Path:
    if shutil.which("dpkg-deb") is None:
        raise BuildError("dpkg-deb is missing (apt-get install dpkg)")
    out.parent.mkdir(parents=True, exist_ok=True)
    command = ["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(staging), str(out)]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise BuildError(f"dpkg-deb failed: {result.stderr.strip()}")
    return out


def validate_desktop_entry(path: Path) -> list[str]:
    """desktop-file-validate's complaints (empty when valid or when the tool is missing)."""
    if shutil.which("desktop-file-validate") is None:
        return []
    result = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True)
    return [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]


# -- the check of the dependencies ---------------------------------------------------------------


def system_libraries(build: Path) -> tuple[set[Path], set[str]]:
    """The libraries the build's files load from the system (outside ``build``), and the
    names of those that cannot be found at all."""
    used: set[Path] = set()
    missing: set[str] = set()
    inside = str(build.resolve())
    # As the build runs: PyInstaller's bootloader puts its library folder first.
    env = {**os.environ, "LD_LIBRARY_PATH": str(build / "_internal")}
    for path in elf_files(build):
        result = subprocess.run(["ldd", str(path)], capture_output=True, text=True, env=env)
        for line in result.stdout.splitlines():
            found = re.match(r"\s*(\S+) => (\S+)", line)
            if not found:
                continue
            name, target = found.groups()
            if target == "not":
                # Bundled beside the file (PyInstaller's folders use rpath $ORIGIN): only a
                # library found neither in the build nor on the system is missing.
                if not any(build.rglob(name)):
                    missing.add(name)
            elif not os.path.realpath(target).startswith(inside):
                used.add(Path(os.path.realpath(target)))
    return used, missing


def owning_packages(libraries: Iterable[Path]) -> dict[Path, str]:
    owners: dict[Path, str] = {}
    for library in libraries:
        # dpkg knows a file by the path its package gave (/lib or /usr/lib: merged /usr).
        text = library.as_posix()
        candidates = [text, "/usr" + text, text.removeprefix("/usr")]
        for candidate in candidates:
            result = subprocess.run(
                ["dpkg-query", "-S", str(candidate)], capture_output=True, text=True
            )
            if result.returncode == 0:
                owners[library] = result.stdout.split(":", 1)[0].strip()
                break
        else:
            owners[library] = "?"
    return owners


def installed_closure(roots: Iterable[str]) -> set[str]:
    """The installed packages named in ``roots`` and everything they depend on, recursively."""
    seen: set[str] = set()
    queue = list(roots)
    while queue:
        name = queue.pop()
        if name in seen:
            continue
        seen.add(name)
        result = subprocess.run(
            ["dpkg-query", "-W", "-f=${Depends},${Pre-Depends}", name],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            continue
        for alternative in re.split(r"[,|]", result.stdout):
            dep = alternative.strip().split(" ")[0].split(":")[0]
            if dep:
                queue.append(dep)
    return seen


def first_installed(alternatives: str) -> list[str]:
    return [name.strip().split(" ")[0] for name in alternatives.split("|")]


def check_dependencies(build: Path) -> list[str]:
    """Problems with the declared dependencies: a library the build loads from the system
    whose package the .deb's Depends do not bring, or a library found nowhere."""
    if shutil.which("ldd") is None or shutil.which("dpkg-query") is None:
        return []
    used, missing = system_libraries(build)
    problems = [
        f"{name}: needed by the build, found neither in it nor on this system"
        for name in sorted(missing)
    ]
    roots = ["libc6"] + [name for field in DEB_DEPENDS for name in first_installed(field)]
    covered = installed_closure(roots)
    for library, package in sorted(owning_packages(used).items()):
        base = package.split(":")[0]
        if base not in covered:
            problems.append(f"{library} (package {package}) is loaded but not in Depends")
    return problems


# -- the command ---------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "out", help="where the .deb goes")
    parser.add_argument(
        "--work", type=Path, default=ROOT / "build" / "package", help="build folders"
    )
    parser.add_argument(
        "--from-dir",
        type=Path,
        help="make the .deb from this existing build folder instead of running PyInstaller",
    )
    parser.add_argument("--no-deb", action="store_true", help="the build folder only")
    parser.add_argument("--revision", type=int, default=1, help="the package's revision (-1)")
    parser.add_argument(
        "--maintainer",
        default=os.environ.get("HOTLINE_MAINTAINER", DEFAULT_MAINTAINER),
        help="the .deb's Maintainer field (or HOTLINE_MAINTAINER)",
    )
    parser.add_argument(
        "--skip-checks",
        action="store_true",
        help="neither try the build nor check its dependencies (a fake build folder)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    version = read_version(ROOT)
    try:
        if args.from_dir is not None:
            build = args.from_dir.resolve()
            if not build.is_dir():
                raise BuildError(f"{build} is not a folder")
        else:
            build = run_pyinstaller(args.work.resolve())
        if not args.skip_checks:
            try_build(build, version)
        log(f"build folder {build}: {folder_size(build) / 1e6:.1f} MB")
        if args.no_deb:
            return 0
        if shutil.which("dpkg-deb") is None:
            raise BuildError("no dpkg-deb here: use --no-deb, or build on a Debian-based system")
        if not args.skip_checks:
            problems = check_dependencies(build)
            if problems:
                raise BuildError("dependencies:\n  " + "\n  ".join(problems))
            log("every system library the build loads is brought by its Depends")
        architecture = subprocess.run(
            ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
        ).stdout.strip()
        info = DebInfo(
            version=version,
            revision=args.revision,
            architecture=architecture or platform.machine(),
            maintainer=args.maintainer,
            glibc=None if args.skip_checks else needed_glibc(build),
        )
        work = args.work.resolve()
        icons = render_icons(
            ROOT / "resources" / "icons" / f"{DESKTOP_ID}.svg", ICON_SIZES, work / "icons"
        )
        staging = assemble_tree(build, work / "deb-root", info, icons)
        complaints = validate_desktop_entry(
            staging / "usr/share/applications" / f"{DESKTOP_ID}.desktop"
        )
        if complaints:
            raise BuildError("desktop-file-validate:\n  " + "\n  ".join(complaints))
        deb = build_deb(staging, args.out.resolve() / info.file_name)
    except BuildError as exc:
        print(f"[build_package] FAILED: {exc}", file=sys.stderr)
        return 1
    log(
        f"package {deb}: {deb.stat().st_size / 1e6:.1f} MB, installed {folder_size(staging) / 1e6:.1f} MB"
    )
    log(f"Depends: {depends_field(info.glibc)}")
    log(f"done in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
