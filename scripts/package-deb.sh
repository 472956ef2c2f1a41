#!/usr/bin/env bash
# Builds the two Debian packages from this repository:
#
#   scripts/package-deb.sh [--out DIR] [--configuration release|debug] [--version VERSION]
#
#   deskready-agent_VERSION_ARCH.deb      the workstation agent, its PAM hook (pam-auth-update profile), the
#                                         desktop autostart mark and its systemd unit
#   deskready-collector_VERSION_ARCH.deb  the collector (`deskready`), its systemd unit and collector.yaml
#
# The version comes from the tag on HEAD (v1.2.0 gives 1.2.0), else from the last tag and the commit
# (1.2.0+git5.0123abcdef01), else 0.0.0~git.0123abcdef01; --version overrides it. The version and the commit are
# built into both binaries (`--version`, the agent_version of every batch, deskready_build_info): this script
# writes Sources/CDeskReadySupport/build_stamp.h for the build and removes it afterwards, so a plain `swift build`
# needs no step first and says "unknown". Release builds link the Swift runtime statically (no Swift on the target
# machine); --configuration debug packages the debug build (the CI test, which has a toolchain).
#
# Needs swift, git and dpkg-deb. Nothing is installed; the packages are written to --out (default ./dist).

set -euo pipefail
umask 022

die() { printf 'package-deb: error: %s\n' "$*" >&2; exit 1; }
say() { printf 'package-deb: %s\n' "$*"; }

root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
out=$root/dist
configuration=release
version=

while [ "$#" -gt 0 ]; do
    case $1 in
        --out) [ "$#" -ge 2 ] || die "--out needs a folder"; out=$2; shift 2 ;;
        --configuration) [ "$#" -ge 2 ] || die "--configuration needs release or debug"; configuration=$2; shift 2 ;;
        --version) [ "$#" -ge 2 ] || die "--version needs a value, for example 1.2.0"; version=$2; shift 2 ;;
        -h | --help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$1'; see --help" ;;
    esac
done
case $configuration in release | debug) ;; *) die "--configuration must be release or debug, not '$configuration'" ;; esac
command -v dpkg-deb >/dev/null || die "dpkg-deb not found: apt-get install dpkg-dev (or dpkg)"
command -v swift >/dev/null || die "swift not found: install the Swift toolchain (swift.org) first"

