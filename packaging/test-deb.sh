#!/usr/bin/env bash
# Tests the Debian packages for real: builds them with scripts/package-deb.sh (the debug build, which CI has), installs
# them on this machine with dpkg, checks what postinst made (users, folders, modes, conffiles, units, PAM lines through
# pam-auth-update), records a mark through the installed PAM hook, starts the packaged collector with its packaged
# config over HTTPS and runs `deskready-agent check-config --connect` against it, then removes and purges both and
# checks that nothing is left.
#
#   sudo bash packaging/test-deb.sh            (CI runs it from .ci/run)
#
# It changes this machine's /etc/pam.d/common-* through pam-auth-update, as installing the package would, and puts
# them back on purge. It refuses to run where DeskReady is installed already, and purges what it installed on any
# failure. Stops at the first failure, naming it.

set -euo pipefail

root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
passed=0
pass() { passed=$((passed + 1)); printf 'ok %2d  %s\n' "$passed" "$1"; }
fail() { printf '\ntest-deb: FAILED: %s\n' "$1" >&2; [ "$#" -lt 2 ] || cat -- "$2" >&2 || true; exit 1; }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
mode_owner() { stat -c '%a %U:%G' -- "$1"; }

[ "$(id -u)" -eq 0 ] || fail "needs root (it installs packages); run it with sudo, or let CI run it"
command -v dpkg >/dev/null && command -v pam-auth-update >/dev/null || fail "needs dpkg and pam-auth-update (a Debian or Ubuntu machine)"
for package in deskready-agent deskready-collector; do
    if dpkg-query -W -f '${Status}' "$package" 2>/dev/null | grep -q installed; then
        fail "$package is installed on this machine already; test on a machine (or chroot) without DeskReady"
    fi
done
getent passwd deskready >/dev/null && fail "the user deskready exists already; test on a machine without DeskReady"

work=$(mktemp -d "${TMPDIR:-/tmp}/deskready-test-deb.XXXXXX")
chmod 0755 "$work"
collector_pid=
cleanup() {
    [ -z "$collector_pid" ] || kill "$collector_pid" 2>/dev/null || true
    dpkg --purge deskready-agent deskready-collector >/dev/null 2>&1 || true
    rm -rf -- "$work"
}
trap cleanup EXIT
cp -p /etc/pam.d/common-auth "$work/common-auth.before"
cp -p /etc/pam.d/common-session "$work/common-session.before"

# --- Build ------------------------------------------------------------------------------------------------------
bash "$root/scripts/package-deb.sh" --configuration debug --version 9.8.7 --out "$work/dist" >"$work/build.log" 2>&1 \
    || fail "scripts/package-deb.sh failed" "$work/build.log"
agent_deb=$(ls "$work"/dist/deskready-agent_9.8.7_*.deb)
collector_deb=$(ls "$work"/dist/deskready-collector_9.8.7_*.deb)
pass "package-deb.sh builds deskready-agent and deskready-collector 9.8.7"
check "the agent's conffiles are its config and autostart entry" \
    test "$(dpkg-deb --ctrl-tarfile "$agent_deb" | tar -xO ./conffiles)" = "$(printf '/etc/deskready/agent.yaml\n/etc/xdg/autostart/deskready-desktop-ready.desktop')"
check "the collector's conffile is collector.yaml" \
    test "$(dpkg-deb --ctrl-tarfile "$collector_deb" | tar -xO ./conffiles)" = /etc/deskready/collector.yaml
dpkg-deb -c "$agent_deb" >"$work/agent.contents"
dpkg-deb -c "$collector_deb" >"$work/collector.contents"
check "the units are in /lib/systemd/system" \
    bash -c "grep -q ' ./lib/systemd/system/deskready-agent.service\$' '$work/agent.contents' && grep -q ' ./lib/systemd/system/deskready.service\$' '$work/collector.contents'"
check "the pam-auth-update profile is in /usr/share/pam-configs" grep -q ' ./usr/share/pam-configs/deskready$' "$work/agent.contents"

# --- Install ----------------------------------------------------------------------------------------------------
if ! dpkg -i "$agent_deb" "$collector_deb" >"$work/install.log" 2>&1; then
    # Missing dependencies (libcurl4 and friends): let apt bring them, as `apt install ./x.deb` would.
    apt-get install -y -qq -f >>"$work/install.log" 2>&1 || fail "dpkg -i failed" "$work/install.log"
