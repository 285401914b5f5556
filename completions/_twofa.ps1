
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
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('enroll', 'enroll', [CompletionResultType]::ParameterValue, 'Start TOTP enrollment for a user: show the QR code, then activate with a first code')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a TOTP code, a code sent by email, or a backup code (exit 0 only when accepted)')
            [CompletionResult]::new('send-code', 'send-code', [CompletionResultType]::ParameterValue, 'Mail a fresh code to a user who has the email factor (valid email_code_ttl, once)')
            [CompletionResult]::new('backup-codes', 'backup-codes', [CompletionResultType]::ParameterValue, 'Show how many backup codes remain, or replace them all')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Remove a user''s 2FA (needs a current code or a backup code)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show a user''s 2FA state, lockout and clock drift')
            [CompletionResult]::new('user', 'user', [CompletionResultType]::ParameterValue, 'Add, list and remove users; mark SSO-managed users and global admins')
            [CompletionResult]::new('org', 'org', [CompletionResultType]::ParameterValue, 'Organizations: members, roles, and the 2FA requirement')
            [CompletionResult]::new('access', 'access', [CompletionResultType]::ParameterValue, 'May USER enter an organization? Exit 0 when allowed, 5 when denied by policy')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show or change settings kept in the database (issuer, skew, lockout)')
            [CompletionResult]::new('admin', 'admin', [CompletionResultType]::ParameterValue, 'Support desk: reset a user''s 2FA, clear a lockout, rotate the master key')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'The audit log: list entries, verify the hash chain, prune old entries')
            [CompletionResult]::new('mail', 'mail', [CompletionResultType]::ParameterValue, 'Mail: send queued notices, list the queue, send a test message')
            [CompletionResult]::new('db', 'db', [CompletionResultType]::ParameterValue, 'The database as a whole: create its tables, or copy it to a new one (operator only)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'twofa;enroll' {
            [CompletionResult]::new('--method', '--method', [CompletionResultType]::ParameterName, 'The factor: totp (an authenticator app) or email (codes mailed to the user''s address, set with `user set USER --email ADDR`; mail must be configured)')
            [CompletionResult]::new('--code', '--code', [CompletionResultType]::ParameterName, 'Activate the pending enrollment with this code from the app; `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo. Without it, a code piped in (stdin not a terminal) activates a pending enrollment too')
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'Issuer shown in the app [default: the `issuer` setting, "twofa"]')
            [CompletionResult]::new('--algorithm', '--algorithm', [CompletionResultType]::ParameterName, 'HMAC algorithm [default: SHA1, the only one every app supports]')
            [CompletionResult]::new('--digits', '--digits', [CompletionResultType]::ParameterName, 'Code length: 6 or 8 digits [default: 6]')
            [CompletionResult]::new('--period', '--period', [CompletionResultType]::ParameterName, 'Seconds per code, 10 to 300 [default: 30; many apps only support 30]')
            [CompletionResult]::new('--qr', '--qr', [CompletionResultType]::ParameterName, 'How to draw the QR code [default: ansi on a colour terminal, else unicode]')
            [CompletionResult]::new('--save', '--save', [CompletionResultType]::ParameterName, 'Also write the backup codes of the activation to FILE: a new file (never overwritten; an existing one is exit 2, before anything changes), mode 0600')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--new-secret', '--new-secret', [CompletionResultType]::ParameterName, 'Replace a pending enrollment''s secret instead of showing it again')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'twofa;verify' {
            [CompletionResult]::new('--code', '--code', [CompletionResultType]::ParameterName, 'The 6/8-digit code from the authenticator app, or a backup code; `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;send-code' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;backup-codes' {
            [CompletionResult]::new('--code', '--code', [CompletionResultType]::ParameterName, 'The 6/8-digit code from the authenticator app, or a backup code; `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--save', '--save', [CompletionResultType]::ParameterName, 'Also write the new backup codes to FILE: a new file (never overwritten; an existing one is exit 2, before anything changes), mode 0600')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--regenerate', '--regenerate', [CompletionResultType]::ParameterName, 'Replace every backup code with a new set (needs a current code or a backup code)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;disable' {
            [CompletionResult]::new('--code', '--code', [CompletionResultType]::ParameterName, 'The 6/8-digit code from the authenticator app, or a backup code; `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation; required to remove an active enrollment when standard input is not a terminal (without it: exit 2, nothing changed)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation; required to remove an active enrollment when standard input is not a terminal (without it: exit 2, nothing changed)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;status' {
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'How many history entries')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--history', '--history', [CompletionResultType]::ParameterName, 'Show the user''s recent code checks (time, outcome, method, drift)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;user' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a user (enroll also adds users on the fly)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List users with their 2FA state')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a user and everything of theirs (2FA, backup codes, memberships)')
            [CompletionResult]::new('sso', 'sso', [CompletionResultType]::ParameterValue, 'Mark or unmark a user as managed by SSO (exempt from 2FA policy)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set or remove a user''s email address (where notices go)')
            [CompletionResult]::new('admin', 'admin', [CompletionResultType]::ParameterValue, 'Grant or revoke global admin (may manage every organization)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'twofa;user;add' {
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'Email address: where invitations and notices go')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--sso', '--sso', [CompletionResultType]::ParameterName, 'Login managed by an identity provider: exempt from 2FA requirements')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;user;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;user;remove' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation; required when standard input is not a terminal (without it: exit 2, nothing changed)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation; required when standard input is not a terminal (without it: exit 2, nothing changed)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;user;sso' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;user;set' {
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'The new address')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--no-email', '--no-email', [CompletionResultType]::ParameterName, 'Remove the address: no more notices')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;user;admin' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;user;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a user (enroll also adds users on the fly)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List users with their 2FA state')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a user and everything of theirs (2FA, backup codes, memberships)')
            [CompletionResult]::new('sso', 'sso', [CompletionResultType]::ParameterValue, 'Mark or unmark a user as managed by SSO (exempt from 2FA policy)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set or remove a user''s email address (where notices go)')
            [CompletionResult]::new('admin', 'admin', [CompletionResultType]::ParameterValue, 'Grant or revoke global admin (may manage every organization)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'twofa;user;help;add' {
            break
        }
        'twofa;user;help;list' {
            break
        }
        'twofa;user;help;remove' {
            break
        }
        'twofa;user;help;sso' {
            break
        }
        'twofa;user;help;set' {
            break
        }
        'twofa;user;help;admin' {
            break
        }
        'twofa;user;help;help' {
            break
        }
        'twofa;org' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create an organization')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List organizations')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete an organization and its memberships (users and their 2FA stay)')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add members (several at once, or `-` to read names from stdin, one a line), in one transaction: all of them, or none when a name is not a user')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a member (an organization always keeps one owner)')
            [CompletionResult]::new('role', 'role', [CompletionResultType]::ParameterValue, 'Change a member''s role')
            [CompletionResult]::new('require-2fa', 'require-2fa', [CompletionResultType]::ParameterValue, 'Require 2FA of every member (on), or stop requiring it (off)')
            [CompletionResult]::new('remind', 'remind', [CompletionResultType]::ParameterValue, 'Mail a reminder to every member who must still enroll (for cron)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'The teammates table: who has 2FA and who is compliant')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'twofa;org;create' {
            [CompletionResult]::new('--owner', '--owner', [CompletionResultType]::ParameterName, 'Its first owner (an existing user) [default: the acting person, when they are a user]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;org;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;org;delete' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation; required when standard input is not a terminal (without it: exit 2, nothing changed)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation; required when standard input is not a terminal (without it: exit 2, nothing changed)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;org;add' {
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Role of the new members: owner, admin or member')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;org;remove' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;org;role' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;org;require-2fa' {
            [CompletionResult]::new('--grace', '--grace', [CompletionResultType]::ParameterName, 'Time members without 2FA get to enroll: 0 (at once), 30m, 48h, 7d, 2w [default: 0, or the grace in force when re-applied]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--reset-deadlines', '--reset-deadlines', [CompletionResultType]::ParameterName, 'Give every member who must enroll a fresh deadline of now + grace (needed to change the grace of a requirement in force; re-applying keeps deadlines)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show who would have to enroll or be blocked; change nothing')
            [CompletionResult]::new('--allow-email', '--allow-email', [CompletionResultType]::ParameterName, 'Let codes by email satisfy the requirement (by default only an authenticator app does; kept when re-applied without --allow-email or --disallow-email)')
            [CompletionResult]::new('--disallow-email', '--disallow-email', [CompletionResultType]::ParameterName, 'Stop letting codes by email satisfy the requirement')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;org;remind' {
            [CompletionResult]::new('--within', '--within', [CompletionResultType]::ParameterName, 'Only members whose deadline is within this time (or past): 3d, 12h')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;org;status' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--non-compliant', '--non-compliant', [CompletionResultType]::ParameterName, 'Only members who must act (in grace or blocked)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;org;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create an organization')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List organizations')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete an organization and its memberships (users and their 2FA stay)')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add members (several at once, or `-` to read names from stdin, one a line), in one transaction: all of them, or none when a name is not a user')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a member (an organization always keeps one owner)')
            [CompletionResult]::new('role', 'role', [CompletionResultType]::ParameterValue, 'Change a member''s role')
            [CompletionResult]::new('require-2fa', 'require-2fa', [CompletionResultType]::ParameterValue, 'Require 2FA of every member (on), or stop requiring it (off)')
            [CompletionResult]::new('remind', 'remind', [CompletionResultType]::ParameterValue, 'Mail a reminder to every member who must still enroll (for cron)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'The teammates table: who has 2FA and who is compliant')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'twofa;org;help;create' {
            break
        }
        'twofa;org;help;list' {
            break
        }
        'twofa;org;help;delete' {
            break
        }
        'twofa;org;help;add' {
            break
        }
        'twofa;org;help;remove' {
            break
        }
        'twofa;org;help;role' {
            break
        }
        'twofa;org;help;require-2fa' {
            break
        }
        'twofa;org;help;remind' {
            break
        }
        'twofa;org;help;status' {
            break
        }
        'twofa;org;help;help' {
            break
        }
        'twofa;access' {
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'The organization; without it, every organization the user belongs to')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;config' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
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
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;config;get' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;config;set' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
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
        'twofa;admin' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('reset', 'reset', [CompletionResultType]::ParameterValue, 'Remove a user''s TOTP secret, backup codes and lockout; they must enroll again')
            [CompletionResult]::new('rotate-key', 'rotate-key', [CompletionResultType]::ParameterValue, 'Seal every secret under a new master key; the old key file is kept as a dated backup')
            [CompletionResult]::new('unlock', 'unlock', [CompletionResultType]::ParameterValue, 'Clear a lockout (failure counter and lock); the secret stays')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'twofa;admin;reset' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why (kept in the audit log)')
            [CompletionResult]::new('--ticket', '--ticket', [CompletionResultType]::ParameterName, 'Support ticket id (kept in the audit log)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation; required when standard input is not a terminal (without it: exit 2, nothing changed)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation; required when standard input is not a terminal (without it: exit 2, nothing changed)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;admin;rotate-key' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;admin;unlock' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why (kept in the audit log)')
            [CompletionResult]::new('--ticket', '--ticket', [CompletionResultType]::ParameterName, 'Support ticket id (kept in the audit log)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;admin;help' {
            [CompletionResult]::new('reset', 'reset', [CompletionResultType]::ParameterValue, 'Remove a user''s TOTP secret, backup codes and lockout; they must enroll again')
            [CompletionResult]::new('rotate-key', 'rotate-key', [CompletionResultType]::ParameterValue, 'Seal every secret under a new master key; the old key file is kept as a dated backup')
            [CompletionResult]::new('unlock', 'unlock', [CompletionResultType]::ParameterValue, 'Clear a lockout (failure counter and lock); the secret stays')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'twofa;admin;help;reset' {
            break
        }
        'twofa;admin;help;rotate-key' {
            break
        }
        'twofa;admin;help;unlock' {
            break
        }
        'twofa;admin;help;help' {
            break
        }
        'twofa;audit' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only entries about this user')
            [CompletionResult]::new('--org', '--org', [CompletionResultType]::ParameterName, 'Only entries about this organization')
            [CompletionResult]::new('--action', '--action', [CompletionResultType]::ParameterName, 'Only this action (verify, enroll, admin.reset, org.add, …)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'From this time: RFC 3339, a date (2026-11-01), or an age (7d, 12h)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Before this time (same forms as --since)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many entries [default: 50 for people, all with --json]')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Walk the hash chain; exit 0 when intact, 8 at the first altered, removed or inserted entry')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Remove audit and login-history entries older than TIME, keeping the chain verifiable')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'twofa;audit;verify' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;audit;prune' {
            [CompletionResult]::new('--before', '--before', [CompletionResultType]::ParameterName, 'RFC 3339, a date (2026-01-01), or an age (90d)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;audit;help' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Walk the hash chain; exit 0 when intact, 8 at the first altered, removed or inserted entry')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Remove audit and login-history entries older than TIME, keeping the chain verifiable')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'twofa;audit;help;verify' {
            break
        }
        'twofa;audit;help;prune' {
            break
        }
        'twofa;audit;help;help' {
            break
        }
        'twofa;mail' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('flush', 'flush', [CompletionResultType]::ParameterValue, 'Send every queued message now (a failed one stays queued)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'List queued and failed messages (never their text)')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Send a test message to ADDRESS and show the server''s answer')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'twofa;mail;flush' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;mail;status' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;mail;test' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;mail;help' {
            [CompletionResult]::new('flush', 'flush', [CompletionResultType]::ParameterValue, 'Send every queued message now (a failed one stays queued)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'List queued and failed messages (never their text)')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Send a test message to ADDRESS and show the server''s answer')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'twofa;mail;help;flush' {
            break
        }
        'twofa;mail;help;status' {
            break
        }
        'twofa;mail;help;test' {
            break
        }
        'twofa;mail;help;help' {
            break
        }
        'twofa;db' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create the database''s tables, or bring them up to date, and nothing else: how a privileged PostgreSQL role makes the schema ahead for the role twofa runs as')
            [CompletionResult]::new('copy', 'copy', [CompletionResultType]::ParameterValue, 'Copy a whole twofa database into a new, empty one: users, organizations, factors, backup codes, settings, login history and the audit log, with the same database id (the same key file opens the copy) and a verifiable audit chain')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'twofa;db;init' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;db;copy' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'Database file [default: twofa.db in the platform data directory]')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]')
            [CompletionResult]::new('--actor-code', '--actor-code', [CompletionResultType]::ParameterName, 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print results as JSON (stable snake_case fields) on stdout')
            [CompletionResult]::new('--no-mail', '--no-mail', [CompletionResultType]::ParameterName, 'Queue and send no mail for this command (for scripts that do their own mailing)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'twofa;db;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create the database''s tables, or bring them up to date, and nothing else: how a privileged PostgreSQL role makes the schema ahead for the role twofa runs as')
            [CompletionResult]::new('copy', 'copy', [CompletionResultType]::ParameterValue, 'Copy a whole twofa database into a new, empty one: users, organizations, factors, backup codes, settings, login history and the audit log, with the same database id (the same key file opens the copy) and a verifiable audit chain')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'twofa;db;help;init' {
            break
        }
        'twofa;db;help;copy' {
            break
        }
        'twofa;db;help;help' {
            break
        }
        'twofa;help' {
            [CompletionResult]::new('enroll', 'enroll', [CompletionResultType]::ParameterValue, 'Start TOTP enrollment for a user: show the QR code, then activate with a first code')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a TOTP code, a code sent by email, or a backup code (exit 0 only when accepted)')
            [CompletionResult]::new('send-code', 'send-code', [CompletionResultType]::ParameterValue, 'Mail a fresh code to a user who has the email factor (valid email_code_ttl, once)')
            [CompletionResult]::new('backup-codes', 'backup-codes', [CompletionResultType]::ParameterValue, 'Show how many backup codes remain, or replace them all')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Remove a user''s 2FA (needs a current code or a backup code)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show a user''s 2FA state, lockout and clock drift')
            [CompletionResult]::new('user', 'user', [CompletionResultType]::ParameterValue, 'Add, list and remove users; mark SSO-managed users and global admins')
            [CompletionResult]::new('org', 'org', [CompletionResultType]::ParameterValue, 'Organizations: members, roles, and the 2FA requirement')
            [CompletionResult]::new('access', 'access', [CompletionResultType]::ParameterValue, 'May USER enter an organization? Exit 0 when allowed, 5 when denied by policy')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show or change settings kept in the database (issuer, skew, lockout)')
            [CompletionResult]::new('admin', 'admin', [CompletionResultType]::ParameterValue, 'Support desk: reset a user''s 2FA, clear a lockout, rotate the master key')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'The audit log: list entries, verify the hash chain, prune old entries')
            [CompletionResult]::new('mail', 'mail', [CompletionResultType]::ParameterValue, 'Mail: send queued notices, list the queue, send a test message')
            [CompletionResult]::new('db', 'db', [CompletionResultType]::ParameterValue, 'The database as a whole: create its tables, or copy it to a new one (operator only)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'twofa;help;enroll' {
            break
        }
        'twofa;help;verify' {
            break
        }
        'twofa;help;send-code' {
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
        'twofa;help;user' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a user (enroll also adds users on the fly)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List users with their 2FA state')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a user and everything of theirs (2FA, backup codes, memberships)')
            [CompletionResult]::new('sso', 'sso', [CompletionResultType]::ParameterValue, 'Mark or unmark a user as managed by SSO (exempt from 2FA policy)')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set or remove a user''s email address (where notices go)')
            [CompletionResult]::new('admin', 'admin', [CompletionResultType]::ParameterValue, 'Grant or revoke global admin (may manage every organization)')
            break
        }
        'twofa;help;user;add' {
            break
        }
        'twofa;help;user;list' {
            break
        }
        'twofa;help;user;remove' {
            break
        }
        'twofa;help;user;sso' {
            break
        }
        'twofa;help;user;set' {
            break
        }
        'twofa;help;user;admin' {
            break
        }
        'twofa;help;org' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create an organization')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List organizations')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete an organization and its memberships (users and their 2FA stay)')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add members (several at once, or `-` to read names from stdin, one a line), in one transaction: all of them, or none when a name is not a user')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a member (an organization always keeps one owner)')
            [CompletionResult]::new('role', 'role', [CompletionResultType]::ParameterValue, 'Change a member''s role')
            [CompletionResult]::new('require-2fa', 'require-2fa', [CompletionResultType]::ParameterValue, 'Require 2FA of every member (on), or stop requiring it (off)')
            [CompletionResult]::new('remind', 'remind', [CompletionResultType]::ParameterValue, 'Mail a reminder to every member who must still enroll (for cron)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'The teammates table: who has 2FA and who is compliant')
            break
        }
        'twofa;help;org;create' {
            break
        }
        'twofa;help;org;list' {
            break
        }
        'twofa;help;org;delete' {
            break
        }
        'twofa;help;org;add' {
            break
        }
        'twofa;help;org;remove' {
            break
        }
        'twofa;help;org;role' {
            break
        }
        'twofa;help;org;require-2fa' {
            break
        }
        'twofa;help;org;remind' {
            break
        }
        'twofa;help;org;status' {
            break
        }
        'twofa;help;access' {
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
        'twofa;help;admin' {
            [CompletionResult]::new('reset', 'reset', [CompletionResultType]::ParameterValue, 'Remove a user''s TOTP secret, backup codes and lockout; they must enroll again')
            [CompletionResult]::new('rotate-key', 'rotate-key', [CompletionResultType]::ParameterValue, 'Seal every secret under a new master key; the old key file is kept as a dated backup')
            [CompletionResult]::new('unlock', 'unlock', [CompletionResultType]::ParameterValue, 'Clear a lockout (failure counter and lock); the secret stays')
            break
        }
        'twofa;help;admin;reset' {
            break
        }
        'twofa;help;admin;rotate-key' {
            break
        }
        'twofa;help;admin;unlock' {
            break
        }
        'twofa;help;audit' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Walk the hash chain; exit 0 when intact, 8 at the first altered, removed or inserted entry')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Remove audit and login-history entries older than TIME, keeping the chain verifiable')
            break
        }
        'twofa;help;audit;verify' {
            break
        }
        'twofa;help;audit;prune' {
            break
        }
        'twofa;help;mail' {
            [CompletionResult]::new('flush', 'flush', [CompletionResultType]::ParameterValue, 'Send every queued message now (a failed one stays queued)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'List queued and failed messages (never their text)')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Send a test message to ADDRESS and show the server''s answer')
            break
        }
        'twofa;help;mail;flush' {
            break
        }
        'twofa;help;mail;status' {
            break
        }
        'twofa;help;mail;test' {
            break
        }
        'twofa;help;db' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create the database''s tables, or bring them up to date, and nothing else: how a privileged PostgreSQL role makes the schema ahead for the role twofa runs as')
            [CompletionResult]::new('copy', 'copy', [CompletionResultType]::ParameterValue, 'Copy a whole twofa database into a new, empty one: users, organizations, factors, backup codes, settings, login history and the audit log, with the same database id (the same key file opens the copy) and a verifiable audit chain')
            break
        }
        'twofa;help;db;init' {
            break
        }
        'twofa;help;db;copy' {
            break
        }
        'twofa;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
