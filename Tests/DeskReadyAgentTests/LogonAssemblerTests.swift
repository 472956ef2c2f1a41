import DeskReadyAgent
import DeskReadyModel
import Testing

@Suite("Logon assembly")
struct LogonAssemblerTests {
    let assembler = LogonAssembler(incompleteAfterMs: 600_000, responsiveWaitMs: 120_000)
    let t0: Int64 = 1_790_000_000_000
    static let noPrior = [LocalFact.priorSession: UnlockDecider.noPriorSession]

    func mark(_ id: Int64, _ milestone: LogonMark.Milestone, at offset: Int64, session: String? = "7", user: String = "u1",
              _ attributes: [String: String] = [:]) -> LogonMark {
        LogonMark(id: id, name: milestone.rawValue, session: session, user: user, sessionType: "x11",
                  wallMs: t0 + offset, monotonicMs: 50_000 + offset, bootId: "boot-1", attributes: attributes)
    }

    @Test("A logon starts when the credentials are accepted: the typing before is kept apart, phases sum to the total")
    func fullLogon() throws {
        let marks = [mark(1, .authStart, at: 0), mark(2, .authDone, at: 4_000, Self.noPrior),
                     mark(4, .sessionOpen, at: 5_500), mark(5, .desktopReady, at: 17_500), mark(6, .responsive, at: 24_000)]
        let (events, consumed) = assembler.assemble(marks, nowMs: t0 + 25_000)
        let logon = try #require(events.first)
        #expect(events.count == 1)
        #expect(consumed.sorted() == [1, 2, 4, 5, 6])
        #expect(logon.kind == .logon)
        #expect(logon.durationMs == 20_000)
        #expect(logon.phases == ["authentication": 1_500, "session_start": 12_000, "responsive": 6_500])
        #expect(logon.outcome == .ok)
        #expect(logon.startedAtMs == t0 + 4_000)
        #expect(logon.attributes?[LogonAttribute.credentialEntryMs] == "4000")
        #expect(logon.attributes?["start"] == "auth_done")
        #expect(logon.attributes?[LocalFact.priorSession] == nil, "local facts stay on the device")
        #expect(logon.user == "u1")
        #expect(logon.name == "x11")
    }

    @Test("An open logon waits; one that never reaches the desktop closes as incomplete after the timeout")
    func incomplete() throws {
        let marks = [mark(1, .authStart, at: 0), mark(2, .authDone, at: 1_000, Self.noPrior), mark(3, .sessionOpen, at: 3_000)]
        #expect(assembler.assemble(marks, nowMs: t0 + 60_000).events.isEmpty)
        let (events, consumed) = assembler.assemble(marks, nowMs: t0 + 601_000)
        let logon = try #require(events.first)
        #expect(logon.outcome == .incomplete)
        #expect(logon.durationMs == 2_000)
        #expect(consumed.sorted() == [1, 2, 3])
    }

    @Test("Accepted credentials with no live session and no session opening are an incomplete logon")
    func acceptedNeverOpened() throws {
        let marks = [mark(1, .authStart, at: 0), mark(2, .authDone, at: 2_000, Self.noPrior)]
        #expect(assembler.assemble(marks, nowMs: t0 + 60_000).events.isEmpty)
        let logon = try #require(assembler.assemble(marks, nowMs: t0 + 602_000).events.first)
        #expect(logon.kind == .logon)
        #expect(logon.outcome == .incomplete)
    }

    @Test("A prompt whose credentials were never accepted is dropped, never an incomplete logon")
    func abandonedPrompt() {
        let marks = [mark(1, .authStart, at: 0), mark(2, .authStart, at: 20_000)]
        #expect(assembler.assemble(marks, nowMs: t0 + 60_000).consumed.isEmpty)
        let (events, consumed) = assembler.assemble(marks, nowMs: t0 + 620_000)
        #expect(events.isEmpty)
        #expect(consumed.sorted() == [1, 2])
    }

    @Test("Credentials accepted while the user's desktop was live are an unlock, counted apart")
    func unlock() throws {
        let marks = [mark(1, .authStart, at: 0), mark(2, .authDone, at: 3_000, [LocalFact.priorSession: "2"])]
        #expect(assembler.assemble(marks, nowMs: t0 + 5_000).events.isEmpty, "a session may still open just after")
        let (events, consumed) = assembler.assemble(marks, nowMs: t0 + 9_000)
        let unlock = try #require(events.first)
        #expect(events.count == 1)
        #expect(consumed.sorted() == [1, 2])
        #expect(unlock.kind == .unlock)
        #expect(unlock.outcome == .ok)
        #expect(unlock.durationMs == 0)
        #expect(unlock.startedAtMs == t0 + 3_000)
        #expect(unlock.attributes?["session"] == "2")
        #expect(unlock.attributes?[LogonAttribute.credentialEntryMs] == "3000")
    }

    @Test("An unlock waits for the daemon's decision; undecided after the timeout it is an incomplete logon")
    func undecided() throws {
        let marks = [mark(1, .authStart, at: 0), mark(2, .authDone, at: 3_000)]
        #expect(assembler.assemble(marks, nowMs: t0 + 300_000).events.isEmpty)
        let event = try #require(assembler.assemble(marks, nowMs: t0 + 604_000).events.first)
        #expect(event.kind == .logon)
        #expect(event.outcome == .incomplete)
    }

