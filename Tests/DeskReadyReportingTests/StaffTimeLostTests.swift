import DeskReadyCollector
import Testing
@testable import DeskReadyReporting

@Suite("Staff time lost")
struct StaffTimeLostTests {
    @Test("Hours a week waited, and waited beyond each target, over completed logons and application starts")
    func figures() throws {
        let logons = TimingHistogram([30_000, 90_000, 120_000])
        let apps = TimingHistogram([15_000, 4_000])
        let lost = try #require(StaffTimeLost(logons: logons, applicationStarts: apps, logonTargetMs: 60_000, applicationTargetMs: 10_000,
                                              fromMs: 0, toMs: 14 * 86_400_000))
        #expect(lost.weeks == 2)
        #expect(abs(lost.waitedHoursPerWeek - 259.0 / 3_600 / 2) < 0.0005)
        #expect(abs(lost.beyondTargetHoursPerWeek - 95.0 / 3_600 / 2) < 0.0005, "30 s + 60 s above the logon target, 5 s above the app target")
        #expect(lost.logons == 3 && lost.applicationStarts == 2)
        #expect(lost.assumptions.contains("lower bounds"))
        #expect(StaffTimeLost(logons: TimingHistogram(), applicationStarts: TimingHistogram(), logonTargetMs: 60_000,
                              applicationTargetMs: 10_000, fromMs: 0, toMs: 1) == nil)
    }

    @Test("The application target is the model's app-start level-4 threshold")
    func applicationTarget() throws {
        #expect(try MaturityModel.standard.applicationTargetMs == 10_000)
        #expect(try MaturityModel.standard.logonTargetMs == 60_000)
    }
}
