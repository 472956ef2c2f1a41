import DeskReadyModel
import Testing
@testable import DeskReadyReporting

@Suite("Grading")
struct GradingTests {
    let model: MaturityModel
    let logonP90: IndicatorDefinition
    let withinTarget: IndicatorDefinition

    init() throws {
        model = try MaturityModel.standard
        logonP90 = try #require(model.indicators.first { $0.id == "logon_p90" })
        withinTarget = try #require(model.indicators.first { $0.id == "logon_within_target" })
    }

    func grade(_ definition: IndicatorDefinition, value: Double, n: Int = 100, method: ScoreMethod? = nil) -> IndicatorGrade {
        var model = model
        if let method { model.scoreMethod = method }
        return IndicatorGrader(model: model).grade(definition, IndicatorMeasurement(value: value, n: n))
    }

    @Test("The reason says the value and what the next level needs")
    func reasonInWords() {
        let grade = grade(logonP90, value: 93)
        #expect(grade.status == .graded)
        #expect(grade.level == 3)
        #expect(grade.reason == "logon p90 93 s; level 4 needs 60 s or less")
        #expect(self.grade(logonP90, value: 25).reason == "logon p90 25 s; meets level 5 (30 s or less)")
        #expect(self.grade(withinTarget, value: 85.25).reason == "logons within 60 s 85.3%; level 4 needs 90% or more")
    }

    @Test("The value shown, its level and its reason agree however the raw value rounds", arguments: [0.9449999, 0.945, 0.5004, 0.49951, 2.0004])
    func valueLevelAndReasonAgree(raw: Double) throws {
        let incomplete = try #require(model.indicators.first { $0.id == "logon_incomplete" })
        let grade = grade(incomplete, value: raw)
        let value = try #require(grade.value)
        #expect(grade.level == IndicatorGrader.level(value, incomplete))
        #expect(grade.reason.hasPrefix("incomplete logons \(ValueFormat.value(value, .percent, distinctFrom: [0.5, 1, 2, 5]));"))
    }

    @Test("A value on a threshold meets that level, in either direction", arguments: [
        (30.0, 5), (30.001, 4), (60, 4), (120, 3), (300, 2), (300.5, 1),
    ])
    func lowerIsBetterLevels(value: Double, level: Int) {
        #expect(grade(logonP90, value: value).level == level)
    }

    @Test("Higher is better: shares at or above the threshold", arguments: [(95.0, 5), (94.9, 4), (90, 4), (80, 3), (60, 2), (59.9, 1)])
    func higherIsBetterLevels(value: Double, level: Int) {
        #expect(grade(withinTarget, value: value).level == level)
    }

    @Test("Scores: steps of 25, or interpolated between thresholds")
    func scores() {
        #expect(grade(logonP90, value: 45, method: .steps).score == 75)
        #expect(grade(logonP90, value: 45).score == 87.5)
        #expect(grade(logonP90, value: 60).score == 75)
        #expect(grade(logonP90, value: 90).score == 62.5)
        #expect(grade(logonP90, value: 10).score == 100)
        #expect(grade(logonP90, value: 900).score == 0)
        #expect(grade(withinTarget, value: 92.5).score == 87.5)
    }

    @Test("Fewer observations than the minimum: insufficient data, no value, never graded")
    func insufficientData() {
        let grade = grade(logonP90, value: 500, n: 9)
        #expect(grade.status == .insufficientData)
        #expect(grade.value == nil && grade.level == nil && grade.score == nil)
        #expect(grade.n == 9)
        #expect(grade.reason == "logon p90: insufficient data, 9 observations, fewer than the 10 needed to grade")
        var own = logonP90
        own.minimumObservations = 5
        #expect(IndicatorGrader(model: model).grade(own, IndicatorMeasurement(value: 500, n: 9)).level == 1)
    }

    func overall(_ levels: [Int?]) -> OverallGrade {
        let pairs = levels.enumerated().map { index, level in
            var definition = logonP90
            definition.title = "indicator \(index + 1)"
            let grade = level.map { IndicatorGrade(status: .graded, value: 1, n: 10, level: $0, score: Double($0 - 1) * 25, reason: "") }
                ?? IndicatorGrade(status: .insufficientData, value: nil, n: 1, level: nil, score: nil, reason: "")
            return (definition, grade)
        }
        return OverallGrader(rule: model.overall).grade(pairs)
    }

    @Test("Overall: the median level, at most the weakest plus two")
    func overallRule() {
        #expect(overall([4, 4, 5, 3, 4]).level == 4)
        #expect(overall([2, 3, 4, 5]).level == 3, "the lower middle level for an even count")
        let capped = overall([5, 5, 5, 5, 1])
        #expect(capped.level == 3)
        #expect(capped.reason == "median of 5 indicator levels is 5, capped at 3 because the weakest, indicator 5, is level 1")
        #expect(capped.score.map { (50..<75).contains($0) } == true, "the score stays inside level 3's band")
        #expect(overall([5, 5, 5]).score == 100)
        let few = overall([5, 5, nil, nil])
        #expect(few.status == .insufficientData)
        #expect(few.level == nil)
        #expect(few.graded == 2)
    }

    @Test("Change from the previous period, better or worse by the indicator's direction")
    func change() {
        let now = grade(logonP90, value: 50)
        let before = grade(logonP90, value: 70)
        let faster = IndicatorChange(current: now, previous: before, direction: .lowerIsBetter)
        #expect(faster.value == -20)
        #expect(faster.level == 1)
        #expect(faster.trend == .better)
        #expect(IndicatorChange(current: before, previous: now, direction: .lowerIsBetter).trend == .worse)
        let share = IndicatorChange(current: grade(withinTarget, value: 70), previous: grade(withinTarget, value: 91), direction: .higherIsBetter)
        #expect(share.trend == .worse)
        #expect(share.level == -2)
        let missing = IndicatorChange(current: now, previous: grade(logonP90, value: 70, n: 3), direction: .lowerIsBetter)
        #expect(missing.trend == .notComparable)
        #expect(missing.value == nil)
    }

    @Test("Value formats for people")
    func formats() {
        #expect(ValueFormat.seconds(93.4) == "93.4 s")
        #expect(ValueFormat.seconds(133.4) == "133 s")
        #expect(ValueFormat.percent(1.04) == "1.04%")
        #expect(ValueFormat.percent(87.54) == "87.5%")
        #expect(ValueFormat.value(60.04, .seconds, distinctFrom: [30, 60, 120]) == "60.04 s")
        #expect(ValueFormat.value(1.004, .percent, distinctFrom: [1, 2]) == "1.004%")
        #expect(ValueFormat.value(1, .percent, distinctFrom: [1, 2]) == "1%")
        #expect(grade(logonP90, value: 60.04).reason == "logon p90 60.04 s; level 4 needs 60 s or less")
        #expect(ValueFormat.seconds(4.25) == "4.3 s")
        #expect(ValueFormat.percent(85) == "85%")
        #expect(ValueFormat.percent(0.5) == "0.5%")
        #expect(ValueFormat.change(-20, .seconds) == "-20 s")
        #expect(ValueFormat.change(2.5, .percent) == "+2.5 pts")
        #expect(CivilDay.format(0) == "1970-01-01")
        #expect(CivilDay.dateTime(1_795_737_599_000) == "2026-11-26T23:59:59Z")
    }
}
