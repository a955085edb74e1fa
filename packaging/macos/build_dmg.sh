#!/usr/bin/env bash
# Make the macOS disk image from the .app that PyInstaller built:
#
#   bash packaging/macos/build_dmg.sh "packaging/dist/Kupon Desktop.app" KuponDesktop-0.1.0.dmg
#
# (packaging/build.py calls it.) The image opens to the app beside an Applications link,
# so installing is one drag. Signing and notarization happen only when their variables
# are set (see SIGNING.md beside this script); without them the image is unsigned and
# the app keeps PyInstaller's ad-hoc signature.
set -euo pipefail

app=${1:?usage: build_dmg.sh PATH/Kupon\ Desktop.app OUT.dmg}
dmg=${2:?usage: build_dmg.sh PATH/Kupon\ Desktop.app OUT.dmg}
volume="Kupon Desktop"

if [[ ! -d $app ]]; then
    echo "build_dmg.sh: $app not found (run packaging/build.py)" >&2
    exit 1
fi

staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
# ditto keeps the bundle's symlinks, extended attributes and signatures intact
ditto "$app" "$staging/$(basename "$app")"
ln -s /Applications "$staging/Applications"

if [[ -n ${MACOS_SIGN_IDENTITY:-} ]]; then
    # PyInstaller signed the app (codesign_identity in the spec); refuse a broken seal
    codesign --verify --deep --strict --verbose=2 "$staging/$(basename "$app")"
fi

mkdir -p "$(dirname "$dmg")"
rm -f "$dmg"
# hdiutil on CI machines now and then fails with "Resource busy": try a few times
for attempt in 1 2 3; do
    if hdiutil create -volname "$volume" -srcfolder "$staging" -fs HFS+ \
            -format UDZO -imagekey zlib-level=9 -ov "$dmg"; then
        break
    fi
    if [[ $attempt == 3 ]]; then
        echo "build_dmg.sh: hdiutil create failed three times" >&2
        exit 1
    fi
    sleep 5
done

if [[ -z ${MACOS_SIGN_IDENTITY:-} ]]; then
    echo "build_dmg.sh: MACOS_SIGN_IDENTITY not set: $dmg is unsigned (see SIGNING.md)"
    exit 0
fi
codesign --sign "$MACOS_SIGN_IDENTITY" --timestamp "$dmg"

if [[ -z ${APPLE_ID:-} || -z ${APPLE_TEAM_ID:-} || -z ${APPLE_APP_PASSWORD:-} ]]; then
    echo "build_dmg.sh: signed but not notarized (set APPLE_ID, APPLE_TEAM_ID and" \
         "APPLE_APP_PASSWORD to notarize)"
    exit 0
fi
xcrun notarytool submit "$dmg" --apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" \
    --password "$APPLE_APP_PASSWORD" --wait
# staple the ticket so Gatekeeper accepts the image offline too; no ticket means Apple
# rejected the upload: `xcrun notarytool log <submission id> ...` says why
if ! xcrun stapler staple "$dmg"; then
    echo "build_dmg.sh: notarization gave no ticket for $dmg (see notarytool log)" >&2
    exit 1
fi
xcrun stapler validate "$dmg"
echo "build_dmg.sh: $dmg signed, notarized and stapled"
