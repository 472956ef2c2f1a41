#!/usr/bin/env bash
# Tests install.sh (into a temporary root) and pam-mark (with fake agents).
#
#   bash agent-config/test-install.sh
#
# Needs bash, coreutils, awk and grep; touches nothing outside a temporary
# folder. Stops at the first failure with a message naming it. When run as
# root, it also checks that pam-mark drops to the service user.

set -euo pipefail

here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
installer=$here/install.sh
mark_script=$here/pam-mark

readonly AUTH_LINE='auth optional pam_exec.so quiet /usr/lib/deskready/pam-mark auth_start # deskready'
readonly AUTH_DONE_LINE='auth optional pam_exec.so quiet /usr/lib/deskready/pam-mark auth_done # deskready'
readonly SESSION_LINE='session optional pam_exec.so quiet /usr/lib/deskready/pam-mark session_open # deskready'

# Nothing from the caller's session may leak into pam-mark.
unset PAM_TYPE PAM_USER PAM_SERVICE XDG_SESSION_ID DESKREADY_AGENT_BIN DESKREADY_CONFIG \
    DESKREADY_MARK_TIMEOUT DESKREADY_MARK_USER DESKREADY_PAM_SERVICES

work=$(mktemp -d "${TMPDIR:-/tmp}/deskready-test-install.XXXXXX")
trap 'rm -rf -- "$work"' EXIT
chmod 0755 "$work"  # fake agents must be reachable when pam-mark drops privileges

passed=0
skipped=0

pass() {
    passed=$((passed + 1))
    printf 'ok %2d  %s\n' "$passed" "$1"
}

fail() {
    printf '\ntest-install: FAILED: %s\n' "$1" >&2
    if [ "$#" -ge 2 ] && [ -f "$2" ]; then
        printf -- '--- %s ---\n' "$2" >&2
        cat -- "$2" >&2
    fi
    printf 'test-install: %d passed, 1 failed\n' "$passed" >&2
    exit 1
}

skip() {
    skipped=$((skipped + 1))
    printf 'skip    %s\n' "$1"
}

# check DESCRIPTION COMMAND...: passes when COMMAND succeeds.
check() {
    local description=$1
    shift
    if "$@"; then pass "$description"; else fail "$description"; fi
}

has_mode() { [ -e "$1" ] && [ "$(stat -c %a -- "$1")" = "$2" ]; }
count_line() { grep -cxF -- "$2" "$1" || true; }
first_rule() { grep -v -E '^[[:space:]]*(#|$)' -- "$1" | head -n 1; }
absent() { [ ! -e "$1" ] && [ ! -L "$1" ]; }
lacks() { ! grep -qE -- "$2" "$1"; }

# A listing of every file under a folder, with mode, size and checksum, to
# compare two runs.
snapshot() {
    (cd -- "$1" && find . -print0 | sort -z | while IFS= read -r -d '' path; do
        if [ -f "$path" ]; then
            printf '%s %s %s\n' "$path" "$(stat -c %a -- "$path")" "$(sha256sum <"$path" | cut -d' ' -f1)"
        else
            printf '%s %s\n' "$path" "$(stat -c '%a %F' -- "$path")"
        fi
    done)
}

run_install() {
    local log=$1
    shift
    bash "$installer" "$@" >"$log" 2>&1 || fail "install.sh $* exited with status $?" "$log"
}

# --- A temporary root with existing PAM files ------------------------------

root=$work/root
mkdir -p "$root/etc/pam.d"
cat >"$root/etc/pam.d/common-auth" <<'EOF'
#
# /etc/pam.d/common-auth - authentication settings common to all services
#
# here are the per-package modules (the "Primary" block)
auth	[success=1 default=ignore]	pam_unix.so nullok
# here's the fallback if no module succeeds
auth	requisite			pam_deny.so
auth	required			pam_permit.so
EOF
cat >"$root/etc/pam.d/common-session" <<'EOF'
#
# /etc/pam.d/common-session - session-related modules common to all services
#
session	[default=1]			pam_permit.so
session	requisite			pam_deny.so
session	required			pam_permit.so
session	required	pam_unix.so
session	optional	pam_systemd.so
EOF
chmod 0644 "$root/etc/pam.d/common-auth" "$root/etc/pam.d/common-session"
cp -p -- "$root/etc/pam.d/common-auth" "$work/original-common-auth"
cp -p -- "$root/etc/pam.d/common-session" "$work/original-common-session"