cd "$root"
commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then commit="$commit-dirty"; fi
if [ -z "$version" ]; then
    if tag=$(git describe --tags --exact-match 2>/dev/null); then
        version=${tag#v}
    elif described=$(git describe --tags --long 2>/dev/null); then
        # v1.2.0-5-g0123abc: five commits after v1.2.0.
        base=${described%-*-g*}; rest=${described#"$base"-}; count=${rest%%-*}
        version="${base#v}+git$count.${commit%-dirty}"
    else
        version="0.0.0~git.${commit%-dirty}"
    fi
fi
[[ $version =~ ^[0-9][A-Za-z0-9.+~-]*$ ]] || die "version '$version' is not a Debian version (it must start with a digit)"
arch=$(dpkg --print-architecture)

# --- Build, with the version and commit stamped in -------------------------------------------------------------
stamp=Sources/CDeskReadySupport/build_stamp.h
cleanup() { rm -f "$stamp"; touch Sources/CDeskReadySupport/build_info.c; }
trap cleanup EXIT
printf '#define DESKREADY_BUILD_VERSION "%s"\n#define DESKREADY_BUILD_COMMIT "%s"\n' "$version" "$commit" >"$stamp"
touch Sources/CDeskReadySupport/build_info.c   # the stamp is new to the build's dependency records
flags=(-c "$configuration")
[ "$configuration" = release ] && flags+=(--static-swift-stdlib)
say "building $version ($commit), $configuration"
swift build "${flags[@]}" --product deskready-agent
swift build "${flags[@]}" --product deskready
bin=$(swift build "${flags[@]}" --show-bin-path)
cleanup
trap - EXIT
"$bin/deskready-agent" --version | grep -qF "$version" || die "the agent binary does not carry version $version"

# --- Package trees -----------------------------------------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/deskready-deb.XXXXXX")
trap 'rm -rf -- "$work"' EXIT
mkdir -p "$out"

# Installed paths: /usr/bin for packaged binaries (install.sh, by hand, uses /usr/local/bin).
packaged() { sed 's#/usr/local/bin/#/usr/bin/#g' "$1"; }

control() {  # control NAME DEPENDS DESCRIPTION...
    local name=$1 depends=$2
    shift 2
    cat <<CONTROL
Package: $name
Version: $version
Architecture: $arch
Maintainer: DeskReady <deskready@localhost>
Section: admin
Priority: optional
Depends: $depends
Installed-Size: $(du -ks "$work/$name" | cut -f1)
Homepage: https://github.com/deskready/deskready
Description: $1
CONTROL
    shift
    local line
    for line in "$@"; do printf ' %s\n' "$line"; done
}

build_package() {  # build_package NAME
    local name=$1 tree=$work/$1
    find "$tree" -type d -exec chmod 0755 {} +
    dpkg-deb --root-owner-group --build "$tree" "$out/${name}_${version}_${arch}.deb" >/dev/null
    say "wrote $out/${name}_${version}_${arch}.deb"
}

# deskready-agent
tree=$work/deskready-agent
install -D -m 0755 "$bin/deskready-agent" "$tree/usr/bin/deskready-agent"
packaged agent-config/pam-mark | install -D -m 0755 /dev/stdin "$tree/usr/lib/deskready/pam-mark"
packaged agent-config/deskready-agent.service | install -D -m 0644 /dev/stdin "$tree/lib/systemd/system/deskready-agent.service"
packaged agent-config/deskready-desktop-ready.desktop | install -D -m 0644 /dev/stdin "$tree/etc/xdg/autostart/deskready-desktop-ready.desktop"
install -D -m 0640 agent-config/agent.yaml "$tree/etc/deskready/agent.yaml"
install -D -m 0644 packaging/deb/agent/pam-config "$tree/usr/share/pam-configs/deskready"
install -D -m 0644 packaging/deb/agent/README.Debian "$tree/usr/share/doc/deskready-agent/README.Debian"
install -D -m 0644 agent-config/pam-deskready.conf "$tree/usr/share/doc/deskready-agent/pam-deskready.conf"
install -d "$tree/DEBIAN"
install -m 0755 packaging/deb/agent/postinst packaging/deb/agent/prerm packaging/deb/agent/postrm "$tree/DEBIAN/"
printf '%s\n' /etc/deskready/agent.yaml /etc/xdg/autostart/deskready-desktop-ready.desktop >"$tree/DEBIAN/conffiles"
control deskready-agent "libc6, libsqlite3-0, zlib1g, libcurl4, passwd, libpam-runtime (>= 1.0.1-6) | authselect" \
    "DeskReady workstation agent: how long staff wait for their computers" \
    "Measures boot, logon and application-start times on this workstation and sends" \
    "them to the trust's DeskReady collector. User names are pseudonymised on the" \
    "device. Set /etc/deskready/agent.yaml, then run" \
    "deskready-agent check-config --connect /etc/deskready/agent.yaml." >"$tree/DEBIAN/control"
build_package deskready-agent

# deskready-collector
tree=$work/deskready-collector
install -D -m 0755 "$bin/deskready" "$tree/usr/bin/deskready"
packaged collector/deskready.service | install -D -m 0644 /dev/stdin "$tree/lib/systemd/system/deskready.service"
# The example config with HTTPS on 8443 switched on, the paths the README and the unit use.
sed -e 's/^# tls_cert: /tls_cert: /' -e 's/^# tls_key: /tls_key: /' -e 's/^listen: .*/listen: 0.0.0.0:8443/' collector/collector.yaml \
    | install -D -m 0640 /dev/stdin "$tree/etc/deskready/collector.yaml"
grep -q '^tls_cert: /etc/deskready/cert.pem$' "$tree/etc/deskready/collector.yaml" || die "collector/collector.yaml no longer has the '# tls_cert: /etc/deskready/cert.pem' line this script switches on"
for file in openapi.yaml maturity-model.yaml; do
    install -D -m 0644 "collector/$file" "$tree/usr/share/doc/deskready-collector/$file"
done
install -D -m 0644 docs/data-protection.md "$tree/usr/share/doc/deskready-collector/data-protection.md"
cp -r collector/monitoring "$tree/usr/share/doc/deskready-collector/monitoring"
install -d "$tree/DEBIAN"
install -m 0755 packaging/deb/collector/postinst packaging/deb/collector/prerm packaging/deb/collector/postrm "$tree/DEBIAN/"
printf '%s\n' /etc/deskready/collector.yaml >"$tree/DEBIAN/conffiles"
control deskready-collector "libc6, libsqlite3-0, zlib1g, passwd" \
    "DeskReady collector: per-trust workstation timing reports" \
    "Receives agents' batches over HTTPS, stores them in SQLite, and serves" \
    "per-trust reports, /metrics for Prometheus and /readyz. Put the certificate" \
    "and key in /etc/deskready/cert.pem and key.pem, then systemctl start deskready." >"$tree/DEBIAN/control"
build_package deskready-collector
