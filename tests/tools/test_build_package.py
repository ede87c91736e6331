"""The package build on a reduced target: the rules of what goes into the build, and a .deb
assembled from a fake build folder (the full build, install and removal is
``tools/check_package.py``, too slow for every run: see README "Install the package")."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hotline import __version__, paths
from tools import build_package as bp
from tools import package_rules as rules

ROOT = Path(__file__).resolve().parents[2]
LINUX = sys.platform.startswith("linux")


def tool_missing(tool: str, package: str) -> None:
    """Skip without the tool on a developer's machine; CI installs it (.ci/run)."""
    if os.environ.get("CI"):
        pytest.fail(f"{tool} is missing: .ci/run should have installed {package}")
    pytest.skip(f"{tool} is missing (apt-get install {package})")


def test_the_build_reads_the_programs_one_version() -> None:
    assert rules.read_version(ROOT) == __version__
    spec = (ROOT / "package" / "hotline.spec").read_text(encoding="utf-8")
    assert "read_version(ROOT)" in spec and __version__ not in spec


def test_the_resources_go_into_the_build() -> None:
    destinations = {dest for _source, dest in rules.resource_datas(ROOT)}
    assert {"resources/translations", "resources/exemption", "resources/icons"} <= destinations
    for source, _dest in rules.resource_datas(ROOT):
        assert Path(source).is_dir()


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", False),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
        ("PySide6/Qt/plugins/imageformats/libqjpeg.so", True),
        ("PySide6/Qt/plugins/imageformats/libqtiff.so", False),
        ("PySide6/Qt/plugins/iconengines/libqsvgicon.so", True),
        ("PySide6/Qt/plugins/sqldrivers/libqsqlite.so", False),
        ("PySide6\\Qt\\plugins\\platforms\\qwindows.dll", True),
        ("PySide6/Qt/translations/qtbase_zh_CN.qm", True),
        ("PySide6/Qt/translations/qtbase_de.qm", False),
        ("PySide6/Qt/translations/qtdeclarative_zh_CN.qm", False),
        ("PySide6/Qt/lib/libQt6Gui.so.6", True),
        ("PySide6/Qt/lib/libQt6Network.so.6", True),  # QtPdf needs it
        ("PySide6/Qt/lib/libQt6Quick.so.6", False),
        ("libQt6Quick.so.6", False),
        ("PySide6/Qt/lib/libQt6EglFSDeviceIntegration.so.6", False),
        ("libgtk-3.so.0", False),
        ("libpango-1.0.so.0", False),
        ("babel/locale-data/zh_Hans_CN.dat", True),
        ("babel/locale-data/root.dat", True),
        ("babel/locale-data/en.dat", True),
        ("babel/locale-data/de.dat", False),
        ("babel/global.dat", True),
        ("resources/exemption/catalogue-2026.1.json", True),
        ("libsqlite3.so.0", True),  # the SQLite the program was tested with
        ("libffi.so.8", True),  # its name differs between releases: bundled
        ("libpython3.11.so.1.0", True),
    ],
)
def test_what_the_build_keeps(dest: str, kept: bool) -> None:
    assert rules.keep(dest, "linux") is kept


def test_system_libraries_are_left_to_the_system_on_linux_only() -> None:
    for name in [
        "libxcb-cursor.so.0",
        "libxkbcommon-x11.so.0",
        "libfontconfig.so.1",
        "libglib-2.0.so.0",
        "libdbus-1.so.3",
        "libEGL.so.1",
        "libstdc++.so.6",
    ]:
        assert not rules.keep(name, "linux"), name
        assert rules.keep(name, "win32"), name
    # Only at the top of the build: a library a wheel brings in its own folder stays.
    assert rules.keep("psycopg2_binary.libs/libgssapi_krb5-497db0c6.so.2.2", "linux")


def test_the_windows_version_resource(tmp_path: Path) -> None:
    path = Path(rules.write_windows_version_file(tmp_path / "v.txt", "1.2.3"))
    text = path.read_text(encoding="utf-8")
    assert "filevers=(1, 2, 3, 0)" in text and "StringStruct('ProductVersion', '1.2.3')" in text
    compile(text, "version_info", "eval")  # PyInstaller evaluates it as Python


def test_the_desktop_entry_names_the_program_in_chinese_and_english() -> None:
    lines = dict(line.split("=", 1) for line in bp.DESKTOP_ENTRY.splitlines() if "=" in line)
    assert lines["Name"] == "Business Environment Hotline Desk"
    assert lines["Name[zh_CN]"] == "营商环境投诉热线工作台"
    assert lines["Icon"] == paths.DESKTOP_ID == bp.DESKTOP_ID
    assert lines["Exec"] == "/opt/hotline/hotline"
    assert lines["Type"] == "Application" and lines["Terminal"] == "false"


