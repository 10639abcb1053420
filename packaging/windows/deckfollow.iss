; Inno Setup script: the Windows installer for the one-folder build in dist\deckfollow.
;   iscc /DAppVersion=0.1.0 packaging\windows\deckfollow.iss   ->  dist\deckfollow-0.1.0-setup.exe
; Per-user install (no administrator rights), a Start-menu entry, an optional desktop icon, and
; an uninstaller in Settings > Apps. The customer data lives in the user's data folder
; (%LOCALAPPDATA%\deckfollow), outside {app}: an upgrade or an uninstall never touches it.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6B1F2C7E-3D1A-4E0B-9B64-2E5C7A1D9F30}
AppName=deckfollow
AppVersion={#AppVersion}
AppPublisher=deckfollow
AppPublisherURL=https://deckfollow.app
DefaultDirName={localappdata}\Programs\deckfollow
DefaultGroupName=deckfollow
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir=..\..\dist
OutputBaseFilename=deckfollow-{#AppVersion}-setup
SetupIconFile=deckfollow.ico
UninstallDisplayIcon={app}\deckfollow.exe
UninstallDisplayName=deckfollow
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Closes a running deckfollow before files are replaced, and starts it again afterwards.
CloseApplications=yes
RestartApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\deckfollow\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the whole program folder, so no file of an older version lingers.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\deckfollow"; Filename: "{app}\deckfollow.exe"; Parameters: "gui"; IconFilename: "{app}\deckfollow.exe"
Name: "{group}\Uninstall deckfollow"; Filename: "{uninstallexe}"
Name: "{autodesktop}\deckfollow"; Filename: "{app}\deckfollow.exe"; Parameters: "gui"; Tasks: desktopicon

[Run]
Filename: "{app}\deckfollow.exe"; Parameters: "gui"; Description: "{cm:LaunchProgram,deckfollow}"; Flags: nowait postinstall skipifsilent

[UninstallRun]
; Take away the start-at-login entry the app may have written (HKCU Run value "deckfollow").
Filename: "{sys}\reg.exe"; Parameters: "delete HKCU\Software\Microsoft\Windows\CurrentVersion\Run /v deckfollow /f"; Flags: runhidden; RunOnceId: "DelLoginEntry"
