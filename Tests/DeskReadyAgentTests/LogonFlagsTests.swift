import DeskReadyAgent
import DeskReadyModel
import DeskReadyTestSupport
import Foundation
import Testing

@Suite("First logons and the first logon after an upgrade")
struct LogonFlagsTests {
    static let day: Int64 = 86_400_000
    static let bookworm = SystemVersion(osVersion: "12", kernel: "6.1.0-18-amd64")
    static let bookwormNewKernel = SystemVersion(osVersion: "12", kernel: "6.1.0-21-amd64")
    static let trixie = SystemVersion(osVersion: "13", kernel: "6.12.9-amd64")

    /// Records a whole logon (four marks) for `user` starting now, optionally with the home folder's creation
    /// time on the desktop mark (as the daemon notes it when it takes the mark from the drop folder), then joins and
    /// stores it as the daemon does; returns the stored logon.
    @discardableResult
    func logon(_ spool: Spool, _ clock: ManualClock, user: String, homeCreatedMs: Int64? = nil,
               system: SystemVersion = Self.bookworm, rule: LogonFlagRule = LogonFlagRule()) throws -> MeasurementEvent {
        let session = String(Int.random(in: 1...9_999))
        for (milestone, gap) in [(LogonMark.Milestone.authStart, Int64(0)), (.sessionOpen, 1_500), (.desktopReady, 12_000), (.responsive, 5_000)] {
            clock.advance(gap)
            var attributes: [String: String] = [:]
            if milestone == .desktopReady, let homeCreatedMs { attributes[LocalFact.homeCreatedMs] = String(homeCreatedMs) }
            try spool.recordMark(LogonMark(name: milestone.rawValue, session: session, user: user, sessionType: "x11",
                                           wallMs: clock.nowMs(), monotonicMs: clock.monotonicMs(), bootId: "boot-1", attributes: attributes))
        }
        clock.advance(1_000)
        let (events, consumed) = LogonAssembler().assemble(try spool.openMarks(), nowMs: clock.nowMs())
        try spool.completeLogons(events, consumedMarkIDs: consumed, flagging: LogonFlagging(system: system, rule: rule))
        #expect(events.count == 1)
        return try #require(try storedLogons(spool).last)
    }

    /// The logon events stored since the last call, as they are sent (the batch is then acknowledged).
    func storedLogons(_ spool: Spool) throws -> [MeasurementEvent] {
        guard let batch = try spool.nextBatch(maxEvents: 1_000, maxBytes: 1 << 24) else { return [] }
        try spool.acknowledge(batch, rejected: [])
        return try batch.events.map { try WireCoding.decoder().decode(MeasurementEvent.self, from: Data($0.json)) }.filter { $0.kind == .logon }
    }

    func flags(_ event: MeasurementEvent) -> Set<String> {
        Set([LogonAttribute.firstLogon, LogonAttribute.afterUpgrade].filter { event.attributes?[$0] == LogonAttribute.flagSet })
    }

    @Test("The rule: a home folder made during the logon is a first logon; an older one is not; without evidence, after the warm-up")
    func rule() {
        let rule = LogonFlagRule(warmupMs: 30 * Self.day)
        let start: Int64 = 1_790_000_000_000
        #expect(rule.isFirstLogon(seenBefore: false, logonStartMs: start, homeCreatedMs: start + 2_000, historySinceMs: start))
        #expect(rule.isFirstLogon(seenBefore: false, logonStartMs: start, homeCreatedMs: start - 30_000, historySinceMs: start))
        #expect(!rule.isFirstLogon(seenBefore: false, logonStartMs: start, homeCreatedMs: start - 400 * Self.day, historySinceMs: 0))
        #expect(!rule.isFirstLogon(seenBefore: true, logonStartMs: start, homeCreatedMs: start + 2_000, historySinceMs: 0))
        #expect(!rule.isFirstLogon(seenBefore: false, logonStartMs: start, homeCreatedMs: nil, historySinceMs: start - 29 * Self.day))
        #expect(rule.isFirstLogon(seenBefore: false, logonStartMs: start, homeCreatedMs: nil, historySinceMs: start - 30 * Self.day))
        #expect(!LogonFlagRule.isAfterUpgrade(previous: nil, current: Self.bookworm.fingerprint))
        #expect(!LogonFlagRule.isAfterUpgrade(previous: Self.bookworm.fingerprint, current: Self.bookworm.fingerprint))
        #expect(LogonFlagRule.isAfterUpgrade(previous: Self.bookworm.fingerprint, current: Self.bookwormNewKernel.fingerprint))
        #expect(LogonFlagRule.isAfterUpgrade(previous: Self.bookworm.fingerprint, current: Self.trixie.fingerprint))
    }

