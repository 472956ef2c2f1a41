import DeskReadyModel
import DeskReadyStore
import PostgresNIO

/// A statement written once as a `PostgresQuery` interpolation and run as a named prepared statement, so each
/// connection parses and plans it once instead of for every group (planning the aggregate append alone took about
/// 0.8 ms a call, pg_stat_statements, 200,000 events). Its text is the interpolation of empty input: the text never
/// depends on the values, only the bindings do.
///
/// Each names itself explicitly: PostgreSQL keeps prepared statement names to 63 bytes, and the default (the type's
/// qualified name) can be longer.
protocol InterpolatedStatement: PostgresPreparedStatement {
    associatedtype Input
    static func query(_ input: Input) -> PostgresQuery
    var bindings: PostgresBindings { get }
}

extension InterpolatedStatement {
    func makeBindings() -> PostgresBindings { bindings }
}

/// The columns of one group's batch records and devices, each sorted in its lock order.
struct BatchColumns {
    /// The batch records in (trust, batch id) order.
    var claims: [PreparedBatch] = []
    /// The devices in (trust, device id) order.
    var devices: [PreparedBatch] = []
}

/// Claims every batch record first (`ON CONFLICT DO NOTHING`: one claimed before, by any collector, is a duplicate),
/// upserts every device second (an unread data-modifying `WITH` runs after the main query), and answers per claim, in
/// claim order: whether this statement claimed it, and its device's stored vendor and model.
struct ClaimBatchesStatement: InterpolatedStatement {
    static let name = "deskready_claim_batches"
    typealias Row = (position: Int64, claimed: Bool, vendor: String?, model: String?)
    static let sql = query(BatchColumns()).sql
    let bindings: PostgresBindings

    init(_ columns: BatchColumns) { bindings = Self.query(columns).binds }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode((Int64, Bool, String?, String?).self) }

    static func query(_ columns: BatchColumns) -> PostgresQuery {
        let claims = columns.claims, devices = columns.devices
        return """
            WITH claim AS (
                INSERT INTO batches (trust, batch_id, device_id, received_at_ms, sent_at_ms, event_count, accepted)
                SELECT b.trust, b.batch_id, b.device_id, b.received, b.sent, b.events, 0
                FROM unnest(\(claims.map(\.trust))::text[], \(claims.map(\.batchId))::uuid[], \(claims.map(\.deviceId))::text[],
                            \(claims.map(\.receivedAtMs))::int8[], \(claims.map(\.sentAtMs))::int8[], \(claims.map { Int64($0.eventCount) })::int8[])
                     WITH ORDINALITY AS b(trust, batch_id, device_id, received, sent, events, position)
                ORDER BY b.position
                ON CONFLICT (trust, batch_id) DO NOTHING
                RETURNING trust, batch_id
            ), device AS (
                INSERT INTO devices (trust, device_id, site, first_seen_ms, last_seen_ms, agent_version)
                SELECT d.trust, d.device_id, d.site, d.received, d.received, CASE WHEN d.no_version THEN NULL ELSE d.version END
                FROM unnest(\(devices.map(\.trust))::text[], \(devices.map(\.deviceId))::text[], \(devices.map(\.site))::text[],
                            \(devices.map(\.receivedAtMs))::int8[], \(devices.map { $0.agentVersion ?? "" })::text[],
                            \(devices.map { $0.agentVersion == nil })::bool[])
                     WITH ORDINALITY AS d(trust, device_id, site, received, version, no_version, position)
                ORDER BY d.position
                ON CONFLICT (trust, device_id) DO UPDATE
                    SET site = CASE WHEN excluded.last_seen_ms >= devices.last_seen_ms THEN excluded.site ELSE devices.site END,
                        agent_version = CASE WHEN excluded.last_seen_ms >= devices.last_seen_ms
                                             THEN COALESCE(excluded.agent_version, devices.agent_version)
                                             ELSE COALESCE(devices.agent_version, excluded.agent_version) END,
                        last_seen_ms = GREATEST(devices.last_seen_ms, excluded.last_seen_ms)
            )
            SELECT g.position, c.batch_id IS NOT NULL, f.vendor, f.model
            FROM unnest(\(claims.map(\.trust))::text[], \(claims.map(\.batchId))::uuid[], \(claims.map(\.deviceId))::text[])
                 WITH ORDINALITY AS g(trust, batch_id, device_id, position)
            LEFT JOIN claim c ON c.trust = g.trust AND c.batch_id = g.batch_id
            LEFT JOIN device_facts f ON f.trust = g.trust AND f.device_id = g.device_id
            """
    }
}

