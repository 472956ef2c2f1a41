import DeskReadyStore

/// PostgreSQL refuses text containing NUL (SQLSTATE 22021). The collector refuses control characters when it
/// validates a batch; this is the store's own guard, so such a value is a clear error, never a failed statement.
enum StorableText {
    static func check(_ value: String?, _ field: @autoclosure () -> String) throws {
        if let value, value.utf8.contains(0) { throw PostgresStoreError.unstorableText(field: field()) }
    }

    /// Every text a batch stores: its device and each event's name, user, phase names and attributes.
    static func check(_ batch: PreparedBatch) throws {
        try check(batch.trust, "the device's trust")
        try check(batch.site, "the device's site")
        try check(batch.deviceId, "the device id")
        for (index, row) in batch.rows.enumerated() {
            try check(row.event.name, "event \(index)'s name")
            try check(row.event.kind.rawValue, "event \(index)'s kind")
            try check(row.event.outcome.rawValue, "event \(index)'s outcome")
            try check(row.event.user, "event \(index)'s user")
            for phase in row.event.phases?.keys ?? [:].keys { try check(phase, "event \(index)'s phase name") }
            for (key, value) in row.event.attributes ?? [:] {
                try check(key, "event \(index)'s attribute name")
                try check(value, "event \(index)'s attribute \(key)")
            }
        }
    }
}
