"""What goes into the self-contained build and what is left out: shared by the PyInstaller
specification (package/hotline.spec) and tools/build_package.py, on Linux and Windows.

Plain Python with no import of the program or of Qt, so the specification can read it before
PyInstaller analyses anything, and the tests can check the rules without building.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

# Modules never needed by the program: tests and development tools that happen to be in the
# environment, and the parts of PySide6 the program does not use (PyInstaller would otherwise
# follow PySide6's optional imports into them).
EXCLUDED_MODULES = [
    "tkinter",
    "_tkinter",
    "pytest",
    "_pytest",
    "pytestqt",
    "xdist",
    "hypothesis",
    "mypy",
    "mypyc",
    "importlinter",
    "grimp",
    "PyInstaller",
    "IPython",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "PySide6.QtDesigner",
    "PySide6.QtUiTools",
    "PySide6.QtHelp",
    "PySide6.QtXml",
    "PySide6.QtConcurrent",
    "PySide6.QtDBus",
    "PySide6.QtSvgWidgets",
    # Optional imports of the libraries the program uses, never reached by it: charset
    # detection, setuptools, the interactive prompt. (PIL stays: reportlab imports it whenever
    # it is imported; lxml and docx stay: the knowledge base reads Word files with python-docx.)
    # tests/tools/test_build_package.py imports every module of the program with these blocked.
    "charset_normalizer",
    "setuptools",
    "pkg_resources",
    "readline",
    "numpy",
]

# Imported in ways PyInstaller cannot see (by name, at run time).
HIDDEN_IMPORTS = [
    "PySide6.QtSvg",  # the icon is an SVG: Qt's svg plugins need the module's library
    "psycopg2",  # imported lazily by hotline.pg.connection for PostgreSQL databases
    "psycopg2.extras",
    "psycopg2.extensions",
]

# Qt plug-ins kept, by folder; every other plug-in of these folders is left out, and so are
# whole folders not named here. The platforms: X11 (xcb) for the desktops, offscreen for
# headless use; on Windows its own. Wayland sessions run the app through XWayland.
QT_PLUGINS = {
    "platforms": {"libqxcb", "libqoffscreen", "qwindows", "qoffscreen", "qdirect2d"},
    "platformthemes": {"libqxdgdesktopportal"},
    "platforminputcontexts": {
        "libcomposeplatforminputcontextplugin",
        "libibusplatforminputcontextplugin",
        "libqtvirtualkeyboardplugin",
    },
    "imageformats": {"libqsvg", "libqjpeg", "libqgif", "libqico", "qsvg", "qjpeg", "qgif", "qico"},
    "iconengines": {"libqsvgicon", "qsvgicon"},
    "styles": {"qmodernwindowsstyle", "qwindowsvistastyle"},
    "printsupport": {"libcupsprintersupport", "cupsprintersupport"},
    "generic": set(),
    "tls": set(),
    "networkinformation": set(),
}

# Libraries the program never loads, pulled in only by plug-ins or modules left out: Qt's
# (QtNetwork stays: QtPdf and the incoming-call listeners need it) and the GTK stack of Qt's GTK theme plug-in.
UNUSED_LIBRARIES = re.compile(
    r"(Qt6(Quick|Qml|QmlModels|QmlMeta|QmlWorkerScript|OpenGL|OpenGLWidgets|Sql|Test|"
    r"Designer|UiTools|Help|Xml|Concurrent|VirtualKeyboard|Wayland\w*|WlShell\w*|Labs\w*|"
    r"ShaderTools|EglFS\w*|EglFs\w*|3D\w*|Charts|DataVisualization|Multimedia\w*|"
    r"WebEngine\w*|Graphs\w*)\.so"
    r"|^lib(gtk-3|gdk-3|gdk_pixbuf-2\.0|atk-1\.0|atk-bridge-2\.0|atspi|pango\w*-1\.0|cairo|"
    r"cairo-gobject|harfbuzz|fribidi|thai|datrie|graphite2|pixman-1|epoxy|jpeg|bsd|md|"
    r"Xcomposite|Xdamage|wayland-\w+)\.so)"
)

# Locales of babel's data kept: the program speaks Chinese and English (``root`` is the
# parent of every locale).
BABEL_LOCALES = {"root", "en", "en_001", "en_US", "zh", "zh_Hans", "zh_Hans_CN"}

# Qt's own translations kept: Chinese (the program's default language). English needs none.
QT_TRANSLATIONS = {"qtbase_zh_CN.qm"}

# Libraries every Debian-based desktop has, or that must match the system's own graphics
# stack and fonts: used from the system (declared as dependencies of the .deb, see
# tools/build_package.py DEB_DEPENDS), never bundled.
SYSTEM_LIBRARIES = re.compile(
    r"^lib("
    r"X11|X11-xcb|Xau|Xdmcp|Xext|Xrender|Xi|Xfixes|Xcursor|Xrandr|Xinerama|"
    r"xcb[-\w]*|xkbcommon(-x11)?|"
    r"fontconfig|freetype|png16|expat|brotli\w*|"
    r"glib-2\.0|gobject-2\.0|gio-2\.0|gmodule-2\.0|gthread-2\.0|pcre2?-\w+|"
    r"dbus-1|systemd|cap|gcrypt|gpg-error|lz4|zstd|"
    r"EGL|GL|GLX|GLdispatch|OpenGL|gbm|drm|wayland-\w+|"
    r"cups|gnutls|avahi-\w+|nettle|hogweed|gmp|p11-kit|idn2|unistring|tasn1|krb5\w*|"
    r"k5crypto|com_err|gssapi_krb5|keyutils|"
    r"stdc\+\+|gcc_s|atomic|uuid|blkid|mount|selinux|"
    r"icu\w+"
    r")\.so(\.[\d.]+)?$"
)


def read_version(root: Path) -> str:
    """``__version__`` of hotline/__init__.py, read as text (the program is not imported)."""
    source = (root / "hotline" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__ = "([^"]+)"$', source, re.MULTILINE)
    if found is None:
        raise ValueError("hotline/__init__.py has no __version__")
    return found.group(1)


def resource_datas(root: Path) -> list[tuple[str, str]]:
    """The program's resources as PyInstaller (source, destination folder) pairs."""
    resources = root / "resources"
    return [
        (str(folder), f"resources/{folder.name}")
        for folder in sorted(resources.iterdir())
        if folder.is_dir()
    ]