    @Test("On a new agent, a profile made at the logon is first; existing users are not; after upgrades only the next logon is flagged")
    func generatedSessions() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let clock = ManualClock()
        let spool = try Spool(path: dir.file("spool.sqlite"), clock: clock)
        clock.advance(3_600_000)
        // The agent was installed an hour ago. An existing user (home made last year), one whose home's age is
        // unknown, and a new starter whose home is made as they log on.
        #expect(flags(try logon(spool, clock, user: "existing", homeCreatedMs: clock.nowMs() - 365 * Self.day)).isEmpty)
        #expect(flags(try logon(spool, clock, user: "unknown-home")).isEmpty)
        #expect(flags(try logon(spool, clock, user: "starter", homeCreatedMs: clock.nowMs() + 1_500)) == [LogonAttribute.firstLogon])
        // Their next logons are ordinary.
        clock.advance(Self.day)
        #expect(flags(try logon(spool, clock, user: "starter", homeCreatedMs: clock.nowMs() - Self.day)).isEmpty)
        #expect(flags(try logon(spool, clock, user: "unknown-home")).isEmpty)
        // A kernel update: the next logon, whoever's, is flagged, and the one after is not.
        clock.advance(Self.day)
        #expect(flags(try logon(spool, clock, user: "existing", system: Self.bookwormNewKernel)) == [LogonAttribute.afterUpgrade])
        #expect(flags(try logon(spool, clock, user: "starter", system: Self.bookwormNewKernel)).isEmpty)
        // Past the warm-up, a user never seen, whose home's age is unknown, counts as new; after an OS upgrade a
        // new user's logon is both (reported as first).
        clock.advance(30 * Self.day)
        #expect(flags(try logon(spool, clock, user: "late-starter", system: Self.bookwormNewKernel)) == [LogonAttribute.firstLogon])
        let both = try logon(spool, clock, user: "another", homeCreatedMs: clock.nowMs(), system: Self.trixie)
        #expect(flags(both) == [LogonAttribute.firstLogon, LogonAttribute.afterUpgrade])
        #expect(LogonCohort(attributes: both.attributes) == .first)
        #expect(both.attributes?[LocalFact.homeCreatedMs] == nil)
    }

    @Test("A restart between logons keeps the users seen and the system of the last logon")
    func restartKeepsState() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("spool.sqlite")
        let clock = ManualClock()
        do {
            let spool = try Spool(path: path, clock: clock)
            clock.advance(40 * Self.day)
            #expect(flags(try logon(spool, clock, user: "u1")) == [LogonAttribute.firstLogon])
        }
        clock.advance(Self.day)
        do {
            let spool = try Spool(path: path, clock: clock)
            // Same user, same system: nothing to flag, whatever the new process remembers in memory.
            #expect(flags(try logon(spool, clock, user: "u1")).isEmpty)
        }
        clock.advance(Self.day)
        let spool = try Spool(path: path, clock: clock)
        #expect(flags(try logon(spool, clock, user: "u1", system: Self.trixie)) == [LogonAttribute.afterUpgrade])
        #expect(flags(try logon(spool, clock, user: "u1", system: Self.trixie)).isEmpty)
    }

    @Test("A logon from logind carries the home folder's creation time and is flagged like a hooked one")
    func logindLogon() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let clock = ManualClock()
        let spool = try Spool(path: dir.file("spool.sqlite"), clock: clock)
        let outputs = [LoginctlOutput.listCommand: LogindLogonTests.list252, LoginctlOutput.showCommand("2"): LogindLogonTests.gdmSession]
        let nowWall = clock.nowMs()
        let alice = UserAccount(name: "alice", uid: 1000, home: "/home/alice")
        let logind = LogindLogonSource(pseudonymizer: Pseudonymizer(key: "logind-test-key-000001"), bootId: "boot-1",
                                       account: { $0 == "alice" ? alice : nil }) { outputs[$0] }
        var marks = logind.poll(openMarks: [], nowWallMs: nowWall, nowBootMs: 52_000, monotonicNowUs: 41_812_345)
        #expect(marks.first?.attributes[LocalFact.uid] == "1000")
        // The test's home folder does not exist: stand in for the creation time the daemon would read.
        marks[0].attributes[LocalFact.homeCreatedMs] = String(nowWall - 9_000)
        try spool.recordMark(marks[0])
        try spool.recordMark(LogonMark(name: "responsive", session: "2", user: marks[0].user, wallMs: nowWall - 5_000,
                                       monotonicMs: 47_000, bootId: "boot-1", attributes: [LogonAttribute.responsiveRule: "cpu<50%/2s"]))
        let (events, consumed) = LogonAssembler().assemble(try spool.openMarks(), nowMs: nowWall)
        try spool.completeLogons(events, consumedMarkIDs: consumed, flagging: LogonFlagging(system: Self.bookworm))
        let stored = try #require(try storedLogons(spool).first)
        #expect(stored.attributes?["source"] == "logind")
        #expect(flags(stored) == [LogonAttribute.firstLogon])
        #expect(stored.attributes?[LocalFact.uid] == nil)
    }

    @Test("A desktop mark taken from the drop folder notes the owner's uid (and home folder's age where the filesystem keeps it)")
    func dropboxNotesAccount() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let spool = try Spool(path: dir.file("spool.sqlite"))
        let drop = MarkDropbox(path: dir.path)
        try drop.drop(LogonMark(name: "desktop_ready", session: "3", user: nil, wallMs: 1_790_000_000_000, monotonicMs: 5, bootId: "b"))
        #expect(try drop.collect(into: spool, pseudonymizer: Pseudonymizer(key: "dropbox-test-key-00001"), log: { _ in }) == 1)
        let mark = try #require(try spool.openMarks().first)
        #expect(mark.attributes[LocalFact.uid] == String(getuid()))
        if let account = UserAccount.lookup(uid: getuid()), let created = account.homeCreatedMs {
            #expect(mark.attributes[LocalFact.homeCreatedMs] == String(created))
        }
    }

    @Test("A folder's creation time is read from the filesystem")
    func birthTime() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let before = Int64(Date().timeIntervalSince1970 * 1000)
        try FileManager.default.createDirectory(atPath: dir.file("home"), withIntermediateDirectories: false)
        let account = UserAccount(name: "x", uid: 4242, home: dir.file("home"))
        // Some filesystems (tmpfs before Linux 5.x, NFS) keep no creation time: then there is no evidence.
        if let created = account.homeCreatedMs {
            #expect(abs(created - before) < 5_000)
        }
        #expect(UserAccount(name: "x", uid: 4242, home: dir.file("missing")).homeCreatedMs == nil)
        #expect(account.localFacts[LocalFact.uid] == "4242")
    }

    @Test("The warm-up is configured in days, and a wrong value is named")
    func config() {
        let (config, problems) = AgentConfigLoader.parse("first_logon_warmup_days: 7\n")
        #expect(problems.isEmpty)
        #expect(config.logonFlagRule == LogonFlagRule(warmupMs: 7 * Self.day))
        #expect(AgentConfig().logonFlagRule == LogonFlagRule(warmupMs: 30 * Self.day))
        let (_, wrong) = AgentConfigLoader.parse("first_logon_warmup_days: -1\n", source: "agent.yaml")
        #expect(wrong == ["agent.yaml line 1: first_logon_warmup_days must be a whole number from 0 to 365, not '-1'"])
    }
}
