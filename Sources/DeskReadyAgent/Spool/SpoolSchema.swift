/// The spool's tables. Versioned with `PRAGMA user_version` so later agents can migrate it.
enum SpoolSchema {
    static let version: Int64 = 1

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
    static let inventoryRecordedMs = "inventory_recorded_ms"
    /// Drops not yet reported to the collector: turned into one `agent` event when the next batch is formed.
    static let unreportedDroppedAge = "unreported_dropped_age"
    static let unreportedDroppedSize = "unreported_dropped_size"
    static let unreportedOldestDroppedMs = "unreported_oldest_dropped_ms"
}
