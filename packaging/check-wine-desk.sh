#!/usr/bin/env bash
# packaging/check-wine-desk.sh SETUP.EXE WORKDIR — the Windows installer and desk
# under Wine in Xvfb (Wine prefix made by check.sh): silent install, Start-menu
# entry and Apps & features entry present, the installed desk opens its window on
# the demo town (screenshot .cache/screens/wine-desk.png), silent uninstall
# removes the program and leaves the user's data.
set -euo pipefail
setup=$1 work=$2
screens=$(cd "$(dirname "$0")/.." && pwd)/.cache/screens
die() { echo "      $*"; exit 1; }
u=$(wine cmd /c 'echo %USERPROFILE%' 2>/dev/null | tr -d '\r')
home=$(winepath -u "$u")
local_app=$home/AppData/Local/Programs/GridDesk
start_menu=$home/AppData/Roaming/Microsoft/Windows/Start\ Menu/Programs

wine "$setup" /S
[ -f "$local_app/GridDesk.exe" ] && [ -f "$local_app/uninstall.exe" ] || die "installer put no GridDesk.exe/uninstall.exe in $local_app"
[ -f "$start_menu/网格指挥台 GridDesk.lnk" ] || die "no Start-menu entry"
wine reg query 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\GridDesk' /v DisplayName 2>/dev/null | grep -q GridDesk \
  || die "no Apps & features entry"
echo "      installed per user: $(basename "$local_app")/GridDesk.exe, Start menu \"网格指挥台 GridDesk\", uninstall entry"

# The installed desk on a real (virtual) screen, with the demo town.
disp=:$((90 + RANDOM % 100))
Xvfb "$disp" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
xpid=$!
sleep 1
DISPLAY=$disp wine "$local_app/GridDesk.exe" >"$work/wine-desk.log" 2>&1 &
dpid=$!
win=""
for _ in $(seq 120); do
  win=$(DISPLAY=$disp xdotool search --name 'GridDesk|网格指挥台' 2>/dev/null | head -1) && [ -n "$win" ] && break
  sleep 1
done
sleep 25   # the demo town loads and syncs from the in-process server
mkdir -p "$screens"
DISPLAY=$disp import -window root "$screens/wine-desk.png"
colours=$(identify -format '%k' "$screens/wine-desk.png")
kill $dpid 2>/dev/null || true
wineserver -k 2>/dev/null || true
kill $xpid 2>/dev/null || true
wait 2>/dev/null || true
[ -n "$win" ] || { tail -20 "$work/wine-desk.log"; die "no desk window appeared"; }
[ "$colours" -gt 2000 ] || die "the screenshot has $colours colours: no map drawn?"
echo "      the desk's window under Wine: $colours colours on screen (.cache/screens/wine-desk.png)"
[ -d "$home/AppData/Roaming/griddesk" ] || die "the desk kept no data in %APPDATA%\\griddesk"

wine "$local_app/uninstall.exe" /S
for _ in $(seq 30); do [ -e "$local_app/GridDesk.exe" ] || break; sleep 1; done
[ ! -e "$local_app/GridDesk.exe" ] && [ ! -e "$start_menu/网格指挥台 GridDesk.lnk" ] || die "uninstall left the program or its Start-menu entry"
[ -d "$home/AppData/Roaming/griddesk" ] || die "uninstall removed the user's data"
echo "      uninstalled: program and Start-menu entry gone, %APPDATA%\\griddesk kept"
