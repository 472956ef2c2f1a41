#!/usr/bin/env bash
# DeskReady agent installer.
#
#   install.sh [--root DIR] [--binary PATH]          install or update
#   install.sh [--root DIR] --uninstall [--purge]    remove
#
# Installs the agent binary, its config (only when none exists yet), the PAM
# mark script and PAM lines, the desktop autostart entry and the systemd
# unit. Running it again gives the same result as running it once: files
# that are already right are left alone, PAM lines are never duplicated and
# an existing /etc/deskready/agent.yaml is never overwritten.
#
# --root DIR    prefix every path with DIR (default /), to stage a tree or
#               test. With a root other than /, no user is created and
#               systemctl is not run.
# --binary PATH the deskready-agent binary to install (default
#               ./deskready-agent, then deskready-agent beside this script).
# --uninstall   remove what install.sh installed, including its PAM lines
#               (only the lines ending in `# deskready`), and stop and
#               disable the service. The config and the spool are kept.
# --purge       with --uninstall: also remove /etc/deskready (the config)
#               and /var/lib/deskready (the spool, with any unsent events).
#
# The files installed come from the folder holding this script: agent.yaml,
# pam-mark, deskready-desktop-ready.desktop and deskready-agent.service.

set -euo pipefail
umask 022

readonly PROGRAM=install.sh
readonly SERVICE=deskready-agent
readonly SERVICE_USER=deskready
readonly PLACEHOLDER_KEY=change-me-to-the-trusts-secret-key
readonly AUTH_LINE='auth optional pam_exec.so quiet /usr/lib/deskready/pam-mark auth_start # deskready'
readonly AUTH_DONE_LINE='auth optional pam_exec.so quiet /usr/lib/deskready/pam-mark auth_done # deskready'
readonly SESSION_LINE='session optional pam_exec.so quiet /usr/lib/deskready/pam-mark session_open # deskready'

say() { printf '%s: %s\n' "$PROGRAM" "$*"; }
warn() { printf '%s: warning: %s\n' "$PROGRAM" "$*" >&2; }
die() { printf '%s: error: %s\n' "$PROGRAM" "$*" >&2; exit 1; }

usage() {
    cat <<'EOF'
Usage: install.sh [--root DIR] [--binary PATH]
       install.sh [--root DIR] --uninstall [--purge]

  --root DIR     install under DIR instead of / (no user, no systemctl)
  --binary PATH  the deskready-agent binary (default ./deskready-agent)
  --uninstall    remove the agent; keep /etc/deskready/agent.yaml and the spool
  --purge        with --uninstall, also remove /etc/deskready and /var/lib/deskready
  -h, --help     show this help
EOF
}

# --- Arguments -------------------------------------------------------------

root=/
binary=
uninstall=no
purge=no

need_value() {
    if [ "$#" -lt 2 ] || [ -z "$2" ]; then
        die "$1 needs a value; see --help"
    fi
}

while [ "$#" -gt 0 ]; do
    case $1 in
        --root) need_value "$@"; root=$2; shift 2 ;;
        --root=*) root=${1#--root=}; shift ;;
        --binary) need_value "$@"; binary=$2; shift 2 ;;
        --binary=*) binary=${1#--binary=}; shift ;;
        --uninstall) uninstall=yes; shift ;;
        --purge) purge=yes; shift ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument '$1'" ;;
    esac
done

if [ "$purge" = yes ] && [ "$uninstall" = no ]; then
    die "--purge removes the config and the spool, so it is only accepted with --uninstall"
fi

[ -n "$root" ] || die "--root needs a folder, for example --root /tmp/stage"
[ -d "$root" ] || die "--root $root: no such folder; create it first"
root=$(cd -- "$root" && pwd -P)

# `prefix` is prepended to every absolute path; empty for the live system.
if [ "$root" = / ]; then
    prefix=
    live=yes
else
    prefix=$root
    live=no
fi

if [ "$live" = yes ] && [ "$(id -u)" -ne 0 ]; then
    die "installing into / needs root: run it with sudo, or pass --root DIR to stage the files elsewhere"
