; Inno Setup script of the Windows installer (Inno Setup 6.3 or newer, https://jrsoftware.org/isinfo.php).
;
; Made from the PyInstaller folder that tools\build_package.py --no-deb leaves in
; build\package\dist\hotline (hotline-desk.exe: the desktop app; hotline.exe: the command line):
;
;   ISCC /DAppVersion=X.Y.Z package\windows\hotline.iss
;
; The version comes from hotline\__init__.py: package\windows\build.ps1 reads it and passes it.
; NOT TRIED ON WINDOWS YET: written and checked on Linux only (see package/windows/README.md).

#ifndef AppVersion
  #error Pass the version: ISCC /DAppVersion=X.Y.Z package\windows\hotline.iss (build.ps1 does)
#endif
#define Root "..\.."
#define Build Root + "\build\package\dist\hotline"

[Setup]
; One AppId for every version: a new version installs over the old one (upgrade).
AppId={{6E4B3A52-9C1F-4D7B-A8E2-3F0C5D9B7A61}
AppName=营商环境投诉热线工作台
AppVersion={#AppVersion}
AppVerName=营商环境投诉热线工作台 {#AppVersion}
AppPublisher=营商环境投诉热线
VersionInfoVersion={#AppVersion}
VersionInfoProductName=营商环境投诉热线工作台 Hotline Desk
VersionInfoDescription=营商环境投诉热线工作台 安装程序
DefaultDirName={autopf}\HotlineDesk
DefaultGroupName=营商环境投诉热线工作台
DisableProgramGroupPage=yes
OutputDir={#Root}\out
OutputBaseFilename=hotline-desk-{#AppVersion}-setup
SetupIconFile={#Root}\build\package\icons\hotline-desk.ico
UninstallDisplayIcon={app}\hotline-desk.exe
UninstallDisplayName=营商环境投诉热线工作台 {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Per machine by default (the IT person installs it once), per user if chosen.
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog
WizardStyle=modern
; A running copy is closed before its files are replaced.
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
; Inno Setup ships the Simplified Chinese messages as an unofficial translation: put
; ChineseSimplified.isl (https://jrsoftware.org/files/istrans/) beside this script to get them.
#if FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
Name: "chinesesimplified"; MessagesFile: "ChineseSimplified.isl"
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "{#Build}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the program's files: none of the old version's libraries stay behind.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\营商环境投诉热线工作台"; Filename: "{app}\hotline-desk.exe"; Comment: "Business Environment Hotline Desk"
Name: "{autodesktop}\营商环境投诉热线工作台"; Filename: "{app}\hotline-desk.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\hotline-desk.exe"; Description: "{cm:LaunchProgram,营商环境投诉热线工作台}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete]: the users' data (%LOCALAPPDATA%\hotline\hotline-desk: the database,
; settings, drafts, backups, logs) is never removed with the program.
