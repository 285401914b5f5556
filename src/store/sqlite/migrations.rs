//! Schema migrations, keyed on `PRAGMA user_version`. Append-only: a released
//! migration is never edited; a change of schema is a new entry at the end.

/// Entry `i` takes a database from version `i` to version `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 1: users, enrollments, backup codes, verification log, settings.
    r#"
    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) STRICT;

    CREATE TABLE users (
        id              INTEGER PRIMARY KEY,
        name            TEXT NOT NULL UNIQUE,
        created_at      INTEGER NOT NULL,
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        locked_until    INTEGER,
        lockouts        INTEGER NOT NULL DEFAULT 0
    ) STRICT;

    -- At most one enrollment per user: pending until the first code proves the
    -- authenticator was set up, then active.
    CREATE TABLE enrollments (
        user_id      INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        state        TEXT NOT NULL CHECK (state IN ('pending', 'active')),
        secret       BLOB NOT NULL,
        issuer       TEXT NOT NULL,
        algorithm    TEXT NOT NULL CHECK (algorithm IN ('SHA1', 'SHA256', 'SHA512')),
        digits       INTEGER NOT NULL CHECK (digits IN (6, 8)),
        period       INTEGER NOT NULL CHECK (period BETWEEN 1 AND 3600),
        enrolled_at  INTEGER NOT NULL,
        activated_at INTEGER,
        last_used_at INTEGER,
        last_step    INTEGER,
        backup_salt  BLOB
    ) STRICT;

    -- Argon2id hashes only; the codes themselves are never stored.
    CREATE TABLE backup_codes (
        id      INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        hash    BLOB NOT NULL
    ) STRICT;
    CREATE INDEX backup_codes_by_user ON backup_codes(user_id);

    -- Every code check: drift reporting and login history.
    CREATE TABLE verifications (
        id          INTEGER PRIMARY KEY,
        user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        at          INTEGER NOT NULL,
        purpose     TEXT NOT NULL,
        method      TEXT CHECK (method IN ('totp', 'backup')), -- NULL: refused before it was read
        outcome     TEXT NOT NULL,
        step_offset INTEGER
    ) STRICT;
    CREATE INDEX verifications_by_user ON verifications(user_id, id);
    "#,
    // 2: organizations, memberships with 2FA deadlines, SSO-managed users, global admins.
    r#"
    ALTER TABLE users ADD COLUMN email TEXT;
    ALTER TABLE users ADD COLUMN sso INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE users ADD COLUMN global_admin INTEGER NOT NULL DEFAULT 0;

    CREATE TABLE orgs (
        id             INTEGER PRIMARY KEY,
        name           TEXT NOT NULL UNIQUE,
        created_at     INTEGER NOT NULL,
        require_2fa    INTEGER NOT NULL DEFAULT 0,
        grace_secs     INTEGER NOT NULL DEFAULT 0,
        required_since INTEGER
    ) STRICT;

    -- deadline: when a member without active 2FA stops being let in (required orgs only).
    CREATE TABLE memberships (
        org_id    INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
        user_id   INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role      TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
        joined_at INTEGER NOT NULL,
        deadline  INTEGER,
        PRIMARY KEY (org_id, user_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX memberships_by_user ON memberships(user_id);
    "#,
    // 3: the audit log, hash-chained; names rather than ids, so that entries outlive
    // the users and organizations they are about.
    r#"
    CREATE TABLE audit (
        id        INTEGER PRIMARY KEY,
        at        INTEGER NOT NULL,
        actor     TEXT NOT NULL,
        actor_via TEXT NOT NULL,
        action    TEXT NOT NULL,
        subject   TEXT,
        org       TEXT,
        outcome   TEXT NOT NULL,
        reason    TEXT,
        ticket    TEXT,
        details   TEXT,
        hash      BLOB NOT NULL
    ) STRICT;
    CREATE INDEX audit_by_subject ON audit(subject, id);
    CREATE INDEX audit_by_time ON audit(at);

    -- After a prune: the id and hash of the last removed entry, where the walk starts.
    CREATE TABLE audit_anchor (
        one       INTEGER PRIMARY KEY CHECK (one = 1),
        last_id   INTEGER NOT NULL,
        hash      BLOB NOT NULL,
        pruned_at INTEGER NOT NULL
    ) STRICT;
    "#,
    // 4: secrets sealed under a master key kept outside the database. Existing plain
    // secrets are sealed by the service the first time it has the key (SQL cannot).
    r#"
    ALTER TABLE enrollments ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0;

    -- A constant sealed under the current key: tells a wrong key from a damaged row.
    CREATE TABLE key_check (
        one    INTEGER PRIMARY KEY CHECK (one = 1),
        sealed BLOB NOT NULL
    ) STRICT;
    "#,
    // 5: the trust model. A random id for the database (the key file names it, and every
    // sealed value is bound to it); the real invoker beside the actor in the audit log;
    // step-up failures counted apart from login failures; who added each membership
    // (adding someone to an organization gives no authority over them); and a record
    // of every prune that later prunes never remove.
    r#"
    CREATE TABLE meta (
        one   INTEGER PRIMARY KEY CHECK (one = 1),
        db_id BLOB NOT NULL CHECK (length(db_id) = 16)
    ) STRICT;
    INSERT INTO meta (one, db_id) VALUES (1, randomblob(16));

    ALTER TABLE audit ADD COLUMN os_user TEXT;
    ALTER TABLE audit ADD COLUMN sudo_user TEXT;
    ALTER TABLE audit ADD COLUMN operator INTEGER;

    ALTER TABLE users ADD COLUMN step_up_failures INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE users ADD COLUMN step_up_locked_until INTEGER;
    ALTER TABLE users ADD COLUMN step_up_lockouts INTEGER NOT NULL DEFAULT 0;

    ALTER TABLE memberships ADD COLUMN added_by TEXT;
    -- Who added the memberships made before, as far as the audit log still tells.
    UPDATE memberships SET added_by = (
        SELECT a.actor FROM audit a
        WHERE a.action IN ('org.add', 'org.create') AND a.outcome = 'ok'
          AND a.subject = (SELECT name FROM users WHERE id = memberships.user_id)
          AND a.org = (SELECT name FROM orgs WHERE id = memberships.org_id)
        ORDER BY a.id DESC LIMIT 1);

    -- Pruning the login history finds old rows without a scan.
    CREATE INDEX verifications_by_time ON verifications(at);

    CREATE TABLE audit_prunes (
        id        INTEGER PRIMARY KEY,
        at        INTEGER NOT NULL,
        actor     TEXT NOT NULL,
        os_user   TEXT NOT NULL,
        sudo_user TEXT,
        before    INTEGER NOT NULL,
        removed   INTEGER NOT NULL,
        last_id   INTEGER NOT NULL,
        hash      BLOB NOT NULL
    ) STRICT;
    "#,
    // 6: factors. A user may hold several factors of different kinds, each with its
    // own state and replay guard; backup codes are a factor of their own (holding the
    // salt of the set). The one enrollment per user moves in as a TOTP factor, its
    // backup salt as a backup-code factor; the login history may name every kind.
    r#"
    CREATE TABLE factors (
        id           INTEGER PRIMARY KEY,
        user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        kind         TEXT NOT NULL CHECK (kind IN ('totp', 'hotp', 'email', 'backup')),
        state        TEXT NOT NULL CHECK (state IN ('pending', 'active')),
        enrolled_at  INTEGER NOT NULL,
        activated_at INTEGER,
        last_used_at INTEGER,
        -- TOTP: the secret (sealed under the master key), its parameters, the last step used.
        secret       BLOB,
        sealed       INTEGER NOT NULL DEFAULT 0,
        issuer       TEXT,
        algorithm    TEXT CHECK (algorithm IN ('SHA1', 'SHA256', 'SHA512')),
        digits       INTEGER CHECK (digits IN (6, 8)),
        period       INTEGER CHECK (period BETWEEN 1 AND 3600),
        last_step    INTEGER,
        -- Backup codes: the salt of the current set (the hashes are in backup_codes).
        salt         BLOB,
        UNIQUE (user_id, kind),
        CHECK (kind <> 'totp' OR (secret IS NOT NULL AND issuer IS NOT NULL AND algorithm IS NOT NULL
                                  AND digits IS NOT NULL AND period IS NOT NULL)),
        CHECK (kind <> 'backup' OR salt IS NOT NULL)
    ) STRICT;

    INSERT INTO factors (user_id, kind, state, enrolled_at, activated_at, last_used_at,
                         secret, sealed, issuer, algorithm, digits, period, last_step)
    SELECT user_id, 'totp', state, enrolled_at, activated_at, last_used_at,
           secret, sealed, issuer, algorithm, digits, period, last_step
    FROM enrollments;

    INSERT INTO factors (user_id, kind, state, enrolled_at, activated_at, salt)
    SELECT user_id, 'backup', 'active', coalesce(activated_at, enrolled_at), activated_at, backup_salt
    FROM enrollments WHERE backup_salt IS NOT NULL;

    DROP TABLE enrollments;

    CREATE TABLE verifications_new (
        id          INTEGER PRIMARY KEY,
        user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        at          INTEGER NOT NULL,
        purpose     TEXT NOT NULL,
        method      TEXT CHECK (method IN ('totp', 'hotp', 'email', 'backup')), -- NULL: refused before it was read
        outcome     TEXT NOT NULL,
        step_offset INTEGER
    ) STRICT;
    INSERT INTO verifications_new SELECT id, user_id, at, purpose, method, outcome, step_offset FROM verifications;
    DROP TABLE verifications;
    ALTER TABLE verifications_new RENAME TO verifications;
    CREATE INDEX verifications_by_user ON verifications(user_id, id);
    CREATE INDEX verifications_by_time ON verifications(at);
    "#,
    // 7: email codes. The live code of a user's email factor, as a keyed digest only
    // (one per factor: a new code replaces the last), with its expiry and wrong tries;
    // the times codes were sent, for the resend limits; and whether an organization
    // counts email codes as two-factor authentication.
    r#"
    CREATE TABLE email_codes (
        factor_id INTEGER PRIMARY KEY REFERENCES factors(id) ON DELETE CASCADE,
        digest    BLOB NOT NULL CHECK (length(digest) = 32),
        issued_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        tries     INTEGER NOT NULL DEFAULT 0
    ) STRICT;

    CREATE TABLE email_sends (
        id      INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        at      INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX email_sends_by_user ON email_sends(user_id, at);

    ALTER TABLE orgs ADD COLUMN allow_email INTEGER NOT NULL DEFAULT 0;
    "#,
    // 8: the outbox. Mail is queued in the transaction of the change that causes it
    // and sent after the commit; a failed send leaves it queued. `claimed_until`: a
    // process sending it holds it until then. A sent message's body is wiped at once.
    r#"
    CREATE TABLE outbox (
        id              INTEGER PRIMARY KEY,
        created_at      INTEGER NOT NULL,
        user_name       TEXT,
        recipient       TEXT NOT NULL,
        subject         TEXT NOT NULL,
        body            TEXT NOT NULL,
        kind            TEXT NOT NULL,
        expires_at      INTEGER,
        attempts        INTEGER NOT NULL DEFAULT 0,
        last_error      TEXT,
        last_attempt_at INTEGER,
        claimed_until   INTEGER,
        sent_at         INTEGER
    ) STRICT;
    CREATE INDEX outbox_unsent ON outbox(id) WHERE sent_at IS NULL;
    "#,
    // 9: a message carrying a code keeps its text sealed under the master key while it
    // waits (`body` is then empty), so a copy of the database reveals no live code.
    r#"
    ALTER TABLE outbox ADD COLUMN sealed_body BLOB;
    "#,
];

pub const LATEST: usize = MIGRATIONS.len();