fi
check "both packages are installed" bash -c "dpkg-query -W -f '\${Status}\n' deskready-agent deskready-collector | grep -c 'install ok installed' | grep -qx 2"
check "the binaries carry the package's version" bash -c "deskready-agent --version | grep -q 'deskready-agent 9.8.7 (commit ' && deskready --version | grep -q 'deskready 9.8.7'"
check "postinst created the users deskready and deskready-collector" bash -c "getent passwd deskready >/dev/null && getent passwd deskready-collector >/dev/null"
check "agent.yaml is 0640 root:deskready" test "$(mode_owner /etc/deskready/agent.yaml)" = "640 root:deskready"
check "collector.yaml is 0640 root:deskready-collector" test "$(mode_owner /etc/deskready/collector.yaml)" = "640 root:deskready-collector"
check "the spool folder is 0750 deskready" test "$(mode_owner /var/lib/deskready)" = "750 deskready:deskready"
check "the marks folder is 1733 deskready" test "$(mode_owner /var/lib/deskready-marks)" = "1733 deskready:deskready"
check "the database folder is 0750 deskready-collector" test "$(mode_owner /var/lib/deskready-collector)" = "750 deskready-collector:deskready-collector"
check "the collector unit runs serve --config /etc/deskready/collector.yaml" \
    grep -qx 'ExecStart=/usr/bin/deskready serve --config /etc/deskready/collector.yaml' /lib/systemd/system/deskready.service
check "the agent unit runs the packaged binary" \
    grep -qx 'ExecStart=/usr/bin/deskready-agent run --config /etc/deskready/agent.yaml' /lib/systemd/system/deskready-agent.service
check "the packaged collector.yaml serves HTTPS on 8443 with the README's certificate paths" bash -c \
    "grep -qx 'listen: 0.0.0.0:8443' /etc/deskready/collector.yaml && grep -qx 'tls_cert: /etc/deskready/cert.pem' /etc/deskready/collector.yaml && grep -qx 'tls_key: /etc/deskready/key.pem' /etc/deskready/collector.yaml"
check "raw events are kept 90 days by default" grep -qx 'raw_retention_days: 90' /etc/deskready/collector.yaml
if systemctl cat deskready-agent.service >"$work/cat.log" 2>&1; then
    check "systemctl cat shows the installed agent unit" grep -q '^ExecStart=/usr/bin/deskready-agent run' "$work/cat.log"
    systemctl cat deskready.service >"$work/cat.log" 2>&1
    check "systemctl cat shows the installed collector unit" grep -q '^ExecStart=/usr/bin/deskready serve --config' "$work/cat.log"
else
    printf 'note    systemctl cat needs a running systemd (%s); the unit files were checked above\n' "$(head -n 1 "$work/cat.log")"
fi
if command -v systemd-analyze >/dev/null; then
    check "systemd-analyze verify accepts both units" systemd-analyze verify /lib/systemd/system/deskready-agent.service /lib/systemd/system/deskready.service
fi

# --- PAM --------------------------------------------------------------------------------------------------------
check "pam-auth-update lists the DeskReady profile" test -f /var/lib/pam/seen && grep -qx deskready /var/lib/pam/seen
auth_rule=$(grep -v -E '^[[:space:]]*(#|$)' /etc/pam.d/common-auth | head -n 1)
check "the auth mark is the first rule of common-auth, before pam_unix" \
    bash -c "[[ '$auth_rule' == *'optional'*'pam_exec.so quiet /usr/lib/deskready/pam-mark auth_start'* ]]"
check "common-session runs the session_open mark" grep -q 'pam_exec.so quiet /usr/lib/deskready/pam-mark session_open' /etc/pam.d/common-session
pam-auth-update --package >/dev/null
check "pam-auth-update --package again adds nothing twice" test "$(grep -c 'pam-mark auth_start' /etc/pam.d/common-auth)" = 1

# --- A mark through the installed hook, as PAM runs it ------------------------------------------------------------
key=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
sed -i -e "s/^pseudonym_key: .*/pseudonym_key: \"$key\"/" -e 's/^enrolment_token: .*/enrolment_token: "set-below"/' /etc/deskready/agent.yaml
env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin PAM_TYPE=auth PAM_USER=alice PAM_SERVICE=gdm-password /usr/lib/deskready/pam-mark auth_start
as_agent() { setpriv --reuid=deskready --regid=deskready --init-groups -- "$@"; }
as_agent deskready-agent status --config /etc/deskready/agent.yaml >"$work/status.log" 2>&1 || true
check "the mark reached the spool, written as deskready" grep -q 'open logon marks:  1' "$work/status.log"
check "the spool belongs to deskready" test "$(stat -c %U /var/lib/deskready/spool.sqlite)" = deskready