def test_the_maintainer_scripts_leave_users_data_alone(tmp_path: Path) -> None:
    for name, text in (("postinst", bp.POSTINST), ("postrm", bp.POSTRM)):
        script = tmp_path / name
        script.write_text(text, encoding="utf-8")
        assert subprocess.run(["sh", "-n", str(script)]).returncode == 0, name
        assert "rm -r" not in text and ".local" not in text.split("#")[0]
        assert "$HOME" not in text and "/home" not in text


def test_the_icons_are_drawn_at_every_size(tmp_path: Path, qapp) -> None:
    from PySide6.QtGui import QImage

    made = bp.render_icons(paths.ICON, (16, 48, 256), tmp_path)
    for size, png in made.items():
        image = QImage(str(png))
        assert (image.width(), image.height()) == (size, size)
        # Drawn, not blank: the centre of the icon is the opaque red square or the handset.
        assert image.pixelColor(size // 2, size // 2).alpha() == 255


def _fake_build(folder: Path) -> Path:
    """A build folder shaped like PyInstaller's: the executable and its _internal folder."""
    folder.mkdir()
    executable = folder / "hotline"
    executable.write_text(f"#!/bin/sh\necho 'hotline {__version__}'\n", encoding="utf-8")
    executable.chmod(0o755)
    internal = folder / "_internal" / "resources" / "exemption"
    internal.mkdir(parents=True)
    shutil.copy(ROOT / "resources" / "exemption" / "catalogue-2026.1.json", internal)
    return folder


@pytest.mark.skipif(not LINUX, reason="the .deb is made on Debian-based systems")
def test_a_deb_assembled_from_a_build_folder(tmp_path: Path, qapp) -> None:
    if shutil.which("dpkg-deb") is None:
        tool_missing("dpkg-deb", "dpkg")
    build = _fake_build(tmp_path / "build")
    out = tmp_path / "out"
    code = bp.main(
        [
            "--from-dir",
            str(build),
            "--skip-checks",
            "--out",
            str(out),
            "--work",
            str(tmp_path / "w"),
        ]
    )
    assert code == 0
    (deb,) = out.glob("*.deb")
    assert deb.name.startswith(f"hotline-desk_{__version__}-1_")

    info = subprocess.run(["dpkg-deb", "-f", str(deb)], capture_output=True, text=True).stdout
    fields = dict(
        line.split(": ", 1)
        for line in info.splitlines()
        if ": " in line and not line.startswith(" ")
    )
    assert fields["Package"] == "hotline-desk"
    assert fields["Version"] == f"{__version__}-1"
    depends = fields["Depends"]
    for needed in ["libxcb-cursor0", "libxkbcommon-x11-0", "libfontconfig1", "fonts-wqy-microhei"]:
        assert needed in depends
    assert int(fields["Installed-Size"]) > 0

    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True).stdout
    assert "./opt/hotline/hotline\n" in listing
    assert "./opt/hotline/_internal/resources/exemption/catalogue-2026.1.json" in listing
    assert "./usr/bin/hotline -> /opt/hotline/hotline" in listing
    assert "./usr/share/applications/hotline-desk.desktop" in listing
    for size in ("48x48", "256x256"):
        assert f"./usr/share/icons/hicolor/{size}/apps/hotline-desk.png" in listing
    assert "./usr/share/icons/hicolor/scalable/apps/hotline-desk.svg" in listing
    assert "./usr/share/doc/hotline-desk/copyright" in listing
    # Owned by root, the executable executable, nothing outside /opt, /usr.
    for line in listing.splitlines():
        assert " root/root " in line, line
        path = line.split(" ./", 1)[1]
        assert path == "" or path.startswith(("opt/", "usr/")), line
    assert any(
        line.startswith("-rwxr-xr-x") and line.endswith("./opt/hotline/hotline")
        for line in listing.splitlines()
    )

    control = tmp_path / "control"
    subprocess.run(["dpkg-deb", "-e", str(deb), str(control)], check=True)
    assert os.access(control / "postinst", os.X_OK) and os.access(control / "postrm", os.X_OK)
    assert "opt/hotline/hotline" in (control / "md5sums").read_text(encoding="utf-8")

    if shutil.which("desktop-file-validate") is None:
        tool_missing("desktop-file-validate", "desktop-file-utils")
    entry = tmp_path / "w" / "deb-root" / "usr/share/applications/hotline-desk.desktop"
    result = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout


