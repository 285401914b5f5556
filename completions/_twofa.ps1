
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'twofa' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'twofa'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'twofa' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('enroll', 'enroll', [CompletionResultType]::ParameterValue, 'Start TOTP enrollment for a user: show the QR code, then activate with a first code')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a TOTP code or a backup code (exit 0 only when accepted)')
            [CompletionResult]::new('backup-codes', 'backup-codes', [CompletionResultType]::ParameterValue, 'Show how many backup codes remain, or replace them all')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Remove a user''s 2FA (needs a current code or a backup code)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show a user''s 2FA state, lockout and clock drift')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show or change settings kept in the database (issuer, skew, lockout)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'twofa;enroll' {
            [CompletionResult]::new('--code', '--code', [CompletionResultType]::ParameterName, 'Activate the pending enrollment with this code from the app (`-` reads stdin)')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'Issuer shown in the app [default: the `issuer` setting, "twofa"]')
            [CompletionResult]::new('--algorithm', '--algorithm', [CompletionResultType]::ParameterName, 'HMAC algorithm [default: SHA1, the only one every app supports]')
            [CompletionResult]::new('--digits', '--digits', [CompletionResultType]::ParameterName, 'Code length [default: 6]')
            [CompletionResult]::new('--period', '--period', [CompletionResultType]::ParameterName, 'Seconds per code [default: 30]')
            [CompletionResult]::new('--qr', '--qr', [CompletionResultType]::ParameterName, 'How to draw the QR code [default: ansi on a colour terminal, else unicode]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--new-secret', '--new-secret', [CompletionResultType]::ParameterName, 'Replace a pending enrollment''s secret instead of showing it again')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;verify' {
            [CompletionResult]::new('--code', '--code', [CompletionResultType]::ParameterName, 'The 6/8-digit code from the authenticator app, or a backup code; `-` reads stdin')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;backup-codes' {
            [CompletionResult]::new('--code', '--code', [CompletionResultType]::ParameterName, 'The 6/8-digit code from the authenticator app, or a backup code; `-` reads stdin')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--regenerate', '--regenerate', [CompletionResultType]::ParameterName, 'Replace every backup code with a new set (needs a current code or a backup code)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;disable' {
            [CompletionResult]::new('--code', '--code', [CompletionResultType]::ParameterName, 'The 6/8-digit code from the authenticator app, or a backup code; `-` reads stdin')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;status' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;config' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List every setting with its value')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one setting')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change one setting')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'twofa;config;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;config;get' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;config;set' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;config;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List every setting with its value')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one setting')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change one setting')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'twofa;config;help;list' {
            break
        }
        'twofa;config;help;get' {
            break
        }
        'twofa;config;help;set' {
            break
        }
        'twofa;config;help;help' {
            break
        }
        'twofa;help' {
            [CompletionResult]::new('enroll', 'enroll', [CompletionResultType]::ParameterValue, 'Start TOTP enrollment for a user: show the QR code, then activate with a first code')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a TOTP code or a backup code (exit 0 only when accepted)')
            [CompletionResult]::new('backup-codes', 'backup-codes', [CompletionResultType]::ParameterValue, 'Show how many backup codes remain, or replace them all')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Remove a user''s 2FA (needs a current code or a backup code)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show a user''s 2FA state, lockout and clock drift')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show or change settings kept in the database (issuer, skew, lockout)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'twofa;help;enroll' {
            break
        }
        'twofa;help;verify' {
            break
        }
        'twofa;help;backup-codes' {
            break
        }
        'twofa;help;disable' {
            break
        }
        'twofa;help;status' {
            break
        }
        'twofa;help;config' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List every setting with its value')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Print one setting')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Change one setting')
            break
        }
        'twofa;help;config;list' {
            break
        }
        'twofa;help;config;get' {
            break
        }
        'twofa;help;config;set' {
            break
        }
        'twofa;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
