
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
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand enroll 'Start TOTP enrollment for a user: show the QR code, then activate with a first code'
            cand verify 'Check a TOTP code, a code sent by email, or a backup code (exit 0 only when accepted)'
            cand send-code 'Mail a fresh code to a user who has the email factor (valid email_code_ttl, once)'
            cand backup-codes 'Show how many backup codes remain, or replace them all'
            cand disable 'Remove a user''s 2FA (needs a current code or a backup code)'
            cand status 'Show a user''s 2FA state, lockout and clock drift'
            cand user 'Add, list and remove users; mark SSO-managed users and global admins'
            cand org 'Organizations: members, roles, and the 2FA requirement'
            cand access 'May USER enter an organization? Exit 0 when allowed, 5 when denied by policy'
            cand config 'Show or change settings kept in the database (issuer, skew, lockout)'
            cand admin 'Support desk: reset a user''s 2FA, clear a lockout, rotate the master key'
            cand audit 'The audit log: list entries, verify the hash chain, prune old entries'
            cand mail 'Mail: send queued notices, list the queue, send a test message'
            cand db 'The database as a whole: create its tables, or copy it to a new one (operator only)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'twofa;enroll'= {
            cand --method 'The factor: totp (an authenticator app) or email (codes mailed to the user''s address, set with `user set USER --email ADDR`; mail must be configured)'
            cand --code 'Activate the pending enrollment with this code from the app; `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo. Without it, a code piped in (stdin not a terminal) activates a pending enrollment too'
            cand --issuer 'Issuer shown in the app [default: the `issuer` setting, "twofa"]'
            cand --algorithm 'HMAC algorithm [default: SHA1, the only one every app supports]'
            cand --digits 'Code length: 6 or 8 digits [default: 6]'
            cand --period 'Seconds per code, 10 to 300 [default: 30; many apps only support 30]'
            cand --qr 'How to draw the QR code [default: ansi on a colour terminal, else unicode]'
            cand --save 'Also write the backup codes of the activation to FILE: a new file (never overwritten; an existing one is exit 2, before anything changes), mode 0600'
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --new-secret 'Replace a pending enrollment''s secret instead of showing it again'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'twofa;verify'= {
            cand --code 'The 6/8-digit code from the authenticator app, or a backup code; `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;send-code'= {
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;backup-codes'= {
            cand --code 'The 6/8-digit code from the authenticator app, or a backup code; `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --save 'Also write the new backup codes to FILE: a new file (never overwritten; an existing one is exit 2, before anything changes), mode 0600'
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --regenerate 'Replace every backup code with a new set (needs a current code or a backup code)'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;disable'= {
            cand --code 'The 6/8-digit code from the authenticator app, or a backup code; `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand -y 'Do not ask for confirmation; required to remove an active enrollment when standard input is not a terminal (without it: exit 2, nothing changed)'
            cand --yes 'Do not ask for confirmation; required to remove an active enrollment when standard input is not a terminal (without it: exit 2, nothing changed)'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;status'= {
            cand --limit 'How many history entries'
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --history 'Show the user''s recent code checks (time, outcome, method, drift)'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;user'= {
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand add 'Add a user (enroll also adds users on the fly)'
            cand list 'List users with their 2FA state'
            cand remove 'Remove a user and everything of theirs (2FA, backup codes, memberships)'
            cand sso 'Mark or unmark a user as managed by SSO (exempt from 2FA policy)'
            cand set 'Set or remove a user''s email address (where notices go)'
            cand admin 'Grant or revoke global admin (may manage every organization)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'twofa;user;add'= {
            cand --email 'Email address: where invitations and notices go'
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --sso 'Login managed by an identity provider: exempt from 2FA requirements'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;user;list'= {
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;user;remove'= {
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand -y 'Do not ask for confirmation; required when standard input is not a terminal (without it: exit 2, nothing changed)'
            cand --yes 'Do not ask for confirmation; required when standard input is not a terminal (without it: exit 2, nothing changed)'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;user;sso'= {
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;user;set'= {
            cand --email 'The new address'
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --no-email 'Remove the address: no more notices'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;user;admin'= {
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;user;help'= {
            cand add 'Add a user (enroll also adds users on the fly)'
            cand list 'List users with their 2FA state'
            cand remove 'Remove a user and everything of theirs (2FA, backup codes, memberships)'
            cand sso 'Mark or unmark a user as managed by SSO (exempt from 2FA policy)'
            cand set 'Set or remove a user''s email address (where notices go)'
            cand admin 'Grant or revoke global admin (may manage every organization)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'twofa;user;help;add'= {
        }
        &'twofa;user;help;list'= {
        }
        &'twofa;user;help;remove'= {
        }
        &'twofa;user;help;sso'= {
        }
        &'twofa;user;help;set'= {
        }
        &'twofa;user;help;admin'= {
        }
        &'twofa;user;help;help'= {
        }
        &'twofa;org'= {
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand create 'Create an organization'
            cand list 'List organizations'
            cand delete 'Delete an organization and its memberships (users and their 2FA stay)'
            cand add 'Add members (several at once, or `-` to read names from stdin, one a line), in one transaction: all of them, or none when a name is not a user'
            cand remove 'Remove a member (an organization always keeps one owner)'
            cand role 'Change a member''s role'
            cand require-2fa 'Require 2FA of every member (on), or stop requiring it (off)'
            cand remind 'Mail a reminder to every member who must still enroll (for cron)'
            cand status 'The teammates table: who has 2FA and who is compliant'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'twofa;org;create'= {
            cand --owner 'Its first owner (an existing user) [default: the acting person, when they are a user]'
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;org;list'= {
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;org;delete'= {
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand -y 'Do not ask for confirmation; required when standard input is not a terminal (without it: exit 2, nothing changed)'
            cand --yes 'Do not ask for confirmation; required when standard input is not a terminal (without it: exit 2, nothing changed)'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;org;add'= {
            cand --role 'Role of the new members: owner, admin or member'
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;org;remove'= {
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;org;role'= {
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;org;require-2fa'= {
            cand --grace 'Time members without 2FA get to enroll: 0 (at once), 30m, 48h, 7d, 2w [default: 0, or the grace in force when re-applied]'
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --reset-deadlines 'Give every member who must enroll a fresh deadline of now + grace (needed to change the grace of a requirement in force; re-applying keeps deadlines)'
            cand --dry-run 'Show who would have to enroll or be blocked; change nothing'
            cand --allow-email 'Let codes by email satisfy the requirement (by default only an authenticator app does; kept when re-applied without --allow-email or --disallow-email)'
            cand --disallow-email 'Stop letting codes by email satisfy the requirement'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;org;remind'= {
            cand --within 'Only members whose deadline is within this time (or past): 3d, 12h'
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;org;status'= {
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --non-compliant 'Only members who must act (in grace or blocked)'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;org;help'= {
            cand create 'Create an organization'
            cand list 'List organizations'
            cand delete 'Delete an organization and its memberships (users and their 2FA stay)'
            cand add 'Add members (several at once, or `-` to read names from stdin, one a line), in one transaction: all of them, or none when a name is not a user'
            cand remove 'Remove a member (an organization always keeps one owner)'
            cand role 'Change a member''s role'
            cand require-2fa 'Require 2FA of every member (on), or stop requiring it (off)'
            cand remind 'Mail a reminder to every member who must still enroll (for cron)'
            cand status 'The teammates table: who has 2FA and who is compliant'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'twofa;org;help;create'= {
        }
        &'twofa;org;help;list'= {
        }
        &'twofa;org;help;delete'= {
        }
        &'twofa;org;help;add'= {
        }
        &'twofa;org;help;remove'= {
        }
        &'twofa;org;help;role'= {
        }
        &'twofa;org;help;require-2fa'= {
        }
        &'twofa;org;help;remind'= {
        }
        &'twofa;org;help;status'= {
        }
        &'twofa;org;help;help'= {
        }
        &'twofa;access'= {
            cand --org 'The organization; without it, every organization the user belongs to'
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;config'= {
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand list 'List every setting with its value'
            cand get 'Print one setting'
            cand set 'Change one setting'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'twofa;config;list'= {
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;config;get'= {
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;config;set'= {
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
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
        &'twofa;admin'= {
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand reset 'Remove a user''s TOTP secret, backup codes and lockout; they must enroll again'
            cand rotate-key 'Seal every secret under a new master key; the old key file is kept as a dated backup'
            cand unlock 'Clear a lockout (failure counter and lock); the secret stays'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'twofa;admin;reset'= {
            cand --reason 'Why (kept in the audit log)'
            cand --ticket 'Support ticket id (kept in the audit log)'
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand -y 'Do not ask for confirmation; required when standard input is not a terminal (without it: exit 2, nothing changed)'
            cand --yes 'Do not ask for confirmation; required when standard input is not a terminal (without it: exit 2, nothing changed)'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;admin;rotate-key'= {
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;admin;unlock'= {
            cand --reason 'Why (kept in the audit log)'
            cand --ticket 'Support ticket id (kept in the audit log)'
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;admin;help'= {
            cand reset 'Remove a user''s TOTP secret, backup codes and lockout; they must enroll again'
            cand rotate-key 'Seal every secret under a new master key; the old key file is kept as a dated backup'
            cand unlock 'Clear a lockout (failure counter and lock); the secret stays'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'twofa;admin;help;reset'= {
        }
        &'twofa;admin;help;rotate-key'= {
        }
        &'twofa;admin;help;unlock'= {
        }
        &'twofa;admin;help;help'= {
        }
        &'twofa;audit'= {
            cand --user 'Only entries about this user'
            cand --org 'Only entries about this organization'
            cand --action 'Only this action (verify, enroll, admin.reset, org.add, …)'
            cand --since 'From this time: RFC 3339, a date (2026-11-01), or an age (7d, 12h)'
            cand --until 'Before this time (same forms as --since)'
            cand --limit 'At most this many entries [default: 50 for people, all with --json]'
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand verify 'Walk the hash chain; exit 0 when intact, 8 at the first altered, removed or inserted entry'
            cand prune 'Remove audit and login-history entries older than TIME, keeping the chain verifiable'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'twofa;audit;verify'= {
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;audit;prune'= {
            cand --before 'RFC 3339, a date (2026-01-01), or an age (90d)'
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;audit;help'= {
            cand verify 'Walk the hash chain; exit 0 when intact, 8 at the first altered, removed or inserted entry'
            cand prune 'Remove audit and login-history entries older than TIME, keeping the chain verifiable'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'twofa;audit;help;verify'= {
        }
        &'twofa;audit;help;prune'= {
        }
        &'twofa;audit;help;help'= {
        }
        &'twofa;mail'= {
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand flush 'Send every queued message now (a failed one stays queued)'
            cand status 'List queued and failed messages (never their text)'
            cand test 'Send a test message to ADDRESS and show the server''s answer'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'twofa;mail;flush'= {
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;mail;status'= {
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;mail;test'= {
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;mail;help'= {
            cand flush 'Send every queued message now (a failed one stays queued)'
            cand status 'List queued and failed messages (never their text)'
            cand test 'Send a test message to ADDRESS and show the server''s answer'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'twofa;mail;help;flush'= {
        }
        &'twofa;mail;help;status'= {
        }
        &'twofa;mail;help;test'= {
        }
        &'twofa;mail;help;help'= {
        }
        &'twofa;db'= {
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand init 'Create the database''s tables, or bring them up to date, and nothing else: how a privileged PostgreSQL role makes the schema ahead for the role twofa runs as'
            cand copy 'Copy a whole twofa database into a new, empty one: users, organizations, factors, backup codes, settings, login history and the audit log, with the same database id (the same key file opens the copy) and a verifiable audit chain'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'twofa;db;init'= {
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;db;copy'= {
            cand --db 'Database file [default: twofa.db in the platform data directory]'
            cand --actor 'Who is acting [default: $TWOFA_ACTOR, else $SUDO_USER, else the OS user]'
            cand --actor-code 'The actor''s own current code, when they have 2FA (step-up); `-` reads it from stdin, preferred: argv is visible to other users (`ps`) and logged by sudo'
            cand --json 'Print results as JSON (stable snake_case fields) on stdout'
            cand --no-mail 'Queue and send no mail for this command (for scripts that do their own mailing)'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'twofa;db;help'= {
            cand init 'Create the database''s tables, or bring them up to date, and nothing else: how a privileged PostgreSQL role makes the schema ahead for the role twofa runs as'
            cand copy 'Copy a whole twofa database into a new, empty one: users, organizations, factors, backup codes, settings, login history and the audit log, with the same database id (the same key file opens the copy) and a verifiable audit chain'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'twofa;db;help;init'= {
        }
        &'twofa;db;help;copy'= {
        }
        &'twofa;db;help;help'= {
        }
        &'twofa;help'= {
            cand enroll 'Start TOTP enrollment for a user: show the QR code, then activate with a first code'
            cand verify 'Check a TOTP code, a code sent by email, or a backup code (exit 0 only when accepted)'
            cand send-code 'Mail a fresh code to a user who has the email factor (valid email_code_ttl, once)'
            cand backup-codes 'Show how many backup codes remain, or replace them all'
            cand disable 'Remove a user''s 2FA (needs a current code or a backup code)'
            cand status 'Show a user''s 2FA state, lockout and clock drift'
            cand user 'Add, list and remove users; mark SSO-managed users and global admins'
            cand org 'Organizations: members, roles, and the 2FA requirement'
            cand access 'May USER enter an organization? Exit 0 when allowed, 5 when denied by policy'
            cand config 'Show or change settings kept in the database (issuer, skew, lockout)'
            cand admin 'Support desk: reset a user''s 2FA, clear a lockout, rotate the master key'
            cand audit 'The audit log: list entries, verify the hash chain, prune old entries'
            cand mail 'Mail: send queued notices, list the queue, send a test message'
            cand db 'The database as a whole: create its tables, or copy it to a new one (operator only)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'twofa;help;enroll'= {
        }
        &'twofa;help;verify'= {
        }
        &'twofa;help;send-code'= {
        }
        &'twofa;help;backup-codes'= {
        }
        &'twofa;help;disable'= {
        }
        &'twofa;help;status'= {
        }
        &'twofa;help;user'= {
            cand add 'Add a user (enroll also adds users on the fly)'
            cand list 'List users with their 2FA state'
            cand remove 'Remove a user and everything of theirs (2FA, backup codes, memberships)'
            cand sso 'Mark or unmark a user as managed by SSO (exempt from 2FA policy)'
            cand set 'Set or remove a user''s email address (where notices go)'
            cand admin 'Grant or revoke global admin (may manage every organization)'
        }
        &'twofa;help;user;add'= {
        }
        &'twofa;help;user;list'= {
        }
        &'twofa;help;user;remove'= {
        }
        &'twofa;help;user;sso'= {
        }
        &'twofa;help;user;set'= {
        }
        &'twofa;help;user;admin'= {
        }
        &'twofa;help;org'= {
            cand create 'Create an organization'
            cand list 'List organizations'
            cand delete 'Delete an organization and its memberships (users and their 2FA stay)'
            cand add 'Add members (several at once, or `-` to read names from stdin, one a line), in one transaction: all of them, or none when a name is not a user'
            cand remove 'Remove a member (an organization always keeps one owner)'
            cand role 'Change a member''s role'
            cand require-2fa 'Require 2FA of every member (on), or stop requiring it (off)'
            cand remind 'Mail a reminder to every member who must still enroll (for cron)'
            cand status 'The teammates table: who has 2FA and who is compliant'
        }
        &'twofa;help;org;create'= {
        }
        &'twofa;help;org;list'= {
        }
        &'twofa;help;org;delete'= {
        }
        &'twofa;help;org;add'= {
        }
        &'twofa;help;org;remove'= {
        }
        &'twofa;help;org;role'= {
        }
        &'twofa;help;org;require-2fa'= {
        }
        &'twofa;help;org;remind'= {
        }
        &'twofa;help;org;status'= {
        }
        &'twofa;help;access'= {
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
        &'twofa;help;admin'= {
            cand reset 'Remove a user''s TOTP secret, backup codes and lockout; they must enroll again'
            cand rotate-key 'Seal every secret under a new master key; the old key file is kept as a dated backup'
            cand unlock 'Clear a lockout (failure counter and lock); the secret stays'
        }
        &'twofa;help;admin;reset'= {
        }
        &'twofa;help;admin;rotate-key'= {
        }
        &'twofa;help;admin;unlock'= {
        }
        &'twofa;help;audit'= {
            cand verify 'Walk the hash chain; exit 0 when intact, 8 at the first altered, removed or inserted entry'
            cand prune 'Remove audit and login-history entries older than TIME, keeping the chain verifiable'
        }
        &'twofa;help;audit;verify'= {
        }
        &'twofa;help;audit;prune'= {
        }
        &'twofa;help;mail'= {
            cand flush 'Send every queued message now (a failed one stays queued)'
            cand status 'List queued and failed messages (never their text)'
            cand test 'Send a test message to ADDRESS and show the server''s answer'
        }
        &'twofa;help;mail;flush'= {
        }
        &'twofa;help;mail;status'= {
        }
        &'twofa;help;mail;test'= {
        }
        &'twofa;help;db'= {
            cand init 'Create the database''s tables, or bring them up to date, and nothing else: how a privileged PostgreSQL role makes the schema ahead for the role twofa runs as'
            cand copy 'Copy a whole twofa database into a new, empty one: users, organizations, factors, backup codes, settings, login history and the audit log, with the same database id (the same key file opens the copy) and a verifiable audit chain'
        }
        &'twofa;help;db;init'= {
        }
        &'twofa;help;db;copy'= {
        }
        &'twofa;help;help'= {
        }
    ]
    $completions[$command]
}