# --- The packaged collector with its packaged config, and the agent's connect check --------------------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=deskready-deb-test \
    -addext subjectAltName=IP:127.0.0.1 -keyout /etc/deskready/key.pem -out /etc/deskready/cert.pem >/dev/null 2>&1
chown root:deskready-collector /etc/deskready/key.pem /etc/deskready/cert.pem
chmod 0640 /etc/deskready/key.pem
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_collector() { setpriv --reuid=deskready-collector --regid=deskready-collector --init-groups -- "$@"; }
db=/var/lib/deskready-collector/deskready.sqlite
as_collector deskready trust add RXX --name "Test trust" --db "$db" >/dev/null 2>&1
token=$(as_collector deskready enrol-token create --trust RXX --db "$db" 2>/dev/null)
setpriv --reuid=deskready-collector --regid=deskready-collector --init-groups -- \
    deskready serve --config /etc/deskready/collector.yaml --listen "127.0.0.1:$port" >"$work/collector.log" 2>&1 &
collector_pid=$!
for _ in $(seq 1 100); do
    curl -fsS --cacert /etc/deskready/cert.pem "https://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    sleep 0.1
done
check "the packaged collector serves HTTPS with /etc/deskready/cert.pem" curl -fsS -o /dev/null --cacert /etc/deskready/cert.pem "https://127.0.0.1:$port/readyz"
sed -i -e "s#^collector_url: .*#collector_url: https://127.0.0.1:$port#" -e "s#^enrolment_token: .*#enrolment_token: \"$token\"#" \
    -e "s#^\# ca_file: .*#ca_file: /etc/deskready/cert.pem#" -e 's/^trust: .*/trust: RXX/' -e 's/^site: .*/site: RXX01/' /etc/deskready/agent.yaml
deskready-agent check-config --connect /etc/deskready/agent.yaml >"$work/connect.log" 2>&1 || fail "check-config --connect against the packaged collector failed" "$work/connect.log"
check "check-config --connect passes every step against it" grep -q 'ok   enrolment_token accepted' "$work/connect.log"
kill "$collector_pid"; wait "$collector_pid" 2>/dev/null || true; collector_pid=

# --- Remove, then purge -----------------------------------------------------------------------------------------
dpkg --remove deskready-agent deskready-collector >"$work/remove.log" 2>&1 || fail "dpkg --remove failed" "$work/remove.log"
check "remove takes the PAM lines out of common-auth" bash -c "! grep -q deskready /etc/pam.d/common-auth"
check "remove takes the PAM lines out of common-session" bash -c "! grep -q deskready /etc/pam.d/common-session"
check "remove takes the binaries and units away" bash -c "[ ! -e /usr/bin/deskready-agent ] && [ ! -e /usr/bin/deskready ] && [ ! -e /lib/systemd/system/deskready.service ]"
check "remove keeps the configs and the data" bash -c "[ -f /etc/deskready/agent.yaml ] && [ -f /etc/deskready/collector.yaml ] && [ -f $db ]"
rm -f /etc/deskready/cert.pem /etc/deskready/key.pem   # made by this test, not by the package
dpkg --purge deskready-agent deskready-collector >"$work/purge.log" 2>&1 || fail "dpkg --purge failed" "$work/purge.log"
check "purge removes /etc/deskready" test ! -e /etc/deskready
check "purge removes the spool, marks and database folders" bash -c "[ ! -e /var/lib/deskready ] && [ ! -e /var/lib/deskready-marks ] && [ ! -e /var/lib/deskready-collector ]"
check "purge removes the users" bash -c "! getent passwd deskready >/dev/null && ! getent passwd deskready-collector >/dev/null && ! getent group deskready >/dev/null"
check "common-auth is as before, byte for byte" cmp -s /etc/pam.d/common-auth "$work/common-auth.before"
check "common-session is as before, byte for byte" cmp -s /etc/pam.d/common-session "$work/common-session.before"
check "dpkg knows neither package any more" bash -c "! dpkg-query -W deskready-agent >/dev/null 2>&1 && ! dpkg-query -W deskready-collector >/dev/null 2>&1"
printf 'test-deb: %d passed, 0 failed\n' "$passed"
