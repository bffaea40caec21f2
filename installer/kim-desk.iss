; KIM Desk for Windows: a per-machine installer (Inno Setup 6) for the one-folder bundle in dist\kim-desk.
; Built by .github/workflows/release.yml after `pyinstaller build_installer.spec`:
;   ISCC.exe /DAppVersion=<kim_desk.__version__> installer\kim-desk.iss
; The program goes to C:\Program Files\KIM Desk for all users; each user's data stays in their own
; %LOCALAPPDATA%\KIM Desk, which neither this installer nor its uninstaller ever touches.

#ifndef AppVersion
  #error Pass the package version: ISCC.exe /DAppVersion=<kim_desk.__version__> installer\kim-desk.iss
#endif
#ifndef SourceDir
  #define SourceDir "..\dist\kim-desk"
#endif

[Setup]
; AppId stays the same for every release, so an update replaces the installed version
AppId={{4ECAC061-A924-4EB9-A0B3-28E9F2096DA0}
AppName=KIM Desk
AppVersion={#AppVersion}
AppVerName=KIM Desk {#AppVersion}
AppPublisher=Kreis Warendorf, Kommunales Integrationsmanagement
DefaultDirName={autopf}\KIM Desk
DefaultGroupName=KIM Desk
DisableProgramGroupPage=yes
; per machine: installing needs administrator rights, and there is no per-user variant
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\dist
OutputBaseFilename=kim-desk-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
UninstallDisplayName=KIM Desk {#AppVersion}
UninstallDisplayIcon={app}\kim-desk.exe
; a running KIM Desk is asked to close before its files are replaced or removed
CloseApplications=yes
SetupLogging=yes

[Languages]
Name: "german"; MessagesFile: "compiler:Languages\German.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\KIM Desk"; Filename: "{app}\kim-desk.exe"; WorkingDir: "{app}"

[Run]
; started as the user who ran the installer, not as the administrator, so the desk lands in that user's folder
Filename: "{app}\kim-desk.exe"; Description: "{cm:LaunchProgram,KIM Desk}"; Flags: nowait postinstall skipifsilent runasoriginaluser

; No [UninstallDelete] section: the uninstaller removes only the files installed above. The data folders
; (%LOCALAPPDATA%\KIM Desk with the database, vault.json, backups\ and logs\) and the secret in the
; Windows Credential Manager stay, so a reinstall finds the desk again.
