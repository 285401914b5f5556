# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_twofa_global_optspecs
    string join \n db= json actor= actor-code= no-mail h/help V/version
end

function __fish_twofa_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_twofa_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_twofa_using_subcommand
    set -l cmd (__fish_twofa_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c twofa -n "__fish_twofa_needs_command" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_needs_command" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_needs_command" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_needs_command" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_needs_command" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_needs_command" -s V -l version -d 'Print version'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "enroll" -d 'Start TOTP enrollment for a user: show the QR code, then activate with a first code'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "verify" -d 'Check a TOTP code, a code sent by email, or a backup code (exit 0 only when accepted)'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "send-code" -d 'Mail a fresh code to a user who has the email factor (valid email_code_ttl, once)'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "backup-codes" -d 'Show how many backup codes remain, or replace them all'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "disable" -d 'Remove a user\'s 2FA (needs a current code or a backup code)'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "status" -d 'Show a user\'s 2FA state, lockout and clock drift'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "user" -d 'Add, list and remove users; mark SSO-managed users and global admins'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "org" -d 'Organizations: members, roles, and the 2FA requirement'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "access" -d 'May USER enter an organization? Exit 0 when allowed, 5 when denied by policy'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "config" -d 'Show or change settings kept in the database (issuer, skew, lockout)'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "admin" -d 'Support desk: reset a user\'s 2FA, clear a lockout, rotate the master key'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "audit" -d 'The audit log: list entries, verify the hash chain, prune old entries'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "mail" -d 'Mail: send queued notices, list the queue, send a test message'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "db" -d 'The database as a whole: create its tables, or copy it to a new one (operator only)'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -l method -d 'The factor: totp (an authenticator app) or email (codes mailed to the user\'s address, set with `user set USER --email ADDR`; mail must be configured)' -r -f -a "totp\t'An authenticator app (TOTP): the strongest choice'
email\t'Codes mailed to the user\'s address on request: a fallback for people without an app'"
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -l code -d 'Activate the pending enrollment with this code from the app; `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo. Without it, a code piped in (stdin not a terminal) activates a pending enrollment too' -r
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -l issuer -d 'Issuer shown in the app [default: the `issuer` setting, "twofa"]' -r
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -l algorithm -d 'HMAC algorithm [default: SHA1, the only one every app supports]' -r -f -a "SHA1\t''
SHA256\t''
SHA512\t''"
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -l digits -d 'Code length: 6 or 8 digits [default: 6]' -r
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -l period -d 'Seconds per code, 10 to 300 [default: 30; many apps only support 30]' -r
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -l qr -d 'How to draw the QR code [default: ansi on a colour terminal, else unicode]' -r -f -a "unicode\t'Half-block characters, no escape codes; light modules drawn, for dark themes'
ansi\t'Half blocks in explicit black and white: reads the same on dark and light themes'
none\t'No QR code; enter the secret by hand'"
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -l save -d 'Also write the backup codes of the activation to FILE: a new file (never overwritten; an existing one is exit 2, before anything changes), mode 0600' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -l new-secret -d 'Replace a pending enrollment\'s secret instead of showing it again'
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand verify" -l code -d 'The 6/8-digit code from the authenticator app, or a backup code; `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand verify" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand verify" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand verify" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand verify" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand verify" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand verify" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand send-code" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand send-code" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand send-code" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand send-code" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand send-code" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand send-code" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand backup-codes" -l code -d 'The 6/8-digit code from the authenticator app, or a backup code; `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand backup-codes" -l save -d 'Also write the new backup codes to FILE: a new file (never overwritten; an existing one is exit 2, before anything changes), mode 0600' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand backup-codes" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand backup-codes" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand backup-codes" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand backup-codes" -l regenerate -d 'Replace every backup code with a new set (needs a current code or a backup code)'
complete -c twofa -n "__fish_twofa_using_subcommand backup-codes" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand backup-codes" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand backup-codes" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand disable" -l code -d 'The 6/8-digit code from the authenticator app, or a backup code; `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand disable" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand disable" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand disable" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand disable" -s y -l yes -d 'Do not ask for confirmation; required to remove an active enrollment when standard input is not a terminal (without it: exit 2, nothing changed)'
complete -c twofa -n "__fish_twofa_using_subcommand disable" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand disable" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand disable" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand status" -l limit -d 'How many history entries' -r
complete -c twofa -n "__fish_twofa_using_subcommand status" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand status" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand status" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand status" -l history -d 'Show the user\'s recent code checks (time, outcome, method, drift)'
complete -c twofa -n "__fish_twofa_using_subcommand status" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand status" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand status" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand user; and not __fish_seen_subcommand_from add list remove sso set admin help" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand user; and not __fish_seen_subcommand_from add list remove sso set admin help" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and not __fish_seen_subcommand_from add list remove sso set admin help" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and not __fish_seen_subcommand_from add list remove sso set admin help" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand user; and not __fish_seen_subcommand_from add list remove sso set admin help" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand user; and not __fish_seen_subcommand_from add list remove sso set admin help" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand user; and not __fish_seen_subcommand_from add list remove sso set admin help" -f -a "add" -d 'Add a user (enroll also adds users on the fly)'
complete -c twofa -n "__fish_twofa_using_subcommand user; and not __fish_seen_subcommand_from add list remove sso set admin help" -f -a "list" -d 'List users with their 2FA state'
complete -c twofa -n "__fish_twofa_using_subcommand user; and not __fish_seen_subcommand_from add list remove sso set admin help" -f -a "remove" -d 'Remove a user and everything of theirs (2FA, backup codes, memberships)'
complete -c twofa -n "__fish_twofa_using_subcommand user; and not __fish_seen_subcommand_from add list remove sso set admin help" -f -a "sso" -d 'Mark or unmark a user as managed by SSO (exempt from 2FA policy)'
complete -c twofa -n "__fish_twofa_using_subcommand user; and not __fish_seen_subcommand_from add list remove sso set admin help" -f -a "set" -d 'Set or remove a user\'s email address (where notices go)'
complete -c twofa -n "__fish_twofa_using_subcommand user; and not __fish_seen_subcommand_from add list remove sso set admin help" -f -a "admin" -d 'Grant or revoke global admin (may manage every organization)'
complete -c twofa -n "__fish_twofa_using_subcommand user; and not __fish_seen_subcommand_from add list remove sso set admin help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from add" -l email -d 'Email address: where invitations and notices go' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from add" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from add" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from add" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from add" -l sso -d 'Login managed by an identity provider: exempt from 2FA requirements'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from add" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from add" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from list" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from list" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from list" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from list" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from list" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from remove" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from remove" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from remove" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from remove" -s y -l yes -d 'Do not ask for confirmation; required when standard input is not a terminal (without it: exit 2, nothing changed)'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from remove" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from remove" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from sso" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from sso" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from sso" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from sso" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from sso" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from sso" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from set" -l email -d 'The new address' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from set" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from set" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from set" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from set" -l no-email -d 'Remove the address: no more notices'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from set" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from set" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from admin" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from admin" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from admin" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from admin" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from admin" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from admin" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add a user (enroll also adds users on the fly)'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "list" -d 'List users with their 2FA state'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove a user and everything of theirs (2FA, backup codes, memberships)'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "sso" -d 'Mark or unmark a user as managed by SSO (exempt from 2FA policy)'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "set" -d 'Set or remove a user\'s email address (where notices go)'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "admin" -d 'Grant or revoke global admin (may manage every organization)'
complete -c twofa -n "__fish_twofa_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c twofa -n "__fish_twofa_using_subcommand org; and not __fish_seen_subcommand_from create list delete add remove role require-2fa remind status help" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand org; and not __fish_seen_subcommand_from create list delete add remove role require-2fa remind status help" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and not __fish_seen_subcommand_from create list delete add remove role require-2fa remind status help" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and not __fish_seen_subcommand_from create list delete add remove role require-2fa remind status help" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand org; and not __fish_seen_subcommand_from create list delete add remove role require-2fa remind status help" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand org; and not __fish_seen_subcommand_from create list delete add remove role require-2fa remind status help" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand org; and not __fish_seen_subcommand_from create list delete add remove role require-2fa remind status help" -f -a "create" -d 'Create an organization'
complete -c twofa -n "__fish_twofa_using_subcommand org; and not __fish_seen_subcommand_from create list delete add remove role require-2fa remind status help" -f -a "list" -d 'List organizations'
complete -c twofa -n "__fish_twofa_using_subcommand org; and not __fish_seen_subcommand_from create list delete add remove role require-2fa remind status help" -f -a "delete" -d 'Delete an organization and its memberships (users and their 2FA stay)'
complete -c twofa -n "__fish_twofa_using_subcommand org; and not __fish_seen_subcommand_from create list delete add remove role require-2fa remind status help" -f -a "add" -d 'Add members (several at once, or `-` to read names from stdin, one a line), in one transaction: all of them, or none when a name is not a user'
complete -c twofa -n "__fish_twofa_using_subcommand org; and not __fish_seen_subcommand_from create list delete add remove role require-2fa remind status help" -f -a "remove" -d 'Remove a member (an organization always keeps one owner)'
complete -c twofa -n "__fish_twofa_using_subcommand org; and not __fish_seen_subcommand_from create list delete add remove role require-2fa remind status help" -f -a "role" -d 'Change a member\'s role'
complete -c twofa -n "__fish_twofa_using_subcommand org; and not __fish_seen_subcommand_from create list delete add remove role require-2fa remind status help" -f -a "require-2fa" -d 'Require 2FA of every member (on), or stop requiring it (off)'
complete -c twofa -n "__fish_twofa_using_subcommand org; and not __fish_seen_subcommand_from create list delete add remove role require-2fa remind status help" -f -a "remind" -d 'Mail a reminder to every member who must still enroll (for cron)'
complete -c twofa -n "__fish_twofa_using_subcommand org; and not __fish_seen_subcommand_from create list delete add remove role require-2fa remind status help" -f -a "status" -d 'The teammates table: who has 2FA and who is compliant'
complete -c twofa -n "__fish_twofa_using_subcommand org; and not __fish_seen_subcommand_from create list delete add remove role require-2fa remind status help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from create" -l owner -d 'Its first owner (an existing user) [default: the acting person, when they are a user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from create" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from create" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from create" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from create" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from create" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from list" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from list" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from list" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from list" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from list" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from delete" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from delete" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from delete" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Do not ask for confirmation; required when standard input is not a terminal (without it: exit 2, nothing changed)'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from delete" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from delete" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from add" -l role -d 'Role of the new members: owner, admin or member' -r -f -a "owner\t''
admin\t''
member\t''"
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from add" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from add" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from add" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from add" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from add" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from remove" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from remove" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from remove" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from remove" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from remove" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from role" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from role" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from role" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from role" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from role" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from role" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from require-2fa" -l grace -d 'Time members without 2FA get to enroll: 0 (at once), 30m, 48h, 7d, 2w [default: 0, or the grace in force when re-applied]' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from require-2fa" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from require-2fa" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from require-2fa" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from require-2fa" -l reset-deadlines -d 'Give every member who must enroll a fresh deadline of now + grace (needed to change the grace of a requirement in force; re-applying keeps deadlines)'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from require-2fa" -l dry-run -d 'Show who would have to enroll or be blocked; change nothing'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from require-2fa" -l allow-email -d 'Let codes by email satisfy the requirement (by default only an authenticator app does; kept when re-applied without --allow-email or --disallow-email)'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from require-2fa" -l disallow-email -d 'Stop letting codes by email satisfy the requirement'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from require-2fa" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from require-2fa" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from require-2fa" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from remind" -l within -d 'Only members whose deadline is within this time (or past): 3d, 12h' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from remind" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from remind" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from remind" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from remind" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from remind" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from remind" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from status" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from status" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from status" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from status" -l non-compliant -d 'Only members who must act (in grace or blocked)'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from status" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from status" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create an organization'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from help" -f -a "list" -d 'List organizations'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete an organization and its memberships (users and their 2FA stay)'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add members (several at once, or `-` to read names from stdin, one a line), in one transaction: all of them, or none when a name is not a user'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove a member (an organization always keeps one owner)'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from help" -f -a "role" -d 'Change a member\'s role'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from help" -f -a "require-2fa" -d 'Require 2FA of every member (on), or stop requiring it (off)'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from help" -f -a "remind" -d 'Mail a reminder to every member who must still enroll (for cron)'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from help" -f -a "status" -d 'The teammates table: who has 2FA and who is compliant'
complete -c twofa -n "__fish_twofa_using_subcommand org; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c twofa -n "__fish_twofa_using_subcommand access" -l org -d 'The organization; without it, every organization the user belongs to' -r
complete -c twofa -n "__fish_twofa_using_subcommand access" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand access" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand access" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand access" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand access" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand access" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand config; and not __fish_seen_subcommand_from list get set help" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand config; and not __fish_seen_subcommand_from list get set help" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand config; and not __fish_seen_subcommand_from list get set help" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand config; and not __fish_seen_subcommand_from list get set help" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand config; and not __fish_seen_subcommand_from list get set help" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand config; and not __fish_seen_subcommand_from list get set help" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand config; and not __fish_seen_subcommand_from list get set help" -f -a "list" -d 'List every setting with its value'
complete -c twofa -n "__fish_twofa_using_subcommand config; and not __fish_seen_subcommand_from list get set help" -f -a "get" -d 'Print one setting'
complete -c twofa -n "__fish_twofa_using_subcommand config; and not __fish_seen_subcommand_from list get set help" -f -a "set" -d 'Change one setting'
complete -c twofa -n "__fish_twofa_using_subcommand config; and not __fish_seen_subcommand_from list get set help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c twofa -n "__fish_twofa_using_subcommand config; and __fish_seen_subcommand_from list" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand config; and __fish_seen_subcommand_from list" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand config; and __fish_seen_subcommand_from list" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand config; and __fish_seen_subcommand_from list" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand config; and __fish_seen_subcommand_from list" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand config; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand config; and __fish_seen_subcommand_from get" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand config; and __fish_seen_subcommand_from get" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand config; and __fish_seen_subcommand_from get" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand config; and __fish_seen_subcommand_from get" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand config; and __fish_seen_subcommand_from get" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand config; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand config; and __fish_seen_subcommand_from set" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand config; and __fish_seen_subcommand_from set" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand config; and __fish_seen_subcommand_from set" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand config; and __fish_seen_subcommand_from set" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand config; and __fish_seen_subcommand_from set" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand config; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "list" -d 'List every setting with its value'
complete -c twofa -n "__fish_twofa_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "get" -d 'Print one setting'
complete -c twofa -n "__fish_twofa_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "set" -d 'Change one setting'
complete -c twofa -n "__fish_twofa_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c twofa -n "__fish_twofa_using_subcommand admin; and not __fish_seen_subcommand_from reset rotate-key unlock help" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand admin; and not __fish_seen_subcommand_from reset rotate-key unlock help" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand admin; and not __fish_seen_subcommand_from reset rotate-key unlock help" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand admin; and not __fish_seen_subcommand_from reset rotate-key unlock help" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand admin; and not __fish_seen_subcommand_from reset rotate-key unlock help" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand admin; and not __fish_seen_subcommand_from reset rotate-key unlock help" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand admin; and not __fish_seen_subcommand_from reset rotate-key unlock help" -f -a "reset" -d 'Remove a user\'s TOTP secret, backup codes and lockout; they must enroll again'
complete -c twofa -n "__fish_twofa_using_subcommand admin; and not __fish_seen_subcommand_from reset rotate-key unlock help" -f -a "rotate-key" -d 'Seal every secret under a new master key; the old key file is kept as a dated backup'
complete -c twofa -n "__fish_twofa_using_subcommand admin; and not __fish_seen_subcommand_from reset rotate-key unlock help" -f -a "unlock" -d 'Clear a lockout (failure counter and lock); the secret stays'
complete -c twofa -n "__fish_twofa_using_subcommand admin; and not __fish_seen_subcommand_from reset rotate-key unlock help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c twofa -n "__fish_twofa_using_subcommand admin; and __fish_seen_subcommand_from reset" -l reason -d 'Why (kept in the audit log)' -r
complete -c twofa -n "__fish_twofa_using_subcommand admin; and __fish_seen_subcommand_from reset" -l ticket -d 'Support ticket id (kept in the audit log)' -r
complete -c twofa -n "__fish_twofa_using_subcommand admin; and __fish_seen_subcommand_from reset" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand admin; and __fish_seen_subcommand_from reset" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand admin; and __fish_seen_subcommand_from reset" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand admin; and __fish_seen_subcommand_from reset" -s y -l yes -d 'Do not ask for confirmation; required when standard input is not a terminal (without it: exit 2, nothing changed)'
complete -c twofa -n "__fish_twofa_using_subcommand admin; and __fish_seen_subcommand_from reset" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand admin; and __fish_seen_subcommand_from reset" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand admin; and __fish_seen_subcommand_from reset" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand admin; and __fish_seen_subcommand_from rotate-key" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand admin; and __fish_seen_subcommand_from rotate-key" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand admin; and __fish_seen_subcommand_from rotate-key" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand admin; and __fish_seen_subcommand_from rotate-key" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand admin; and __fish_seen_subcommand_from rotate-key" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand admin; and __fish_seen_subcommand_from rotate-key" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand admin; and __fish_seen_subcommand_from unlock" -l reason -d 'Why (kept in the audit log)' -r
complete -c twofa -n "__fish_twofa_using_subcommand admin; and __fish_seen_subcommand_from unlock" -l ticket -d 'Support ticket id (kept in the audit log)' -r
complete -c twofa -n "__fish_twofa_using_subcommand admin; and __fish_seen_subcommand_from unlock" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand admin; and __fish_seen_subcommand_from unlock" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand admin; and __fish_seen_subcommand_from unlock" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand admin; and __fish_seen_subcommand_from unlock" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand admin; and __fish_seen_subcommand_from unlock" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand admin; and __fish_seen_subcommand_from unlock" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "reset" -d 'Remove a user\'s TOTP secret, backup codes and lockout; they must enroll again'
complete -c twofa -n "__fish_twofa_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "rotate-key" -d 'Seal every secret under a new master key; the old key file is kept as a dated backup'
complete -c twofa -n "__fish_twofa_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "unlock" -d 'Clear a lockout (failure counter and lock); the secret stays'
complete -c twofa -n "__fish_twofa_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c twofa -n "__fish_twofa_using_subcommand audit; and not __fish_seen_subcommand_from verify prune help" -l user -d 'Only entries about this user' -r
complete -c twofa -n "__fish_twofa_using_subcommand audit; and not __fish_seen_subcommand_from verify prune help" -l org -d 'Only entries about this organization' -r
complete -c twofa -n "__fish_twofa_using_subcommand audit; and not __fish_seen_subcommand_from verify prune help" -l action -d 'Only this action (verify, enroll, admin.reset, org.add, …)' -r
complete -c twofa -n "__fish_twofa_using_subcommand audit; and not __fish_seen_subcommand_from verify prune help" -l since -d 'From this time: RFC 3339, a date (2026-11-01), or an age (7d, 12h)' -r
complete -c twofa -n "__fish_twofa_using_subcommand audit; and not __fish_seen_subcommand_from verify prune help" -l until -d 'Before this time (same forms as --since)' -r
complete -c twofa -n "__fish_twofa_using_subcommand audit; and not __fish_seen_subcommand_from verify prune help" -l limit -d 'At most this many entries [default: 50 for people, all with --json]' -r
complete -c twofa -n "__fish_twofa_using_subcommand audit; and not __fish_seen_subcommand_from verify prune help" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand audit; and not __fish_seen_subcommand_from verify prune help" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand audit; and not __fish_seen_subcommand_from verify prune help" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand audit; and not __fish_seen_subcommand_from verify prune help" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand audit; and not __fish_seen_subcommand_from verify prune help" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand audit; and not __fish_seen_subcommand_from verify prune help" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand audit; and not __fish_seen_subcommand_from verify prune help" -f -a "verify" -d 'Walk the hash chain; exit 0 when intact, 8 at the first altered, removed or inserted entry'
complete -c twofa -n "__fish_twofa_using_subcommand audit; and not __fish_seen_subcommand_from verify prune help" -f -a "prune" -d 'Remove audit and login-history entries older than TIME, keeping the chain verifiable'
complete -c twofa -n "__fish_twofa_using_subcommand audit; and not __fish_seen_subcommand_from verify prune help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c twofa -n "__fish_twofa_using_subcommand audit; and __fish_seen_subcommand_from verify" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand audit; and __fish_seen_subcommand_from verify" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand audit; and __fish_seen_subcommand_from verify" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand audit; and __fish_seen_subcommand_from verify" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand audit; and __fish_seen_subcommand_from verify" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand audit; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand audit; and __fish_seen_subcommand_from prune" -l before -d 'RFC 3339, a date (2026-01-01), or an age (90d)' -r
complete -c twofa -n "__fish_twofa_using_subcommand audit; and __fish_seen_subcommand_from prune" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand audit; and __fish_seen_subcommand_from prune" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand audit; and __fish_seen_subcommand_from prune" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand audit; and __fish_seen_subcommand_from prune" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand audit; and __fish_seen_subcommand_from prune" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand audit; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Walk the hash chain; exit 0 when intact, 8 at the first altered, removed or inserted entry'
complete -c twofa -n "__fish_twofa_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Remove audit and login-history entries older than TIME, keeping the chain verifiable'
complete -c twofa -n "__fish_twofa_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c twofa -n "__fish_twofa_using_subcommand mail; and not __fish_seen_subcommand_from flush status test help" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand mail; and not __fish_seen_subcommand_from flush status test help" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand mail; and not __fish_seen_subcommand_from flush status test help" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand mail; and not __fish_seen_subcommand_from flush status test help" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand mail; and not __fish_seen_subcommand_from flush status test help" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand mail; and not __fish_seen_subcommand_from flush status test help" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand mail; and not __fish_seen_subcommand_from flush status test help" -f -a "flush" -d 'Send every queued message now (a failed one stays queued)'
complete -c twofa -n "__fish_twofa_using_subcommand mail; and not __fish_seen_subcommand_from flush status test help" -f -a "status" -d 'List queued and failed messages (never their text)'
complete -c twofa -n "__fish_twofa_using_subcommand mail; and not __fish_seen_subcommand_from flush status test help" -f -a "test" -d 'Send a test message to ADDRESS and show the server\'s answer'
complete -c twofa -n "__fish_twofa_using_subcommand mail; and not __fish_seen_subcommand_from flush status test help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c twofa -n "__fish_twofa_using_subcommand mail; and __fish_seen_subcommand_from flush" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand mail; and __fish_seen_subcommand_from flush" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand mail; and __fish_seen_subcommand_from flush" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand mail; and __fish_seen_subcommand_from flush" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand mail; and __fish_seen_subcommand_from flush" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand mail; and __fish_seen_subcommand_from flush" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand mail; and __fish_seen_subcommand_from status" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand mail; and __fish_seen_subcommand_from status" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand mail; and __fish_seen_subcommand_from status" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand mail; and __fish_seen_subcommand_from status" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand mail; and __fish_seen_subcommand_from status" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand mail; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand mail; and __fish_seen_subcommand_from test" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand mail; and __fish_seen_subcommand_from test" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand mail; and __fish_seen_subcommand_from test" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand mail; and __fish_seen_subcommand_from test" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand mail; and __fish_seen_subcommand_from test" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand mail; and __fish_seen_subcommand_from test" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand mail; and __fish_seen_subcommand_from help" -f -a "flush" -d 'Send every queued message now (a failed one stays queued)'
complete -c twofa -n "__fish_twofa_using_subcommand mail; and __fish_seen_subcommand_from help" -f -a "status" -d 'List queued and failed messages (never their text)'
complete -c twofa -n "__fish_twofa_using_subcommand mail; and __fish_seen_subcommand_from help" -f -a "test" -d 'Send a test message to ADDRESS and show the server\'s answer'
complete -c twofa -n "__fish_twofa_using_subcommand mail; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c twofa -n "__fish_twofa_using_subcommand db; and not __fish_seen_subcommand_from init copy help" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand db; and not __fish_seen_subcommand_from init copy help" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand db; and not __fish_seen_subcommand_from init copy help" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand db; and not __fish_seen_subcommand_from init copy help" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand db; and not __fish_seen_subcommand_from init copy help" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand db; and not __fish_seen_subcommand_from init copy help" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand db; and not __fish_seen_subcommand_from init copy help" -f -a "init" -d 'Create the database\'s tables, or bring them up to date, and nothing else: how a privileged PostgreSQL role makes the schema ahead for the role twofa runs as'
complete -c twofa -n "__fish_twofa_using_subcommand db; and not __fish_seen_subcommand_from init copy help" -f -a "copy" -d 'Copy a whole twofa database into a new, empty one: users, organizations, factors, backup codes, settings, login history and the audit log, with the same database id (the same key file opens the copy) and a verifiable audit chain'
complete -c twofa -n "__fish_twofa_using_subcommand db; and not __fish_seen_subcommand_from init copy help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c twofa -n "__fish_twofa_using_subcommand db; and __fish_seen_subcommand_from init" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand db; and __fish_seen_subcommand_from init" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand db; and __fish_seen_subcommand_from init" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand db; and __fish_seen_subcommand_from init" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand db; and __fish_seen_subcommand_from init" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand db; and __fish_seen_subcommand_from init" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand db; and __fish_seen_subcommand_from copy" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand db; and __fish_seen_subcommand_from copy" -l actor -d 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]' -r
complete -c twofa -n "__fish_twofa_using_subcommand db; and __fish_seen_subcommand_from copy" -l actor-code -d 'The actor\'s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo' -r
complete -c twofa -n "__fish_twofa_using_subcommand db; and __fish_seen_subcommand_from copy" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand db; and __fish_seen_subcommand_from copy" -l no-mail -d 'Queue and send no mail for this command (for scripts that do their own mailing)'
complete -c twofa -n "__fish_twofa_using_subcommand db; and __fish_seen_subcommand_from copy" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "init" -d 'Create the database\'s tables, or bring them up to date, and nothing else: how a privileged PostgreSQL role makes the schema ahead for the role twofa runs as'
complete -c twofa -n "__fish_twofa_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "copy" -d 'Copy a whole twofa database into a new, empty one: users, organizations, factors, backup codes, settings, login history and the audit log, with the same database id (the same key file opens the copy) and a verifiable audit chain'
complete -c twofa -n "__fish_twofa_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from enroll verify send-code backup-codes disable status user org access config admin audit mail db help" -f -a "enroll" -d 'Start TOTP enrollment for a user: show the QR code, then activate with a first code'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from enroll verify send-code backup-codes disable status user org access config admin audit mail db help" -f -a "verify" -d 'Check a TOTP code, a code sent by email, or a backup code (exit 0 only when accepted)'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from enroll verify send-code backup-codes disable status user org access config admin audit mail db help" -f -a "send-code" -d 'Mail a fresh code to a user who has the email factor (valid email_code_ttl, once)'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from enroll verify send-code backup-codes disable status user org access config admin audit mail db help" -f -a "backup-codes" -d 'Show how many backup codes remain, or replace them all'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from enroll verify send-code backup-codes disable status user org access config admin audit mail db help" -f -a "disable" -d 'Remove a user\'s 2FA (needs a current code or a backup code)'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from enroll verify send-code backup-codes disable status user org access config admin audit mail db help" -f -a "status" -d 'Show a user\'s 2FA state, lockout and clock drift'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from enroll verify send-code backup-codes disable status user org access config admin audit mail db help" -f -a "user" -d 'Add, list and remove users; mark SSO-managed users and global admins'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from enroll verify send-code backup-codes disable status user org access config admin audit mail db help" -f -a "org" -d 'Organizations: members, roles, and the 2FA requirement'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from enroll verify send-code backup-codes disable status user org access config admin audit mail db help" -f -a "access" -d 'May USER enter an organization? Exit 0 when allowed, 5 when denied by policy'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from enroll verify send-code backup-codes disable status user org access config admin audit mail db help" -f -a "config" -d 'Show or change settings kept in the database (issuer, skew, lockout)'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from enroll verify send-code backup-codes disable status user org access config admin audit mail db help" -f -a "admin" -d 'Support desk: reset a user\'s 2FA, clear a lockout, rotate the master key'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from enroll verify send-code backup-codes disable status user org access config admin audit mail db help" -f -a "audit" -d 'The audit log: list entries, verify the hash chain, prune old entries'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from enroll verify send-code backup-codes disable status user org access config admin audit mail db help" -f -a "mail" -d 'Mail: send queued notices, list the queue, send a test message'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from enroll verify send-code backup-codes disable status user org access config admin audit mail db help" -f -a "db" -d 'The database as a whole: create its tables, or copy it to a new one (operator only)'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from enroll verify send-code backup-codes disable status user org access config admin audit mail db help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "add" -d 'Add a user (enroll also adds users on the fly)'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "list" -d 'List users with their 2FA state'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "remove" -d 'Remove a user and everything of theirs (2FA, backup codes, memberships)'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "sso" -d 'Mark or unmark a user as managed by SSO (exempt from 2FA policy)'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "set" -d 'Set or remove a user\'s email address (where notices go)'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "admin" -d 'Grant or revoke global admin (may manage every organization)'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from org" -f -a "create" -d 'Create an organization'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from org" -f -a "list" -d 'List organizations'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from org" -f -a "delete" -d 'Delete an organization and its memberships (users and their 2FA stay)'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from org" -f -a "add" -d 'Add members (several at once, or `-` to read names from stdin, one a line), in one transaction: all of them, or none when a name is not a user'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from org" -f -a "remove" -d 'Remove a member (an organization always keeps one owner)'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from org" -f -a "role" -d 'Change a member\'s role'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from org" -f -a "require-2fa" -d 'Require 2FA of every member (on), or stop requiring it (off)'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from org" -f -a "remind" -d 'Mail a reminder to every member who must still enroll (for cron)'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from org" -f -a "status" -d 'The teammates table: who has 2FA and who is compliant'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "list" -d 'List every setting with its value'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "get" -d 'Print one setting'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "set" -d 'Change one setting'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from admin" -f -a "reset" -d 'Remove a user\'s TOTP secret, backup codes and lockout; they must enroll again'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from admin" -f -a "rotate-key" -d 'Seal every secret under a new master key; the old key file is kept as a dated backup'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from admin" -f -a "unlock" -d 'Clear a lockout (failure counter and lock); the secret stays'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "verify" -d 'Walk the hash chain; exit 0 when intact, 8 at the first altered, removed or inserted entry'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "prune" -d 'Remove audit and login-history entries older than TIME, keeping the chain verifiable'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from mail" -f -a "flush" -d 'Send every queued message now (a failed one stays queued)'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from mail" -f -a "status" -d 'List queued and failed messages (never their text)'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from mail" -f -a "test" -d 'Send a test message to ADDRESS and show the server\'s answer'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "init" -d 'Create the database\'s tables, or bring them up to date, and nothing else: how a privileged PostgreSQL role makes the schema ahead for the role twofa runs as'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "copy" -d 'Copy a whole twofa database into a new, empty one: users, organizations, factors, backup codes, settings, login history and the audit log, with the same database id (the same key file opens the copy) and a verifiable audit chain'
