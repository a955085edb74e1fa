; Kupon Desktop: the Windows installer (Inno Setup 6).
;
; packaging/build.py runs this after PyInstaller, passing
;   /DAppVersion=X.Y.Z     the version from the package metadata (required)
;   /DBundleDir=...        PyInstaller's one-folder bundle (dist\kupon-desktop)
;   /DIconFile=...         the .ico made by packaging/make_icons.py
;   /O<folder>             where KuponDesktop-X.Y.Z-setup.exe is written
; By hand, from the repository:
;   iscc /DAppVersion=0.1.0 packaging\windows\kupon-desktop.iss
;
; The install is per user (no administrator rights, no UAC prompt) into
; %LOCALAPPDATA%\Programs\Kupon Desktop, with a Start menu entry and an uninstaller
; (Settings > Apps). It registers no file types. Uninstalling removes the program only:
; the campaign log, settings and logs in %LOCALAPPDATA%\Kupon\Kupon Desktop stay.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z (packaging/build.py does)
#endif
#ifndef BundleDir
  #define BundleDir "..\dist\kupon-desktop"
#endif
#ifndef IconFile
  #define IconFile "..\build\icons\kupon-desktop.ico"
#endif

#define AppName "Kupon Desktop"
; the windowed executable (no console); kupon-desktop.exe beside it is the command line
#define AppExe "KuponDesktop.exe"

[Setup]
; Never change AppId: it is how an upgrade finds the installed copy.
AppId={{2B6E1C95-D48C-4AB8-BFEE-0B65892A39BD}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Kupon
AppPublisherURL=https://kupon.mobi
AppSupportURL=https://kupon.mobi
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; per user, no elevation: {autopf} is then %LOCALAPPDATA%\Programs
PrivilegesRequired=lowest
ChangesAssociations=no
ChangesEnvironment=no
; an open copy is asked to close (Restart Manager) so its files can be replaced
CloseApplications=yes
RestartApplications=no
OutputBaseFilename=KuponDesktop-{#AppVersion}-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Qt 6 needs 64-bit Windows 10 or later
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0

[Languages]
Name: "ru"; MessagesFile: "compiler:Languages\Russian.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the bundle whole, so libraries of the previous version cannot
; mix with the new ones.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