fake_binary=$work/deskready-agent
printf '#!/bin/sh\necho "fake deskready-agent $*"\n' >"$fake_binary"
chmod 0700 "$fake_binary"

bin=$root/usr/local/bin/deskready-agent
conf=$root/etc/deskready/agent.yaml
mark=$root/usr/lib/deskready/pam-mark
desktop=$root/etc/xdg/autostart/deskready-desktop-ready.desktop
unit=$root/etc/systemd/system/deskready-agent.service
state=$root/var/lib/deskready
auth=$root/etc/pam.d/common-auth
session=$root/etc/pam.d/common-session

# --- Argument errors -------------------------------------------------------

if bash "$installer" --root "$root" --binary "$work/no-such-binary" >"$work/missing.log" 2>&1; then
    fail "install.sh succeeded with a missing binary" "$work/missing.log"
fi
check "a missing binary is refused with the build command to run" \
    grep -qF 'swift build -c release --product deskready-agent' "$work/missing.log"
check "nothing is installed when the binary is missing" absent "$root/usr"

if bash "$installer" --root "$root" --purge >"$work/purge-alone.log" 2>&1; then
    fail "install.sh accepted --purge without --uninstall" "$work/purge-alone.log"
fi
pass "--purge without --uninstall is refused"

# --- Install twice ---------------------------------------------------------

run_install "$work/install-1.log" --root "$root" --binary "$fake_binary"
snapshot "$root" >"$work/after-1.txt"
run_install "$work/install-2.log" --root "$root" --binary "$fake_binary"
snapshot "$root" >"$work/after-2.txt"

check "the binary is installed with mode 0755" has_mode "$bin" 755
check "the binary is a copy of --binary" cmp -s "$fake_binary" "$bin"
check "agent.yaml is installed with mode 0640" has_mode "$conf" 640
check "agent.yaml is the example config" cmp -s "$here/agent.yaml" "$conf"
check "pam-mark is installed with mode 0755" has_mode "$mark" 755
check "pam-mark is the script beside install.sh" cmp -s "$mark_script" "$mark"
check "the autostart entry is installed with mode 0644" has_mode "$desktop" 644
check "the systemd unit is installed with mode 0644" has_mode "$unit" 644
check "the state folder exists" test -d "$state"
check "the marks drop folder is 1733" test "$(stat -c %a "$root/var/lib/deskready-marks")" = 1733
check "the auth line is present exactly once" test "$(count_line "$auth" "$AUTH_LINE")" = 1
check "the credentials-accepted line is present exactly once" test "$(count_line "$auth" "$AUTH_DONE_LINE")" = 1
check "the credentials-accepted line is the last line of common-auth" test "$(tail -n 1 -- "$auth")" = "$AUTH_DONE_LINE"
check "the session line is present exactly once" test "$(count_line "$session" "$SESSION_LINE")" = 1
check "the auth line is the first rule of common-auth" test "$(first_rule "$auth")" = "$AUTH_LINE"
check "the session line is the last line of common-session" test "$(tail -n 1 -- "$session")" = "$SESSION_LINE"
check "existing common-auth lines are untouched" \
    cmp -s <(grep -vxF -e "$AUTH_LINE" -e "$AUTH_DONE_LINE" "$auth") "$work/original-common-auth"
check "existing common-session lines are untouched" \
    cmp -s <(grep -vxF -- "$SESSION_LINE" "$session") "$work/original-common-session"
