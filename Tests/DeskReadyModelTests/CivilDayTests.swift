import DeskReadyModel
import Testing

@Suite("Civil days")
struct CivilDayTests {
    @Test("YYYY-MM-DD to midnight UTC, and impossible dates refused")
    func parse() {
        #expect(CivilDay.parse("1970-01-01") == 0)
        #expect(CivilDay.parse("2026-11-26") == 1_795_651_200_000)
        #expect(CivilDay.parse("2024-02-29") == 1_709_164_800_000)
        #expect(CivilDay.parse("2026-02-29") == nil)
        #expect(CivilDay.parse("2026-13-01") == nil)
        #expect(CivilDay.parse("26-11-01") == nil)
        #expect(CivilDay.parse("2026-1-01") == nil)
    }
}
