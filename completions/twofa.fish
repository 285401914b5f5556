# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_twofa_global_optspecs
    string join \n db= json h/help V/version
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
complete -c twofa -n "__fish_twofa_needs_command" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_needs_command" -s V -l version -d 'Print version'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "enroll" -d 'Start TOTP enrollment for a user: show the QR code, then activate with a first code'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "verify" -d 'Check a TOTP code or a backup code (exit 0 only when accepted)'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "backup-codes" -d 'Show how many backup codes remain, or replace them all'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "disable" -d 'Remove a user\'s 2FA (needs a current code or a backup code)'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "status" -d 'Show a user\'s 2FA state, lockout and clock drift'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "config" -d 'Show or change settings kept in the database (issuer, skew, lockout)'
complete -c twofa -n "__fish_twofa_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -l code -d 'Activate the pending enrollment with this code from the app (`-` reads stdin)' -r
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -l issuer -d 'Issuer shown in the app [default: the `issuer` setting, "twofa"]' -r
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -l algorithm -d 'HMAC algorithm [default: SHA1, the only one every app supports]' -r -f -a "SHA1\t''
SHA256\t''
SHA512\t''"
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -l digits -d 'Code length [default: 6]' -r
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -l period -d 'Seconds per code [default: 30]' -r
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -l qr -d 'How to draw the QR code [default: ansi on a colour terminal, else unicode]' -r -f -a "unicode\t'Half-block characters, no escape codes; light modules drawn, for dark themes'
ansi\t'Half blocks in explicit black and white: reads the same on dark and light themes'
none\t'No QR code; enter the secret by hand'"
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -l new-secret -d 'Replace a pending enrollment\'s secret instead of showing it again'
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand enroll" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c twofa -n "__fish_twofa_using_subcommand verify" -l code -d 'The 6/8-digit code from the authenticator app, or a backup code; `-` reads stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand verify" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand verify" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand verify" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand backup-codes" -l code -d 'The 6/8-digit code from the authenticator app, or a backup code; `-` reads stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand backup-codes" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand backup-codes" -l regenerate -d 'Replace every backup code with a new set (needs a current code or a backup code)'
complete -c twofa -n "__fish_twofa_using_subcommand backup-codes" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand backup-codes" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand disable" -l code -d 'The 6/8-digit code from the authenticator app, or a backup code; `-` reads stdin' -r
complete -c twofa -n "__fish_twofa_using_subcommand disable" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand disable" -s y -l yes -d 'Do not ask for confirmation'
complete -c twofa -n "__fish_twofa_using_subcommand disable" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand disable" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand status" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand status" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand status" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand config; and not __fish_seen_subcommand_from list get set help" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand config; and not __fish_seen_subcommand_from list get set help" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand config; and not __fish_seen_subcommand_from list get set help" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand config; and not __fish_seen_subcommand_from list get set help" -f -a "list" -d 'List every setting with its value'
complete -c twofa -n "__fish_twofa_using_subcommand config; and not __fish_seen_subcommand_from list get set help" -f -a "get" -d 'Print one setting'
complete -c twofa -n "__fish_twofa_using_subcommand config; and not __fish_seen_subcommand_from list get set help" -f -a "set" -d 'Change one setting'
complete -c twofa -n "__fish_twofa_using_subcommand config; and not __fish_seen_subcommand_from list get set help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c twofa -n "__fish_twofa_using_subcommand config; and __fish_seen_subcommand_from list" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand config; and __fish_seen_subcommand_from list" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand config; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand config; and __fish_seen_subcommand_from get" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand config; and __fish_seen_subcommand_from get" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand config; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand config; and __fish_seen_subcommand_from set" -l db -d 'Database file [default: twofa.db in the platform data directory]' -r -F
complete -c twofa -n "__fish_twofa_using_subcommand config; and __fish_seen_subcommand_from set" -l json -d 'Print results as JSON (stable snake_case fields) on stdout'
complete -c twofa -n "__fish_twofa_using_subcommand config; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help'
complete -c twofa -n "__fish_twofa_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "list" -d 'List every setting with its value'
complete -c twofa -n "__fish_twofa_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "get" -d 'Print one setting'
complete -c twofa -n "__fish_twofa_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "set" -d 'Change one setting'
complete -c twofa -n "__fish_twofa_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from enroll verify backup-codes disable status config help" -f -a "enroll" -d 'Start TOTP enrollment for a user: show the QR code, then activate with a first code'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from enroll verify backup-codes disable status config help" -f -a "verify" -d 'Check a TOTP code or a backup code (exit 0 only when accepted)'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from enroll verify backup-codes disable status config help" -f -a "backup-codes" -d 'Show how many backup codes remain, or replace them all'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from enroll verify backup-codes disable status config help" -f -a "disable" -d 'Remove a user\'s 2FA (needs a current code or a backup code)'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from enroll verify backup-codes disable status config help" -f -a "status" -d 'Show a user\'s 2FA state, lockout and clock drift'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from enroll verify backup-codes disable status config help" -f -a "config" -d 'Show or change settings kept in the database (issuer, skew, lockout)'
complete -c twofa -n "__fish_twofa_using_subcommand help; and not __fish_seen_subcommand_from enroll verify backup-codes disable status config help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "list" -d 'List every setting with its value'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "get" -d 'Print one setting'
complete -c twofa -n "__fish_twofa_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "set" -d 'Change one setting'