/// A group's event rows in insert order, as parallel columns; each row names its batch by position (1-based) in
/// `batches`, whose own columns come once per batch.
struct EventColumns {
    var ids: [UUID] = [], kinds: [String] = [], names: [String] = [], starts: [Int64] = [], durations: [Int64] = []
    var outcomes: [String] = [], users: [String] = [], noUser: [Bool] = [], phases: [String] = [], noPhases: [Bool] = []
    var attributes: [String] = [], noAttributes: [Bool] = [], batchPositions: [Int64] = []
    var batches: [PreparedBatch] = []

    init() {}

    init(capacity: Int, batches: [PreparedBatch]) {
        self.batches = batches
        ids.reserveCapacity(capacity); kinds.reserveCapacity(capacity); names.reserveCapacity(capacity)
        starts.reserveCapacity(capacity); durations.reserveCapacity(capacity); outcomes.reserveCapacity(capacity)
        users.reserveCapacity(capacity); noUser.reserveCapacity(capacity); phases.reserveCapacity(capacity)
        noPhases.reserveCapacity(capacity); attributes.reserveCapacity(capacity); noAttributes.reserveCapacity(capacity)
        batchPositions.reserveCapacity(capacity)
    }

    mutating func append(_ row: PreparedRow, batchPosition: Int) {
        ids.append(row.event.id)
        kinds.append(row.event.kind.rawValue)
        names.append(row.event.name)
        starts.append(row.event.startedAtMs)
        durations.append(row.event.durationMs)
        outcomes.append(row.event.outcome.rawValue)
        users.append(row.event.user ?? "")
        noUser.append(row.event.user == nil)
        phases.append(row.phases ?? "")
        noPhases.append(row.phases == nil)
        attributes.append(row.attributes ?? "")
        noAttributes.append(row.attributes == nil)
        batchPositions.append(Int64(batchPosition + 1))
    }
}

/// Inserts the rows not stored yet, and answers how many it inserted and, only when not all, which (trust, event id).
struct InsertEventsSkippingStoredStatement: InterpolatedStatement {
    static let name = "deskready_insert_new_events"
    typealias Row = (inserted: Int64, trusts: [String]?, ids: [UUID]?)
    static let sql = query(EventColumns()).sql
    let bindings: PostgresBindings

    init(_ columns: EventColumns) { bindings = Self.query(columns).binds }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode((Int64, [String]?, [UUID]?).self) }

    static func query(_ c: EventColumns) -> PostgresQuery {
        """
        WITH stored AS (
            INSERT INTO events (trust, event_id, site, device_id, batch_id, kind, name, started_at_ms, duration_ms, outcome,
                                "user", phases, attributes, received_at_ms)
            SELECT b.trust, e.id, b.site, b.device_id, b.batch_id, e.kind, e.name, e.started, e.duration, e.outcome,
                   CASE WHEN e.no_user THEN NULL ELSE e.usr END, CASE WHEN e.no_phases THEN NULL ELSE e.phases END,
                   CASE WHEN e.no_attributes THEN NULL ELSE e.attributes END, b.received
            FROM unnest(\(c.ids)::uuid[], \(c.kinds)::text[], \(c.names)::text[], \(c.starts)::int8[], \(c.durations)::int8[],
                        \(c.outcomes)::text[], \(c.users)::text[], \(c.noUser)::bool[], \(c.phases)::text[], \(c.noPhases)::bool[],
                        \(c.attributes)::text[], \(c.noAttributes)::bool[], \(c.batchPositions)::int8[])
                 WITH ORDINALITY AS e(id, kind, name, started, duration, outcome, usr, no_user, phases, no_phases,
                                      attributes, no_attributes, batch, position)
            JOIN unnest(\(c.batches.map(\.trust))::text[], \(c.batches.map(\.site))::text[], \(c.batches.map(\.deviceId))::text[],
                        \(c.batches.map(\.batchId))::uuid[], \(c.batches.map(\.receivedAtMs))::int8[])
                 WITH ORDINALITY AS b(trust, site, device_id, batch_id, received, position) ON b.position = e.batch
            ORDER BY e.position
            ON CONFLICT (trust, event_id) DO NOTHING
            RETURNING trust, event_id
        )
        SELECT count(*), CASE WHEN count(*) < \(Int64(c.ids.count)) THEN array_agg(trust) END,
               CASE WHEN count(*) < \(Int64(c.ids.count)) THEN array_agg(event_id) END
        FROM stored
        """
    }
}