def test_a_library_the_build_loads_but_no_dependency_brings_is_reported(monkeypatch) -> None:
    if shutil.which("dpkg-query") is None or shutil.which("ldd") is None:
        pytest.skip("needs dpkg-query and ldd")
    monkeypatch.setattr(
        bp,
        "system_libraries",
        lambda build: (
            {Path("/usr/lib/x86_64-linux-gnu/libxcb-cursor.so.0"), Path("/usr/lib/libfoo.so.1")},
            {"libbar.so.2"},
        ),
    )
    monkeypatch.setattr(
        bp,
        "owning_packages",
        lambda libraries: {
            lib: ("libxcb-cursor0" if "xcb" in lib.name else "libfoo1") for lib in libraries
        },
    )
    monkeypatch.setattr(bp, "installed_closure", lambda roots: set(roots))
    problems = bp.check_dependencies(Path("/nonexistent"))
    assert problems == [
        "libbar.so.2: needed by the build, found neither in it nor on this system",
        "/usr/lib/libfoo.so.1 (package libfoo1) is loaded but not in Depends",
    ]


def test_a_missing_build_folder_is_a_clear_failure(tmp_path: Path, capsys) -> None:
    assert bp.main(["--from-dir", str(tmp_path / "nothing"), "--out", str(tmp_path)]) == 1
    assert "is not a folder" in capsys.readouterr().err


def test_the_windows_icon_file(tmp_path: Path, qapp) -> None:
    ico = bp.write_ico(paths.ICON, tmp_path / "hotline-desk.ico")
    data = ico.read_bytes()
    assert data[:4] == b"\x00\x00\x01\x00"  # an ICO header: reserved 0, type 1 (icon)


def test_the_windows_installer_takes_the_version_from_the_program() -> None:
    """package/windows: the Inno Setup script has no version of its own; build.ps1 reads
    hotline/__init__.py and the spec gives both executables the icon and version resource."""
    iss = (ROOT / "package" / "windows" / "hotline.iss").read_text(encoding="utf-8")
    assert __version__ not in iss
    assert "AppVersion={#AppVersion}" in iss and "VersionInfoVersion={#AppVersion}" in iss
    sections = [line for line in iss.splitlines() if line.startswith("[")]
    assert "[UninstallDelete]" not in sections  # users' data is never removed
    assert r"build\package\icons\hotline-desk.ico" in iss
    script = (ROOT / "package" / "windows" / "build.ps1").read_text(encoding="utf-8")
    assert "hotline\\__init__.py" in script and "/DAppVersion=$version" in script
    spec = (ROOT / "package" / "hotline.spec").read_text(encoding="utf-8")
    assert 'name="hotline-desk"' in spec and "console=False" in spec
    assert "version=version_file" in spec and "icon=ICON_ICO" in spec


def test_the_build_tools_are_pinned_apart_from_the_programs_requirements() -> None:
    build = (ROOT / "requirements-build.txt").read_text(encoding="utf-8").splitlines()
    assert "-r requirements.txt" in build
    pins = dict(line.split("==") for line in build if "==" in line)
    assert set(pins) >= {"pyinstaller", "pyinstaller-hooks-contrib"}
    runtime = (ROOT / "requirements.txt").read_text(encoding="utf-8").lower()
    assert "pyinstaller" not in runtime


BLOCKED_IMPORTS = r"""
import importlib, pkgutil, sys
sys.path.insert(0, {root!r})
from tools.package_rules import EXCLUDED_MODULES

class Blocked:
    # As in the build: a module left out cannot be imported.
    def find_spec(self, name, path=None, target=None):
        if any(name == m or name.startswith(m + ".") for m in EXCLUDED_MODULES):
            raise ModuleNotFoundError(f"No module named {{name!r}} (left out of the build)")
        return None

sys.meta_path.insert(0, Blocked())
import hotline, ui
failed = []
for package in (hotline, ui):
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        try:
            importlib.import_module(info.name)
        except ModuleNotFoundError as exc:
            failed.append(f"{{info.name}}: {{exc}}")
for name in ("reportlab.pdfgen.canvas", "reportlab.platypus", "openpyxl", "qrcode", "babel.dates"):
    try:
        importlib.import_module(name)
    except ModuleNotFoundError as exc:
        failed.append(f"{{name}}: {{exc}}")
print("\n".join(failed))
"""


def test_every_module_of_the_program_imports_without_what_the_build_leaves_out() -> None:
    """A module left out of the build that the program (or a library it uses, such as
    reportlab importing PIL) imports unconditionally would fail only in the installed copy."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", BLOCKED_IMPORTS.format(root=str(ROOT))],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == ""


def test_no_import_in_the_program_names_what_the_build_leaves_out() -> None:
    """Imports inside functions too (pypdf counts a report's pages only when one is made):
    importing every module cannot see those, reading the source does."""
    import ast

    def excluded(name: str) -> bool:
        return any(name == m or name.startswith(m + ".") for m in rules.EXCLUDED_MODULES)

    found = []
    for path in [*ROOT.glob("hotline/**/*.py"), *ROOT.glob("ui/**/*.py"), ROOT / "main.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            found += [f"{path.relative_to(ROOT)}: {n}" for n in names if excluded(n)]
    assert found == []
