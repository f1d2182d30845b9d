#!/usr/bin/env bash
# reconcile.sh's checks against a fleet whose sshd has no SFTP subsystem, as on
# hardened hosts and appliances: every file pkiform writes, reads or stats goes
# over exec (providers/ssh/exec_files.h), and apply -v announces it per host.
# Usage: reconcile_no_sftp.sh PKIFORM PKIFORM_FLEET
export PKIFORM_FLEET_NO_SFTP=1 WEB1_ADDRESS=127.0.83.11 WEB2_ADDRESS=127.0.83.12
exec "$(dirname "$0")/reconcile.sh" "$@"
