# Build the Windows installer: dist\deckfollow\ (PyInstaller), then dist\deckfollow-VERSION-setup.exe
# (Inno Setup). Run from the repository root in a virtualenv with `pip install -e .[bundle]`.
$ErrorActionPreference = "Stop"
python packaging/make_icons.py
python -m PyInstaller --noconfirm --clean --log-level WARN --workpath build/pyinstaller --distpath dist packaging/deckfollow.spec
$version = python -c "import deckfollow; print(deckfollow.__version__)"
$iscc = (Get-Command iscc -ErrorAction SilentlyContinue).Source
if (-not $iscc) { $iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
& $iscc "/DAppVersion=$version" packaging\windows\deckfollow.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
Write-Host "installer: dist\deckfollow-$version-setup.exe"
