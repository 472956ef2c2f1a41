import GRDB

/// The collector's SQLite schema, as GRDB migrations (applied in order, once each).
enum CollectorSchema {
    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: trusts, devices, batches, events") { db in
            try db.execute(sql: """
                CREATE TABLE trusts (
                    ods TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    created_ms INTEGER NOT NULL
                );
                CREATE TABLE devices (
                    trust TEXT NOT NULL REFERENCES trusts(ods),
                    device_id TEXT NOT NULL,
                    site TEXT NOT NULL,
                    first_seen_ms INTEGER NOT NULL,
                    last_seen_ms INTEGER NOT NULL,
                    PRIMARY KEY (trust, device_id)
                ) WITHOUT ROWID;
                CREATE TABLE batches (
                    trust TEXT NOT NULL,
                    batch_id BLOB NOT NULL,
                    device_id TEXT NOT NULL,
                    received_at_ms INTEGER NOT NULL,
                    sent_at_ms INTEGER NOT NULL,
                    event_count INTEGER NOT NULL,
                    accepted INTEGER NOT NULL,
                    PRIMARY KEY (trust, batch_id)
                ) WITHOUT ROWID;
                CREATE TABLE events (
                    id INTEGER PRIMARY KEY,
                    trust TEXT NOT NULL,
                    site TEXT NOT NULL,
                    device_id TEXT NOT NULL,
                    event_id BLOB NOT NULL,
                    batch_id BLOB NOT NULL,
                    kind TEXT NOT NULL,
                    name TEXT NOT NULL,
                    started_at_ms INTEGER NOT NULL,
                    duration_ms INTEGER NOT NULL,
                    outcome TEXT NOT NULL,
                    user TEXT,
                    phases TEXT,
                    attributes TEXT,
                    received_at_ms INTEGER NOT NULL
                );
                CREATE UNIQUE INDEX events_by_trust_event ON events(trust, event_id);
                CREATE INDEX events_by_trust_kind_time ON events(trust, kind, started_at_ms);
                """)
        }
        migrator.registerMigration("v2: credentials and enrolment") { db in
            try db.execute(sql: """
                CREATE TABLE credentials (
                    id INTEGER PRIMARY KEY,
                    role TEXT NOT NULL,
                    token_hash BLOB NOT NULL UNIQUE,
                    trust TEXT REFERENCES trusts(ods),
                    device_id TEXT,
                    label TEXT NOT NULL,
                    created_ms INTEGER NOT NULL,
                    expires_ms INTEGER,
                    revoked_ms INTEGER
                );
                CREATE INDEX credentials_by_device ON credentials(trust, device_id);
                ALTER TABLE devices ADD COLUMN enrolled_ms INTEGER;
                ALTER TABLE devices ADD COLUMN revoked_ms INTEGER;
                """)
        }
        migrator.registerMigration("v3: hourly aggregates, device days, device facts") { db in
            try db.execute(sql: """
                CREATE TABLE timing_hours (
                    trust TEXT NOT NULL,
                    hour INTEGER NOT NULL,
                    site TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    name TEXT NOT NULL,
                    cohort TEXT NOT NULL,
                    phase TEXT NOT NULL,
                    ok INTEGER NOT NULL,
                    failures INTEGER NOT NULL,
                    incomplete INTEGER NOT NULL,
                    histogram BLOB NOT NULL,
                    PRIMARY KEY (trust, hour, site, kind, name, cohort, phase)
                ) WITHOUT ROWID;
                CREATE TABLE timing_days (
                    trust TEXT NOT NULL,
                    day INTEGER NOT NULL,
                    site TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    name TEXT NOT NULL,
                    cohort TEXT NOT NULL,
                    phase TEXT NOT NULL,
                    ok INTEGER NOT NULL,
                    failures INTEGER NOT NULL,
                    incomplete INTEGER NOT NULL,
                    histogram BLOB NOT NULL,
                    PRIMARY KEY (trust, day, site, kind, name, cohort, phase)
                ) WITHOUT ROWID;
                CREATE TABLE device_days (
                    trust TEXT NOT NULL,
                    day INTEGER NOT NULL,
                    device_id TEXT NOT NULL,
                    site TEXT NOT NULL,
                    PRIMARY KEY (trust, day, device_id)
                ) WITHOUT ROWID;
                CREATE INDEX device_days_by_device ON device_days(trust, device_id, day);
                CREATE TABLE model_days (
                    trust TEXT NOT NULL,
                    day INTEGER NOT NULL,
                    model TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    ok INTEGER NOT NULL,
                    failures INTEGER NOT NULL,
                    histogram BLOB NOT NULL,
                    PRIMARY KEY (trust, day, model, kind)
                ) WITHOUT ROWID;
                CREATE TABLE device_facts (
                    trust TEXT NOT NULL,
                    device_id TEXT NOT NULL,
                    observed_ms INTEGER NOT NULL,
                    os_id TEXT,
                    os_version TEXT,
                    os_name TEXT,
                    kernel TEXT,
                    memory_mb INTEGER,
                    system_disk TEXT,
                    vendor TEXT,
                    model TEXT,
                    PRIMARY KEY (trust, device_id)
                ) WITHOUT ROWID;
                """)
            try AggregateBackfill.run(db)
        }
        migrator.registerMigration("v4: baselines") { db in
            try db.execute(sql: """
                CREATE TABLE baselines (
                    trust TEXT NOT NULL REFERENCES trusts(ods),
                    name TEXT NOT NULL,
                    saved_ms INTEGER NOT NULL,
                    from_ms INTEGER NOT NULL,
                    to_ms INTEGER NOT NULL,
                    document BLOB NOT NULL,
                    PRIMARY KEY (trust, name)
                ) WITHOUT ROWID;
                """)
        }
        // Reports read the aggregates only, so the raw events need no index by kind and time: each one cost a random
        // index write per stored event. The trust's newest data moves beside the aggregates, and retention goes by
        // arrival, which follows the row id.
        migrator.registerMigration("v5: trust activity; raw events indexed by id only") { db in
            try db.execute(sql: """
                CREATE TABLE trust_activity (
                    trust TEXT PRIMARY KEY,
                    newest_started_at_ms INTEGER NOT NULL
                ) WITHOUT ROWID;
                INSERT INTO trust_activity (trust, newest_started_at_ms)
                    SELECT trust, MAX(started_at_ms) FROM events GROUP BY trust;
                DROP INDEX events_by_trust_kind_time;
                """)
        }
        // A token's last use (for `token list`), and the install key of the machine a device id was enrolled from, so
        // a cloned image that shares the id cannot take the first machine's token.
        migrator.registerMigration("v6: token last use; device install keys") { db in
            try db.execute(sql: """
                ALTER TABLE credentials ADD COLUMN last_used_ms INTEGER;
                ALTER TABLE devices ADD COLUMN install_key_hash BLOB;
                """)
        }
        // Site names and estate sizes (#17): reports name trusts and sites, and measure coverage against the estate.
        migrator.registerMigration("v7: site names; estate sizes") { db in
            try db.execute(sql: """
                CREATE TABLE sites (
                    trust TEXT NOT NULL REFERENCES trusts(ods),
                    ods TEXT NOT NULL,
                    name TEXT,
                    estate_size INTEGER,
                    PRIMARY KEY (trust, ods)
                ) WITHOUT ROWID;
                ALTER TABLE trusts ADD COLUMN estate_size INTEGER;
                """)
        }
        // The version the device's agent reported in its latest batch that named one (`deskready device list`).
        migrator.registerMigration("v8: device agent version") { db in
            try db.execute(sql: "ALTER TABLE devices ADD COLUMN agent_version TEXT")
        }
        // The web front: who may sign in to which trusts (users by e-mail or subject, and provider groups), and the
        // sessions of signed-in browsers, by the SHA-256 of their id only.
        migrator.registerMigration("v9: web access and sessions") { db in
            try db.execute(sql: """
                CREATE TABLE web_access (
                    id INTEGER PRIMARY KEY,
                    match_by TEXT NOT NULL,
                    value TEXT NOT NULL,
                    role TEXT NOT NULL,
                    trust TEXT REFERENCES trusts(ods),
                    created_ms INTEGER NOT NULL
                );
                CREATE INDEX web_access_by_value ON web_access (match_by, value);
                CREATE TABLE web_sessions (
                    id_hash BLOB PRIMARY KEY,
                    kind TEXT NOT NULL,
                    user_name TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    group_list TEXT NOT NULL,
                    credential_id INTEGER,
                    csrf_token TEXT NOT NULL,
                    created_ms INTEGER NOT NULL,
                    last_seen_ms INTEGER NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        // A number per trust that changes whenever anything a report of the trust reads changes, so graded reports
        // can be kept between requests and checked with one small read: the aggregate writer bumps it once per
        // batch, aggregate retention once per trust it trims, and triggers catch the rarer changes to the trust's
        // devices (count and sites), sites and estate sizes wherever they are made.
        migrator.registerMigration("v10: trust data versions") { db in
            try db.execute(sql: """
                CREATE TABLE trust_versions (
                    trust TEXT PRIMARY KEY,
                    version INTEGER NOT NULL
                ) WITHOUT ROWID;
                INSERT INTO trust_versions (trust, version) SELECT ods, 1 FROM trusts;
                """)
            let changes = [
                ("device_added", "AFTER INSERT ON devices", "NEW.trust"),
                ("device_removed", "AFTER DELETE ON devices", "OLD.trust"),
                ("device_moved", "AFTER UPDATE OF site ON devices WHEN OLD.site IS NOT NEW.site", "NEW.trust"),
                ("trust_changed", "AFTER UPDATE ON trusts", "NEW.ods"),
                ("site_added", "AFTER INSERT ON sites", "NEW.trust"),
                ("site_changed", "AFTER UPDATE ON sites", "NEW.trust"),
                ("site_removed", "AFTER DELETE ON sites", "OLD.trust"),
            ]
            for (name, event, trust) in changes {
                try db.execute(sql: """
                    CREATE TRIGGER trust_version_\(name) \(event) BEGIN
                        INSERT INTO trust_versions (trust, version) VALUES (\(trust), 1) ON CONFLICT (trust) DO UPDATE SET version = version + 1;
                    END
                    """)
            }
        }
        return migrator
    }
}
