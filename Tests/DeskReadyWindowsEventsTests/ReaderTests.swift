import DeskReadyModel
import DeskReadyWindowsEvents
import Testing

@Suite("Reading Windows event XML")
struct ReaderTests {
    func read(_ xml: String, wants: @escaping @Sendable (String, Int) -> Bool = { _, _ in true }) throws -> (records: [WindowsEventRecord], issues: [ReadIssue]) {
        var records: [WindowsEventRecord] = []
        var issues: [ReadIssue] = []
        try EventLogReader(bytes: Array(xml.utf8), name: "test.xml", wants: wants).read({ records.append($0) }, issues: { issues.append($0) })
        return (records, issues)
    }

    func event(_ id: Int, time: String = "2026-11-02T07:00:00.0000000Z", record: Int = 1, extra: String = "", data: String = "") -> String {
        """
        <Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="Microsoft-Windows-Winlogon" Guid="{dbe9b383-7cf3-4331-91cc-a3cb16a3b538}"/>\
        <EventID>\(id)</EventID><TimeCreated SystemTime="\(time)"/><EventRecordID>\(record)</EventRecordID>\(extra)\
        <Channel>Microsoft-Windows-Winlogon/Operational</Channel><Computer>WS-0001</Computer></System><EventData>\(data)</EventData></Event>
        """
    }

    @Test("A malformed event in the middle of a file is reported with its line and byte offset, and the rest is read")
    func malformedInTheMiddle() throws {
        let (records, issues) = try Fixture.read("malformed-middle.xml")
        let issue = try #require(issues.first)
        #expect(issues.count == 1)
        #expect(issue.line == 4)
        #expect(issue.byteOffset > 0)
        #expect(issue.message.contains("</Sytem>"))
        #expect(issue.description.hasPrefix(Fixture.folder + "malformed-middle.xml:4 "))
        let clean = try Fixture.read("fast-logon.xml").records
        #expect(records.count == clean.count)
        // The logon is still assembled from the events around it.
        #expect(WindowsEventAssembler().assemble(records, computer: "ws-0001", nowMs: Fixture.later).logons.first?.outcome == .ok)
    }

    @Test("Bare events, a root element, comments, declarations and processing instructions all read the same")
    func framing() throws {
        let bare = try read(event(1) + "\n" + event(2, record: 2))
        let wrapped = try read("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- exported --><Events>\n" + event(1) + "<?pi x?>" + event(2, record: 2) + "</Events>")
        #expect(bare.issues.isEmpty && wrapped.issues.isEmpty)
        #expect(bare.records.map(\.eventID) == [1, 2])
        #expect(bare.records == wrapped.records)
    }

    @Test("Entities, character references, CDATA, comments, prefixes and both quote styles are decoded")
    func xmlFeatures() throws {
        let xml = """
            <e:Event xmlns:e='http://schemas.microsoft.com/win/2004/08/events/event'><e:System><e:Provider Name='A &amp; B' />\
            <e:EventID>7</e:EventID><!-- a comment --><e:TimeCreated SystemTime="2026-11-02T07:00:00Z"/><e:EventRecordID>9</e:EventRecordID>\
            <e:Computer>WS&#x2D;0001</e:Computer></e:System><e:EventData><e:Data Name="Text">&lt;1&gt; &quot;x&quot; &apos;&#233;&#x1F600;</e:Data>\
            <e:Data Name="Raw"><![CDATA[<not & markup>]]></e:Data></e:EventData></e:Event>
            """
        let (records, issues) = try read(xml)
        #expect(issues.isEmpty)
        let record = try #require(records.first)
        #expect(record.provider == "A & B")
        #expect(record.computer == "WS-0001")
        #expect(record.data["Text"] == "<1> \"x\" 'é😀")
        #expect(record.data["Raw"] == "<not & markup>")
    }

    @Test("Times with T or a space, Z, +00:00 or no zone, and 0 to 9 fraction digits, are the same instant")
    func timestamps() throws {
        let expected: Int64 = 1_793_602_800_123_456
        for text in ["2026-11-02T07:00:00.123456Z", "2026-11-02 07:00:00.123456+00:00", "2026-11-02 07:00:00.1234567",
                     "2026-11-02T07:00:00.123456789Z", "2026-11-02T08:00:00.123456+01:00"] {
            #expect(WindowsTimestamp.parseMicroseconds(text) == expected, "\(text)")
        }
        #expect(WindowsTimestamp.parseMicroseconds("2026-11-02T07:00:00Z") == expected - 123_456)
        #expect(WindowsTimestamp.parseMicroseconds("2026-11-02T07:00Z") == nil)
        #expect(WindowsTimestamp.parseMicroseconds("2026-02-30T07:00:00Z") == nil)
    }

