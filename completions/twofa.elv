
use builtin;
use str;

set edit:completion:arg-completer[twofa] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'twofa'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'twofa'= {
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand enroll 'Start TOTP enrollment for a user: show the QR code, then activate with a first code'
            cand verify 'Check a TOTP code or a backup code (exit 0 only when accepted)'
            cand backup-codes 'Show how many backup codes remain, or replace them all'
            cand disable 'Remove a user''s 2FA (needs a current code or a backup code)'
            cand status 'Show a user''s 2FA state, lockout and clock drift'
            cand config 'Show or change settings kept in the database (issuer, skew, lockout)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'twofa;enroll'= {
            cand --code 'Activate the pending enrollment with this code from the app (`-` reads stdin)'
            cand --issuer 'Issuer shown in the app [default: the `issuer` setting, "twofa"]'
            cand --algorithm 'HMAC algorithm [default: SHA1, the only one every app supports]'
            cand --digits 'Code length [default: 6]'
            cand --period 'Seconds per code [default: 30]'
            cand --qr 'How to draw the QR code [default: ansi on a colour terminal, else unicode]'
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --new-secret 'Replace a pending enrollment''s secret instead of showing it again'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;verify'= {
            cand --code 'The 6/8-digit code from the authenticator app, or a backup code; `-` reads stdin'
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;backup-codes'= {
            cand --code 'The 6/8-digit code from the authenticator app, or a backup code; `-` reads stdin'
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --regenerate 'Replace every backup code with a new set (needs a current code or a backup code)'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;disable'= {
            cand --code 'The 6/8-digit code from the authenticator app, or a backup code; `-` reads stdin'
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand -y 'Do not ask for confirmation'
            cand --yes 'Do not ask for confirmation'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;status'= {
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;config'= {
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand -h 'Print help'
            cand --help 'Print help'
            cand list 'List every setting with its value'
            cand get 'Print one setting'
            cand set 'Change one setting'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'twofa;config;list'= {
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;config;get'= {
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;config;set'= {
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;config;help'= {
            cand list 'List every setting with its value'
            cand get 'Print one setting'
            cand set 'Change one setting'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'twofa;config;help;list'= {
        }
        &'twofa;config;help;get'= {
        }
        &'twofa;config;help;set'= {
        }
        &'twofa;config;help;help'= {
        }
        &'twofa;help'= {
            cand enroll 'Start TOTP enrollment for a user: show the QR code, then activate with a first code'
            cand verify 'Check a TOTP code or a backup code (exit 0 only when accepted)'
            cand backup-codes 'Show how many backup codes remain, or replace them all'
            cand disable 'Remove a user''s 2FA (needs a current code or a backup code)'
            cand status 'Show a user''s 2FA state, lockout and clock drift'
            cand config 'Show or change settings kept in the database (issuer, skew, lockout)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'twofa;help;enroll'= {
        }
        &'twofa;help;verify'= {
        }
        &'twofa;help;backup-codes'= {
        }
        &'twofa;help;disable'= {
        }
        &'twofa;help;status'= {
        }
        &'twofa;help;config'= {
            cand list 'List every setting with its value'
            cand get 'Print one setting'
            cand set 'Change one setting'
        }
        &'twofa;help;config;list'= {
        }
        &'twofa;help;config;get'= {
        }
        &'twofa;help;config;set'= {
        }
        &'twofa;help;help'= {
        }
    ]
    $completions[$command]
}
