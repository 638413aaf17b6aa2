; Installer of the GridDesk desk for Windows 10/11 x64, made with Debian's makensis
; by packaging/dist.sh:
;   makensis -INPUTCHARSET UTF8 -DVERSION=0.1.0 -DDESK=GridDesk.exe -DOUTFILE=… griddesk.nsi
;
; Per user, in %LOCALAPPDATA%\Programs\GridDesk: a desk PC's officer can install and
; update it without administrator rights. Start-menu entry, an entry in Apps &
; features, an uninstaller. The desk's data (%APPDATA%\griddesk: the local copy,
; the outbox of unsent actions, photos; %APPDATA%\fyne: settings) is the user's
; and is left in place on uninstall: unsent work must survive a reinstall.

; A 64-bit installer (Debian's nsis has the amd64 stubs) for a 64-bit program; it
; also runs under a Wine without 32-bit support, as in packaging/check.sh.
Target amd64-unicode
SetCompressor /SOLID lzma
; No file times in the installer, so the same inputs give the same bytes.
SetDateSave off
RequestExecutionLevel user

!define APP "GridDesk"
!define APP_ZH "网格指挥台"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\GridDesk"

Name "${APP_ZH} ${APP}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP}"
InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"
VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "${APP_ZH} ${APP}"
VIAddVersionKey /LANG=0 "FileDescription" "${APP_ZH} ${APP} installer"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "LegalCopyright" "GridDesk"

!include "MUI2.nsh"
!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP}.exe"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "English"

Section "Install"
  SetOutPath "$INSTDIR"
  File "/oname=${APP}.exe" "${DESK}"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortcut "$SMPROGRAMS\${APP_ZH} ${APP}.lnk" "$INSTDIR\${APP}.exe"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${APP_ZH} ${APP}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "GridDesk"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${APP}.exe"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  Delete "$INSTDIR\${APP}.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${APP_ZH} ${APP}.lnk"
  DeleteRegKey HKCU "${UNINST_KEY}"
  ; %APPDATA%\griddesk and %APPDATA%\fyne stay: see the top of this file.
SectionEnd