    @Test("GUIDs with or without braces in either case, booleans in any case, and an empty correlation are normalised")
    func values() throws {
        #expect(WindowsValue.guid("{A73BB50D-A09E-48C6-B2EE-FB0799ABE401}") == "a73bb50d-a09e-48c6-b2ee-fb0799abe401")
        #expect(WindowsValue.guid("a73bb50d-a09e-48c6-b2ee-fb0799abe401") == "a73bb50d-a09e-48c6-b2ee-fb0799abe401")
        #expect(WindowsValue.guid("") == nil)
        #expect(WindowsValue.boolean("True") == true && WindowsValue.boolean("FALSE") == false && WindowsValue.boolean("%%1842") == true)
        #expect(WindowsValue.boolean("maybe") == nil)
        let (records, _) = try read(event(1, extra: "<Correlation ActivityID=\"\" RelatedActivityID=\"\"></Correlation>") + event(2, record: 2, extra: "<Correlation />"))
        #expect(records.map(\.activityID) == [nil, nil])
    }

    @Test("An event cut short at the end of the file, or missing required fields, is reported and skipped")
    func truncatedAndIncomplete() throws {
        let (records, issues) = try read(event(1) + event(2, time: "yesterday", record: 2) + event(3, record: 3).dropLast(20))
        #expect(records.map(\.eventID) == [1])
        #expect(issues.count == 2)
        #expect(issues[0].message.contains("yesterday"))
        #expect(issues[1].message.contains("cut short"))
    }

    @Test("Text outside events is reported and reading resumes at the next event")
    func junkBetweenEvents() throws {
        let (records, issues) = try read(event(1) + "\nnot xml at all\n" + event(2, record: 2))
        #expect(records.map(\.eventID) == [1, 2])
        #expect(issues.count == 1)
        #expect(issues.first?.line == 2)
    }

    @Test("An event the assembler does not use is counted but not decoded into a record")
    func filtering() throws {
        let reader = EventLogReader(bytes: Array((event(1) + event(4, record: 2)).utf8), name: "t")
        var records: [WindowsEventRecord] = []
        try reader.read({ records.append($0) }, issues: { _ in })
        #expect(records.map(\.eventID) == [1])
        #expect(reader.eventCount == 2)
    }

    @Test("A missing file is a clear error naming it")
    func missingFile() {
        #expect(throws: ReadError.self) { try EventLogReader(path: "/nonexistent/export.xml") }
        do {
            _ = try EventLogReader(path: "/nonexistent/export.xml")
        } catch {
            #expect(error.message.contains("/nonexistent/export.xml"))
        }
    }
}

@Suite("Records as lines")
struct RecordLineTests {
    @Test("A record survives the line form, with tabs, line breaks and backslashes in its values")
    func roundTrip() throws {
        let record = WindowsEventRecord(provider: "Microsoft-Windows-Winlogon", eventID: 811, timeUs: 1_793_602_800_123_456, recordID: 42,
                                        channel: "Microsoft-Windows-Winlogon/Operational", computer: "WS-0001", processID: 1028,
                                        userSID: "S-1-5-21-1", activityID: nil, data: ["User": "TRUST\\j\tsmith\r\nx", "Event": "2", "Empty": ""])
        let line = RecordLine.encode(record)
        #expect(!line.contains("\n") && !line.contains("\r"))
        #expect(RecordLine.decode(Substring(line)) == record)
        #expect(RecordLine.decode("not a record") == nil)
    }
}

@Suite("Reading damaged exports")
struct DamagedExportTests {
    @Test("An event whose end is missing is reported, and the event after it is still read")
    func missingEndTag() throws {
        let good = try String(contentsOfFile: Fixture.folder + "fast-logon.xml", encoding: .utf8).split(separator: "\n").map(String.init)
        // The third event loses its tail from inside EventData: the fourth then starts inside it.
        let third = good[2]
        let damaged = String(third[..<(third.range(of: "</Data>")?.lowerBound ?? third.endIndex)])
        let text = ([good[0], good[1], damaged] + good[3...]).joined(separator: "\n")
        var records: [WindowsEventRecord] = []
        var issues: [ReadIssue] = []
        try EventLogReader(bytes: Array(text.utf8), name: "damaged.xml").read({ records.append($0) }, issues: { issues.append($0) })
        #expect(issues.count == 1)
        #expect(issues.first?.line == 4)
        #expect(issues.first?.message.contains("not closed") == true)
        #expect(records.count == good.count - 1)
    }
}