check "PAM files keep their mode" has_mode "$auth" 644
check "no temporary files are left in /etc/pam.d" \
    test "$(find "$root/etc/pam.d" -name '*.deskready.*' | wc -l)" = 0
check "a second install leaves the tree exactly as the first" cmp -s "$work/after-1.txt" "$work/after-2.txt"
check "a second install reports nothing added or installed" \
    lacks "$work/install-2.log" '^install.sh: (added|installed) '

# --- An edited config survives a reinstall ---------------------------------

printf 'batch_max_events: 250 # local edit\n' >>"$conf"
cp -p -- "$conf" "$work/edited-agent.yaml"
run_install "$work/install-3.log" --root "$root" --binary "$fake_binary"
check "an edited agent.yaml is kept by a reinstall" cmp -s "$work/edited-agent.yaml" "$conf"
check "the reinstall says it kept the config" grep -qF "kept       $conf" "$work/install-3.log"

# --- Uninstall -------------------------------------------------------------

run_install "$work/uninstall-1.log" --root "$root" --uninstall
check "uninstall removes the binary" absent "$bin"
check "uninstall removes pam-mark and its folder" absent "$root/usr/lib/deskready"
check "uninstall removes the autostart entry" absent "$desktop"
check "uninstall removes the systemd unit" absent "$unit"
check "uninstall restores common-auth byte for byte" cmp -s "$work/original-common-auth" "$auth"
check "uninstall restores common-session byte for byte" cmp -s "$work/original-common-session" "$session"
check "uninstall keeps the PAM files' mode" has_mode "$auth" 644
check "uninstall keeps the edited config" cmp -s "$work/edited-agent.yaml" "$conf"
check "uninstall keeps the spool folder" test -d "$state"
run_install "$work/uninstall-2.log" --root "$root" --uninstall
check "a second uninstall succeeds and changes nothing" cmp -s "$work/original-common-auth" "$auth"

run_install "$work/purge.log" --root "$root" --uninstall --purge
check "--purge removes /etc/deskready" absent "$root/etc/deskready"
check "--purge removes /var/lib/deskready" absent "$state"
check "--purge removes the marks drop folder" absent "$root/var/lib/deskready-marks"
check "--purge leaves the PAM files as they were" cmp -s "$work/original-common-session" "$session"

# --- A root without PAM files ----------------------------------------------

bare=$work/bare
mkdir -p "$bare"
run_install "$work/bare.log" --root "$bare" --binary "$fake_binary"
check "without PAM files the install still succeeds" test -x "$bare/usr/local/bin/deskready-agent"
check "without PAM files none are created" absent "$bare/etc/pam.d"
check "without PAM files the line to add by hand is printed" grep -qF "$AUTH_LINE" "$work/bare.log"

# --- pam-mark ----------------------------------------------------------------

agents=$work/agents
out=$work/out
mkdir -p "$agents" "$out"
chmod 0777 "$out"