fi

script_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)

bin_dst=$prefix/usr/local/bin/deskready-agent
conf_dir=$prefix/etc/deskready
conf_dst=$conf_dir/agent.yaml
mark_dir=$prefix/usr/lib/deskready
mark_dst=$mark_dir/pam-mark
desktop_dst=$prefix/etc/xdg/autostart/deskready-desktop-ready.desktop
unit_dst=$prefix/etc/systemd/system/$SERVICE.service
state_dir=$prefix/var/lib/deskready
# Where the desktop autostart (running as the logged-on user) leaves marks for the daemon:
# 1733 root-style drop box, every user may add a file, nobody but the service may list or remove them.
marks_dir=$prefix/var/lib/deskready-marks
pam_auth=$prefix/etc/pam.d/common-auth
pam_session=$prefix/etc/pam.d/common-session

# True when systemd is the running init, so systemctl can be used.
systemd_running() {
    [ "$live" = yes ] && command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]
}

# --- File helpers ----------------------------------------------------------

changed=no  # set when the binary or the unit changed (the service is restarted)

# install_file SRC DST MODE: copy SRC to DST with MODE unless it is already
# so. Sets file_changed to yes or no. (It always returns 0: a function used as
# a condition would run with `set -e` switched off.)
file_changed=no
install_file() {
    local src=$1 dst=$2 mode=$3
    if [ -f "$dst" ] && cmp -s -- "$src" "$dst" && [ "$(stat -c %a -- "$dst")" = "${mode#0}" ]; then
        say "unchanged  $dst"
        file_changed=no
        return 0
    fi
    install -D -m "$mode" -- "$src" "$dst"
    say "installed  $dst (mode $mode)"
    file_changed=yes
}

remove_file() {
    if [ -e "$1" ] || [ -L "$1" ]; then
        rm -f -- "$1"
        say "removed    $1"
    fi
}

# A half-written temporary copy of a PAM file is removed if the script stops.
pending_tmp=
trap 'if [ -n "$pending_tmp" ]; then rm -f -- "$pending_tmp"; fi' EXIT

# replace_keeping_attributes FILE NEW: put NEW in place of FILE atomically,
# with FILE's mode and owner, so a PAM file is never seen half written.
replace_keeping_attributes() {
    local file=$1 new=$2
    chmod --reference="$file" "$new"
    if [ "$(id -u)" -eq 0 ]; then
        chown --reference="$file" "$new"
    fi
    mv -f -- "$new" "$file"
    pending_tmp=
}

