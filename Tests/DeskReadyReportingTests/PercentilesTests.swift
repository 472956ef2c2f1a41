import DeskReadyReporting
import Testing

@Suite("Percentiles")
struct PercentilesTests {
    @Test("Nearest rank on a known set")
    func nearestRank() {
        let p = Percentiles([15, 20, 35, 40, 50])
        #expect(p.value(5) == 15)
        #expect(p.value(30) == 20)
        #expect(p.value(40) == 20)
        #expect(p.value(50) == 35)
        #expect(p.value(100) == 50)
        #expect(Percentiles([]).value(50) == nil)
    }

    @Test("Share at or below a limit")
    func share() {
        let p = Percentiles([1, 2, 2, 3, 10])
        #expect(p.share(atOrBelow: 2) == 0.6)
        #expect(p.share(atOrBelow: 0) == 0)
        #expect(p.share(atOrBelow: 10) == 1)
    }
}
