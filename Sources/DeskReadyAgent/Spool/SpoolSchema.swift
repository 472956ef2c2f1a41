/// The spool's tables. Versioned with `PRAGMA user_version`: `create` makes version 1, and each of `steps` takes the
/// spool one version further, so an agent upgraded in place keeps its queue, marks and state.
enum SpoolSchema {
    static var version: Int64 { Int64(steps.count) + 1 }

    /// Version 1 → 2: marks carry attributes (the responsive decision and local facts such as the home folder's
    /// creation time, so a restarted daemon loses neither), and the users who have logged on here are remembered
    /// for `first_logon`. `$NOW` is replaced by the time of the step: from then on the agent knows every user.
    static let steps: [String] = [
        """
        ALTER TABLE marks ADD COLUMN attributes TEXT;
        CREATE TABLE IF NOT EXISTS logon_users (
            user TEXT PRIMARY KEY,
            first_seen_ms INTEGER NOT NULL
        );
        INSERT OR IGNORE INTO state (key, value) VALUES ('\(SpoolStateKey.logonHistorySinceMs)', '$NOW');
        """,
    ]

    static let create = """
    CREATE TABLE IF NOT EXISTS events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id BLOB NOT NULL,
        kind TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        size INTEGER NOT NULL,
        body BLOB NOT NULL
    );
    CREATE TABLE IF NOT EXISTS outbox (
        batch_id TEXT PRIMARY KEY,
        first_seq INTEGER NOT NULL,
        last_seq INTEGER NOT NULL,
        created_ms INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE IF NOT EXISTS dead_letter (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        batch_id TEXT NOT NULL,
        event_id BLOB,
        body BLOB,
        status INTEGER NOT NULL,
        reason TEXT NOT NULL,
        created_ms INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS marks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        session TEXT,
        user TEXT,
        session_type TEXT,
        wall_ms INTEGER NOT NULL,
        mono_ms INTEGER NOT NULL,
        boot_id TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """
}

/// Keys of the spool's `state` table.
enum SpoolStateKey {
    static let lastUploadMs = "last_upload_ms"
    static let lastError = "last_error"
    static let lastErrorMs = "last_error_ms"
    static let droppedTotal = "dropped_total"
    static let rejectedTotal = "rejected_total"
    static let uploadedTotal = "uploaded_total"
    static let bootRecorded = "boot_recorded_for"
    /// The device token this agent got by enrolling.
    static let deviceToken = "device_token"
    /// A random secret made once per machine and sent when enrolling, so a clone sharing the device id is told apart.
    static let installKey = "install_key"
    static let inventoryRecordedMs = "inventory_recorded_ms"
    /// Drops not yet reported to the collector: turned into one `agent` event when the next batch is formed.
    static let unreportedDroppedAge = "unreported_dropped_age"
    static let unreportedDroppedSize = "unreported_dropped_size"
    static let unreportedOldestDroppedMs = "unreported_oldest_dropped_ms"
    /// Since when the spool has recorded which users logged on here (when schema version 2 was made).
    static let logonHistorySinceMs = "logon_history_since_ms"
    /// The OS version and kernel at the last logon stored, for `after_upgrade`.
    static let logonSystemFingerprint = "logon_system_fingerprint"
}