# add_pam_line FILE LINE first|last
add_pam_line() {
    local file=$1 line=$2 where=$3 tmp
    if [ -L "$file" ]; then
        file=$(readlink -f -- "$file")  # edit the target, keep the link
    fi
    if [ ! -f "$file" ]; then
        say "skipped    $file (no such file; add this line by hand: $line)"
        return 0
    fi
    if grep -qxF -- "$line" "$file"; then
        say "unchanged  $file (line already present)"
        return 0
    fi
    tmp=$(mktemp "$file.deskready.XXXXXX")
    pending_tmp=$tmp
    if [ "$where" = first ]; then
        # Before the first rule: after the header comments, ahead of pam_unix.
        awk -v line="$line" '
            !done && $0 !~ /^[[:space:]]*(#|$)/ { print line; done = 1 }
            { print }
            END { if (!done) print line }
        ' "$file" >"$tmp"
    else
        cat -- "$file" >"$tmp"
        if [ -s "$file" ] && [ -n "$(tail -c 1 -- "$file")" ]; then
            printf '\n' >>"$tmp"  # the file did not end with a newline
        fi
        printf '%s\n' "$line" >>"$tmp"
    fi
    replace_keeping_attributes "$file" "$tmp"
    say "added      $file ($where line: $line)"
}

# remove_pam_lines FILE: drop every line ending in `# deskready`, nothing else.
remove_pam_lines() {
    local file=$1 tmp
    if [ -L "$file" ]; then
        file=$(readlink -f -- "$file")
    fi
    [ -f "$file" ] || return 0
    if ! grep -q -- '# deskready$' "$file"; then
        return 0
    fi
    tmp=$(mktemp "$file.deskready.XXXXXX")
    pending_tmp=$tmp
    grep -v -- '# deskready$' "$file" >"$tmp" || true  # grep fails when nothing is left
    replace_keeping_attributes "$file" "$tmp"
    say "removed    deskready lines from $file"
}

# --- Uninstall -------------------------------------------------------------

do_uninstall() {
    # PAM first, so no logon calls a script that is about to go.
    remove_pam_lines "$pam_auth"
    remove_pam_lines "$pam_session"

    if systemd_running && [ -f "$unit_dst" ]; then
        systemctl disable --now "$SERVICE.service" >/dev/null 2>&1 || true
        say "stopped and disabled $SERVICE.service"
    fi

    remove_file "$unit_dst"
    remove_file "$desktop_dst"
    remove_file "$mark_dst"
    remove_file "$bin_dst"
    if [ -d "$mark_dir" ] && rmdir -- "$mark_dir" 2>/dev/null; then
        say "removed    $mark_dir"
    fi

    if systemd_running; then
        systemctl daemon-reload
        say "reloaded systemd"
    fi

    if [ "$purge" = yes ]; then
        if [ -d "$conf_dir" ]; then
            rm -rf -- "$conf_dir"
            say "removed    $conf_dir (purge)"
        fi
        if [ -d "$state_dir" ]; then
            rm -rf -- "$state_dir"
            say "removed    $state_dir (purge; unsent events are gone)"
        fi
        if [ -d "$marks_dir" ]; then
            rm -rf -- "$marks_dir"
            say "removed    $marks_dir (purge)"
        fi
        if [ "$live" = yes ] && getent passwd "$SERVICE_USER" >/dev/null 2>&1; then
            say "kept the system user '$SERVICE_USER'; remove it with: userdel $SERVICE_USER"
        fi
    else
        if [ -e "$conf_dst" ]; then
            say "kept       $conf_dst (pass --purge to remove it)"
        fi
        if [ -d "$state_dir" ]; then
            say "kept       $state_dir (the spool; pass --purge to remove it)"
        fi
    fi
    say "uninstall complete"
}

# --- Install ---------------------------------------------------------------

do_install() {
    local source
    for source in agent.yaml pam-mark deskready-desktop-ready.desktop "$SERVICE.service"; do
        [ -f "$script_dir/$source" ] || die "$script_dir/$source is missing; run install.sh from a complete agent-config folder"
    done

    if [ -z "$binary" ]; then
        if [ -f ./deskready-agent ]; then
            binary=./deskready-agent
        elif [ -f "$script_dir/deskready-agent" ]; then
            binary=$script_dir/deskready-agent
        else
            die "deskready-agent binary not found (looked for ./deskready-agent and $script_dir/deskready-agent). Build it with \`swift build -c release --product deskready-agent --static-swift-stdlib\` and pass --binary .build/release/deskready-agent"
        fi
    fi
    [ -f "$binary" ] || die "deskready-agent binary not found at '$binary'. Build it with \`swift build -c release --product deskready-agent --static-swift-stdlib\` and pass --binary .build/release/deskready-agent"

    # The service user first, so files can be given its group.
    if [ "$live" = yes ]; then
        if getent passwd "$SERVICE_USER" >/dev/null 2>&1; then
            say "unchanged  system user '$SERVICE_USER'"
        else
            command -v useradd >/dev/null 2>&1 || die "useradd not found; create the system user '$SERVICE_USER' by hand and run install.sh again"
            useradd --system --user-group --no-create-home --home-dir /var/lib/deskready \
                --shell /usr/sbin/nologin "$SERVICE_USER"
            say "created    system user '$SERVICE_USER'"
        fi
    fi

    install_file "$binary" "$bin_dst" 0755
    [ "$file_changed" = no ] || changed=yes
    install_file "$script_dir/pam-mark" "$mark_dst" 0755
    install_file "$script_dir/deskready-desktop-ready.desktop" "$desktop_dst" 0644
    install_file "$script_dir/$SERVICE.service" "$unit_dst" 0644
    [ "$file_changed" = no ] || changed=yes

    # The config: installed once, never overwritten (it holds the trust's
    # settings and secret). 0640 root:deskready: the service can read it,
    # ordinary users cannot.
    if [ -e "$conf_dst" ]; then
        say "kept       $conf_dst (existing config is never overwritten)"
    else
        install -d -m 0755 "$conf_dir"
        install -m 0640 "$script_dir/agent.yaml" "$conf_dst"
        if [ "$live" = yes ]; then
            chgrp "$SERVICE_USER" "$conf_dst"
        fi
        say "installed  $conf_dst (mode 0640): set trust, site, collector_url and pseudonym_key in it"
    fi
    if [ "$live" = yes ] && [ "$(stat -c %G -- "$conf_dst")" != "$SERVICE_USER" ]; then
        warn "$conf_dst is not in the '$SERVICE_USER' group, so the service may not be able to read it; fix with: chgrp $SERVICE_USER $conf_dst && chmod 0640 $conf_dst"
    fi

    # The spool's folder. systemd's StateDirectory= keeps it owned by the
    # service user; it is created here too for staged trees and first marks.
    if [ -d "$state_dir" ]; then
        say "unchanged  $state_dir"
    else
        install -d -m 0750 "$state_dir"
        say "created    $state_dir"
    fi
    if [ "$live" = yes ]; then
        chown "$SERVICE_USER:$SERVICE_USER" "$state_dir"
        chmod 0750 "$state_dir"
    fi
    if [ -d "$marks_dir" ]; then
        say "unchanged  $marks_dir"
    else
        install -d -m 1733 "$marks_dir"
        say "created    $marks_dir (mode 1733: users leave desktop marks here)"
    fi
    chmod 1733 "$marks_dir"
    if [ "$live" = yes ]; then
        chown "$SERVICE_USER:$SERVICE_USER" "$marks_dir"
    fi

    # PAM last, once the script it calls is in place.
    add_pam_line "$pam_auth" "$AUTH_LINE" first
    add_pam_line "$pam_auth" "$AUTH_DONE_LINE" last
    add_pam_line "$pam_session" "$SESSION_LINE" last

    if [ "$live" = no ]; then
        say "staged under $root: no user created, systemctl not run"
        say "install complete"
        return 0
    fi

    if ! "$bin_dst" check-config "$conf_dst" >/dev/null 2>&1; then
        warn "the config does not pass \`deskready-agent check-config $conf_dst\`; run that to see what to fix"
    fi

    if ! systemd_running; then
        say "systemd is not running here; start the agent later with: systemctl enable --now $SERVICE"
        say "install complete"
        return 0
    fi

    systemctl daemon-reload
    say "reloaded systemd"
    if grep -qE -- "^[[:space:]]*pseudonym_key:.*$PLACEHOLDER_KEY" "$conf_dst"; then
        systemctl enable --quiet "$SERVICE.service"
        warn "$conf_dst still has the placeholder pseudonym_key: the service is enabled but NOT started."
        warn "set trust, site, collector_url and pseudonym_key (openssl rand -hex 32, the same on every device of the trust), then run: systemctl restart $SERVICE"
    elif systemctl is-active --quiet "$SERVICE.service"; then
        systemctl enable --quiet "$SERVICE.service"
        if [ "$changed" = yes ]; then
            systemctl restart "$SERVICE.service"
            say "restarted  $SERVICE.service (binary or unit changed)"
        else
            say "unchanged  $SERVICE.service (enabled and running)"
        fi
    else
        systemctl enable --quiet --now "$SERVICE.service"
        say "enabled and started $SERVICE.service"
    fi
    say "install complete; check with: systemctl status $SERVICE && deskready-agent status"
}

if [ "$uninstall" = yes ]; then
    do_uninstall
else
    do_install
fi