    @Test("A session that opens after accepted credentials is a logon even with another live session")
    func secondSession() throws {
        let marks = [mark(1, .authDone, at: 0, [LocalFact.priorSession: "2"]), mark(2, .sessionOpen, at: 900),
                     mark(3, .responsive, at: 8_000)]
        let logon = try #require(assembler.assemble(marks, nowMs: t0 + 9_000).events.first)
        #expect(logon.kind == .logon)
        #expect(logon.durationMs == 8_000)
    }

    @Test("Without the credentials-accepted mark (an older PAM setup) the logon starts when the session opens")
    func legacyStack() throws {
        let marks = [mark(1, .authStart, at: 0), mark(2, .sessionOpen, at: 9_000), mark(3, .desktopReady, at: 15_000),
                     mark(4, .responsive, at: 19_000)]
        let logon = try #require(assembler.assemble(marks, nowMs: t0 + 20_000).events.first)
        #expect(logon.durationMs == 10_000)
        #expect(logon.attributes?["start"] == "session_open")
        #expect(logon.attributes?[LogonAttribute.credentialEntryMs] == nil)
    }

    @Test("Without a responsive mark the logon closes at desktop ready after the wait")
    func noResponsive() throws {
        let marks = [mark(1, .authDone, at: 0, Self.noPrior), mark(2, .sessionOpen, at: 1_000), mark(3, .desktopReady, at: 9_000)]
        #expect(assembler.assemble(marks, nowMs: t0 + 10_000).events.isEmpty)
        let logon = try #require(assembler.assemble(marks, nowMs: t0 + 9_000 + 120_000).events.first)
        #expect(logon.durationMs == 9_000)
        #expect(logon.phases?["responsive"] == nil)
    }

    @Test("Users are kept apart, and a user's second logon starts a new event")
    func separateUsers() {
        let marks = [
            mark(1, .authDone, at: 0, user: "u1"), mark(2, .authDone, at: 100, user: "u2"),
            mark(3, .sessionOpen, at: 1_000, user: "u2"), mark(4, .sessionOpen, at: 2_000, user: "u1"),
            mark(5, .responsive, at: 5_000, user: "u1"), mark(6, .responsive, at: 9_000, user: "u2"),
            mark(7, .authDone, at: 20_000, user: "u1"), mark(8, .sessionOpen, at: 21_000, user: "u1"),
            mark(9, .responsive, at: 25_000, user: "u1"),
            mark(10, .authDone, at: 40_000, user: "u1"), mark(11, .responsive, at: 43_000, user: "u1"),
        ]
        let events = assembler.assemble(marks, nowMs: t0 + 50_000).events
        #expect(events.map(\.durationMs).sorted() == [3_000, 5_000, 5_000, 8_900])
    }

    @Test("PAM's auth marks, taken before logind names the session, join the session's later marks")
    func authBeforeSessionId() throws {
        let marks = [mark(1, .authDone, at: 0, session: nil), mark(2, .sessionOpen, at: 2_000, session: "c4"),
                     mark(3, .desktopReady, at: 12_000, session: "c4"), mark(4, .responsive, at: 15_000, session: "c4")]
        let (events, consumed) = assembler.assemble(marks, nowMs: t0 + 16_000)
        let logon = try #require(events.first)
        #expect(events.count == 1)
        #expect(consumed.count == 4)
        #expect(logon.durationMs == 15_000)
        #expect(logon.attributes?["session"] == "c4")
    }

    @Test("Marks without a user are joined by session")
    func bySession() {
        let marks = [
            LogonMark(id: 1, name: "auth_done", session: "9", user: nil, wallMs: t0, monotonicMs: 10, bootId: "b"),
            LogonMark(id: 2, name: "auth_done", session: "8", user: nil, wallMs: t0, monotonicMs: 10, bootId: "b"),
            LogonMark(id: 3, name: "responsive", session: "9", user: nil, wallMs: t0 + 4_000, monotonicMs: 4_010, bootId: "b"),
            LogonMark(id: 4, name: "responsive", session: "8", user: nil, wallMs: t0 + 6_000, monotonicMs: 6_010, bootId: "b"),
        ]
        #expect(assembler.assemble(marks, nowMs: t0 + 7_000).events.map(\.durationMs).sorted() == [4_000, 6_000])
    }

    @Test("A retried password is one logon; the typing is timed from the last attempt")
    func retriedPassword() throws {
        let marks = [mark(1, .authStart, at: 0), mark(2, .authStart, at: 30_000), mark(3, .authDone, at: 33_000, Self.noPrior),
                     mark(4, .sessionOpen, at: 34_000), mark(5, .responsive, at: 40_000)]
        let (events, consumed) = assembler.assemble(marks, nowMs: t0 + 41_000)
        #expect(events.count == 1)
        #expect(events.first?.durationMs == 7_000)
        #expect(events.first?.attributes?[LogonAttribute.credentialEntryMs] == "3000")
        #expect(consumed.count == 5)
    }
}