cat >"$agents/slow" <<'EOF'
#!/bin/sh
# Ignores SIGTERM and takes far longer than the budget.
trap '' TERM
sleep 10
EOF
cat >"$agents/failing" <<'EOF'
#!/bin/sh
echo "agent failed" >&2
exit 1
EOF
cat >"$agents/recorder" <<EOF
#!/bin/sh
# Writes each argument on its own line, then the user id it ran as.
for arg in "\$@"; do printf '%s\n' "\$arg"; done >"$out/args"
id -u >"$out/uid"
EOF
chmod 0755 "$agents"/*

# run_mark AGENT MILESTONE [VAR=VALUE...]: pam-mark in a clean environment
# with no privilege drop unless asked; prints the elapsed milliseconds.
run_mark() {
    local agent=$1 milestone=$2 start end
    shift 2
    rm -f -- "$out/args" "$out/uid"
    start=$(date +%s%N)
    env -i PATH="$PATH" DESKREADY_AGENT_BIN="$agents/$agent" DESKREADY_MARK_USER= "$@" \
        sh "$mark_script" "$milestone" || fail "pam-mark exited with status $? (agent $agent, $milestone, $*)"
    end=$(date +%s%N)
    echo $(((end - start) / 1000000))
}

elapsed=$(run_mark slow auth_start PAM_TYPE=auth PAM_USER=alice DESKREADY_MARK_TIMEOUT=1)
check "pam-mark returns 0 within 2 s when the agent hangs (took ${elapsed} ms)" test "$elapsed" -lt 2000

run_mark failing auth_start PAM_TYPE=auth PAM_USER=alice >/dev/null
pass "pam-mark returns 0 when the agent fails"

run_mark missing-agent auth_start PAM_TYPE=auth PAM_USER=alice >/dev/null
pass "pam-mark returns 0 when the agent binary is missing"

run_mark recorder auth_start PAM_TYPE=auth PAM_USER=alice >/dev/null
printf '%s\n' mark auth_start --config /etc/deskready/agent.yaml --user alice >"$work/expected-args"
check "pam-mark calls: mark auth_start --config /etc/deskready/agent.yaml --user alice" \
    cmp -s "$work/expected-args" "$out/args"

run_mark recorder session_open PAM_TYPE=open_session PAM_USER=alice XDG_SESSION_ID=7 \
    DESKREADY_CONFIG=/tmp/test-agent.yaml >/dev/null
printf '%s\n' mark session_open --config /tmp/test-agent.yaml --user alice --session 7 >"$work/expected-args"
check "pam-mark passes --session from XDG_SESSION_ID and honours DESKREADY_CONFIG" \
    cmp -s "$work/expected-args" "$out/args"

run_mark recorder auth_start PAM_TYPE=auth PAM_USER=alice PAM_SERVICE=gdm-password >/dev/null
check "pam-mark acts for a display-manager logon (gdm-password)" test -f "$out/args"

run_mark recorder auth_start PAM_TYPE=auth PAM_USER=alice PAM_SERVICE=sudo >/dev/null
check "pam-mark ignores sudo" absent "$out/args"

run_mark recorder session_open PAM_TYPE=close_session PAM_USER=alice >/dev/null
check "pam-mark ignores session_open when PAM_TYPE is close_session" absent "$out/args"

run_mark recorder auth_start PAM_TYPE=open_session PAM_USER=alice >/dev/null
check "pam-mark ignores auth_start outside the auth stack" absent "$out/args"

run_mark recorder auth_start PAM_USER=alice >/dev/null
check "pam-mark does nothing without PAM_TYPE" absent "$out/args"

run_mark recorder desktop_ready PAM_TYPE=auth PAM_USER=alice >/dev/null
check "pam-mark ignores milestones other than auth_start, auth_done and session_open" absent "$out/args"

run_mark recorder auth_done PAM_TYPE=auth PAM_USER=alice >/dev/null
printf '%s\n' mark auth_done --config /etc/deskready/agent.yaml --user alice >"$work/expected-args"
check "pam-mark records auth_done from the auth stack" cmp -s "$work/expected-args" "$out/args"

run_mark recorder auth_done PAM_TYPE=setcred PAM_USER=alice >/dev/null
check "pam-mark ignores auth_done outside authentication" absent "$out/args"

if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1 && id -u nobody >/dev/null 2>&1; then
    run_mark recorder auth_start PAM_TYPE=auth PAM_USER=alice DESKREADY_MARK_USER=nobody >/dev/null
    check "as root, pam-mark runs the agent as DESKREADY_MARK_USER" test "$(cat -- "$out/uid" 2>/dev/null)" = "$(id -u nobody)"
else
    skip "as root, pam-mark runs the agent as DESKREADY_MARK_USER (needs root, setpriv and the user nobody)"
fi

if [ "$skipped" -gt 0 ]; then
    printf 'test-install: %d passed, 0 failed (%d skipped)\n' "$passed" "$skipped"
else
    printf 'test-install: %d passed, 0 failed\n' "$passed"
fi