def _parts(dest: str) -> tuple[str, ...]:
    return PurePosixPath(dest.replace("\\", "/")).parts


def keep(dest: str, platform: str) -> bool:
    """Whether a file PyInstaller collected at ``dest`` (relative to the build's folder: a
    library, a plug-in, a symbolic link to one, or a data file) goes into the build."""
    parts = _parts(dest)
    name = parts[-1]
    stem = name.split(".")[0]
    if "PySide6" in parts and "plugins" in parts:
        at = parts.index("plugins") + 1
        kept = QT_PLUGINS.get(parts[at]) if at < len(parts) - 1 else None
        return kept is not None and stem in kept
    if "PySide6" in parts and "translations" in parts:
        return name in QT_TRANSLATIONS
    if "PySide6" in parts and "qml" in parts:
        return False
    if "babel" in parts and "locale-data" in parts:
        return stem in BABEL_LOCALES
    if UNUSED_LIBRARIES.search(name):
        return False
    system = platform.startswith("linux") and len(parts) == 1 and SYSTEM_LIBRARIES.match(name)
    return not system


def write_windows_version_file(path: Path, version: str) -> str:
    """The version resource of the Windows executables (file properties → details)."""
    numbers = [int(n) for n in re.findall(r"\d+", version)[:3]] + [0]
    while len(numbers) < 4:
        numbers.insert(-1, 0)
    fixed = ", ".join(str(n) for n in numbers[:4])
    text = f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers=({fixed}), prodvers=({fixed}), mask=0x3f, flags=0x0,
    OS=0x40004, fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([
      StringTable('080404b0', [
        StringStruct('CompanyName', '营商环境投诉热线'),
        StringStruct('FileDescription', '营商环境投诉热线工作台'),
        StringStruct('FileVersion', '{version}'),
        StringStruct('InternalName', 'hotline'),
        StringStruct('OriginalFilename', 'hotline-desk.exe'),
        StringStruct('ProductName', '营商环境投诉热线工作台 Hotline Desk'),
        StringStruct('ProductVersion', '{version}')])
    ]),
    VarFileInfo([VarStruct('Translation', [0x0804, 1200])])
  ]
)
"""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)
