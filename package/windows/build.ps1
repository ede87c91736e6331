# Build the Windows installer on a Windows machine (PowerShell, from the checkout's folder):
#
#   py -3.11 -m venv .venv
#   .venv\Scripts\pip install -r requirements.txt -r requirements-build.txt
#   powershell -ExecutionPolicy Bypass -File package\windows\build.ps1
#
# Needs Inno Setup 6 (ISCC.exe on PATH or in its default folder). NOT TRIED ON WINDOWS YET.
$ErrorActionPreference = "Stop"
$root = Resolve-Path "$PSScriptRoot\..\.."
Set-Location $root
$version = (Select-String -Path hotline\__init__.py -Pattern '^__version__ = "(.+)"$').Matches[0].Groups[1].Value
Write-Host "Hotline desk $version"
# The PyInstaller folder (hotline-desk.exe, hotline.exe) with the icon and version resource.
& .venv\Scripts\python.exe tools\build_package.py --no-deb
if ($LASTEXITCODE -ne 0) { throw "build_package.py failed" }
$iscc = (Get-Command ISCC.exe -ErrorAction SilentlyContinue).Source
if (-not $iscc) { $iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
& $iscc "/DAppVersion=$version" package\windows\hotline.iss
if ($LASTEXITCODE -ne 0) { throw "ISCC failed" }
Write-Host "out\hotline-desk-$version-setup.exe"
